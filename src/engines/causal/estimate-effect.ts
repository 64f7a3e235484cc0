import { createRng } from '../shared/random.js';
import { differenceInMeans } from './difference-in-means.js';
import { doublyRobust } from './doubly-robust.js';
import {
  armCounts,
  expandCovariates,
  prepareSample,
  subsetSample,
  takeRows,
} from './effect-sample.js';
import type { EffectSample, RawEstimate } from './effect-sample.js';
import { CausalInputError } from './errors.js';
import { formatAmount as num, formatSigned as signed } from './format.js';
import { frontdoorEffect } from './frontdoor.js';
import { descendantsOf } from './graph.js';
import { identifyEffect } from './identification.js';
import { inversePropensity } from './inverse-propensity.js';
import { normalQuantile } from './normal.js';
import { propensityScores } from './propensity.js';
import { propensityMatching } from './propensity-matching.js';
import { refuteEstimate } from './refuters.js';
import type { RefuterOptions } from './refuters.js';
import { constantEffectOls, regressionAdjustment } from './regression-adjustment.js';
import type {
  CausalGraph,
  Dataset,
  EffectMethod,
  Estimand,
  Interval,
  Refutation,
} from './types.js';

/** An effect question: which treatment, which outcome, adjusting for what. */
export interface EffectOptions {
  treatment: string;
  outcome: string;
  /** Columns to adjust for. Ignored when `graph` is given (the graph decides). */
  covariates?: string[];
  /** Causal graph: the adjustment set (or frontdoor mediators) is identified from it. */
  graph?: CausalGraph;
  /** Default 'ate'. */
  estimand?: Estimand;
  /** Default 'auto' (overlap-aware doubly robust). */
  method?: EffectMethod;
  /** Interval coverage, default 0.95. */
  confidence?: number;
  /** Bootstrap resamples for a percentile interval; 0 (default) = analytic interval. */
  bootstrap?: number;
  /** Run the refuters (default true) and how. */
  refute?: boolean | RefuterOptions;
  /** Seed for refuters and bootstrap (default fixed): same input, same answer. */
  seed?: number;
}

/** An estimated average effect with its interval, checks and a plain-language summary. */
export interface EffectResult {
  estimate: number;
  interval: Interval;
  se: number;
  confidence: number;
  estimand: Estimand;
  /** The method asked for. */
  method: EffectMethod | 'frontdoor';
  /** The estimator that produced the number ('auto' resolves to one of these). */
  methodUsed:
    | 'difference'
    | 'ols'
    | 'ols_constant'
    | 'ipw'
    | 'aipw'
    | 'matching'
    | 'aipw_overlap'
    | 'frontdoor';
  adjustmentSet: string[];
  identification: string;
  n: number;
  nTreated: number;
  nControl: number;
  details: Record<string, number>;
  warnings: string[];
  refutations: Refutation[];
  summary: string;
}

/**
 * Estimates the average effect of a 0/1 treatment on an outcome: identification from
 * the graph (or the given covariates), the chosen estimator, an interval (analytic or
 * seeded bootstrap) and the refuters. `method: 'auto'` is doubly robust (AIPW) with
 * flexible covariate terms and overlap handling: for the ATT rows outside the common
 * propensity support or with propensity > 0.9 are dropped; for the ATE scores are clipped.
 *
 * @example
 * const r = estimateEffect(data, { treatment: 'treat', outcome: 're78', covariates: ['age', 'educ'], estimand: 'att' });
 * r.estimate; r.interval; r.refutations.every((x) => x.passed);
 */
