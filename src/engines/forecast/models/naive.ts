import { deseasonalise } from '../seasonality.js';

/**
 * Naive forecast: the last value repeated.
 *
 * @example
 * naiveForecast([1, 2, 3], 2); // [3, 3]
 */
export function naiveForecast(values: readonly number[], horizon: number): number[] {
  const last = values[values.length - 1] ?? 0;
  return new Array<number>(horizon).fill(last);
}

/**
 * Seasonal naive: the value one season (`period` steps) earlier. Falls back to naive when the
 * series is shorter than one season.
 *
 * @example
 * seasonalNaiveForecast([1, 2, 3, 4], 3, 2); // [3, 4, 3]
 */
export function seasonalNaiveForecast(
  values: readonly number[],
  horizon: number,
  period: number,
): number[] {
  const n = values.length;
  if (period <= 1 || n < period) return naiveForecast(values, horizon);
  const out: number[] = [];
  for (let h = 0; h < horizon; h++) out.push(values[n - period + (h % period)] as number);
  return out;
}

/**
 * Random walk with drift: last value plus the average historical step.
 *
 * @example
 * driftForecast([1, 2, 3], 2); // [4, 5]
 */
export function driftForecast(values: readonly number[], horizon: number): number[] {
  const n = values.length;
  const last = values[n - 1] ?? 0;
  const slope = n > 1 ? (last - (values[0] as number)) / (n - 1) : 0;
  return Array.from({ length: horizon }, (_, h) => last + slope * (h + 1));
}

/**
 * M4's Naive2: naive on the seasonally adjusted series (classical multiplicative decomposition,
 * applied only when the 90% autocorrelation test finds seasonality), re-seasonalised.
 *
 * @example
 * naive2Forecast(weeklyValues, 13, 1); // same as naive when m = 1
 */
export function naive2Forecast(values: readonly number[], horizon: number, m: number): number[] {
  const d = deseasonalise(values, m);
  return d.reseason(naiveForecast(d.adjusted, horizon), values.length);
}

/**
 * Mean of the last `k` seasons, position by position (a robust seasonal profile).
 *
 * @example
 * seasonalMeanForecast([1, 2, 3, 4], 2, 2, 2); // [2, 3]
 */
export function seasonalMeanForecast(
  values: readonly number[],
  horizon: number,
  period: number,
  k: number,
): number[] {
  const n = values.length;
  const seasons = Math.min(k, Math.floor(n / period));
  if (period <= 1 || seasons < 1) return naiveForecast(values, horizon);
  const out: number[] = [];
  for (let h = 0; h < horizon; h++) {
    let s = 0;
    for (let j = 0; j < seasons; j++) s += values[n - period * (j + 1) + (h % period)] as number;
    out.push(s / seasons);
  }
  return out;
}
