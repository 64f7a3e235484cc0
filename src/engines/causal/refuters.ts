import { createRng } from '../shared/random.js';
import type { Rng } from '../shared/random.js';
import { variance } from './dataset.js';
import { intervalEValue, eValue } from './e-value.js';
import { formatAmount as fmt } from './format.js';
import type { EffectSample, RawEstimate } from './effect-sample.js';
import { takeRows } from './effect-sample.js';
import { twoSidedP } from './normal.js';
import type { Interval, Refutation } from './types.js';

/** How many re-estimates each refuter runs, and the sensitivity threshold. */
export interface RefuterOptions {
  /** Placebo permutations (default 20). */
  placeboRuns?: number;
  /** Random-common-cause runs (default 5). */
  randomCauseRuns?: number;
  /** Data-subset runs (default 10) and the kept fraction (default 0.8). */
  subsetRuns?: number;
  subsetFraction?: number;
  /** E-value the interval limit must reach to pass the unobserved-confounder check (default 1.25). */
  minEValue?: number;
  seed?: number;
}

/**
 * Runs the four DoWhy-style refuters against an estimate: placebo treatment, random
 * common cause, data subset and an E-value sensitivity analysis. Each returns pass/fail
 * with the numbers behind it. `estimator` re-runs the same method on a modified sample.
 *
 * Rules: placebo passes when placebo effects centre on zero (|mean| ≤ 2.5·sd/√runs) and
 * the real estimate stands out from them (p < 0.05); random common cause passes when an
 * added noise covariate moves the estimate by at most half a standard error; data subset
 * passes when 80 % subsets agree with the full estimate within half a standard error and
 * (for a significant estimate) ≥ 80 % keep its sign; the confounder check passes when the
 * interval's E-value reaches `minEValue`.
 *
 * @example
 * refuteEstimate(sample, (s) => doublyRobust(s, 'ate'), raw, [lo, hi]).map((r) => r.passed);
 */
export function refuteEstimate(
  sample: EffectSample,
  estimator: (s: EffectSample) => RawEstimate,
  original: RawEstimate,
  interval: Interval,
  options: RefuterOptions = {},
): Refutation[] {
  const rng = createRng(options.seed ?? 20240601);
  return [
    placeboTreatment(sample, estimator, original, options.placeboRuns ?? 20, rng),
    randomCommonCause(sample, estimator, original, options.randomCauseRuns ?? 5, rng),
    dataSubset(
      sample,
      estimator,
      original,
      options.subsetRuns ?? 10,
      options.subsetFraction ?? 0.8,
      rng,
    ),
    unobservedConfounder(sample, original, interval, options.minEValue ?? 1.25),
  ];
}

function placeboTreatment(
  sample: EffectSample,
  estimator: (s: EffectSample) => RawEstimate,
  original: RawEstimate,
  runs: number,
  rng: Rng,
): Refutation {
  const effects = repeat(runs, () => {
    const t = shuffle(sample.t, rng);
    return estimator({ ...sample, t }).estimate;
  });
  const m = avg(effects);
  const sd = Math.sqrt(variance(effects));
  const centred = Math.abs(m) <= (2.5 * sd) / Math.sqrt(Math.max(1, effects.length));
  const p = sd > 0 ? twoSidedP(original.estimate / sd) : original.estimate === 0 ? 1 : 0;
  const passed = effects.length > 1 && centred && p < 0.05;
  return {
    name: 'placebo_treatment',
    passed,
    newEffect: m,
    details: { runs: effects.length, placebo_mean: m, placebo_sd: sd, p_value: p },
    summary: passed
      ? `with the treatment randomly shuffled the effect vanishes (mean ${fmt(m)}), and the real estimate stands out (p = ${p.toFixed(3)})`
      : centred
        ? `the real estimate does not stand out from shuffled-treatment placebos (p = ${p.toFixed(3)}): it could be chance`
        : `shuffled treatments still show an effect (mean ${fmt(m)}): the method itself invents effects here`,
  };
}

