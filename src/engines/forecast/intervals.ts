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
): { level: number; lower: number[]; upper: number[] } {
  const z = normalQuantile(0.5 + level / 200) * factor;
  return {
    level,
    lower: points.map((p, j) => p - z * (sd[j] as number)),
    upper: points.map((p, j) => p + z * (sd[j] as number)),
  };
}
