import { median } from './numeric.js';

/**
 * Replaces gross outliers before the models are fitted (the backtest still scores against the
 * raw values). A point's baseline is the median of the same seasonal phase in up to 3 cycles on
 * either side (period `p`; its ±3 neighbours when p = 1); it is an outlier when it is more than
 * `k` (default 6) robust standard deviations (1.4826 × MAD of all deviations) from its baseline,
 * and is then replaced by the baseline. The last max(3, p) points are never changed: a shift at
 * the end of the series may be real. Series whose deviations have MAD 0 are left alone.
 *
 * @example
 * adjustOutliers([10, 11, 10, 500, 10, 11, 10, 11, 10, 11], 1).adjusted; // [3]
 */
export function adjustOutliers(
  values: readonly number[],
  period: number,
  k = 6,
): { values: number[]; adjusted: number[] } {
  const n = values.length;
  const p = Math.max(1, period);
  const step = p > 1 ? p : 1;
  const reach = 3;
  if (n < 2 * reach * step + 1) return { values: values.slice(), adjusted: [] };
  const baseline: number[] = new Array<number>(n);
  const dev: number[] = new Array<number>(n);
  for (let t = 0; t < n; t++) {
    const near: number[] = [];
    for (let j = -reach; j <= reach; j++) {
      const u = t + j * step;
      if (j !== 0 && u >= 0 && u < n) near.push(values[u] as number);
    }
    baseline[t] = median(near);
    dev[t] = (values[t] as number) - (baseline[t] as number);
  }
  const scale = 1.4826 * median(dev.map((d) => Math.abs(d - median(dev))));
  if (!(scale > 0)) return { values: values.slice(), adjusted: [] };
  const out = values.slice();
  const adjusted: number[] = [];
  const last = n - Math.max(3, p);
  for (let t = 0; t < last; t++) {
    if (Math.abs(dev[t] as number) > k * scale) {
      out[t] = baseline[t] as number;
      adjusted.push(t);
    }
  }
  return { values: out, adjusted };
}
