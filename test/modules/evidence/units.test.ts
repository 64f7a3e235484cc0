import { describe, expect, it } from 'vitest';
import { calendarColumns, holidaysOf } from '../../../src/modules/evidence/calendar.js';
import { residualize } from '../../../src/modules/evidence/calendar-adjust.js';
import {
  collapseColumnsInText,
  expandCalendar,
  projectOnto,
  substituteSlices,
} from '../../../src/modules/evidence/graph-rules.js';
import { parseCondition, parseNode } from '../../../src/modules/evidence/nodes.js';
import { mergeProposal } from '../../../src/modules/evidence/proposal.js';
import { assertFinite, finiteDetails } from '../../../src/modules/evidence/sanitize.js';

/** The module's pure parts: node names, calendar, graph rewriting, proposals, finiteness. */

describe('node names', () => {
  it('reads metrics, slices (canonical dimension order) and calendar nodes', () => {
    expect(parseNode('marketing_spend[channel=instagram]')).toEqual({
      kind: 'metric',
      id: 'marketing_spend[channel=instagram]',
      metric: 'marketing_spend',
      dims: { channel: 'instagram' },
    });
    expect(parseNode('revenue[location=Main St, channel=store]')).toMatchObject({
      id: 'revenue[channel=store,location=Main St]',
    });
    expect(parseNode('weekday')).toEqual({ kind: 'calendar', id: 'weekday', name: 'weekday' });
  });

  it('says what is wrong with a bad name', () => {
    expect(parseNode('Revenue')).toMatch(/not a node id/);
    expect(parseNode('orders[colour=red]')).toMatch(/unknown dimension "colour"/);
    expect(parseNode('orders[channel=]')).toMatch(/needs a value/);
    expect(parseNode('orders[channel=a,channel=b]')).toMatch(/given twice/);
    expect(parseNode('weekday[day=mon]')).toMatch(/takes no dimensions/);
    expect(parseNode('orders[]')).toMatch(/empty \[\]/);
  });

  it('reads treatment conditions', () => {
    expect(parseCondition('marketing_spend[channel=instagram] > 0')).toMatchObject({
      node: { id: 'marketing_spend[channel=instagram]' },
      condition: { op: '>', value: 0, text: 'marketing_spend[channel=instagram] > 0' },
    });
    expect(parseCondition('price<=-1.5e1')).toMatchObject({ condition: { op: '<=', value: -15 } });
    expect(parseCondition('promo')).toMatchObject({ node: { id: 'promo' }, condition: null });
  });
});

describe('calendar', () => {
  it('knows the US holidays and shopping eves', () => {
    const h = holidaysOf(2025);
    expect([...h.holiday].sort()).toEqual([
      '2025-01-01',
      '2025-05-26',
      '2025-07-04',
      '2025-09-01',
      '2025-11-27',
      '2025-12-25',
    ]);
    expect([...h.eve].sort()).toEqual(['2025-11-28', '2025-12-24', '2025-12-31']);
  });

  it('builds indicator, trend and season columns', () => {
    const days = ['2025-12-27', '2025-12-28', '2025-12-29'];
    expect(calendarColumns('weekday', days, days[0]!)['weekday[sat]']).toEqual([1, 0, 0]);
    expect(calendarColumns('weekday', days, days[0]!)['weekday[sun]']).toEqual([0, 1, 0]);
    expect(calendarColumns('weekend', days, days[0]!).weekend).toEqual([1, 1, 0]);
    expect(calendarColumns('trend', days, '2024-12-29').trend![2]).toBeCloseTo(365 / 365.25, 12);
    const s = calendarColumns('season', ['2025-01-01'], '2025-01-01');
    expect(s['season[cos]']).toEqual([1]);
    expect(s['season[sin]']).toEqual([0]);
  });

  it('residualises on the calendar: a pure weekday pattern leaves nothing', () => {
    const days = Array.from({ length: 28 }, (_, i) =>
      new Date(Date.UTC(2025, 0, 6 + i)).toISOString().slice(0, 10),
    );
    const wd = calendarColumns('weekday', days, days[0]!);
    const y = days.map((_, i) => 10 + 5 * (i % 7 === 5 ? 1 : 0));
    const r = residualize({ y }, wd);
    for (const v of r.y!) expect(Math.abs(v)).toBeLessThan(1e-9);
  });
});