export function estimateEffect(data: Dataset, options: EffectOptions): EffectResult {
  const estimand = options.estimand ?? 'ate';
  const method = options.method ?? 'auto';
  if (estimand !== 'ate' && estimand !== 'att')
    throw new CausalInputError(
      'invalid_argument',
      `estimand must be "ate" or "att", got "${String(estimand)}"`,
    );
  if (!METHODS.includes(method))
    throw new CausalInputError(
      'invalid_argument',
      `method must be one of ${METHODS.join(', ')}; got "${String(method)}"`,
    );
  const confidence = options.confidence ?? 0.95;
  if (!(confidence > 0 && confidence < 1))
    throw new CausalInputError(
      'invalid_argument',
      `confidence must be between 0 and 1, got ${confidence}`,
    );
  const { treatment, outcome } = options;
  let covariates = options.covariates ?? [];
  let identification =
    covariates.length > 0
      ? `adjusting for the given covariates: ${covariates.join(', ')}`
      : 'no adjustment (treatment assumed randomised)';
  let estimator: (s: EffectSample) => RawEstimate;
  let methodUsed: EffectResult['methodUsed'];
  let sample: EffectSample;
  const graphWarnings: string[] = [];
  if (options.graph) {
    const unobserved = options.graph.nodes.map((n) => n.id).filter((id) => !(id in data));
    const id = identifyEffect(options.graph, treatment, outcome, unobserved);
    identification = id.explanation;
    if (id.kind === 'not_identifiable')
      throw new CausalInputError('not_identifiable', id.explanation, { field: treatment });
    if (id.kind === 'frontdoor') {
      sample = prepareSample(data, treatment, outcome, id.mediators);
      const result = finish(
        sample,
        (s) => frontdoorEffect(s.t, s.X, s.y),
        'frontdoor',
        'frontdoor',
        estimand,
        options,
        confidence,
      );
      return {
        ...result,
        adjustmentSet: [],
        identification,
        warnings: [
          ...result.warnings,
          'frontdoor estimate assumes linear relations; ATE and ATT coincide',
        ],
      };
    }
    covariates = id.adjustmentSet;
    if (!descendantsOf(options.graph, [treatment]).has(outcome)) {
      graphWarnings.push(
        `the graph has no directed path from ${treatment} to ${outcome}: it assumes the effect is zero, and the estimate tests that assumption`,
      );
    }
  }
  sample = prepareSample(data, treatment, outcome, covariates);
  switch (method) {
    case 'difference':
      estimator = differenceInMeans;
      methodUsed = 'difference';
      break;
    case 'ols':
      estimator = (s) => regressionAdjustment(s, estimand);
      methodUsed = 'ols';
      break;
    case 'ols_constant':
      estimator = constantEffectOls;
      methodUsed = 'ols_constant';
      break;
    case 'ipw':
      estimator = (s) => inversePropensity(s, estimand);
      methodUsed = 'ipw';
      break;
    case 'aipw':
      estimator = (s) => doublyRobust(s, estimand);
      methodUsed = 'aipw';
      break;
    case 'matching':
      estimator = (s) => propensityMatching(s, estimand);
      methodUsed = 'matching';
      break;
    default:
      estimator =
        sample.X.length === 0 ? differenceInMeans : (s) => overlapDoublyRobust(s, estimand);
      methodUsed = sample.X.length === 0 ? 'difference' : 'aipw_overlap';
  }
  const result = finish(sample, estimator, method, methodUsed, estimand, options, confidence);
  return {
    ...result,
    adjustmentSet: covariates,
    identification,
    warnings: [...graphWarnings, ...result.warnings],
  };
}

const METHODS: EffectMethod[] = [
  'difference',
  'ols',
  'ols_constant',
  'ipw',
  'aipw',
  'matching',
  'auto',
];

function finish(
  sample: EffectSample,
  estimator: (s: EffectSample) => RawEstimate,
  method: EffectResult['method'],
  methodUsed: EffectResult['methodUsed'],
  estimand: Estimand,
  options: EffectOptions,
  confidence: number,
): Omit<EffectResult, 'adjustmentSet' | 'identification'> {
  const raw = estimator(sample);
  if (!Number.isFinite(raw.estimate) || !Number.isFinite(raw.se)) {
    throw new CausalInputError(
      'no_overlap',
      `the ${methodUsed} estimate is not a finite number: treated and untreated rows are not comparable on these covariates`,
    );
  }
  const z = normalQuantile(0.5 + confidence / 2);
  let interval: Interval = [raw.estimate - z * raw.se, raw.estimate + z * raw.se];
  const seed = options.seed ?? 20240601;
  const details = { ...raw.details };
  if (options.bootstrap && options.bootstrap > 0) {
    interval =
      bootstrapInterval(sample, estimator, options.bootstrap, confidence, seed) ?? interval;
    details.bootstrap_runs = options.bootstrap;
  }
  const refuterOptions = typeof options.refute === 'object' ? options.refute : {};
  const refutations =
    options.refute === false
      ? []
      : refuteEstimate(sample, estimator, raw, interval, { seed, ...refuterOptions });
  const label = `${estimand.toUpperCase()}, ${METHOD_LABELS[methodUsed]}`;
  const passed = refutations.filter((r) => r.passed).length;
  const checks =
    refutations.length > 0 ? ` ${passed} of ${refutations.length} refutation checks passed.` : '';
  const pct = Math.round(confidence * 100);
  return {
    estimate: raw.estimate,
    interval,
    se: raw.se,
    confidence,
    estimand,
    method,
    methodUsed,
    n: raw.n,
    nTreated: raw.nTreated,
    nControl: raw.nControl,
    details,
    warnings: raw.warnings,
    refutations,
    summary: `Estimated effect (${label}): ${signed(raw.estimate)} (${pct}% interval ${num(interval[0])} to ${num(interval[1])}).${checks}`,
  };
}

