import { autoEtsForecast, mstlForecast } from './models/augurs.js';
import { arimaForecast } from './models/arima.js';
import { etsForecast, fitEts } from './models/exponential-smoothing.js';
import { intermittentForecast } from './models/intermittent.js';
import { driftForecast, naiveForecast, seasonalNaiveForecast } from './models/naive.js';
import { prophetForecast } from './models/prophet.js';
import { regressionForecast } from './models/regression.js';
import { fitTheta, thetaForecast } from './models/theta.js';
import { deseasonalise, isSeasonal } from './seasonality.js';
import type { ModelName } from './types.js';
import { augursReady } from './wasm.js';

/**
 * A candidate model: forecasts `h` steps after the first `y.length` observations. Backtests call
 * it on prefixes of the history, so it must only look at `y` (and regressors up to its end).
 * @internal
 */
export interface Candidate {
  name: string;
  family: ModelName;
  forecast(y: readonly number[], h: number): number[];
}

/** @internal What the pool is built from. */
export interface PoolContext {
  periods: number[];
  intermittent: boolean;
  requested?: readonly ModelName[];
  /** Regressor columns over history + horizon (already trimmed like the history). */
  regressors?: Record<string, readonly number[]>;
  /** Unix seconds of each history + horizon step (Prophet only). */
  timestampsSeconds?: number[];
}

/** Models fitted unless the caller lists others: fast, robust, and strong in combination. */
export const DEFAULT_MODELS: readonly ModelName[] = [
  'naive',
  'seasonal-naive',
  'drift',
  'ses',
  'holt',
  'damped',
  'theta',
  'auto-ets',
  'mstl',
  'croston',
  'sba',
  'tsb',
  'regression',
];

/** The longest period that passes the M4 seasonality test (1 when none does). */
function adjustmentPeriod(y: readonly number[], periods: readonly number[]): number {
  for (let i = periods.length - 1; i >= 0; i--) {
    const p = periods[i] as number;
    if (y.length >= 3 * p && isSeasonal(y, p)) return p;
  }
  return 1;
}

/** Wraps a non-seasonal method: seasonally adjust, forecast, re-seasonalise. */
const adjusted =
  (periods: readonly number[], fn: (y: number[], h: number) => number[]) =>
  (y: readonly number[], h: number): number[] => {
    const d = deseasonalise(y, adjustmentPeriod(y, periods), true);
    return d.reseason(fn(d.adjusted, h), y.length);
  };

/**
 * Builds the candidate pool for a series (the rules are documented in docs/engines/forecast.md).
 * @internal
 */
export function buildCandidates(ctx: PoolContext): Candidate[] {
  const want = new Set<ModelName>(ctx.requested ?? DEFAULT_MODELS);
  const ready = augursReady();
  const { periods } = ctx;
  const out: Candidate[] = [];
  const add = (family: ModelName, name: string, forecast: Candidate['forecast']): void => {
    if (want.has(family)) out.push({ family, name, forecast });
  };
  add('naive', 'naive', (y, h) => naiveForecast(y, h));
  for (const p of periods)
    add('seasonal-naive', `seasonal-naive-${p}`, (y, h) => seasonalNaiveForecast(y, h, p));
  add('drift', 'drift', (y, h) => driftForecast(y, h));
  add(
    'ses',
    'ses',
    adjusted(periods, (y, h) => etsForecast(fitEts(y, 'none'), h)),
  );
  add(
    'holt',
    'holt',
    adjusted(periods, (y, h) => etsForecast(fitEts(y, 'additive'), h)),
  );
  add(
    'damped',
    'damped',
    adjusted(periods, (y, h) => etsForecast(fitEts(y, 'damped'), h)),
  );
  add(
    'theta',
    'theta',
    adjusted(periods, (y, h) => thetaForecast(fitTheta(y), h)),
  );
  if (ready.ets)
    add(
      'auto-ets',
      'auto-ets',
      adjusted(periods, (y, h) => autoEtsForecast(y, h, 1, 'AZN')),
    );
  if (ready.mstl && periods.length)
    add('mstl', 'mstl', (y, h) => {
      const ps = periods.filter((p) => y.length >= 2 * p);
      return ps.length ? mstlForecast(y, h, ps) : etsForecast(fitEts(y, 'damped'), h);
    });
  if (ctx.intermittent) {
    add('croston', 'croston', (y, h) => intermittentForecast(y, h, 'croston'));
    add('sba', 'sba', (y, h) => intermittentForecast(y, h, 'sba'));
    add('tsb', 'tsb', (y, h) => intermittentForecast(y, h, 'tsb'));
  }
  const x = ctx.regressors;
  const names = x ? Object.keys(x) : [];
  if (x && names.length)
    add('regression', 'regression', (y, h) => regressionForecast(y, h, x, periods));
  // Slow models: only when asked for by name.
  if (ctx.requested?.includes('arima')) {
    const p = periods[0] ?? 1;
    add('arima', 'arima', (y, h) => {
      const rows = (from: number, to: number): number[][] =>
        names.map((k) => (x?.[k] as readonly number[]).slice(from, to));
      const exog = names.length
        ? { history: rows(0, y.length), future: rows(y.length, y.length + h) }
        : undefined;
      return arimaForecast(y, h, y.length >= 3 * p ? p : 1, exog);
    });
  }
  if (ctx.requested?.includes('prophet') && ready.prophet && ctx.timestampsSeconds) {
    const ts = ctx.timestampsSeconds;
    const step = ts.length > 1 ? ((ts[1] as number) - (ts[0] as number)) / 86_400 : 1;
    add('prophet', 'prophet', (y, h) =>
      prophetForecast(
        y,
        h,
        ts,
        x ?? {},
        periods.map((p) => p * step),
      ),
    );
  }
  return out;
}
