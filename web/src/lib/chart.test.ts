import { describe, expect, it } from 'vitest';
import {
  bandPath,
  extent,
  linePath,
  linearScale,
  niceTicks,
  sparklinePath,
  tickIndexes,
} from './chart';
import { groupItems } from './groups';

describe('linePath', () => {
  it('lifts the pen at gaps and draws a lone point as a dot', () => {
    const d = linePath([
      { x: 0, y: 10 },
      { x: 1, y: 20 },
      { x: 2, y: null },
      { x: 3, y: 5 },
      { x: 4, y: null },
      { x: 5, y: 1 },
      { x: 6, y: 2 },
    ]);
    expect(d).toBe('M0,10L1,20M3,5h0M5,1L6,2');
  });

  it('is empty without values', () => {
    expect(linePath([])).toBe('');
    expect(linePath([{ x: 0, y: null }])).toBe('');
  });
});

describe('sparklinePath', () => {
  it('spans the box: lowest value at the bottom, highest at the top', () => {
    expect(sparklinePath([0, 5, 10], 100, 20, 0)).toBe('M0,20L50,10L100,0');
  });

  it('keeps gaps and handles flat and empty series', () => {
    expect(sparklinePath([1, null, 1], 10, 10, 0)).toBe('M0,5h0M10,5h0');
    expect(sparklinePath([null, null], 10, 10)).toBe('');
    expect(sparklinePath([], 10, 10)).toBe('');
  });

  it('counts one move per run of values', () => {
    const values = Array.from({ length: 30 }, (_, i) => (i % 10 === 9 ? null : i));
    expect(sparklinePath(values, 120, 32).match(/M/g)).toHaveLength(3);
  });
});

describe('scales and ticks', () => {
  it('maps linearly, a flat domain to the middle', () => {
    expect(linearScale([0, 10], [100, 0])(5)).toBe(50);
    expect(linearScale([3, 3], [0, 10])(3)).toBe(5);
  });

  it('chooses round ticks covering the data', () => {
    expect(niceTicks(0, 100, 5)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(niceTicks(430, 1020, 5)).toEqual([400, 600, 800, 1000, 1200]);
    expect(niceTicks(0.0012, 0.0091, 4)).toEqual([0, 0.002, 0.004, 0.006, 0.008, 0.01]);
    const flat = niceTicks(5, 5);
    expect(flat[0]).toBeLessThan(5);
    expect(flat[flat.length - 1]).toBeGreaterThan(5);
    expect(niceTicks(-30, 70, 5)).toEqual([-40, -20, 0, 20, 40, 60, 80]);
  });

  it('extent skips missing values; tick indexes start at the first', () => {
    expect(extent([null, 3, undefined, -1, Number.NaN])).toEqual([-1, 3]);
    expect(extent([null])).toBeNull();
    expect(tickIndexes(10, 4)).toEqual([0, 3, 6, 9]);
    expect(tickIndexes(0, 4)).toEqual([]);
  });

  it('closes a band from the upper line back along the lower one', () => {
    expect(
      bandPath([
        { x: 0, lo: 10, hi: 0 },
        { x: 5, lo: 12, hi: 2 },
      ]),
    ).toBe('M0,0L5,2L5,12L0,10Z');
    expect(bandPath([])).toBe('');
  });
});

describe('groupItems', () => {
  it('groups the catalogue by business area, custom metrics last, the denominator hidden', () => {
    const item = (name: string, derived = true) => ({ metric: { name, derived } });
    const groups = groupItems([
      item('footfall', false),
      item('cash_balance'),
      item('revenue'),
      item('active_customers_sum'),
      item('orders'),
    ]);
    expect(groups.map((g) => [g.id, g.items.map((i) => i.metric.name)])).toEqual([
      ['sales', ['revenue', 'orders']],
      ['cash', ['cash_balance']],
      ['custom', ['footfall']],
    ]);
  });
});
