import { rollingOrigin, safeForecast, windowErrors } from './backtest.js';
import { buildCandidates, type Candidate } from './candidates.js';
import { ForecastInputError } from './errors.js';
import { centralInterval, errorScale, historicalNaiveScale } from './intervals.js';
import { zeroShare } from './models/intermittent.js';
import { naiveForecast } from './models/naive.js';
import { adjustOutliers } from './outliers.js';
import { maseScale } from './metrics.js';
import { detectPeriods } from './periods.js';
import { prepareSeries, shiftTime } from './prepare.js';
import type { ForecastOptions, ForecastResult, ModelScore, SeriesInput } from './types.js';

/** Largest horizon accepted, in steps. */
export const MAX_HORIZON = 10_000;

/**
 * Widening of the interval scale. Model selection on the same windows makes backtest errors
 * optimistic; 1.05 is the factor that put 95% coverage of both M4 public halves inside
 * 92–97% (docs/benchmarks/forecast.md) — one global constant, not tuned per series.
 */
export const INTERVAL_FACTOR = 1.05;

const validateOptions = (o: ForecastOptions, n: number): void => {
  const h = o?.horizon;
  if (!Number.isInteger(h) || h <= 0)
    throw new ForecastInputError(
      'BAD_HORIZON',
      `horizon must be a positive integer, got ${String(h)}`,
    );
  if (h > MAX_HORIZON || h > 10 * Math.max(n, 10))
    throw new ForecastInputError(
      'BAD_HORIZON',
      `horizon ${h} is too far ahead for ${n} observations (at most ${Math.min(MAX_HORIZON, 10 * Math.max(n, 10))})`,
    );
  for (const l of o.levels ?? [])
    if (!(l > 0 && l < 100))
      throw new ForecastInputError(
        'BAD_OPTIONS',
        `interval level ${l} must be between 0 and 100 (percent)`,
      );
  if (
    o.origins !== undefined &&
    !(Number.isInteger(o.origins) && o.origins >= 0 && o.origins <= 50)
  )
    throw new ForecastInputError(
      'BAD_OPTIONS',
      `origins must be an integer 0…50, got ${o.origins}`,
    );
  if (o.combine !== undefined && !(Number.isInteger(o.combine) && o.combine >= 1))
    throw new ForecastInputError(
      'BAD_OPTIONS',
      `combine must be a positive integer, got ${o.combine}`,
    );
};

/** Regressor columns over history + horizon, trimmed like the history. */
function regressorColumns(
  o: ForecastOptions,
  inputN: number,
  dropped: number,
  fullN: number,
  trim: number,
): Record<string, number[]> | undefined {
  const r = o.regressors;
  if (!r) return undefined;
  if (inputN - dropped !== fullN)
    throw new ForecastInputError(
      'BAD_OPTIONS',
      'regressors need one row per step: the timestamps had gaps, fill them (and the regressors) first',
    );
  const out: Record<string, number[]> = {};
  for (const [name, hist] of Object.entries(r.history)) {
    const fut = r.future[name];
    if (!fut || hist.length !== inputN || fut.length < o.horizon)
      throw new ForecastInputError(
        'BAD_OPTIONS',
        `regressor "${name}" needs ${inputN} history values (one per value) and ${o.horizon} future values`,
      );
    const col = [...hist.slice(dropped + trim), ...fut.slice(0, o.horizon)];
    if (!col.every((v) => Number.isFinite(v)))
      throw new ForecastInputError('BAD_OPTIONS', `regressor "${name}" has a non-finite value`);
    out[name] = col;
  }
  return out;
}

/**
 * Forecasts a series: cleans it, detects seasonality, backtests every candidate model on
 * rolling origins, combines the best `combine` (inverse-error weights) and derives calibrated
 * intervals from the combination's own backtest errors.
 *
 * @example
 * const r = forecast({ values: [12, 15, 14, 18, 17, 21, 20, 24] }, { horizon: 3 });
 * r.points;   // 3 numbers
 * r.upper95;  // 95% upper bounds
 * r.model;    // e.g. "combination(holt, drift)"
 */
