import { describe, expect, it } from 'vitest';
import {
  centralInterval,
  detectPeriods,
  errorScale,
  forecast,
  historicalNaiveScale,
  adjustOutliers,
  regressionForecast,
} from '../../../src/engines/forecast/index.js';

describe('seasonal period detection', () => {
  it('uses frequency defaults with at least two cycles of data', () => {
    expect(detectPeriods(new Array(400).fill(1), 'hourly')).toEqual([24, 168]);
    expect(detectPeriods(new Array(100).fill(1), 'hourly')).toEqual([24]);
    expect(detectPeriods(new Array(100).fill(1), 'daily')).toEqual([7]);
    expect(detectPeriods(new Array(10).fill(1), 'yearly')).toEqual([]);
    expect(detectPeriods(new Array(30).fill(1), undefined, [4, 12, 1])).toEqual([4, 12]);
  });

  it('finds the autocorrelation peak without a frequency', () => {
    const y = Array.from(
      { length: 120 },
      (_, t) => 50 + 10 * Math.sin((2 * Math.PI * t) / 12) + ((t * 7) % 5),
    );
    expect(detectPeriods(y)).toEqual([12]);
    expect(detectPeriods(Array.from({ length: 50 }, (_, t) => t))).toEqual([]);
  });
});

describe('interval building blocks', () => {
  it('errorScale pools squared errors over origins and neighbouring steps, non-decreasing, √h beyond', () => {
    const s = errorScale(
      [
        [1, -2],
        [-1, 2],
      ],
      3,
    );
    expect(s[0]).toBeCloseTo(Math.sqrt(2.5), 12);
    expect(s[1]).toBeCloseTo(Math.sqrt(2.5), 12);
    expect(s[2]).toBeCloseTo(Math.sqrt(2.5) * Math.sqrt(1.5), 12);
  });

  it('historicalNaiveScale: RMS j-step change over every origin', () => {
    expect(historicalNaiveScale([1, 2, 3, 4], 1, 2)).toEqual([1, 2]);
    // seasonal lag 2: j = 1, 2 both compare with 2 steps back
    expect(historicalNaiveScale([1, 5, 2, 6, 3, 7], 2, 3)).toEqual([1, 1, 2]);
  });

  it('centralInterval: point ± z·sd', () => {
    const iv = centralInterval([10], [1], 95, 1);
    expect(iv.lower[0]).toBeCloseTo(10 - 1.959964, 5);
    expect(iv.upper[0]).toBeCloseTo(10 + 1.959964, 5);
  });
});

describe('dynamic regression', () => {
  it('recovers a promotion effect exactly on noise-free data', () => {
    const promo = [0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 1];
    const y = promo.slice(0, 13).map((p) => 10 + 5 * p);
    const f = regressionForecast(y, 2, { promo }, []);
    expect(f[0]).toBeCloseTo(15, 6);
    expect(f[1]).toBeCloseTo(15, 6);
  });
});

describe('calendar timestamps', () => {
  it('monthly data lands on calendar months, gaps are imputed', () => {
    const r = forecast(
      {
        values: [10, 12, 14, 18, 20, 22, 24, 26],
        timestamps: [
          '2023-01-31',
          '2023-02-28',
          '2023-03-31',
          '2023-05-31',
          '2023-06-30',
          '2023-07-31',
          '2023-08-31',
          '2023-09-30',
        ],
      },
      { horizon: 2 },
    );
    expect(r.frequency).toBe('monthly');
    expect(r.flags).toContain('filled_gaps');
    expect(r.timestamps).toHaveLength(2);
    expect(r.timestamps?.[0]?.slice(0, 7)).toBe('2023-10');
  });
});

describe('outlier adjustment (opt-in)', () => {
  it('replaces a spike by the median of its neighbours, never the last points', () => {
    const r = adjustOutliers([10, 11, 10, 500, 10, 11, 10, 11, 10, 11], 1);
    expect(r.adjusted).toEqual([3]);
    expect(r.values[3]).toBe(10); // median of 10, 11, 10 | 10, 11, 10
    expect(adjustOutliers([10, 11, 10, 11, 10, 11, 10, 11, 10, 500], 1).adjusted).toEqual([]);
  });

  it('compares with the same seasonal phase and is flagged by forecast()', () => {
    const y = Array.from({ length: 60 }, (_, t) => (t % 4 === 0 ? 50 : 10) + (t % 3));
    y[21] = 400;
    expect(adjustOutliers(y, 4).adjusted).toEqual([21]);
    const r = forecast({ values: y, seasonalPeriods: [4] }, { horizon: 4, adjustOutliers: true });
    expect(r.flags).toContain('outliers_adjusted');
    expect(forecast({ values: y, seasonalPeriods: [4] }, { horizon: 4 }).flags).not.toContain(
      'outliers_adjusted',
    );
  });
});