describe('graph rewriting', () => {
  const g = {
    nodes: [{ id: 'weekday' }, { id: 'marketing_spend' }, { id: 'orders' }, { id: 'revenue' }],
    edges: [
      { from: 'weekday', to: 'marketing_spend' },
      { from: 'weekday', to: 'orders' },
      { from: 'marketing_spend', to: 'orders' },
      { from: 'orders', to: 'revenue' },
    ],
  };

  it('lets a slice take its metric’s place', () => {
    const r = substituteSlices(g, ['orders[channel=store]', 'revenue', 'visits']);
    expect(r.replaced).toEqual([{ node: 'orders', by: 'orders[channel=store]' }]);
    expect(r.missing).toEqual(['visits']);
    expect(r.graph.edges).toContainEqual({ from: 'orders[channel=store]', to: 'revenue' });
  });

  it('expands categorical calendar nodes into their indicator columns', () => {
    const e = expandCalendar(g);
    expect(e.nodes).toHaveLength(3 + 6);
    expect(e.edges.filter((x) => x.to === 'orders')).toHaveLength(7);
    expect(
      collapseColumnsInText('adjusting for weekday[fri], weekday[sat], weekday[sun], trend'),
    ).toBe('adjusting for weekday, trend');
  });

  it('projects out unmeasured nodes, keeping paths and naming the confounding lost', () => {
    const h = {
      nodes: [{ id: 'a' }, { id: 'u' }, { id: 'b' }, { id: 'w' }, { id: 'c' }],
      edges: [
        { from: 'a', to: 'u' },
        { from: 'u', to: 'b' },
        { from: 'w', to: 'b' },
        { from: 'w', to: 'c' },
      ],
    };
    const p = projectOnto(h, new Set(['a', 'b', 'c']));
    expect(p.graph.edges).toEqual([{ from: 'a', to: 'b' }]);
    expect(p.confounders).toEqual([{ node: 'w', affects: ['b', 'c'] }]);
  });
});

describe('discovery proposals', () => {
  it('supports, adds, leaves undecided and refuses cycles', () => {
    const base = {
      nodes: [{ id: 'a' }, { id: 'b' }, { id: 'c' }],
      edges: [
        { from: 'a', to: 'b', provenance: 'assumed' as const },
        { from: 'b', to: 'c', provenance: 'template' as const },
      ],
    };
    const p = mergeProposal(
      base,
      [
        { from: 'a', to: 'b', directed: true, confidence: 0.9, pValue: 0.001 },
        { from: 'c', to: 'a', directed: true, confidence: 0.8, pValue: 0.002 },
        { from: 'c', to: 'd', directed: true, confidence: 0.7, pValue: 0.003 },
        { from: 'd', to: 'a', directed: false, confidence: 0.6, pValue: 0.004 },
      ],
      'id-1',
      ['a', 'b', 'c', 'd'],
    );
    expect(p.supported).toEqual([
      { from: 'a', to: 'b', provenance: 'assumed', confidence: 0.9, analysisId: 'id-1' },
    ]);
    expect(p.conflicts.map((c) => c.reason)).toEqual([expect.stringMatching(/close a cycle/)]);
    expect(p.added).toEqual([
      { from: 'c', to: 'd', provenance: 'learned', confidence: 0.7, analysisId: 'id-1' },
    ]);
    expect(p.undecided.map((u) => `${u.from}-${u.to}`)).toEqual(['d-a']);
    expect(p.unsupported).toEqual([{ from: 'b', to: 'c', provenance: 'template' }]);
    expect(p.graph.nodes.map((n) => n.id)).toEqual(['a', 'b', 'c', 'd']);
    expect(base.edges[0]).toEqual({ from: 'a', to: 'b', provenance: 'assumed' });
  });
});

describe('never NaN as an answer', () => {
  it('drops non-finite detail numbers and refuses non-finite answers', () => {
    expect(finiteDetails({ a: 1, b: Number.NaN, c: Infinity })).toEqual({
      details: { a: 1 },
      dropped: 2,
    });
    expect(() => assertFinite({ estimate: 1, interval: [0, 2] })).not.toThrow();
    expect(() => assertFinite({ estimate: Number.NaN }, 'result')).toThrow(
      /result.estimate is not a finite number/,
    );
    expect(() => assertFinite({ perDay: [{ effect: -Infinity }] })).toThrow(/perDay\[0\].effect/);
  });
});
