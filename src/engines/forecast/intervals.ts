import { normalQuantile } from '../shared/normal-distribution.js';

/**
 * Per-step forecast-error standard deviations from backtest errors (a conformal-style,
 * model-free estimate): squared errors are pooled over origins and a window of neighbouring
 * steps (± ⌈H/8⌉), made non-decreasing in the step, and extended past the backtest window
 * like a random walk (∝ √h). `errors[o][j]` is the error at origin o and step j.
 *
 * @example
 * errorScale([[1, -2], [-1, 2]], 3); // [√2.5, √2.5, √2.5·√1.5]
 */
export function errorScale(errors: readonly (readonly number[])[], horizon: number): number[] {
  const hb = errors[0]?.length ?? 0;
  if (!hb) return new Array<number>(horizon).fill(0);
  const w = Math.ceil(hb / 8);
  const out: number[] = [];
  let running = 0;
  for (let j = 0; j < Math.min(hb, horizon); j++) {
    let s = 0;
    let c = 0;
    for (const e of errors)
      for (let k = Math.max(0, j - w); k <= Math.min(hb - 1, j + w); k++) {
        s += (e[k] as number) ** 2;
        c++;
      }
    running = Math.max(running, Math.sqrt(s / c));
    out.push(running);
  }
  for (let j = hb; j < horizon; j++) out.push(running * Math.sqrt((j + 1) / hb));
  return out;
}

/**
 * Root-mean-square j-step error (j = 1…h) of the "repeat the value `lag` steps back" forecast
 * over every origin in the history: a stable, model-free error profile (lag 1 = naive,
 * lag m = seasonal naive).
 *
 * @example
 * historicalNaiveScale([1, 2, 3, 4], 1, 2); // [1, 2]
 */
export function historicalNaiveScale(y: readonly number[], lag: number, horizon: number): number[] {
  const out: number[] = [];
  for (let j = 1; j <= horizon; j++) {
    const back = lag * Math.ceil(j / lag);
    let s = 0;
    let c = 0;
    for (let t = back; t < y.length; t++) {
      s += ((y[t] as number) - (y[t - back] as number)) ** 2;
      c++;
    }
    out.push(c ? Math.sqrt(s / c) : (out[out.length - 1] ?? 0) * Math.sqrt(j / Math.max(1, j - 1)));
  }
  return out;
}

/**
 * Effective number of independent errors among backtest errors: errors within a window are
 * autocorrelated (a level shift makes every step wrong the same way), so `k` windows of `hb`
 * steps count as k·hb·(1 − ρ)/(1 + ρ) (AR(1) rule, ρ = lag-1 autocorrelation about zero),
 * clamped to [k, k·hb].
 *
 * @example
 * effectiveSampleSize([[1, 1, 1], [-1, -1, -1]]); // 2 — each window is one level error
 */
export function effectiveSampleSize(errors: readonly (readonly number[])[]): number {
  let num = 0;
  let den = 0;
  let total = 0;
  for (const e of errors) {
    total += e.length;
    for (let j = 0; j < e.length; j++) {
      den += (e[j] as number) ** 2;
      if (j > 0) num += (e[j] as number) * (e[j - 1] as number);
    }
  }
  const k = errors.length;
  if (!k || den === 0) return Math.max(1, total);
  const rho = Math.min(0.999, Math.max(0, num / den));
  return Math.min(total, Math.max(k, (total * (1 - rho)) / (1 + rho)));
}

/**
 * Student-t quantile by the Cornish–Fisher expansion around the normal quantile (Hill, 1970);
 * accurate to ~1% for ν ≥ 2 in the central 99%.
 *
 * @example
 * studentQuantile(0.975, 10); // ≈ 2.228
 */
export function studentQuantile(p: number, nu: number): number {
  const z = normalQuantile(p);
  if (!Number.isFinite(nu) || nu > 1e6) return z;
  const z3 = z ** 3;
  const z5 = z ** 5;
  const z7 = z ** 7;
  const z9 = z ** 9;
  const g1 = (z3 + z) / 4;
  const g2 = (5 * z5 + 16 * z3 + 3 * z) / 96;
  const g3 = (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / 384;
  const g4 = (79 * z9 + 776 * z7 + 1482 * z5 - 1920 * z3 - 945 * z) / 92160;
  return z + g1 / nu + g2 / nu ** 2 + g3 / nu ** 3 + g4 / nu ** 4;
}

/**
 * Normal-theory central interval `points ± z·factor·sd` at `level` percent.
 *
 * @example
 * centralInterval([10], [1], 95, 1); // { level: 95, lower: [≈8.04], upper: [≈11.96] }
 */
export function centralInterval(
  points: readonly number[],
  sd: readonly number[],
  level: number,
  factor: number,
  dof = Infinity,
): { level: number; lower: number[]; upper: number[] } {
  const z = studentQuantile(0.5 + level / 200, dof) * factor;
  return {
    level,
    lower: points.map((p, j) => p - z * (sd[j] as number)),
    upper: points.map((p, j) => p + z * (sd[j] as number)),
  };
}