export function forecast(series: SeriesInput, options: ForecastOptions): ForecastResult {
  const prepared = prepareSeries(series);
  const flags = [...prepared.flags];
  const warnings = [...prepared.warnings];
  const fullN = prepared.values.length;
  validateOptions(options, fullN);
  const h = options.horizon;
  if (h > fullN) flags.push('horizon_longer_than_history');
  const periodsAll = detectPeriods(prepared.values, prepared.frequency, series.seasonalPeriods);
  const maxHistory =
    options.maxHistory ?? Math.max(240, 12 * (periodsAll[periodsAll.length - 1] ?? 1));
  const trim = Math.max(0, fullN - maxHistory);
  if (trim > 0) flags.push('trimmed_history');
  const y = prepared.values.slice(trim);
  const n = y.length;
  const periods = periodsAll.filter((p) => n >= 2 * p);
  const count = series.kind === 'count';
  const intermittent = y.every((v) => v >= 0) && zeroShare(y) > 0.3;
  if (intermittent) flags.push('intermittent');
  const constant = n >= 3 && y.every((v) => v === y[0]);
  if (n < 3) flags.push('too_short');
  const levels = [...new Set([80, 95, ...(options.levels ?? [])])].sort((a, b) => a - b);
  const scale = maseScale(y, periods[0] ?? 1);

  let timestampsSeconds: number[] | undefined;
  let futureTimes: string[] | undefined;
  const grid = prepared.grid;
  if (grid) {
    const start = shiftTime(grid, grid.start, trim);
    timestampsSeconds = Array.from({ length: n + h }, (_, k) =>
      Math.round(shiftTime(grid, start, k) / 1000),
    );
    futureTimes = timestampsSeconds.slice(n).map((s) => new Date(s * 1000).toISOString());
  }
  const regressors = regressorColumns(options, series.values.length, prepared.dropped, fullN, trim);
  const candidates = constant
    ? []
    : buildCandidates({
        periods,
        intermittent,
        ...(options.models ? { requested: options.models } : {}),
        ...(regressors ? { regressors } : {}),
        ...(timestampsSeconds ? { timestampsSeconds } : {}),
      });
  if (options.models && !constant && candidates.length === 0)
    throw new ForecastInputError(
      'BAD_OPTIONS',
      `none of the requested models (${options.models.join(', ')}) can run on this series`,
    );

  // Backtest: windows of min(h, n/4) steps, each trained on at least 2 seasons when the history
  // leaves room for one such window (fewer, seasonal-aware origins rank models better than more
  // origins trained on under a season), else on at least 4 points.
  const hb = Math.max(1, Math.min(h, Math.floor(n / 4)));
  const twoSeasons = 2 * (periods[0] ?? 1);
  const minTrain = Math.max(4, n - hb >= twoSeasons ? twoSeasons : 4);
  // Outlier adjustment is opt-in: on M4 it cost accuracy (docs/benchmarks/forecast.md).
  const cleaned =
    options.adjustOutliers && !intermittent
      ? adjustOutliers(y, periods[0] ?? 1)
      : { values: y, adjusted: [] };
  if (cleaned.adjusted.length) flags.push('outliers_adjusted');
  const run = rollingOrigin(y, candidates, hb, options.origins ?? 3, minTrain, cleaned.values);
  const scored = candidates
    .map((c, i) => ({
      c,
      i,
      ...windowErrors(y, run.cuts, run.forecasts[i] as (number[] | null)[], hb),
    }))
    .filter((s) => Number.isFinite(s.mae) && run.forecasts[s.i]?.every((f) => f !== null))
    .sort((a, b) => a.mae - b.mae || a.i - b.i);

  // Final fits of the best models, inverse-MAE weights.
  const k = options.combine ?? 2;
  const chosen: { c: Candidate; i: number; w: number; f: number[] }[] = [];
  for (const s of run.cuts.length ? scored : candidates.map((c, i) => ({ c, i, mae: 1 }))) {
    if (chosen.length >= k) break;
    const f = safeForecast(s.c, cleaned.values, h);
    if (f) chosen.push({ c: s.c, i: s.i, w: 1 / Math.max(s.mae, 1e-12), f });
    if (!run.cuts.length) break;
  }
  let points: number[];
  let sd: number[];
  let model: string;
  const weights: Record<string, number> = {};
  let btErrors: { mase: number; smape: number } = { mase: 0, smape: 0 };
  if (constant || chosen.length === 0) {
    points = naiveForecast(y, h);
    model = 'naive';
    weights.naive = 1;
    if (constant) flags.push('constant_series');
    else flags.push('fallback_naive');
    sd = fallbackScale(y, h, constant);
    if (!constant) flags.push('wide_intervals');
  } else {
    const wsum = chosen.reduce((s, c) => s + c.w, 0);
    for (const c of chosen) weights[c.c.name] = c.w / wsum;
    points = Array.from({ length: h }, (_, j) =>
      chosen.reduce((s, c) => s + (c.w / wsum) * (c.f[j] as number), 0),
    );
    model =
      chosen.length === 1
        ? (chosen[0] as { c: Candidate }).c.name
        : `combination(${chosen.map((c) => c.c.name).join(', ')})`;
    if (run.cuts.length) {
      const combo = run.cuts.map((_, o) =>
        Array.from({ length: hb }, (_, j) =>
          chosen.reduce(
            (s, c) => s + (c.w / wsum) * ((run.forecasts[c.i]?.[o] as number[])[j] as number),
            0,
          ),
        ),
      );
      const e = windowErrors(y, run.cuts, combo, hb);
      btErrors = { mase: scale > 0 ? e.mae / scale : 0, smape: e.smape };
      const errors = run.cuts.map((cut, o) =>
        (combo[o] as number[]).map((f, j) => (y[cut + j] as number) - f),
      );
      const direct = errorScale(errors, h);
      // Stabilise with the reference naive's error profile over the whole history, scaled by
      // how the combination compared with that naive on the backtest windows.
      const ref = referenceNaive(scored, periods);
      if (ref) {
        const refErr = run.cuts.map((cut, o) =>
          (run.forecasts[ref.i]?.[o] as number[]).map((f, j) => (y[cut + j] as number) - f),
        );
        const ss = (es: number[][]): number =>
          es.reduce((a, e) => a + e.reduce((b, v) => b + v * v, 0), 0);
        const ratio = Math.min(
          1.5,
          Math.max(0.3, Math.sqrt(ss(errors) / Math.max(ss(refErr), 1e-300))),
        );
        const hist = historicalNaiveScale(y, ref.lag, h);
        sd = direct.map(
          (d, j) =>
            Math.sqrt(0.5 * d * d + 0.5 * (ratio * (hist[j] as number)) ** 2) * INTERVAL_FACTOR,
        );
      } else sd = direct.map((d) => d * INTERVAL_FACTOR);
      if (run.cuts.length < 2) flags.push('few_backtest_origins');
    } else {
      flags.push('no_backtest', 'wide_intervals');
      sd = fallbackScale(y, h, false);
    }
  }
  const nonNegative = count || (intermittent && y.every((v) => v >= 0));
  if (nonNegative) points = points.map((p) => Math.max(0, p));
  const intervals = levels.map((l) => {
    const iv = centralInterval(points, sd, l, 1);
    return nonNegative ? { ...iv, lower: iv.lower.map((v) => Math.max(0, v)) } : iv;
  });
  const at = (l: number): { lower: number[]; upper: number[] } =>
    intervals.find((iv) => iv.level === l) as { lower: number[]; upper: number[] };
  const models: ModelScore[] = scored.map((s) => ({
    model: s.c.name,
    mase: scale > 0 ? s.mae / scale : 0,
    smape: s.smape,
  }));
  const result: ForecastResult = {
    points,
    lower80: at(80).lower,
    upper80: at(80).upper,
    lower95: at(95).lower,
    upper95: at(95).upper,
    intervals,
    sd,
    model,
    weights,
    backtest: { origins: run.cuts.length, horizon: hb, ...btErrors, models },
    seasonalPeriods: periods,
    ...(prepared.frequency ? { frequency: prepared.frequency } : {}),
    ...(futureTimes ? { timestamps: futureTimes } : {}),
    flags,
    warnings,
  };
  return sanitise(result);
}

