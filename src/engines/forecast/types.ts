/** How often a series is observed. Sets the default seasonal periods and the timestamp grid. */
export type Frequency = 'hourly' | 'daily' | 'weekly' | 'monthly' | 'quarterly' | 'yearly';

/** Names of the models the engine can fit. */
export type ModelName =
  | 'naive'
  | 'seasonal-naive'
  | 'drift'
  | 'ses'
  | 'holt'
  | 'damped'
  | 'theta'
  | 'auto-ets'
  | 'mstl'
  | 'arima'
  | 'prophet'
  | 'croston'
  | 'sba'
  | 'tsb'
  | 'regression';

/** A series to forecast. */
export interface SeriesInput {
  /** Observations, oldest first. `null`, NaN and ±Infinity are treated as missing. */
  values: readonly (number | null)[];
  /** Optional time of each value: ISO-8601 strings, epoch milliseconds or Dates. */
  timestamps?: readonly (string | number | Date)[];
  /** Observation frequency; inferred from timestamps when omitted. */
  frequency?: Frequency;
  /** Seasonal periods in steps (e.g. [24, 168] for hourly data); detected when omitted. */
  seasonalPeriods?: readonly number[];
  /** `count` metrics (orders, units) must be ≥ 0 and get non-negative forecasts. */
  kind?: 'level' | 'count';
}

/** Known future values of explanatory variables (holidays, promotions, price). */
export interface Regressors {
  /** One array per regressor, aligned with the (cleaned) history. */
  history: Record<string, readonly number[]>;
  /** The same regressors over the forecast horizon. */
  future: Record<string, readonly number[]>;
}

/** Options of {@link forecast}. */
export interface ForecastOptions {
  /** Steps ahead to forecast (1 … 10 000, and at most 10× the history). */
  horizon: number;
  /** Central prediction-interval levels in percent; default [80, 95]. */
  levels?: readonly number[];
  /** Candidate models; default: every fast model that suits the series (see docs). */
  models?: readonly ModelName[];
  /** Rolling-origin backtest origins used to select and weight models (default 3). */
  origins?: number;
  /** How many of the best backtested models are combined (default 2). */
  combine?: number;
  /** Exogenous regressors, used by the `regression` and `prophet` models. */
  regressors?: Regressors;
  /**
   * Replace gross outliers (> 6 robust SDs from the same phase of neighbouring cycles) before
   * fitting; the backtest still scores raw values. Off by default: it cost accuracy on M4.
   */
  adjustOutliers?: boolean;
  /** Use at most this many of the latest observations (default: 12 of the longest season, at least 240). */
  maxHistory?: number;
}

/** A central prediction interval. */
export interface PredictionInterval {
  level: number;
  lower: number[];
  upper: number[];
}

/** Backtest accuracy of one candidate model. */
export interface ModelScore {
  model: string;
  /** Mean absolute error scaled by the in-sample (seasonal) naive MAE (MASE). */
  mase: number;
  smape: number;
}

/** What {@link forecast} returns. Every number is finite. */
export interface ForecastResult {
  points: number[];
  lower80: number[];
  upper80: number[];
  lower95: number[];
  upper95: number[];
  /** Every requested level (80 and 95 are always included). */
  intervals: PredictionInterval[];
  /** Standard deviation of the forecast error at each step (used for probabilities). */
  sd: number[];
  /** The chosen model, or `combination(a, b)`. */
  model: string;
  /** Combination weights by model name (sum to 1). */
  weights: Record<string, number>;
  backtest: {
    origins: number;
    horizon: number;
    /** Error of the chosen forecast (the combination) over the backtest windows. */
    mase: number;
    smape: number;
    /** Every candidate, best first. */
    models: ModelScore[];
  };
  seasonalPeriods: number[];
  frequency?: Frequency;
  /** Timestamps of the forecast steps (ISO 8601), when the input had timestamps. */
  timestamps?: string[];
  /** Machine-readable notes on what the engine did with the input (see docs). */
  flags: string[];
  warnings: string[];
}
