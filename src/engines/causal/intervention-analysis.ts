import { CausalInputError } from './errors.js';
import { formatAmount, formatSigned } from './format.js';
import { fitLinear } from './linear-model.js';
import { normalQuantile } from './normal.js';
import type { Interval, Refutation } from './types.js';

/** Options of an interrupted-time-series analysis. */
export interface InterventionOptions {
  /** Unaffected comparison series (synthetic-control-lite regressors), same length as the series. */
  controls?: Record<string, number[]>;
  /** Seasonal cycle in periods (default 7 for daily data; 0 = none). */
  seasonalPeriod?: number;
  /** Last row (exclusive) of the post period (default: end of the series). */
  endIndex?: number;
  confidence?: number;
  /** Run the placebo-in-time check (default true). */
  placebo?: boolean;
}

/** Effect of an event on a series versus its counterfactual forecast. */
export interface InterventionResult {
  eventIndex: number;
  postPeriods: number;
  /** Σ (actual − counterfactual) over the post period, with its interval. */
  effectTotal: number;
  interval: Interval;
  /** Average effect per period and its interval. */
  effectMean: number;
  intervalMean: Interval;
  /** effectTotal / Σ counterfactual (null when the counterfactual sums to 0). */
  relativeEffect: number | null;
  counterfactual: number[];
  /** Pointwise effect per post period. */
  pointwise: number[];
  /** Pre-period fit quality. */
  preFitR2: number;
  refutations: Refutation[];
  summary: string;
}

/**
 * Interrupted time series: fits level + trend + seasonal dummies (+ optional unaffected
 * control series, a "synthetic control-lite") on the pre-event periods, forecasts the
 * post-event periods as the counterfactual, and reports actual − counterfactual with an
 * interval that includes parameter uncertainty and AR(1)-inflated noise. A placebo-in-time
 * check reruns the analysis at earlier fake event dates: the real effect should stand out.
 *
 * @example
 * analyzeIntervention(dailyRevenue, 120).effectTotal; // extra revenue since day 120
 */
export function analyzeIntervention(
  series: number[],
  eventIndex: number,
  options: InterventionOptions = {},
): InterventionResult {
  const end = options.endIndex ?? series.length;
  validateInputs(series, eventIndex, end, options.controls);
  const base = fitAndForecast(series, eventIndex, end, options);
  const refutations: Refutation[] = [];
  if (options.placebo !== false) {
    const placebo = placeboInTime(series, eventIndex, end, options, base.effectMean);
    if (placebo) refutations.push(placebo);
  }
  const confidence = options.confidence ?? 0.95;
  const pct = Math.round(confidence * 100);
  const cfTotal = base.counterfactual.reduce((a, b) => a + b, 0);
  return {
    eventIndex,
    postPeriods: end - eventIndex,
    effectTotal: base.effectTotal,
    interval: base.interval,
    effectMean: base.effectMean,
    intervalMean: [base.interval[0] / (end - eventIndex), base.interval[1] / (end - eventIndex)],
    relativeEffect: cfTotal !== 0 ? base.effectTotal / Math.abs(cfTotal) : null,
    counterfactual: base.counterfactual,
    pointwise: base.pointwise,
    preFitR2: base.r2,
    refutations,
    summary: `Over ${end - eventIndex} period(s) after the event the series was ${formatSigned(base.effectTotal)} versus its forecast without the event (${pct}% interval ${formatAmount(base.interval[0])} to ${formatAmount(base.interval[1])}; ${formatSigned(base.effectMean)} per period).`,
  };
}

function validateInputs(
  series: number[],
  eventIndex: number,
  end: number,
  controls?: Record<string, number[]>,
): void {
  if (!Array.isArray(series))
    throw new CausalInputError('invalid_argument', 'series must be an array of numbers');
  const bad = series.findIndex((v) => typeof v !== 'number' || !Number.isFinite(v));
  if (bad >= 0)
    throw new CausalInputError(
      'missing_values',
      `series has a missing or non-numeric value at position ${bad + 1}`,
      { field: 'series' },
    );
  if (!Number.isInteger(eventIndex) || eventIndex <= 0 || eventIndex >= series.length) {
    throw new CausalInputError(
      'invalid_argument',
      `eventIndex must be an integer between 1 and ${series.length - 1}, got ${eventIndex}`,
      { field: 'eventIndex' },
    );
  }
  if (!Number.isInteger(end) || end <= eventIndex || end > series.length) {
    throw new CausalInputError(
      'invalid_argument',
      `endIndex must be after eventIndex and at most ${series.length}`,
      { field: 'endIndex' },
    );
  }
  for (const [name, col] of Object.entries(controls ?? {})) {
    if (!Array.isArray(col) || col.length !== series.length) {
      throw new CausalInputError(
        'length_mismatch',
        `control series "${name}" must have ${series.length} values`,
        { field: name },
      );
    }
    const miss = col.findIndex((v) => typeof v !== 'number' || !Number.isFinite(v));
    if (miss >= 0)
      throw new CausalInputError(
        'missing_values',
        `control series "${name}" has a missing value at position ${miss + 1}`,
        { field: name },
      );
  }
}