function randomCommonCause(
  sample: EffectSample,
  estimator: (s: EffectSample) => RawEstimate,
  original: RawEstimate,
  runs: number,
  rng: Rng,
): Refutation {
  const effects = repeat(runs, () => {
    const noise = Float64Array.from(sample.t, () => rng.normal());
    return estimator({
      ...sample,
      X: [...sample.X, noise],
      names: [...sample.names, '_random_common_cause'],
    }).estimate;
  });
  const shifts = effects.map((e) => Math.abs(e - original.estimate));
  const maxShift = Math.max(0, ...shifts);
  const passed = effects.length > 0 && maxShift <= 0.5 * original.se;
  return {
    name: 'random_common_cause',
    passed,
    newEffect: avg(effects),
    details: {
      runs: effects.length,
      max_shift: maxShift,
      max_shift_in_se: original.se > 0 ? maxShift / original.se : 0,
    },
    summary: passed
      ? `adding a random covariate leaves the estimate in place (largest move ${fmt(maxShift)})`
      : `adding a random covariate moves the estimate by up to ${fmt(maxShift)}: the estimate is unstable`,
  };
}

function dataSubset(
  sample: EffectSample,
  estimator: (s: EffectSample) => RawEstimate,
  original: RawEstimate,
  runs: number,
  fraction: number,
  rng: Rng,
): Refutation {
  const n = sample.t.length;
  const size = Math.max(2, Math.round(n * fraction));
  const effects = repeat(runs, () => {
    const idx = shuffle(
      Float64Array.from({ length: n }, (_, i) => i),
      rng,
    ).subarray(0, size);
    return estimator(takeRows(sample, idx)).estimate;
  });
  const m = avg(effects);
  const shift = Math.abs(m - original.estimate);
  const significant = Math.abs(original.estimate) > 1.96 * original.se;
  const sameSign =
    effects.filter((e) => Math.sign(e) === Math.sign(original.estimate)).length /
    Math.max(1, effects.length);
  const passed =
    effects.length > 1 && shift <= 0.5 * original.se && (!significant || sameSign >= 0.8);
  return {
    name: 'data_subset',
    passed,
    newEffect: m,
    details: {
      runs: effects.length,
      fraction,
      subset_mean: m,
      subset_sd: Math.sqrt(variance(effects)),
      same_sign_share: sameSign,
    },
    summary: passed
      ? `random ${Math.round(fraction * 100)} % subsets agree (mean ${fmt(m)})`
      : `random ${Math.round(fraction * 100)} % subsets disagree (mean ${fmt(m)}, ${Math.round(sameSign * 100)} % same sign)`,
  };
}

function unobservedConfounder(
  sample: EffectSample,
  original: RawEstimate,
  interval: Interval,
  minEValue: number,
): Refutation {
  const sd = Math.sqrt(variance(sample.y));
  const point = eValue(original.estimate, sd);
  const limit = intervalEValue(interval, sd);
  const passed = limit >= minEValue;
  return {
    name: 'unobserved_confounder',
    passed,
    details: {
      e_value: point,
      e_value_interval: limit,
      threshold: minEValue,
      standardized_effect: sd > 0 ? original.estimate / sd : 0,
    },
    summary: passed
      ? `a hidden confounder would need risk ratios of ${point.toFixed(2)} with both treatment and outcome to explain the effect away (${limit.toFixed(2)} to reach the interval's edge)`
      : limit <= 1
        ? 'the interval already includes no effect: no hidden confounder is needed to explain it away'
        : `a weak hidden confounder (risk ratio ${limit.toFixed(2)}) could move the interval to no effect`,
  };
}

/** Runs `fn` `times` times, skipping runs that throw (e.g. a subset without treated rows). */
function repeat(times: number, fn: () => number): number[] {
  const out: number[] = [];
  for (let k = 0; k < times; k++) {
    try {
      const v = fn();
      if (Number.isFinite(v)) out.push(v);
    } catch {
      // A resample the estimator cannot handle carries no information about the estimate.
    }
  }
  return out;
}

/**
 * Fisher–Yates shuffle (copy).
 * @internal
 */
export function shuffle(values: Float64Array, rng: Rng): Float64Array {
  const out = Float64Array.from(values);
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const tmp = out[i]!;
    out[i] = out[j]!;
    out[j] = tmp;
  }
  return out;
}

function avg(values: number[]): number {
  return values.length > 0 ? values.reduce((a, b) => a + b, 0) / values.length : 0;
}
