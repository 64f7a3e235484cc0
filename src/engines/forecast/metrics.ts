/**
 * Accuracy measures with the M4 competition's definitions.
 *
 * @example
 * smape([100, 110], [90, 120]); // ≈ 9.87
 */
export function smape(actual: readonly number[], forecast: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i] as number;
    const f = forecast[i] as number;
    const d = Math.abs(a) + Math.abs(f);
    s += d === 0 ? 0 : (200 * Math.abs(a - f)) / d;
  }
  return s / actual.length;
}

/**
 * In-sample scale of MASE and MSIS: mean absolute seasonal difference at lag `m` (lag 1 when the
 * series is shorter than m + 1). Returns 0 for a constant series.
 *
 * @example
 * maseScale([1, 2, 4], 1); // 1.5
 */
export function maseScale(insample: readonly number[], m: number): number {
  const lag = insample.length > m ? m : 1;
  let s = 0;
  let c = 0;
  for (let t = lag; t < insample.length; t++) {
    s += Math.abs((insample[t] as number) - (insample[t - lag] as number));
    c++;
  }
  return c ? s / c : 0;
}

/**
 * Mean absolute scaled error (M4: scaled by the in-sample seasonal naive MAE at lag `m`).
 *
 * @example
 * mase([1, 2, 4], [5, 6], [4, 8], 1); // (1 + 2) / 2 / 1.5 = 1
 */
export function mase(
  insample: readonly number[],
  actual: readonly number[],
  forecast: readonly number[],
  m: number,
): number {
  const scale = maseScale(insample, m);
  let s = 0;
  for (let i = 0; i < actual.length; i++)
    s += Math.abs((actual[i] as number) - (forecast[i] as number));
  return scale > 0 ? s / actual.length / scale : 0;
}

/**
 * Mean scaled interval score (M4) for a central (1 − alpha) interval, alpha = 0.05 for 95%.
 *
 * @example
 * msis([1, 2, 4], [5], [4], [6], 1, 0.05); // (2 + 0) / 1.5 ≈ 1.333
 */
export function msis(
  insample: readonly number[],
  actual: readonly number[],
  lower: readonly number[],
  upper: readonly number[],
  m: number,
  alpha = 0.05,
): number {
  const scale = maseScale(insample, m);
  let s = 0;
  for (let i = 0; i < actual.length; i++) {
    const y = actual[i] as number;
    const l = lower[i] as number;
    const u = upper[i] as number;
    s += u - l + (y < l ? (2 / alpha) * (l - y) : 0) + (y > u ? (2 / alpha) * (y - u) : 0);
  }
  return scale > 0 ? s / actual.length / scale : 0;
}

/**
 * Share of actual values inside [lower, upper].
 *
 * @example
 * coverage([1, 5], [0, 0], [2, 2]); // 0.5
 */
export function coverage(
  actual: readonly number[],
  lower: readonly number[],
  upper: readonly number[],
): number {
  let c = 0;
  for (let i = 0; i < actual.length; i++) {
    const y = actual[i] as number;
    if (y >= (lower[i] as number) && y <= (upper[i] as number)) c++;
  }
  return actual.length ? c / actual.length : 0;
}

/**
 * Overall weighted average (M4): the mean of a method's sMAPE and MASE, each relative to Naive2's
 * on the same series set (dataset means, not per-series ratios).
 *
 * @example
 * owa({ smape: 9, mase: 1.8 }, { smape: 10, mase: 2 }); // 0.9
 */
export function owa(
  method: { smape: number; mase: number },
  naive2: { smape: number; mase: number },
): number {
  return 0.5 * (method.smape / naive2.smape + method.mase / naive2.mase);
}
