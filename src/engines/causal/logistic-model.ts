import { Matrix, solve } from 'ml-matrix';
import { CausalInputError } from './errors.js';
import { independentColumns } from './linear-model.js';

/** A fitted logistic regression (propensity model). */
export interface LogisticFit {
  /** Intercept first, then one coefficient per column, on the caller's scale. */
  coef: number[];
  /** Fitted probabilities P(t = 1 | x). */
  probabilities: Float64Array;
  iterations: number;
  converged: boolean;
}

/**
 * Logistic regression by Newton–Raphson (IRLS) on standardised columns with a tiny ridge
 * penalty, so quasi-separated data still converge. Perfectly separated data (some
 * combination of the columns predicts the treatment exactly) throw `perfect_separation`:
 * propensity weights would be infinite there.
 *
 * @example
 * const fit = fitLogistic([[0, 1, 2, 3, 4, 5]], [0, 0, 1, 0, 1, 1]);
 * fit.probabilities[5]; // > 0.5
 * @internal
 */
export function fitLogistic(
  columns: ArrayLike<number>[],
  t: ArrayLike<number>,
  options: { ridge?: number; names?: string[] } = {},
): LogisticFit {
  const n = t.length;
  const ridge = options.ridge ?? 1e-4;
  const means: number[] = [];
  const scales: number[] = [];
  const z: Float64Array[] = [];
  for (const col of columns) {
    let m = 0;
    for (let i = 0; i < n; i++) m += col[i] as number;
    m /= n;
    let v = 0;
    for (let i = 0; i < n; i++) v += ((col[i] as number) - m) ** 2;
    const s = Math.sqrt(v / n) || 1;
    const zc = new Float64Array(n);
    for (let i = 0; i < n; i++) zc[i] = ((col[i] as number) - m) / s;
    means.push(m);
    scales.push(s);
    z.push(zc);
  }
  // Drop exactly collinear columns first (their coefficients stay 0).
  const gram = z.map(() => new Array<number>(z.length).fill(0));
  z.forEach((a, i) => {
    for (let j = 0; j <= i; j++)
      (gram[i] as number[])[j] = (gram[j] as number[])[i] = dot(a, z[j] as Float64Array);
  });
  const keep = independentColumns(gram, n);
  const X = keep.map((j) => z[j] as Float64Array);
  const dim = X.length + 1;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += t[i] as number;
  mean /= n;
  const beta = new Array<number>(dim).fill(0);
  beta[0] = Math.log(mean / (1 - mean));
  const eta = new Float64Array(n);
  const prob = new Float64Array(n);
  // Row-major design with a leading 1, for a cache-friendly Hessian loop.
  const rows = new Float64Array(n * dim);
  for (let i = 0; i < n; i++) {
    rows[i * dim] = 1;
    for (let a = 1; a < dim; a++) rows[i * dim + a] = (X[a - 1] as Float64Array)[i]!;
  }
  let converged = false;
  let iterations = 0;
  let loss = penalisedLoss(beta, X, t, eta, ridge);
  const grad = new Float64Array(dim);
  const hess = new Float64Array(dim * dim);
  // Chord Newton: the Hessian is recomputed for the first iterations and whenever a step
  // needed damping; near the optimum it barely changes, and the gradient is O(n·d) only.
  let refresh = true;
  for (; iterations < 100 && !converged; iterations++) {
    refresh = refresh || iterations < 2;
    grad.fill(0);
    if (refresh) hess.fill(0);
    for (let i = 0; i < n; i++) {
      const p = 1 / (1 + Math.exp(-eta[i]!));
      const r = (t[i] as number) - p;
      const wgt = Math.max(p * (1 - p), 1e-12);
      const off = i * dim;
      for (let a = 0; a < dim; a++) {
        const xa = rows[off + a]!;
        grad[a] = grad[a]! + r * xa;
        if (!refresh) continue;
        const wa = wgt * xa;
        const h = a * dim;
        for (let b = 0; b <= a; b++) hess[h + b] = hess[h + b]! + wa * rows[off + b]!;
      }
    }
    const H: number[][] = [];
    for (let a = 0; a < dim; a++) {
      const rowH = new Array<number>(dim);
      for (let b = 0; b < dim; b++) rowH[b] = a >= b ? hess[a * dim + b]! : hess[b * dim + a]!;
      if (a > 0) {
        grad[a] = grad[a]! - ridge * n * (beta[a] as number);
        rowH[a] = (rowH[a] as number) + ridge * n;
      }
      H.push(rowH);
    }
    const step = solve(new Matrix(H), Matrix.columnVector(Array.from(grad))).to1DArray();
    // Damped Newton: halve the step until the penalised loss decreases.
    let scale = 1;
    let candidate = beta;
    let next = Infinity;
    for (let halvings = 0; halvings < 40; halvings++) {
      candidate = beta.map((b, a) => b + scale * (step[a] as number));
      next = penalisedLoss(candidate, X, t, eta, ridge);
      if (next <= loss + 1e-12 * Math.abs(loss)) break;
      scale /= 2;
    }
    const maxStep = Math.max(...step.map((v) => Math.abs(v * scale)));
    converged = maxStep < 1e-7 || loss - next < 1e-10 * Math.max(1, Math.abs(loss));
    if (next <= loss) {
      beta.splice(0, dim, ...candidate);
      loss = next;
      refresh = scale < 1;
    } else if (!refresh) {
      // The stale Hessian gave no descent: retry from here with a fresh one.
      converged = false;
      refresh = true;
      penalisedLoss(beta, X, t, eta, ridge);
    } else {
      converged = true;
      penalisedLoss(beta, X, t, eta, ridge);
    }
  }
  computeEta(beta, X, eta);
  let maxControl = -Infinity;
  let minTreated = Infinity;
  for (let i = 0; i < n; i++) {
    prob[i] = 1 / (1 + Math.exp(-eta[i]!));
    if ((t[i] as number) === 1) minTreated = Math.min(minTreated, eta[i]!);
    else maxControl = Math.max(maxControl, eta[i]!);
  }
  if (minTreated > maxControl && X.length > 0) {
    const names = options.names ? ` (${keep.map((j) => options.names?.[j]).join(', ')})` : '';
    throw new CausalInputError(
      'perfect_separation',
      `the covariates${names} separate treated from untreated rows perfectly: there are no comparable untreated rows, so no propensity-based effect exists`,
    );
  }
  const coef = new Array<number>(columns.length + 1).fill(0);
  coef[0] = beta[0] as number;
  keep.forEach((j, a) => {
    const b = (beta[a + 1] as number) / (scales[j] as number);
    coef[j + 1] = b;
    coef[0] = (coef[0] as number) - b * (means[j] as number);
  });
  return { coef, probabilities: prob, iterations, converged };
}

function penalisedLoss(
  beta: number[],
  X: Float64Array[],
  t: ArrayLike<number>,
  eta: Float64Array,
  ridge: number,
): number {
  computeEta(beta, X, eta);
  const n = eta.length;
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const e = eta[i]!;
    loss += Math.log1p(Math.exp(-Math.abs(e))) + Math.max(e, 0) - (t[i] as number) * e;
  }
  for (let a = 1; a < beta.length; a++) loss += 0.5 * ridge * n * (beta[a] as number) ** 2;
  return loss;
}

function computeEta(beta: number[], X: Float64Array[], eta: Float64Array): void {
  eta.fill(beta[0] as number);
  X.forEach((col, a) => {
    const b = beta[a + 1] as number;
    for (let i = 0; i < eta.length; i++) eta[i] = eta[i]! + b * col[i]!;
  });
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
