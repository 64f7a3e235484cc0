import { CausalInputError } from './errors.js';
import { binaryColumn, isBinary, requireColumns, requireRows } from './dataset.js';
import type { Dataset, Estimand } from './types.js';

/** Treatment, outcome and covariate columns, checked and ready for an estimator. */
export interface EffectSample {
  t: Float64Array;
  y: Float64Array;
  /** Covariate columns (one array per covariate). */
  X: Float64Array[];
  names: string[];
}

/** What one estimator returns before intervals and refutations are added. */
export interface RawEstimate {
  estimate: number;
  /** Standard error (analytic, from the influence function or robust sandwich). */
  se: number;
  /** Rows the estimate actually used (after trimming / caliper). */
  n: number;
  nTreated: number;
  nControl: number;
  details: Record<string, number>;
  warnings: string[];
}

/** An effect estimator over a prepared sample. @internal */
export type Estimator = (sample: EffectSample, estimand: Estimand) => RawEstimate;

/**
 * Builds the sample for an effect question, refusing missing columns, missing values,
 * non-binary or constant treatments and samples too small for the covariates.
 *
 * @example
 * const s = prepareSample(data, 'promo', 'revenue', ['season']);
 * s.t.length; // rows
 * @internal
 */
export function prepareSample(
  data: Dataset,
  treatment: string,
  outcome: string,
  covariates: string[],
): EffectSample {
  if (treatment === outcome)
    throw new CausalInputError(
      'invalid_argument',
      `treatment and outcome are the same column "${treatment}"`,
    );
  const clash = covariates.find((c) => c === treatment || c === outcome);
  if (clash)
    throw new CausalInputError(
      'invalid_argument',
      `covariate "${clash}" is the treatment or the outcome`,
      { field: clash },
    );
  const n = requireColumns(data, [treatment, outcome, ...covariates]);
  requireRows(n, covariates.length + 2, 'effect estimation');
  const t = binaryColumn(data, treatment);
  let treated = 0;
  for (let i = 0; i < n; i++) treated += t[i]!;
  if (treated < 3 || n - treated < 3) {
    throw new CausalInputError(
      'too_few_rows',
      `need at least 3 treated and 3 untreated rows; got ${treated} treated and ${n - treated} untreated`,
      {
        field: treatment,
      },
    );
  }
  const y = Float64Array.from(data[outcome] as number[]);
  return {
    t,
    y,
    X: covariates.map((c) => Float64Array.from(data[c] as number[])),
    names: [...covariates],
  };
}

/**
 * Adds the usual flexible terms for propensity and outcome models: a square of every
 * non-binary covariate and, for non-negative covariates with a real mass at zero (5–95 %
 * zeros, e.g. earnings), an "is zero" indicator (Dehejia & Wahba 1999: age², educ²,
 * re74², re75², u74, u75).
 *
 * @example
 * expandCovariates(sample).names; // ['age', 're74', 'age^2', 're74^2', 're74==0']
 * @internal
 */
export function expandCovariates(sample: EffectSample): EffectSample {
  const X = [...sample.X];
  const names = [...sample.names];
  const zeroIndicators: Array<[string, Float64Array]> = [];
  sample.X.forEach((col, j) => {
    if (isBinary(col)) return;
    const name = sample.names[j] as string;
    X.push(col.map((v) => v * v));
    names.push(`${name}^2`);
    let zeros = 0;
    let negative = false;
    for (let i = 0; i < col.length; i++) {
      if (col[i] === 0) zeros++;
      if (col[i]! < 0) negative = true;
    }
    const share = zeros / col.length;
    if (!negative && share >= 0.05 && share <= 0.95)
      zeroIndicators.push([`${name}==0`, col.map((v) => (v === 0 ? 1 : 0))]);
  });
  for (const [name, col] of zeroIndicators) {
    names.push(name);
    X.push(col);
  }
  return { t: sample.t, y: sample.y, X, names };
}

/**
 * Keeps only the rows where `keep[i]` is true.
 * @internal
 */
export function subsetSample(sample: EffectSample, keep: ArrayLike<boolean>): EffectSample {
  const idx: number[] = [];
  for (let i = 0; i < sample.t.length; i++) if (keep[i]) idx.push(i);
  const pick = (col: Float64Array): Float64Array => Float64Array.from(idx, (i) => col[i]!);
  return { t: pick(sample.t), y: pick(sample.y), X: sample.X.map(pick), names: sample.names };
}

/**
 * Rows of a sample at the given indices (repeats allowed: bootstrap).
 * @internal
 */
export function takeRows(sample: EffectSample, idx: ArrayLike<number>): EffectSample {
  const pick = (col: Float64Array): Float64Array =>
    Float64Array.from({ length: idx.length }, (_, k) => col[idx[k] as number]!);
  return { t: pick(sample.t), y: pick(sample.y), X: sample.X.map(pick), names: sample.names };
}

/**
 * Counts of treated and untreated rows.
 * @internal
 */
export function armCounts(t: ArrayLike<number>): { nTreated: number; nControl: number } {
  let nTreated = 0;
  for (let i = 0; i < t.length; i++) nTreated += t[i] as number;
  return { nTreated, nControl: t.length - nTreated };
}
