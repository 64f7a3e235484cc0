import type { EffectSample } from './effect-sample.js';
import { fitLogistic } from './logistic-model.js';

/**
 * Logistic propensity scores P(treated | covariates) for every row.
 *
 * @example
 * propensityScores(sample); // Float64Array of probabilities
 * @internal
 */
export function propensityScores(sample: EffectSample): Float64Array {
  return fitLogistic(sample.X, sample.t, { names: sample.names }).probabilities;
}

/**
 * Crump, Hotz, Imbens & Mitnik (2009) optimal trimming threshold α for the ATE: keep
 * rows with α ≤ e ≤ 1 − α where α solves 1/(α(1−α)) = 2·E[1/(e(1−e)) | kept];
 * α = 0 when no trimming is needed.
 *
 * @example
 * crumpThreshold(scores); // e.g. 0.07
 * @internal
 */
export function crumpThreshold(e: ArrayLike<number>): number {
  const g = Array.from(e, (p) => 1 / Math.max(p * (1 - p), 1e-12)).sort((a, b) => a - b);
  const maxG = g[g.length - 1] as number;
  let total = 0;
  for (const v of g) total += v;
  if (maxG <= 2 * (total / g.length)) return 0;
  let cum = 0;
  for (let k = 0; k < g.length; k++) {
    cum += g[k] as number;
    const gamma = g[k] as number;
    if (gamma >= (2 * cum) / (k + 1)) {
      // γ = 1/(α(1−α)) → α = ½ − √(¼ − 1/γ)
      return 0.5 - Math.sqrt(Math.max(0, 0.25 - 1 / gamma));
    }
  }
  return 0;
}

/**
 * Clamps propensity scores away from 0 and 1 (numerical guard only, not trimming).
 * @internal
 */
export function clampScores(e: Float64Array, eps = 1e-6): Float64Array {
  return e.map((p) => Math.min(1 - eps, Math.max(eps, p)));
}
