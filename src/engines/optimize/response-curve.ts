import { OptimizeInputError } from './errors.js';

/** A concave spend → return curve. */
export type ResponseCurve =
  | { kind: 'log'; a: number; b: number }
  | { kind: 'saturation'; a: number; b: number }
  | { kind: 'linear'; a: number };

/** A fitted curve with its fit quality on the history. */
export interface FittedCurve {
  curve: ResponseCurve;
  /** Root-mean-square error of the fit, in return units. */
  rmse: number;
  /** Share of variance explained (can be negative for a poor fit). */
  r2: number;
  points: number;
}

/**
 * Expected return of spending `x` on a curve:
 * `log`: a·ln(1 + x/b); `saturation`: a·(1 − e^(−x/b)); `linear`: a·x.
 *
 * @example
 * curveValue({ kind: 'log', a: 1000, b: 500 }, 500); // ≈ 693.1
 */
export function curveValue(curve: ResponseCurve, x: number): number {
  if (x <= 0) return 0;
  switch (curve.kind) {
    case 'log':
      return curve.a * Math.log1p(x / curve.b);
    case 'saturation':
      return curve.a * -Math.expm1(-x / curve.b);
    case 'linear':
      return curve.a * x;
  }
}

/**
 * Marginal return of one more unit of spend at `x` (the curve's slope).
 *
 * @example
 * curveSlope({ kind: 'log', a: 1000, b: 500 }, 500); // 1
 */
export function curveSlope(curve: ResponseCurve, x: number): number {
  const s = Math.max(0, x);
  switch (curve.kind) {
    case 'log':
      return curve.a / (curve.b + s);
    case 'saturation':
      return (curve.a / curve.b) * Math.exp(-s / curve.b);
    case 'linear':
      return curve.a;
  }
}

/**
 * Fits a concave response curve to history points `(spend, return)` by least squares: for
 * each shape (log and saturation) the scale `a` has a closed form given `b`, and `b` is found
 * by a log-grid search refined by golden section. The shape with the smaller error wins.
 * Needs at least two distinct positive spends.
 *
 * @example
 * fitResponseCurve([{ spend: 100, return: 180 }, { spend: 400, return: 420 }, { spend: 900, return: 560 }]);
 * // { curve: { kind: 'log', a: …, b: … }, rmse: …, r2: …, points: 3 }
 */
export function fitResponseCurve(
  history: ReadonlyArray<{ spend: number; return: number }>,
  path = 'history',
): FittedCurve {
  const pts = history.filter(
    (p) => Number.isFinite(p.spend) && Number.isFinite(p.return) && p.spend >= 0,
  );
  const positive = [...new Set(pts.filter((p) => p.spend > 0).map((p) => p.spend))];
  if (positive.length < 2) {
    throw new OptimizeInputError(
      path,
      'needs at least two history points with different positive spend to fit a response curve',
    );
  }
  const lo = Math.log(Math.min(...positive) / 20);
  const hi = Math.log(Math.max(...positive) * 20);
  const shapes = [
    { kind: 'log' as const, g: (x: number, b: number) => Math.log1p(x / b) },
    { kind: 'saturation' as const, g: (x: number, b: number) => -Math.expm1(-x / b) },
  ];
  let best: { curve: ResponseCurve; sse: number } | undefined;
  for (const shape of shapes) {
    const fit = (logB: number): { a: number; sse: number } => {
      const b = Math.exp(logB);
      let gy = 0;
      let gg = 0;
      for (const p of pts) {
        const g = shape.g(p.spend, b);
        gy += g * p.return;
        gg += g * g;
      }
      const a = gg > 0 ? Math.max(0, gy / gg) : 0;
      let sse = 0;
      for (const p of pts) sse += (p.return - a * shape.g(p.spend, b)) ** 2;
      return { a, sse };
    };
    let bestLog = lo;
    let bestSse = Infinity;
    for (let k = 0; k <= 80; k++) {
      const l = lo + ((hi - lo) * k) / 80;
      const { sse } = fit(l);
      if (sse < bestSse) {
        bestSse = sse;
        bestLog = l;
      }
    }
    // Golden-section refinement around the best grid point.
    const step = (hi - lo) / 80;
    let a = bestLog - step;
    let b = bestLog + step;
    const phi = (Math.sqrt(5) - 1) / 2;
    for (let it = 0; it < 60; it++) {
      const c = b - phi * (b - a);
      const d = a + phi * (b - a);
      if (fit(c).sse < fit(d).sse) b = d;
      else a = c;
    }
    const logB = (a + b) / 2;
    const final = fit(logB);
    if (!best || final.sse < best.sse)
      best = { curve: { kind: shape.kind, a: final.a, b: Math.exp(logB) }, sse: final.sse };
  }
  const mean = pts.reduce((s, p) => s + p.return, 0) / pts.length;
  const sst = pts.reduce((s, p) => s + (p.return - mean) ** 2, 0);
  const sse = best?.sse ?? 0;
  return {
    curve: best?.curve ?? { kind: 'linear', a: 0 },
    rmse: Math.sqrt(sse / pts.length),
    r2: sst > 0 ? 1 - sse / sst : 1,
    points: pts.length,
  };
}
