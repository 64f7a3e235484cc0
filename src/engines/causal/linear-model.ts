import { Matrix, inverse } from 'ml-matrix';

/**
 * A fitted least-squares model. Coefficients are on the caller's scale; the fit itself
 * runs on centred and scaled columns for numerical stability.
 */
export interface LinearFit {
  /** Intercept first, then one coefficient per column (0 for a dropped collinear column). */
  coef: number[];
  /** Heteroskedasticity-robust (HC1) standard errors, same layout as `coef`. */
  se: number[];
  /** Robust covariance matrix of `coef`. */
  cov: number[][];
  /** Indices of columns dropped as collinear. */
  dropped: number[];
  residuals: Float64Array;
  fitted: Float64Array;
  /** Weighted residual variance. */
  sigma2: number;
  /** (Weighted) R². */
  r2: number;
  n: number;
}

/**
 * Weighted least squares with an intercept and HC1 robust standard errors
 * (`covariance: false` skips them when only coefficients are needed).
 * Collinear columns are dropped (coefficient 0) rather than failing.
 *
 * @example
 * const fit = fitLinear([[1, 2, 3, 4]], [2, 4.1, 5.9, 8]);
 * fit.coef; // ≈ [0, 2]
 * @internal
 */
export function fitLinear(
  columns: ArrayLike<number>[],
  y: ArrayLike<number>,
  weights?: ArrayLike<number>,
  options: { covariance?: boolean } = {},
): LinearFit {
  const n = y.length;
  const p = columns.length;
  const w = weights ?? new Float64Array(n).fill(1);
  let wsum = 0;
  for (let i = 0; i < n; i++) wsum += w[i] as number;
  // Centre and scale every column (weighted) so the normal equations are well conditioned.
  const means: number[] = [];
  const scales: number[] = [];
  const z: Float64Array[] = [];
  for (const col of columns) {
    let m = 0;
    for (let i = 0; i < n; i++) m += (w[i] as number) * (col[i] as number);
    m /= wsum;
    let v = 0;
    for (let i = 0; i < n; i++) v += (w[i] as number) * ((col[i] as number) - m) ** 2;
    const s = Math.sqrt(v / wsum);
    const zc = new Float64Array(n);
    if (s > 0) for (let i = 0; i < n; i++) zc[i] = ((col[i] as number) - m) / s;
    means.push(m);
    scales.push(s > 0 ? s : 1);
    z.push(zc);
  }
  let ym = 0;
  for (let i = 0; i < n; i++) ym += (w[i] as number) * (y[i] as number);
  ym /= wsum;
  // Normal equations on centred columns: the intercept separates out exactly.
  const xtx: number[][] = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  const xty = new Array<number>(p).fill(0);
  for (let j = 0; j < p; j++) {
    const zj = z[j] as Float64Array;
    for (let k = 0; k <= j; k++) {
      const zk = z[k] as Float64Array;
      let s = 0;
      for (let i = 0; i < n; i++) s += (w[i] as number) * zj[i]! * zk[i]!;
      (xtx[j] as number[])[k] = s;
      (xtx[k] as number[])[j] = s;
    }
    let s = 0;
    for (let i = 0; i < n; i++) s += (w[i] as number) * zj[i]! * ((y[i] as number) - ym);
    xty[j] = s;
  }
  const keep = independentColumns(xtx, wsum);
  const dropped = [...Array(p).keys()].filter((j) => !keep.includes(j));
  const q = keep.length;
  const sub = new Matrix(keep.map((j) => keep.map((k) => (xtx[j] as number[])[k] as number)));
  const bread = q > 0 ? inverse(sub) : new Matrix(0, 0);
  const beta = new Array<number>(q).fill(0);
  for (let a = 0; a < q; a++) {
    let s = 0;
    for (let b = 0; b < q; b++) s += bread.get(a, b) * (xty[keep[b] as number] as number);
    beta[a] = s;
  }
  const fitted = new Float64Array(n);
  const residuals = new Float64Array(n);
  let rss = 0;
  let tss = 0;
  for (let i = 0; i < n; i++) {
    let f = ym;
    for (let a = 0; a < q; a++)
      f += (beta[a] as number) * (z[keep[a] as number] as Float64Array)[i]!;
    fitted[i] = f;
    const r = (y[i] as number) - f;
    residuals[i] = r;
    rss += (w[i] as number) * r * r;
    tss += (w[i] as number) * ((y[i] as number) - ym) ** 2;
  }
  const dim = q + 1;
  // Map back to the caller's scale: coef = A · [b0, beta] with b0 = ym (centred intercept).
  const A = new Matrix(p + 1, dim);
  A.set(0, 0, 1);
  keep.forEach((j, a) => {
    const s = scales[j] as number;
    A.set(j + 1, a + 1, 1 / s);
    A.set(0, a + 1, -(means[j] as number) / s);
  });
  const thetaZ = [ym, ...beta];
  const coef = new Array<number>(p + 1).fill(0);
  for (let r = 0; r <= p; r++) {
    let s = 0;
    for (let c = 0; c < dim; c++) s += A.get(r, c) * (thetaZ[c] as number);
    coef[r] = s;
  }
  const base = {
    coef,
    dropped,
    residuals,
    fitted,
    sigma2: rss / Math.max(1, wsum - dim),
    r2: tss > 0 ? 1 - rss / tss : 0,
    n,
  };
  if (options.covariance === false)
    return { ...base, se: new Array<number>(p + 1).fill(0), cov: [] };
  // HC1 sandwich in the centred basis [1, z_keep]; the intercept block is decoupled from
  // the slopes in the bread because the columns are centred.
  const meat: number[][] = Array.from({ length: dim }, () => new Array<number>(dim).fill(0));
  const row = new Array<number>(dim).fill(0);
  for (let i = 0; i < n; i++) {
    const u = (w[i] as number) * residuals[i]!;
    if (u === 0) continue;
    row[0] = u;
    for (let a = 0; a < q; a++) row[a + 1] = u * (z[keep[a] as number] as Float64Array)[i]!;
    for (let a = 0; a < dim; a++) {
      const ra = row[a] as number;
      const m = meat[a] as number[];
      for (let b = 0; b <= a; b++) m[b] = (m[b] as number) + ra * (row[b] as number);
    }
  }
  for (let a = 0; a < dim; a++)
    for (let b = 0; b < a; b++) (meat[b] as number[])[a] = (meat[a] as number[])[b] as number;
  const fullBread = new Matrix(dim, dim);
  fullBread.set(0, 0, 1 / wsum);
  for (let a = 0; a < q; a++)
    for (let b = 0; b < q; b++) fullBread.set(a + 1, b + 1, bread.get(a, b));
  const dof = n > dim ? n / (n - dim) : 1;
  const covZ = fullBread.mmul(new Matrix(meat)).mmul(fullBread).mul(dof);
  const cov = A.mmul(covZ).mmul(A.transpose()).to2DArray();
  const se = cov.map((r, i) => Math.sqrt(Math.max(0, r[i] as number)));
  return { ...base, se, cov };
}

