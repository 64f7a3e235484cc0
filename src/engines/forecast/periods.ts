import { acf } from './numeric.js';
import { isSeasonal } from './seasonality.js';
import type { Frequency } from './types.js';

/** Default seasonal periods (in steps) of each frequency. */
export const DEFAULT_PERIODS: Record<Frequency, number[]> = {
  hourly: [24, 168],
  daily: [7, 365],
  weekly: [52],
  monthly: [12],
  quarterly: [4],
  yearly: [],
};

/**
 * Seasonal periods for a series: the caller's, else the frequency's defaults, else the lag
 * (2 … n/3, at most 400) whose autocorrelation is the highest local peak that passes the M4
 * 90% seasonality test. Only periods with at least two full cycles in the data are kept.
 *
 * @example
 * detectPeriods(hourlyValues, 'hourly'); // [24, 168] with ≥ 2 weeks of data
 * detectPeriods([1, 5, 1, 5, 1, 5, 1, 5, 1, 5]); // [2]
 */
export function detectPeriods(
  values: readonly number[],
  frequency?: Frequency,
  given?: readonly number[],
): number[] {
  const n = values.length;
  const keep = (ps: readonly number[]): number[] =>
    [...new Set(ps.map((p) => Math.round(p)))]
      .filter((p) => p >= 2 && n >= 2 * p)
      .sort((a, b) => a - b);
  if (given) return keep(given);
  if (frequency) return keep(DEFAULT_PERIODS[frequency]);
  const maxLag = Math.min(Math.floor(n / 3), 400);
  if (maxLag < 2) return [];
  const r = acf(values, maxLag);
  let best = 0;
  let bestR = 0;
  for (let lag = 2; lag <= maxLag; lag++) {
    const v = r[lag - 1] as number;
    const isPeak = v > (r[lag - 2] ?? -Infinity) && v >= (r[lag] ?? -Infinity);
    if (isPeak && v > bestR && isSeasonal(values, lag)) {
      best = lag;
      bestR = v;
    }
  }
  return best ? [best] : [];
}
