import { linearTrend } from '../numeric.js';
import { etsForecast, fitEts } from './exponential-smoothing.js';

/** A fitted standard Theta model (Assimakopoulos & Nikolopoulos, 2000; Hyndman & Billah, 2003). */
export interface ThetaFit {
  alpha: number;
  level: number;
  /** Half of the OLS slope of the series on time (the θ = 0 line's drift, weighted ½). */
  drift: number;
  n: number;
}

/**
 * Fits the standard Theta method: SES (α and ℓ₀ by least squares) plus half the linear-trend
 * slope, i.e. SES with drift. Input should already be seasonally adjusted.
 *
 * @example
 * thetaForecast(fitTheta([1, 2, 3, 4, 5, 6, 7, 8]), 2); // ≈ [8.5, 9]: last value + half the slope per step
 */
export function fitTheta(values: readonly number[]): ThetaFit {
  const ses = fitEts(values, 'none');
  return {
    alpha: ses.params.alpha,
    level: ses.level,
    drift: linearTrend(values).slope / 2,
    n: values.length,
  };
}

/**
 * Theta point forecasts: ŷ(h) = ℓ + b/2 · ((h − 1) + (1 − (1 − α)ⁿ)/α), as R's `thetaf`.
 *
 * @example
 * thetaForecast({ alpha: 1, level: 8, drift: 0.5, n: 8 }, 2); // [8.5, 9]
 */
export function thetaForecast(fit: ThetaFit, horizon: number): number[] {
  const a = Math.max(fit.alpha, 1e-4);
  const shift = (1 - (1 - a) ** fit.n) / a;
  return etsForecast(
    {
      trend: 'none',
      params: { alpha: a, beta: 0, phi: 1, level0: fit.level, trend0: 0 },
      level: fit.level,
      slope: 0,
      residuals: [],
      sse: 0,
    },
    horizon,
  ).map((l, h) => l + fit.drift * (h + shift));
}
