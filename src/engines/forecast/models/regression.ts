import { etsForecast, fitEts } from './exponential-smoothing.js';

/**
 * Solves the normal equations (XᵀX + λI)β = Xᵀy by Gaussian elimination with partial pivoting.
 * @internal
 */
export function leastSquares(
  rows: readonly number[][],
  y: readonly number[],
  ridge = 1e-8,
): number[] {
  const k = rows[0]?.length ?? 0;
  const a = Array.from({ length: k }, () => new Array<number>(k + 1).fill(0));
  rows.forEach((r, t) => {
    for (let i = 0; i < k; i++) {
      const ai = a[i] as number[];
      for (let j = 0; j < k; j++) ai[j] = (ai[j] as number) + (r[i] as number) * (r[j] as number);
      ai[k] = (ai[k] as number) + (r[i] as number) * (y[t] as number);
    }
  });
  for (let i = 0; i < k; i++)
    (a[i] as number[])[i] = ((a[i] as number[])[i] as number) + ridge * rows.length;
  for (let c = 0; c < k; c++) {
    let piv = c;
    for (let r = c + 1; r < k; r++)
      if (Math.abs((a[r] as number[])[c] as number) > Math.abs((a[piv] as number[])[c] as number))
        piv = r;
    [a[c], a[piv]] = [a[piv] as number[], a[c] as number[]];
    const pc = a[c] as number[];
    const d = pc[c] as number;
    if (Math.abs(d) < 1e-12) continue;
    for (let r = 0; r < k; r++) {
      if (r === c) continue;
      const pr = a[r] as number[];
      const f = (pr[c] as number) / d;
      if (f !== 0) for (let j = c; j <= k; j++) pr[j] = (pr[j] as number) - f * (pc[j] as number);
    }
  }
  return a.map((r, i) => {
    const d = r[i] as number;
    return Math.abs(d) < 1e-12 ? 0 : (r[k] as number) / d;
  });
}

/**
 * Dynamic regression: y = β₀ + Σ βᵢ·xᵢ + Fourier terms of each seasonal period + error, with the
 * error forecast by a damped-trend ETS. `regressors` hold each column over history + horizon,
 * indexed from the first observation; columns are standardised before fitting.
 *
 * @example
 * // price cut in periods 3 and 7 lifts sales by 5
 * regressionForecast([10, 10, 15, 10, 10, 10, 15], 1, { promo: [0, 0, 1, 0, 0, 0, 1, 1] }, []); // ≈ [15]
 */
export function regressionForecast(
  y: readonly number[],
  horizon: number,
  regressors: Record<string, readonly number[]>,
  periods: readonly number[],
): number[] {
  const n = y.length;
  const cols: ((t: number) => number)[] = [];
  for (const v of Object.values(regressors)) {
    const hist = v.slice(0, n);
    const mu = hist.reduce((s, a) => s + a, 0) / Math.max(1, n);
    const sd = Math.sqrt(hist.reduce((s, a) => s + (a - mu) ** 2, 0) / Math.max(1, n)) || 1;
    cols.push((t) => ((v[t] ?? mu) - mu) / sd);
  }
  for (const p of periods) {
    if (n < 2 * p) continue;
    for (let k = 1; k <= Math.min(3, Math.floor(p / 2)); k++) {
      cols.push((t) => Math.sin((2 * Math.PI * k * t) / p));
      cols.push((t) => Math.cos((2 * Math.PI * k * t) / p));
    }
  }
  const row = (t: number): number[] => [1, ...cols.map((c) => c(t))];
  const rows = Array.from({ length: n }, (_, t) => row(t));
  const beta = leastSquares(rows, y);
  const fitted = rows.map((r) => r.reduce((s, v, i) => s + v * (beta[i] as number), 0));
  const resid = y.map((v, t) => v - (fitted[t] as number));
  const ef =
    resid.length >= 4
      ? etsForecast(fitEts(resid, 'damped'), horizon)
      : new Array<number>(horizon).fill(0);
  return ef.map((e, h) => row(n + h).reduce((s, v, i) => s + v * (beta[i] as number), 0) + e);
}
