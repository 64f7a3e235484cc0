import { armCounts } from './effect-sample.js';
import type { EffectSample, RawEstimate } from './effect-sample.js';
import { fitLinear, predictLinear } from './linear-model.js';
import type { Estimand } from './types.js';

/**
 * Regression adjustment for the asked estimand (Lin 2013): OLS of the outcome on the
 * treatment, the covariates centred on the target population (everyone for the ATE, the
 * treated for the ATT) and their interactions with the treatment. The treatment
 * coefficient is then the ATE or ATT — the same number as imputing each row's missing
 * outcome from arm-specific regressions — with an HC1 robust standard error.
 *
 * @example
 * regressionAdjustment(sample, 'att').estimate; // mean over treated of y − m₀(x)
 * @internal
 */
export function regressionAdjustment(sample: EffectSample, estimand: Estimand): RawEstimate {
  const { t } = sample;
  const n = t.length;
  const centred = sample.X.map((col) => {
    let s = 0;
    let c = 0;
    for (let i = 0; i < n; i++) {
      if (estimand === 'ate' || t[i] === 1) {
        s += col[i]!;
        c++;
      }
    }
    const m = s / c;
    return col.map((v) => v - m);
  });
  const interactions = centred.map((col) => col.map((v, i) => v * t[i]!));
  const fit = fitLinear([t, ...centred, ...interactions], sample.y);
  return {
    estimate: fit.coef[1] as number,
    se: fit.se[1] as number,
    n,
    ...armCounts(t),
    details: { r2: fit.r2 },
    warnings: collinearWarning(fit.dropped, [
      'treatment',
      ...sample.names,
      ...sample.names.map((c) => `treatment×${c}`),
    ]),
  };
}

/**
 * Plain OLS of the outcome on the treatment and the covariates: the treatment coefficient
 * with its HC1 robust standard error. Assumes one constant effect, so it gives the same
 * number for ATE and ATT (and is biased for both when effects differ across rows).
 *
 * @example
 * constantEffectOls(sample).estimate; // coefficient on the treatment
 * @internal
 */
export function constantEffectOls(sample: EffectSample): RawEstimate {
  const fit = fitLinear([sample.t, ...sample.X], sample.y);
  const warnings = collinearWarning(fit.dropped, ['treatment', ...sample.names]);
  return {
    estimate: fit.coef[1] as number,
    se: fit.se[1] as number,
    n: sample.t.length,
    ...armCounts(sample.t),
    details: { r2: fit.r2 },
    warnings,
  };
}

function collinearWarning(dropped: number[], names: string[]): string[] {
  return dropped.length > 0
    ? [`dropped collinear term(s): ${dropped.map((j) => names[j]).join(', ')}`]
    : [];
}

/**
 * Outcome models fitted separately on treated and untreated rows (optionally weighted),
 * each predicted for every row: m1(x) and m0(x).
 * @internal
 */
export function armOutcomeModels(
  sample: EffectSample,
  weights?: ArrayLike<number>,
): { m1: Float64Array; m0: Float64Array } {
  const n = sample.t.length;
  const fitArm = (arm: number): Float64Array => {
    const idx: number[] = [];
    for (let i = 0; i < n; i++) if (sample.t[i] === arm) idx.push(i);
    const cols = sample.X.map((c) => Float64Array.from(idx, (i) => c[i]!));
    const y = Float64Array.from(idx, (i) => sample.y[i]!);
    const w = weights ? Float64Array.from(idx, (i) => weights[i] as number) : undefined;
    const fit = fitLinear(cols, y, w, { covariance: false });
    return predictLinear(fit.coef, sample.X, n);
  };
  return { m1: fitArm(1), m0: fitArm(0) };
}
