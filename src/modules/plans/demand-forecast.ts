import {
  DEFAULT_MODELS,
  forecast,
  ForecastInputError,
  type Frequency,
  type ModelName,
} from '../../engines/forecast/index.js';
import { loadForecastWasm } from '../../cli/forecast-wasm.js';

/**
 * Adapter from the plans module to the forecasting engine. The Forecasts API
 * (src/modules/forecasts) stores runs of whole metrics through background jobs; a plan needs
 * one short forecast per SKU (or of hourly orders) inline, so it calls the engine directly.
 *
 * - `fast` (default): the engine's own models that need no WebAssembly — naive, seasonal naive,
 *   drift, SES, Holt, damped trend, Theta, and Croston/SBA/TSB for intermittent series (~10 ms
 *   a series);
 * - `full`: the engine's default pool, adding AutoETS and MSTL (~0.1–0.4 s a series), loaded
 *   once per process on first use.
 */
export type ForecastPool = 'fast' | 'full';

/** The default pool without the models that need WebAssembly (and without regressors). */
const FAST_MODELS: readonly ModelName[] = DEFAULT_MODELS.filter(
  (m) => !['auto-ets', 'mstl', 'regression'].includes(m),
);

let wasmLoaded = false;

/** One forecast step of a count: mean and standard deviation (both ≥ 0, finite). */
export interface CountStep {
  mean: number;
  sd: number;
}

export interface CountForecast {
  steps: CountStep[];
  /** The model chosen, `history-mean` when the series was too short to forecast. */
  model: string;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/**
 * Forecasts a count series (units sold, orders) `horizon` steps past its last value. Missing
 * values must already be filled (zeros for days without sales). A series too short for the
 * engine falls back to its mean with a Poisson-like √mean spread.
 *
 * @example
 * forecastCounts([3, 4, 0, 5, 6, 2, 3, 4], 7, { frequency: 'daily', seasonalPeriods: [7] });
 */
export function forecastCounts(
  values: readonly number[],
  horizon: number,
  options: { frequency: Frequency; seasonalPeriods: number[]; pool?: ForecastPool },
): CountForecast {
  const pool = options.pool ?? 'fast';
  if (pool === 'full' && !wasmLoaded) {
    loadForecastWasm();
    wasmLoaded = true;
  }
  if (values.length >= 8 && values.some((v) => v !== 0)) {
    try {
      const r = forecast(
        {
          values,
          frequency: options.frequency,
          seasonalPeriods: options.seasonalPeriods,
          kind: 'count',
        },
        { horizon, ...(pool === 'fast' ? { models: FAST_MODELS } : {}) },
      );
      return {
        model: r.model,
        steps: r.points.map((p, i) => ({
          mean: round(Math.max(0, p)),
          sd: round(Math.max(0, r.sd[i] ?? 0)),
        })),
      };
    } catch (err) {
      if (!(err instanceof ForecastInputError)) throw err;
    }
  }
  const mean = values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0;
  const step = { mean: round(Math.max(0, mean)), sd: round(Math.sqrt(Math.max(0, mean))) };
  return { model: 'history-mean', steps: Array.from({ length: horizon }, () => step) };
}
