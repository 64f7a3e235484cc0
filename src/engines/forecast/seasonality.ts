import { acf, mean } from './numeric.js';

/**
 * M4's seasonality test: a season of length `m` is used when the autocorrelation at lag `m`
 * exceeds its 90% one-sided limit (1.645·√((1 + 2·Σ_{k<m} r_k²)/n)) and the series holds at
 * least three full seasons.
 *
 * @example
 * isSeasonal(hourlyValues, 24); // true for a series with a daily cycle
 */
export function isSeasonal(values: readonly number[], m: number): boolean {
  const n = values.length;
  if (m <= 1 || n < 3 * m) return false;
  const r = acf(values, m);
  let s = 1;
  for (let k = 0; k < m - 1; k++) s += 2 * (r[k] as number) ** 2;
  const limit = (1.645 / Math.sqrt(n)) * Math.sqrt(s);
  return Math.abs(r[m - 1] as number) > limit;
}

/**
 * Classical multiplicative decomposition (R's `decompose(type = "multiplicative")`): seasonal
 * indices from the ratios of the series to its centred moving average, normalised to mean 1.
 * `indices[i]` applies to positions t with t mod m = i (t = 0 is the first observation).
 * Falls back to additive-free indices (all 1) when the series has non-positive values.
 *
 * @example
 * seasonalIndices([1, 3, 1, 3, 1, 3, 1, 3], 2); // ≈ [0.5, 1.5]
 */
export function seasonalIndices(values: readonly number[], m: number): number[] {
  const n = values.length;
  if (m <= 1 || n < 2 * m) return new Array<number>(Math.max(1, m)).fill(1);
  for (const v of values) if (!(v > 0)) return new Array<number>(m).fill(1);
  const half = Math.floor(m / 2);
  const sums = new Array<number>(m).fill(0);
  const counts = new Array<number>(m).fill(0);
  // Centred moving average: order m (odd) or 2×m (even), computed with a running sum.
  for (let t = half; t < n - half; t++) {
    let ma: number;
    if (m % 2 === 1) {
      let s = 0;
      for (let k = t - half; k <= t + half; k++) s += values[k] as number;
      ma = s / m;
    } else {
      if (t + half >= n) break;
      let s = 0.5 * ((values[t - half] as number) + (values[t + half] as number));
      for (let k = t - half + 1; k < t + half; k++) s += values[k] as number;
      ma = s / m;
    }
    if (ma > 0) {
      sums[t % m] = (sums[t % m] as number) + (values[t] as number) / ma;
      counts[t % m] = (counts[t % m] as number) + 1;
    }
  }
  const raw = sums.map((s, i) => ((counts[i] as number) > 0 ? s / (counts[i] as number) : 1));
  const avg = mean(raw);
  return raw.map((r) => (avg > 0 ? r / avg : 1));
}

/**
 * Seasonal adjustment as in the M4 benchmarks: when {@link isSeasonal} says so, divide by the
 * classical multiplicative indices; `reseason` multiplies a forecast back.
 *
 * @example
 * const d = deseasonalise(values, 24);
 * const points = d.reseason(sesForecast(d.adjusted, 48), values.length);
 */
export function deseasonalise(
  values: readonly number[],
  m: number,
  force = false,
): {
  adjusted: number[];
  indices: number[];
  seasonal: boolean;
  reseason: (f: readonly number[], start: number) => number[];
} {
  const seasonal = m > 1 && (force ? values.length >= 2 * m : isSeasonal(values, m));
  const indices = seasonal ? seasonalIndices(values, m) : [1];
  const period = indices.length;
  const adjusted = values.map((v, t) => v / (indices[t % period] as number));
  const reseason = (f: readonly number[], start: number): number[] =>
    f.map((v, h) => v * (indices[(start + h) % period] as number));
  return { adjusted, indices, seasonal: seasonal && indices.some((i) => i !== 1), reseason };
}
