import {
  forecast,
  ForecastInputError,
  type ForecastResult,
  type ModelScore,
  type SeriesInput,
} from '../../engines/forecast/index.js';
import { AppError } from '../../platform/errors/app-error.js';
import { metrics } from '../../platform/observability/metrics.js';
import type { Interval } from '../metrics/read-repo.js';
import './errors.js';
import { INTERVAL_RULES, wallAfter, type History } from './history.js';
import { ensureForecastWasm } from './wasm.js';

export type ForecastKind = 'level' | 'count';

/** How to forecast a history. */
export interface ForecastSpec {
  interval: Interval;
  horizon: number;
  /** `count`: values must be ≥ 0 and forecasts are ≥ 0 (the engine's rule). */
  kind: ForecastKind;
  /** Also clip points and lower bounds at 0 (a catalogue metric whose history is never negative). */
  clipAtZero: boolean;
}

/** One forecast step, at the local wall time of its bucket. */
export interface ForecastPoint {
  t: string;
  value: number;
  lower80: number;
  upper80: number;
  lower95: number;
  upper95: number;
  /** Standard deviation of the error at this step (for probabilities of reaching a target). */
  sd: number;
}

/** What a successful run stores. Every number is finite. */
export interface ForecastOutput {
  model: string;
  weights: Record<string, number>;
  seasonalPeriods: number[];
  backtest: { origins: number; horizon: number; mase: number; smape: number; models: ModelScore[] };
  flags: string[];
  warnings: string[];
  points: ForecastPoint[];
}

/** Where an input problem is reported (`/body/horizon` or `/querystring/horizon`). */
export type InputLocation = 'body' | 'querystring';

function engineInput(history: History, spec: ForecastSpec): SeriesInput {
  const rules = INTERVAL_RULES[spec.interval];
  return {
    values: history.values,
    // Local wall times are written as UTC, so the grid never meets a DST change.
    timestamps: history.timestamps.map((t) => `${t}Z`),
    frequency: rules.frequency,
    seasonalPeriods: rules.seasonalPeriods,
    kind: spec.kind,
  };
}

/** The engine's refusal as a 422 naming what was wrong. */
export function inputProblem(err: ForecastInputError, where: InputLocation): AppError {
  if (err.code === 'EMPTY_SERIES')
    return new AppError('forecast_no_history', `no data to forecast from: ${err.message}`, {
      reason: err.code,
      errors: [{ path: '/history', message: err.message }],
    });
  const path = err.code === 'BAD_HORIZON' ? `/${where}/horizon` : '/history';
  return new AppError('forecast_input_invalid', err.message, {
    reason: err.code,
    errors: [{ path, message: err.message }],
  });
}

/** A bounded `model` label for metrics: periods dropped (`seasonal-naive-24` → `seasonal-naive`). */
export function modelLabel(model: string): string {
  return model.replace(/-\d+\b/g, '');
}

/**
 * Checks that the engine accepts this history and horizon, without fitting anything (the naive
 * model with no backtest: milliseconds). Used before handing a request to a background job,
 * so input problems are answered right away with a 422.
 */
export function checkForecastable(
  history: History,
  spec: ForecastSpec,
  where: InputLocation,
): void {
  if (history.observations === 0) throw noHistory();
  try {
    forecast(engineInput(history, spec), { horizon: spec.horizon, models: ['naive'], origins: 0 });
  } catch (err) {
    if (err instanceof ForecastInputError) throw inputProblem(err, where);
    throw err;
  }
}

export function noHistory(): AppError {
  return new AppError(
    'forecast_no_history',
    'the metric has no data in the history window (see docs/forecasts.md)',
    { errors: [{ path: '/history', message: 'no bucket with data' }] },
  );
}

/**
 * Forecasts a history with the engine (every fast model backtested, the best two combined,
 * calibrated 80% and 95% bands) and records the run in the forecast metric families.
 * Input the engine refuses becomes a 422 (`forecast_no_history`, `forecast_input_invalid`).
 */
export function runForecast(
  history: History,
  spec: ForecastSpec,
  where: InputLocation,
): ForecastOutput {
  if (history.observations === 0) {
    metrics.forecasts.inc({ outcome: 'failed' });
    throw noHistory();
  }
  const wasm = ensureForecastWasm();
  const started = performance.now();
  let r: ForecastResult;
  try {
    r = forecast(engineInput(history, spec), { horizon: spec.horizon, levels: [80, 95] });
  } catch (err) {
    metrics.forecasts.inc({ outcome: 'failed' });
    if (err instanceof ForecastInputError) throw inputProblem(err, where);
    throw err;
  }
  const seconds = (performance.now() - started) / 1000;
  const label = modelLabel(r.model);
  metrics.forecasts.inc({ outcome: 'succeeded' });
  metrics.forecastSeries.inc({ model: label });
  metrics.forecastDuration.observe(seconds);
  if (r.backtest.origins > 0)
    metrics.forecastBacktestMase.observe({ model: label }, r.backtest.mase);

  const flags = [...r.flags];
  const warnings = [...r.warnings];
  if (!wasm.ok) warnings.push(`AutoETS and MSTL were not available: ${wasm.error.message}`);
  const last = history.timestamps[history.timestamps.length - 1]!;
  let clipped = false;
  const at = (a: number[], j: number): number => {
    const v = a[j]!;
    if (!spec.clipAtZero || v >= 0) return v;
    clipped = true;
    return 0;
  };
  const points = r.points.map((_, j) => ({
    t: wallAfter(spec.interval, last, j + 1),
    value: at(r.points, j),
    lower80: at(r.lower80, j),
    upper80: at(r.upper80, j),
    lower95: at(r.lower95, j),
    upper95: at(r.upper95, j),
    sd: r.sd[j]!,
  }));
  if (clipped) flags.push('clipped_at_zero');
  return {
    model: r.model,
    weights: r.weights,
    seasonalPeriods: r.seasonalPeriods,
    backtest: {
      origins: r.backtest.origins,
      horizon: r.backtest.horizon,
      mase: r.backtest.mase,
      smape: r.backtest.smape,
      models: r.backtest.models,
    },
    flags,
    warnings,
    points,
  };
}
