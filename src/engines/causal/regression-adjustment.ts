import { armCounts } from './effect-sample.js';
import type { EffectSample, RawEstimate } from './effect-sample.js';
import { fitLinear, predictLinear } from './linear-model.js';

/**
 * Regression adjustment: OLS of the outcome on the treatment and the covariates; the
 * treatment coefficient with its HC1 robust standard error. Assumes one constant effect,
 * so it answers ATE and ATT with the same number.
 *
 * @example
 * regressionAdjustment(sample).estimate; // coefficient on the treatment
 * @internal
 */
export function regressionAdjustment(sample: EffectSample): RawEstimate {
  const fit = fitLinear([sample.t, ...sample.X], sample.y);
  const warnings = fit.dropped.length > 0 ? [`dropped collinear covariate(s): ${fit.dropped.map((j) => (j === 0 ? 'treatment' : sample.names[j - 1])).join(', ')}`] : [];
  return {
    estimate: fit.coef[1] as number,
    se: fit.se[1] as number,
    n: sample.t.length,
    ...armCounts(sample.t),
    details: { r2: fit.r2 },
    warnings,
  };
}

/**
 * Outcome models fitted separately on treated and untreated rows (optionally weighted),
 * each predicted for every row: m1(x) and m0(x).
 * @internal
 */
export function armOutcomeModels(sample: EffectSample, weights?: ArrayLike<number>): { m1: Float64Array; m0: Float64Array } {
  const n = sample.t.length;
  const fitArm = (arm: number): Float64Array => {
    const idx: number[] = [];
    for (let i = 0; i < n; i++) if (sample.t[i] === arm) idx.push(i);
    const cols = sample.X.map((c) => Float64Array.from(idx, (i) => c[i]!));
    const y = Float64Array.from(idx, (i) => sample.y[i]!);
    const w = weights ? Float64Array.from(idx, (i) => weights[i] as number) : undefined;
    const fit = fitLinear(cols, y, w);
    return predictLinear(fit.coef, sample.X, n);
  };
  return { m1: fitArm(1), m0: fitArm(0) };
}
