import { armCounts } from './effect-sample.js';
import type { EffectSample, RawEstimate } from './effect-sample.js';
import { sdOverRootN } from './influence.js';
import { weightDiagnostics, weightWarnings } from './inverse-propensity.js';
import { clampScores, propensityScores } from './propensity.js';
import { armOutcomeModels } from './regression-adjustment.js';
import type { Estimand } from './types.js';

/**
 * Augmented inverse propensity weighting (doubly robust): arm-specific OLS outcome
 * models corrected by propensity-weighted residuals. Consistent when either the outcome
 * models or the propensity model is right. ATE: ψ = m₁ − m₀ + t(y − m₁)/e − (1−t)(y − m₀)/(1−e).
 * ATT: mean over treated of (y − m₀) minus the odds-weighted (e/(1−e)) mean of untreated
 * residuals y − m₀ (normalised weights). Standard error from the influence function.
 *
 * @example
 * doublyRobust(sample, 'ate').estimate;
 * @internal
 */
export function doublyRobust(
  sample: EffectSample,
  estimand: Estimand,
  scores?: Float64Array,
): RawEstimate {
  const e = clampScores(scores ?? propensityScores(sample));
  const { t, y } = sample;
  const n = t.length;
  const { m1, m0 } = armOutcomeModels(sample);
  const w1 = new Float64Array(n);
  const w0 = new Float64Array(n);
  const phi = new Float64Array(n);
  let estimate: number;
  if (estimand === 'ate') {
    let s1 = 0;
    let s0 = 0;
    for (let i = 0; i < n; i++) {
      if (t[i] === 1) s1 += w1[i] = 1 / e[i]!;
      else s0 += w0[i] = 1 / (1 - e[i]!);
    }
    // Normalised residual weights (Hájek-type augmentation) keep the estimate bounded.
    for (let i = 0; i < n; i++) {
      phi[i] =
        m1[i]! -
        m0[i]! +
        (n * w1[i]! * (y[i]! - m1[i]!)) / s1 -
        (n * w0[i]! * (y[i]! - m0[i]!)) / s0;
    }
    estimate = phi.reduce((a, b) => a + b, 0) / n;
  } else {
    let s0 = 0;
    let n1 = 0;
    for (let i = 0; i < n; i++) {
      if (t[i] === 1) {
        w1[i] = 1;
        n1++;
      } else s0 += w0[i] = e[i]! / (1 - e[i]!);
    }
    let treatedPart = 0;
    let controlPart = 0;
    for (let i = 0; i < n; i++) {
      const r = y[i]! - m0[i]!;
      if (t[i] === 1) treatedPart += r / n1;
      else controlPart += (w0[i]! * r) / s0;
    }
    estimate = treatedPart - controlPart;
    for (let i = 0; i < n; i++) {
      const r = y[i]! - m0[i]!;
      phi[i] = t[i] === 1 ? (n / n1) * (r - treatedPart) : -(n / s0) * w0[i]! * (r - controlPart);
    }
  }
  return {
    estimate,
    se: sdOverRootN(phi),
    n,
    ...armCounts(t),
    details: weightDiagnostics(w1, w0, e, t),
    warnings: weightWarnings(w1, w0),
  };
}
