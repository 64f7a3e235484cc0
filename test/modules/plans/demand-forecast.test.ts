import { describe, expect, it } from 'vitest';
import { forecastCounts } from '../../../src/modules/plans/demand-forecast.js';

/** The plans module's adapter to the forecasting engine (per-SKU demand, hourly orders). */
const weekly = Array.from({ length: 120 }, (_, i) => [4, 5, 5, 6, 8, 12, 10][i % 7]!);

describe('forecastCounts', () => {
  it('forecasts a weekly pattern with the fast pool: non-negative, finite, one step per day', () => {
    const r = forecastCounts(weekly, 21, { frequency: 'daily', seasonalPeriods: [7] });
    expect(r.steps).toHaveLength(21);
    for (const s of r.steps) {
      expect(Number.isFinite(s.mean) && s.mean >= 0).toBe(true);
      expect(Number.isFinite(s.sd) && s.sd >= 0).toBe(true);
    }
    // A clean weekly pattern continues: day 120 is weekday 1 of the cycle (5), day 124 the peak (12).
    expect(r.steps[0]!.mean).toBeCloseTo(5, 0);
    expect(r.steps[4]!.mean).toBeCloseTo(12, 0);
    expect(r.model).not.toMatch(/auto-ets|mstl/);
  });

  it('the full pool loads the WebAssembly models on first use', () => {
    const r = forecastCounts(weekly, 7, { frequency: 'daily', seasonalPeriods: [7], pool: 'full' });
    expect(r.steps).toHaveLength(7);
    expect(r.steps[4]!.mean).toBeCloseTo(12, 0);
  });

  it('a series too short to forecast falls back to its mean with a √mean spread', () => {
    expect(forecastCounts([1, 2, 3], 2, { frequency: 'daily', seasonalPeriods: [7] })).toEqual({
      model: 'history-mean',
      steps: [
        { mean: 2, sd: 1.414 },
        { mean: 2, sd: 1.414 },
      ],
    });
    expect(
      forecastCounts([0, 0, 0, 0, 0, 0, 0, 0, 0], 1, { frequency: 'daily', seasonalPeriods: [7] })
        .steps,
    ).toEqual([{ mean: 0, sd: 0 }]);
  });
});
