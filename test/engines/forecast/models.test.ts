import { describe, expect, it } from 'vitest';
import {
  deseasonalise,
  driftForecast,
  etsFilter,
  etsForecast,
  fitEts,
  fitTheta,
  intermittentForecast,
  isSeasonal,
  naive2Forecast,
  naiveForecast,
  seasonalIndices,
  seasonalMeanForecast,
  seasonalNaiveForecast,
  thetaForecast,
  zeroShare,
} from '../../../src/engines/forecast/index.js';

describe('naive family', () => {
  it('naive, seasonal naive, drift, seasonal mean', () => {
    expect(naiveForecast([1, 2, 3], 2)).toEqual([3, 3]);
    expect(seasonalNaiveForecast([1, 2, 3, 4], 3, 2)).toEqual([3, 4, 3]);
    expect(seasonalNaiveForecast([1, 2], 2, 4)).toEqual([2, 2]); // shorter than a season → naive
    expect(driftForecast([1, 2, 3], 2)).toEqual([4, 5]);
    expect(seasonalMeanForecast([1, 2, 3, 4], 2, 2, 2)).toEqual([2, 3]);
  });

  it('Naive2 equals naive without seasonality and re-seasonalises with it', () => {
    expect(naive2Forecast([5, 6, 7, 8], 2, 1)).toEqual([8, 8]);
    // a clean period-4 pattern ×(0.5, 1, 1.5, 1) on a flat level of 10, 6 seasons long
    const pattern = [0.5, 1, 1.5, 1];
    const y = Array.from({ length: 24 }, (_, t) => 10 * (pattern[t % 4] as number));
    expect(isSeasonal(y, 4)).toBe(true);
    const f = naive2Forecast(y, 4, 4);
    // last value 10 (index factor 1) → level 10; forecasts follow the pattern from t = 24
    f.forEach((v, h) => expect(v).toBeCloseTo(10 * (pattern[h % 4] as number), 6));
  });
});

describe('classical decomposition and the 90% seasonality test', () => {
  it('indices of a pure multiplicative pattern', () => {
    const idx = seasonalIndices([1, 3, 1, 3, 1, 3, 1, 3], 2);
    expect(idx[0]).toBeCloseTo(0.5, 10);
    expect(idx[1]).toBeCloseTo(1.5, 10);
  });

  it('white noise is not seasonal; a sine is', () => {
    const sine = Array.from({ length: 96 }, (_, t) => 10 + Math.sin((2 * Math.PI * t) / 12));
    expect(isSeasonal(sine, 12)).toBe(true);
    const trend = Array.from({ length: 96 }, (_, t) => t);
    expect(isSeasonal(trend.slice(0, 20), 12)).toBe(false); // fewer than 3 seasons
    expect(deseasonalise(trend.slice(0, 20), 12).seasonal).toBe(false);
  });
});

describe('exponential smoothing', () => {
  it('SES with α fixed follows ℓ_t = ℓ_{t−1} + α(y_t − ℓ_{t−1})', () => {
    const fit = etsFilter([1, 2, 3], 'none', { alpha: 0.5, beta: 0, phi: 1, level0: 1, trend0: 0 });
    // ℓ: 1 → 1 → 1.5 → 2.25; one-step errors 0, 1, 1.5
    expect(fit.level).toBeCloseTo(2.25, 12);
    expect(fit.residuals).toEqual([0, 1, 1.5]);
    expect(etsForecast(fit, 2)).toEqual([2.25, 2.25]);
  });

  it('damped trend sums φ + φ² + … + φʰ', () => {
    const fit = {
      trend: 'damped' as const,
      params: { alpha: 0.5, beta: 0.1, phi: 0.9, level0: 0, trend0: 0 },
      level: 10,
      slope: 2,
      residuals: [],
      sse: 0,
    };
    expect(etsForecast(fit, 2)).toEqual([10 + 0.9 * 2, 10 + (0.9 + 0.81) * 2]);
  });

  it('Holt fits a straight line exactly; SES fits a constant', () => {
    const line = Array.from({ length: 20 }, (_, t) => 10 + 2 * t);
    const f = etsForecast(fitEts(line, 'additive'), 3);
    f.forEach((v, h) => expect(v).toBeCloseTo(10 + 2 * (20 + h), 3));
    expect(etsForecast(fitEts([4, 4, 4, 4, 4], 'none'), 1)[0]).toBeCloseTo(4, 6);
  });
});

describe('Theta', () => {
  it('on a straight line: SES tracks the last value, plus half the slope per step', () => {
    const line = Array.from({ length: 8 }, (_, t) => t + 1);
    const fit = fitTheta(line);
    expect(fit.drift).toBeCloseTo(0.5, 12);
    expect(fit.alpha).toBeGreaterThan(0.99);
    const f = thetaForecast(fit, 2);
    expect(f[0]).toBeCloseTo(8.5, 2);
    expect(f[1]).toBeCloseTo(9, 2);
  });

  it('uses R thetaf’s drift term b/2·((h − 1) + (1 − (1 − α)ⁿ)/α)', () => {
    const f = thetaForecast({ alpha: 0.5, level: 10, drift: 1, n: 2 }, 2);
    // (1 − 0.25)/0.5 = 1.5 → 11.5, 12.5
    expect(f).toEqual([11.5, 12.5]);
  });
});

describe('intermittent demand', () => {
  const y = [0, 2, 0, 0, 4];
  it('Croston: sizes and intervals smoothed at demand periods', () => {
    // z: 2 → 3; p: 2 → 2.5 (α = 0.5) → 1.2
    expect(intermittentForecast(y, 2, 'croston', 0.5)).toEqual([1.2, 1.2]);
  });
  it('SBA multiplies by 1 − α/2', () => {
    expect(intermittentForecast(y, 1, 'sba', 0.5)[0]).toBeCloseTo(1.2 * 0.75, 12);
  });
  it('TSB smooths the demand probability every period', () => {
    // p0 = 1/2, z0 = 2; t2: p = 0.45; t3: p = 0.405; t4: p = 0.4645, z = 2.2 → 1.0219
    expect(intermittentForecast(y, 1, 'tsb', 0.1, 0.1)[0]).toBeCloseTo(0.4645 * 2.2, 12);
  });
  it('no demand forecasts zero; zero share', () => {
    expect(intermittentForecast([0, 0, 0], 2, 'croston')).toEqual([0, 0]);
    expect(zeroShare([0, 1, 0, 3])).toBe(0.5);
  });
});
