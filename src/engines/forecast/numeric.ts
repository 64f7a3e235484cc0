/**
 * Small numeric helpers shared by the forecasting models.
 * @internal
 */

/** @internal Arithmetic mean (0 for an empty array). */
export function mean(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i] as number;
  return xs.length ? s / xs.length : 0;
}

/** @internal Median (0 for an empty array). */
export function median(xs: readonly number[]): number {
  return quantile(xs, 0.5);
}

/** @internal Linear-interpolated quantile (type 7, as R's default). */
export function quantile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * Math.min(1, Math.max(0, p));
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = s[lo] as number;
  const b = s[hi] as number;
  return a + (b - a) * (pos - lo);
}

/** @internal Sample autocorrelation at lags 1..maxLag (index 0 is lag 1). */
export function acf(xs: readonly number[], maxLag: number): number[] {
  const n = xs.length;
  const m = mean(xs);
  let denom = 0;
  for (const x of xs) denom += (x - m) * (x - m);
  const out: number[] = [];
  for (let k = 1; k <= maxLag; k++) {
    let num = 0;
    for (let t = k; t < n; t++) num += ((xs[t] as number) - m) * ((xs[t - k] as number) - m);
    out.push(denom > 0 ? num / denom : 0);
  }
  return out;
}

/** @internal Ordinary least squares of y on t = 0..n-1: intercept and slope. */
export function linearTrend(ys: readonly number[]): { intercept: number; slope: number } {
  const n = ys.length;
  if (n < 2) return { intercept: ys[0] ?? 0, slope: 0 };
  const tm = (n - 1) / 2;
  const ym = mean(ys);
  let sxy = 0;
  let sxx = 0;
  for (let t = 0; t < n; t++) {
    sxy += (t - tm) * ((ys[t] as number) - ym);
    sxx += (t - tm) * (t - tm);
  }
  const slope = sxy / sxx;
  return { intercept: ym - slope * tm, slope };
}

/** @internal True when every value is a finite number. */
export function allFinite(xs: readonly number[]): boolean {
  for (const x of xs) if (!Number.isFinite(x)) return false;
  return true;
}

/**
 * Nelder–Mead simplex minimisation of `f` starting from `x0` (box-clamped by the caller's `f`).
 * @internal
 */
export function nelderMead(
  f: (x: number[]) => number,
  x0: number[],
  opts: { step?: number[]; maxIter?: number; tol?: number } = {},
): { x: number[]; value: number } {
  const n = x0.length;
  const maxIter = opts.maxIter ?? 200 * n;
  const tol = opts.tol ?? 1e-8;
  const simplex: number[][] = [x0.slice()];
  for (let i = 0; i < n; i++) {
    const p = x0.slice();
    p[i] = (p[i] as number) + (opts.step?.[i] ?? 0.1);
    simplex.push(p);
  }
  let values = simplex.map(f);
  for (let iter = 0; iter < maxIter; iter++) {
    const order = values
      .map((v, i) => i)
      .sort((a, b) => (values[a] as number) - (values[b] as number));
    const s = order.map((i) => simplex[i] as number[]);
    const v = order.map((i) => values[i] as number);
    simplex.splice(0, simplex.length, ...s);
    values = v;
    const best = values[0] as number;
    const worst = values[n] as number;
    if (Math.abs(worst - best) <= tol * (Math.abs(best) + tol)) break;
    const centroid = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++)
        centroid[j] = (centroid[j] as number) + ((simplex[i] as number[])[j] as number) / n;
    const worstPt = simplex[n] as number[];
    const at = (c: number): number[] =>
      centroid.map((cj, j) => cj + c * (cj - (worstPt[j] as number)));
    const xr = at(1);
    const fr = f(xr);
    if (fr < best) {
      const xe = at(2);
      const fe = f(xe);
      if (fe < fr) {
        simplex[n] = xe;
        values[n] = fe;
      } else {
        simplex[n] = xr;
        values[n] = fr;
      }
    } else if (fr < (values[n - 1] as number)) {
      simplex[n] = xr;
      values[n] = fr;
    } else {
      const xc = fr < worst ? at(0.5) : at(-0.5);
      const fc = f(xc);
      if (fc < Math.min(fr, worst)) {
        simplex[n] = xc;
        values[n] = fc;
      } else {
        const b = simplex[0] as number[];
        for (let i = 1; i <= n; i++) {
          simplex[i] = (simplex[i] as number[]).map(
            (xj, j) => (b[j] as number) + 0.5 * (xj - (b[j] as number)),
          );
          values[i] = f(simplex[i] as number[]);
        }
      }
    }
  }
  let bi = 0;
  for (let i = 1; i <= n; i++) if ((values[i] as number) < (values[bi] as number)) bi = i;
  return { x: simplex[bi] as number[], value: values[bi] as number };
}