const METHOD_LABELS: Record<EffectResult['methodUsed'], string> = {
  difference: 'difference in means',
  ols: 'regression adjustment',
  ols_constant: 'plain OLS (constant effect)',
  ipw: 'inverse propensity weighting',
  aipw: 'doubly robust',
  matching: 'propensity matching',
  aipw_overlap: 'doubly robust with overlap trimming',
  frontdoor: 'frontdoor adjustment',
};

/**
 * The `auto` estimator: AIPW on covariates expanded with squares and zero indicators.
 * ATT: restricted to the common propensity support (Dehejia & Wahba 1999) and to scores
 * ≤ 0.9 (controls there would get odds weights > 9, treated rows there have no comparable
 * controls), with the propensity re-fitted on that sample. ATE: every row is kept and the
 * scores are clipped to [0.01, 0.99], so the estimand stays the ATE of the whole sample.
 * @internal
 */
export function overlapDoublyRobust(sample: EffectSample, estimand: Estimand): RawEstimate {
  const expanded = expandCovariates(sample);
  if (expanded.X.length === sample.X.length) return overlapOn(sample, estimand, []);
  try {
    return overlapOn(expanded, estimand, []);
  } catch (err) {
    if (!(err instanceof CausalInputError && err.code === 'perfect_separation')) throw err;
    // The added flexible terms (not the caller's covariates) separate the arms: drop them.
    return overlapOn(sample, estimand, [
      'the squared and zero-indicator terms separate treated from untreated rows perfectly; used the covariates as given',
    ]);
  }
}

function overlapOn(x: EffectSample, estimand: Estimand, notes: string[]): RawEstimate {
  const e = propensityScores(x);
  let minT = 1;
  let maxC = 0;
  e.forEach((p, i) => {
    if (x.t[i] === 1) minT = Math.min(minT, p);
    else maxC = Math.max(maxC, p);
  });
  // ATT: only rows inside the treated/control common support with scores ≤ 0.9 (treated
  // rows need comparable controls; controls there would carry odds weights > 9). ATE: every
  // row stays (trimming would change the population the ATE is about); scores are clipped.
  const upper = estimand === 'att' ? Math.min(maxC, 0.9) : 1;
  const lower = estimand === 'att' ? minT : 0;
  const keep = Array.from(e, (p) => p >= lower && p <= upper);
  const sub = subsetSample(x, keep);
  const before = armCounts(x.t);
  const after = armCounts(sub.t);
  if (after.nTreated < 3 || after.nControl < 3) {
    throw new CausalInputError(
      'no_overlap',
      `treated and untreated rows barely overlap: only ${after.nTreated} treated and ${after.nControl} untreated rows share propensity scores`,
    );
  }
  // Re-estimate the propensity on the overlap sample (unchanged when nothing was dropped).
  const refit = sub.t.length === x.t.length ? e : propensityScores(sub);
  const scores = refit.map((p) => (estimand === 'ate' ? Math.min(0.99, Math.max(0.01, p)) : p));
  const raw = doublyRobust(sub, estimand, scores);
  const droppedTreated = before.nTreated - after.nTreated;
  const warnings = [...notes, ...raw.warnings];
  if (droppedTreated > 0) {
    warnings.push(
      `${droppedTreated} treated row(s) without comparable untreated rows were left out: the effect is for the ${after.nTreated} treated rows with overlap`,
    );
  }
  return {
    ...raw,
    details: {
      ...raw.details,
      dropped_treated: droppedTreated,
      dropped_control: before.nControl - after.nControl,
      model_terms: x.names.length,
    },
    warnings,
  };
}

/** Seeded percentile bootstrap, resampling treated and untreated rows separately. */
function bootstrapInterval(
  sample: EffectSample,
  estimator: (s: EffectSample) => RawEstimate,
  runs: number,
  confidence: number,
  seed: number,
): Interval | undefined {
  const rng = createRng(seed ^ 0x5bd1e995);
  const treated: number[] = [];
  const control: number[] = [];
  sample.t.forEach((t, i) => (t === 1 ? treated : control).push(i));
  const draws: number[] = [];
  for (let b = 0; b < runs; b++) {
    const idx = [
      ...treated.map(() => treated[rng.int(treated.length)] as number),
      ...control.map(() => control[rng.int(control.length)] as number),
    ];
    try {
      const v = estimator(takeRows(sample, idx)).estimate;
      if (Number.isFinite(v)) draws.push(v);
    } catch {
      // A resample without overlap is skipped; the interval uses the rest.
    }
  }
  if (draws.length < Math.max(10, runs / 2)) return undefined;
  draws.sort((a, b) => a - b);
  const at = (q: number): number =>
    draws[Math.min(draws.length - 1, Math.max(0, Math.round(q * (draws.length - 1))))] as number;
  return [at((1 - confidence) / 2), at((1 + confidence) / 2)];
}
