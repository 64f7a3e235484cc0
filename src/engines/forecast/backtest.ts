import type { Candidate } from './candidates.js';
import { smape } from './metrics.js';

/** Forecasts of every candidate at every backtest origin. @internal */
export interface BacktestRun {
  /** Backtest window length (≤ the requested horizon for short series). */
  horizon: number;
  /** Training length at each origin, latest origin first. */
  cuts: number[];
  /** forecasts[c][o] = candidate c's forecast from origin o (null when it failed). */
  forecasts: (number[] | null)[][];
}

/**
 * Rolling-origin evaluation: the last `origins` windows of `horizon` steps, each forecast from
 * the data before it (origins step back by `horizon`; training sets shorter than `minTrain`
 * are skipped). Models train on `fitValues` (the outlier-adjusted series) and are scored
 * against `y`. A candidate that throws or returns a non-finite value fails at that origin.
 * @internal
 */
export function rollingOrigin(
  y: readonly number[],
  candidates: readonly Candidate[],
  horizon: number,
  origins: number,
  minTrain: number,
  fitValues: readonly number[] = y,
): BacktestRun {
  const cuts: number[] = [];
  for (let o = 1; o <= origins; o++) {
    const cut = y.length - o * horizon;
    if (cut < minTrain) break;
    cuts.push(cut);
  }
  const forecasts = candidates.map((c) =>
    cuts.map((cut) => safeForecast(c, fitValues.slice(0, cut), horizon)),
  );
  return { horizon, cuts, forecasts };
}

/** @internal Runs a candidate, returning null on an exception or a non-finite value. */
export function safeForecast(c: Candidate, y: readonly number[], h: number): number[] | null {
  try {
    const f = c.forecast(y, h);
    return f.length === h && f.every((v) => Number.isFinite(v)) ? f : null;
  } catch {
    return null;
  }
}

/** @internal Mean absolute error and sMAPE of forecasts against the held-out windows. */
export function windowErrors(
  y: readonly number[],
  cuts: readonly number[],
  forecasts: readonly (number[] | null)[],
  horizon: number,
): { mae: number; smape: number } {
  let abs = 0;
  let sm = 0;
  let count = 0;
  cuts.forEach((cut, o) => {
    const f = forecasts[o];
    if (!f) return;
    const actual = y.slice(cut, cut + horizon);
    for (let j = 0; j < horizon; j++) abs += Math.abs((actual[j] as number) - (f[j] as number));
    sm += smape(actual, f) * horizon;
    count += horizon;
  });
  return count ? { mae: abs / count, smape: sm / count } : { mae: Infinity, smape: Infinity };
}
