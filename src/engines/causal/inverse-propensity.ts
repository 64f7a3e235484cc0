import { armCounts } from './effect-sample.js';
import type { EffectSample, RawEstimate } from './effect-sample.js';
import { sdOverRootN } from './influence.js';
import { clampScores, propensityScores } from './propensity.js';
import type { Estimand } from './types.js';

/**
 * Inverse propensity weighting with normalised (Hájek) weights: 1/e and 1/(1−e) for the
 * ATE; 1 and e/(1−e) for the ATT. Standard error from the influence function.
 *
 * @example
 * inversePropensity(sample, 'att').estimate;
 * @internal
 */
export function inversePropensity(
  sample: EffectSample,
  estimand: Estimand,
  scores?: Float64Array,
): RawEstimate {
  const e = clampScores(scores ?? propensityScores(sample));
  const { t, y } = sample;
  const n = t.length;
  const w1 = new Float64Array(n);
  const w0 = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const p = e[i]!;
    if (t[i] === 1) w1[i] = estimand === 'ate' ? 1 / p : 1;
    else w0[i] = estimand === 'ate' ? 1 / (1 - p) : p / (1 - p);
  }
  const s1 = sum(w1);
  const s0 = sum(w0);
  let mu1 = 0;
  let mu0 = 0;
  for (let i = 0; i < n; i++) {
    mu1 += (w1[i]! * y[i]!) / s1;
    mu0 += (w0[i]! * y[i]!) / s0;
  }
  const phi = new Float64Array(n);
  for (let i = 0; i < n; i++)
    phi[i] = (n * w1[i]! * (y[i]! - mu1)) / s1 - (n * w0[i]! * (y[i]! - mu0)) / s0;
  return {
    estimate: mu1 - mu0,
    se: sdOverRootN(phi),
    n,
    ...armCounts(t),
    details: {
      weighted_mean_treated: mu1,
      weighted_mean_control: mu0,
      ...weightDiagnostics(w1, w0, e, t),
    },
    warnings: weightWarnings(w1, w0),
  };
}

/**
 * Effective sample sizes and propensity ranges for the weight diagnostics.
 * @internal
 */
export function weightDiagnostics(
  w1: Float64Array,
  w0: Float64Array,
  e: Float64Array,
  t: Float64Array,
): Record<string, number> {
  let minT = 1;
  let maxT = 0;
  let minC = 1;
  let maxC = 0;
  for (let i = 0; i < t.length; i++) {
    if (t[i] === 1) {
      minT = Math.min(minT, e[i]!);
      maxT = Math.max(maxT, e[i]!);
    } else {
      minC = Math.min(minC, e[i]!);
      maxC = Math.max(maxC, e[i]!);
    }
  }
  return {
    ess_treated: ess(w1),
    ess_control: ess(w0),
    propensity_min_treated: minT,
    propensity_max_treated: maxT,
    propensity_min_control: minC,
    propensity_max_control: maxC,
  };
}

/**
 * Warns when a handful of rows carry the weighted comparison.
 * @internal
 */
export function weightWarnings(w1: Float64Array, w0: Float64Array): string[] {
  const out: string[] = [];
  const n1 = w1.filter((w) => w > 0).length;
  const n0 = w0.filter((w) => w > 0).length;
  if (ess(w0) < Math.min(20, 0.1 * n0))
    out.push(
      `untreated weights are extreme: effective sample size ${ess(w0).toFixed(1)} of ${n0} rows (poor overlap)`,
    );
  if (ess(w1) < Math.min(20, 0.1 * n1))
    out.push(
      `treated weights are extreme: effective sample size ${ess(w1).toFixed(1)} of ${n1} rows (poor overlap)`,
    );
  return out;
}

/** Kish effective sample size (Σw)²/Σw². */
function ess(w: Float64Array): number {
  let s = 0;
  let s2 = 0;
  for (const v of w) {
    s += v;
    s2 += v * v;
  }
  return s2 > 0 ? (s * s) / s2 : 0;
}

function sum(a: Float64Array): number {
  let s = 0;
  for (const v of a) s += v;
  return s;
}
