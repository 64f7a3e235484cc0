import { Matrix, inverse } from 'ml-matrix';
import { twoSidedP } from './normal.js';

/**
 * Pearson correlation matrix of equally long columns.
 *
 * @example
 * correlationMatrix([[1, 2, 3], [2, 4, 7]]); // [[1, 0.99…], [0.99…, 1]]
 * @internal
 */
export function correlationMatrix(columns: ArrayLike<number>[]): number[][] {
  const p = columns.length;
  const n = p > 0 ? (columns[0] as ArrayLike<number>).length : 0;
  const z = columns.map((col) => {
    let m = 0;
    for (let i = 0; i < n; i++) m += col[i] as number;
    m /= n;
    let v = 0;
    for (let i = 0; i < n; i++) v += ((col[i] as number) - m) ** 2;
    const s = Math.sqrt(v) || 1;
    return Float64Array.from({ length: n }, (_, i) => ((col[i] as number) - m) / s);
  });
  const R = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  for (let a = 0; a < p; a++) {
    (R[a] as number[])[a] = 1;
    const za = z[a] as Float64Array;
    for (let b = 0; b < a; b++) {
      const zb = z[b] as Float64Array;
      let s = 0;
      for (let i = 0; i < n; i++) s += za[i]! * zb[i]!;
      (R[a] as number[])[b] = s;
      (R[b] as number[])[a] = s;
    }
  }
  return R;
}

/**
 * Partial correlation of variables `i` and `j` given `given`, from a correlation matrix
 * (inverse of the sub-matrix; a tiny ridge keeps near-singular sets solvable).
 *
 * @example
 * partialCorrelation(R, 0, 2, [1]);
 * @internal
 */
export function partialCorrelation(R: number[][], i: number, j: number, given: number[]): number {
  if (given.length === 0) return clampCorrelation((R[i] as number[])[j] as number);
  const idx = [i, j, ...given];
  const sub = new Matrix(
    idx.map((a) => idx.map((b) => ((R[a] as number[])[b] as number) + (a === b ? 1e-10 : 0))),
  );
  const P = inverse(sub);
  return clampCorrelation(-P.get(0, 1) / Math.sqrt(P.get(0, 0) * P.get(1, 1)));
}

/**
 * Fisher z test of zero partial correlation: two-sided p-value for a sample of `n`
 * rows and `k` conditioning variables.
 *
 * @example
 * fisherZPValue(0.1, 1000, 2); // ≈ 0.0015
 * @internal
 */
export function fisherZPValue(r: number, n: number, k: number): number {
  const dof = n - k - 3;
  if (dof <= 0) return 1;
  return twoSidedP(Math.atanh(r) * Math.sqrt(dof));
}

function clampCorrelation(r: number): number {
  if (!Number.isFinite(r)) return 0;
  return Math.max(-0.999999, Math.min(0.999999, r));
}
