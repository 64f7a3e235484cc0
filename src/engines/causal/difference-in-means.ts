import { mean, variance } from './dataset.js';
import { armCounts } from './effect-sample.js';
import type { EffectSample, RawEstimate } from './effect-sample.js';

/**
 * Difference in mean outcomes, treated minus untreated, with the Welch (unequal
 * variance) standard error. Unbiased for ATE and ATT only when treatment was randomised.
 *
 * @example
 * differenceInMeans(sample).estimate; // ȳ₁ − ȳ₀
 * @internal
 */
export function differenceInMeans(sample: EffectSample): RawEstimate {
  const y1: number[] = [];
  const y0: number[] = [];
  sample.t.forEach((t, i) => (t === 1 ? y1 : y0).push(sample.y[i]!));
  const estimate = mean(y1) - mean(y0);
  const se = Math.sqrt(variance(y1) / y1.length + variance(y0) / y0.length);
  return {
    estimate,
    se,
    n: sample.t.length,
    ...armCounts(sample.t),
    details: { mean_treated: mean(y1), mean_control: mean(y0) },
    warnings: [],
  };
}