/** The better of naive and the first seasonal naive on the backtest, with its lag. */
function referenceNaive(
  scored: readonly { c: Candidate; i: number; mae: number }[],
  periods: readonly number[],
): { i: number; lag: number } | undefined {
  const names = new Map<string, number>([
    ['naive', 1],
    ...periods.slice(0, 1).map((p): [string, number] => [`seasonal-naive-${p}`, p]),
  ]);
  const best = scored.find((s) => names.has(s.c.name));
  return best ? { i: best.i, lag: names.get(best.c.name) as number } : undefined;
}

/**
 * Interval scale when there is nothing to backtest: a random walk's √h growth of the typical
 * one-step change, at least 10% of the mean level (0 for a constant series).
 */
function fallbackScale(y: readonly number[], h: number, constant: boolean): number[] {
  if (constant) return new Array<number>(h).fill(0);
  let s = 0;
  for (let t = 1; t < y.length; t++) s += ((y[t] as number) - (y[t - 1] as number)) ** 2;
  const step = y.length > 1 ? Math.sqrt(s / (y.length - 1)) : 0;
  const level = Math.abs(y.reduce((a, b) => a + b, 0) / y.length);
  const base = Math.max(step, 0.1 * level, 1e-9);
  return Array.from({ length: h }, (_, j) => base * Math.sqrt(j + 1));
}

/** Guarantees the no-NaN contract: a non-finite number here is a bug, reported as such. */
function sanitise(r: ForecastResult): ForecastResult {
  const arrays = [r.points, r.sd, ...r.intervals.flatMap((iv) => [iv.lower, iv.upper])];
  if (arrays.some((a) => a.some((v) => !Number.isFinite(v))))
    throw new Error('forecast produced a non-finite number (engine bug)');
  return r;
}