/**
 * Greedy pivoted Cholesky: keeps a column only when it adds variance not explained
 * by the columns kept before it.
 * @internal
 */
export function independentColumns(gram: number[][], scale: number, tol = 1e-9): number[] {
  const p = gram.length;
  const keep: number[] = [];
  const L: number[][] = [];
  for (let j = 0; j < p; j++) {
    const gj = gram[j] as number[];
    const diag = gj[j] as number;
    if (!(diag > tol * scale)) continue;
    const l = keep.map(() => 0);
    for (let a = 0; a < keep.length; a++) {
      let s = gj[keep[a] as number] as number;
      const La = L[a] as number[];
      for (let b = 0; b < a; b++) s -= (La[b] as number) * (l[b] as number);
      l[a] = s / (La[a] as number);
    }
    let rem = diag;
    for (const v of l) rem -= v * v;
    if (rem <= tol * diag) continue;
    l.push(Math.sqrt(rem));
    L.push(l);
    keep.push(j);
  }
  return keep;
}

/**
 * Predicts `coef[0] + Σ coef[j+1]·columns[j]` for every row.
 * @internal
 */
export function predictLinear(
  coef: number[],
  columns: ArrayLike<number>[],
  n: number,
): Float64Array {
  const out = new Float64Array(n).fill(coef[0] as number);
  columns.forEach((col, j) => {
    const b = coef[j + 1] as number;
    if (b !== 0) for (let i = 0; i < n; i++) out[i] = out[i]! + b * (col[i] as number);
  });
  return out;
}