interface Forecast {
  counterfactual: number[];
  pointwise: number[];
  effectTotal: number;
  effectMean: number;
  interval: Interval;
  r2: number;
}

/** The pre-period regression and its post-period forecast. */
function fitAndForecast(
  series: number[],
  eventIndex: number,
  end: number,
  options: InterventionOptions,
): Forecast {
  const period = options.seasonalPeriod ?? 7;
  const useSeason = period >= 2 && eventIndex >= 3 * period;
  const controls = Object.values(options.controls ?? {});
  const design = (t: number): number[] => {
    const row = [t];
    if (useSeason) for (let s = 1; s < period; s++) row.push(t % period === s ? 1 : 0);
    for (const c of controls) row.push(c[t] as number);
    return row;
  };
  const parameters = design(0).length + 1;
  if (eventIndex < parameters + 5) {
    throw new CausalInputError(
      'too_few_rows',
      `the pre-event period has ${eventIndex} points; the counterfactual model needs at least ${parameters + 5}`,
      { field: 'eventIndex' },
    );
  }
  const preRows = Array.from({ length: eventIndex }, (_, t) => design(t));
  const columns = preRows[0]!.map((_, j) => preRows.map((r) => r[j] as number));
  const fit = fitLinear(columns, series.slice(0, eventIndex));
  const counterfactual: number[] = [];
  const pointwise: number[] = [];
  const sumRow = new Array<number>(parameters).fill(0);
  for (let t = eventIndex; t < end; t++) {
    const x = [1, ...design(t)];
    let f = 0;
    x.forEach((v, j) => {
      f += v * (fit.coef[j] as number);
      sumRow[j] = (sumRow[j] as number) + v;
    });
    counterfactual.push(f);
    pointwise.push((series[t] as number) - f);
  }
  const h = end - eventIndex;
  const effectTotal = pointwise.reduce((a, b) => a + b, 0);
  // Parameter variance of the summed forecast + noise variance inflated for AR(1) residuals.
  let paramVar = 0;
  for (let a = 0; a < parameters; a++)
    for (let b = 0; b < parameters; b++)
      paramVar +=
        (sumRow[a] as number) * (sumRow[b] as number) * ((fit.cov[a] as number[])[b] as number);
  const rho = lagOneCorrelation(fit.residuals);
  const noiseVar = fit.sigma2 * sumOfAr1(h, rho);
  const z = normalQuantile(0.5 + (options.confidence ?? 0.95) / 2);
  const half = z * Math.sqrt(Math.max(0, paramVar) + noiseVar);
  return {
    counterfactual,
    pointwise,
    effectTotal,
    effectMean: effectTotal / h,
    interval: [effectTotal - half, effectTotal + half],
    r2: fit.r2,
  };
}

/** Variance multiplier of a sum of h AR(1) terms with unit variance. */
function sumOfAr1(h: number, rho: number): number {
  let s = h;
  for (let k = 1; k < h; k++) s += 2 * (h - k) * rho ** k;
  return s;
}

function lagOneCorrelation(r: Float64Array): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < r.length; i++) {
    den += r[i]! * r[i]!;
    if (i > 0) num += r[i]! * r[i - 1]!;
  }
  return den > 0 ? Math.max(0, Math.min(0.95, num / den)) : 0;
}

/** Fake event dates inside the pre-period; the real per-period effect should exceed theirs. */
function placeboInTime(
  series: number[],
  eventIndex: number,
  end: number,
  options: InterventionOptions,
  realMean: number,
): Refutation | undefined {
  const h = end - eventIndex;
  const period = options.seasonalPeriod ?? 7;
  const minPre = Math.max(3 * Math.max(period, 2), 14);
  const effects: number[] = [];
  const lastStart = eventIndex - Math.min(h, Math.floor(eventIndex / 3));
  const step = Math.max(1, Math.floor((lastStart - minPre) / 8));
  for (let fake = minPre; fake <= lastStart && effects.length < 8; fake += step) {
    const fakeEnd = Math.min(eventIndex, fake + h);
    try {
      effects.push(
        fitAndForecast(series, fake, fakeEnd, { ...options, endIndex: fakeEnd }).effectMean,
      );
    } catch {
      // A fake date too early for the model is skipped.
    }
  }
  if (effects.length < 3) return undefined;
  const larger = effects.filter((e) => Math.abs(e) >= Math.abs(realMean)).length;
  const p = (larger + 1) / (effects.length + 1);
  const passed = larger === 0;
  return {
    name: 'placebo_time',
    passed,
    details: {
      placebo_dates: effects.length,
      larger_placebo_effects: larger,
      p_value: p,
      largest_placebo_effect: Math.max(...effects.map(Math.abs)),
    },
    summary: passed
      ? `none of ${effects.length} fake earlier event dates shows an effect as large as the real one`
      : `${larger} of ${effects.length} fake earlier event dates show effects as large: the series moves like this without the event too`,
  };
}
