import { nelderMead } from '../numeric.js';

/** Parameters of a non-seasonal additive-error exponential smoothing model. */
export interface EtsParams {
  alpha: number;
  /** Trend smoothing (0 when there is no trend). */
  beta: number;
  /** Damping (1 = undamped). */
  phi: number;
  level0: number;
  trend0: number;
}

/** Trend form: none (SES), additive (Holt) or additive damped. */
export type EtsTrend = 'none' | 'additive' | 'damped';

/** A fitted exponential smoothing model. */
export interface EtsFit {
  trend: EtsTrend;
  params: EtsParams;
  level: number;
  slope: number;
  /** One-step-ahead in-sample errors. */
  residuals: number[];
  sse: number;
}

/**
 * Runs the ETS(A,N/A/Ad,N) recursions with fixed parameters.
 *
 * @example
 * etsFilter([1, 2, 3], 'none', { alpha: 0.5, beta: 0, phi: 1, level0: 1, trend0: 0 }).level; // 2.25
 */
export function etsFilter(values: readonly number[], trend: EtsTrend, p: EtsParams): EtsFit {
  let l = p.level0;
  let b = trend === 'none' ? 0 : p.trend0;
  const phi = trend === 'damped' ? p.phi : 1;
  const residuals: number[] = new Array<number>(values.length);
  let sse = 0;
  for (let t = 0; t < values.length; t++) {
    const yhat = l + phi * b;
    const e = (values[t] as number) - yhat;
    residuals[t] = e;
    sse += e * e;
    const lNew = yhat + p.alpha * e;
    if (trend !== 'none') b = phi * b + p.alpha * p.beta * e;
    l = lNew;
  }
  return { trend, params: p, level: l, slope: b, residuals, sse };
}

/**
 * Point forecasts of a fitted ETS model (damped trend sums φ + φ² + … + φʰ).
 *
 * @example
 * etsForecast(etsFilter([1, 2, 3], 'none', { alpha: 0.5, beta: 0, phi: 1, level0: 1, trend0: 0 }), 2); // [2.25, 2.25]
 */
export function etsForecast(fit: EtsFit, horizon: number): number[] {
  const phi = fit.trend === 'damped' ? fit.params.phi : 1;
  const out: number[] = [];
  let damp = 0;
  let pw = 1;
  for (let h = 1; h <= horizon; h++) {
    pw *= phi;
    damp += pw;
    out.push(fit.level + (fit.trend === 'none' ? 0 : damp * fit.slope));
  }
  return out;
}

const logistic = (x: number, lo: number, hi: number): number => lo + (hi - lo) / (1 + Math.exp(-x));
const logit = (v: number, lo: number, hi: number): number => {
  const u = Math.min(1 - 1e-6, Math.max(1e-6, (v - lo) / (hi - lo)));
  return Math.log(u / (1 - u));
};

/**
 * Fits SES / Holt / damped-trend ETS by least squares (= Gaussian likelihood) over the smoothing
 * parameters and the initial states, with Nelder–Mead. Bounds follow R's `forecast::ets`:
 * 0 < α < 1, 0 < β < 1 (as a share of α), 0.8 ≤ φ ≤ 0.98.
 *
 * @example
 * const fit = fitEts([10, 12, 14, 16, 18], 'additive');
 * etsForecast(fit, 1); // ≈ [20]
 */
export function fitEts(values: readonly number[], trend: EtsTrend): EtsFit {
  const n = values.length;
  const y0 = values[0] as number;
  const k = Math.min(n, 10);
  let slope0 = 0;
  if (trend !== 'none' && n > 1) slope0 = ((values[k - 1] as number) - y0) / Math.max(1, k - 1);
  let scale = 0;
  for (let t = 1; t < n; t++) scale += Math.abs((values[t] as number) - (values[t - 1] as number));
  scale = scale / Math.max(1, n - 1) || Math.abs(y0) * 0.01 || 1;
  const unpack = (x: number[]): EtsParams => ({
    alpha: logistic(x[0] as number, 1e-4, 0.9999),
    beta: trend === 'none' ? 0 : logistic(x[1] as number, 1e-4, 0.9999),
    phi: trend === 'damped' ? logistic(x[2] as number, 0.8, 0.98) : 1,
    level0: y0 + (x[3] as number) * scale,
    trend0: trend === 'none' ? 0 : slope0 + (x[4] as number) * scale * 0.1,
  });
  const objective = (x: number[]): number => etsFilter(values, trend, unpack(x)).sse;
  const x0 = [
    logit(trend === 'none' ? 0.3 : 0.2, 1e-4, 0.9999),
    logit(0.1, 1e-4, 0.9999),
    logit(0.95, 0.8, 0.98),
    0,
    0,
  ];
  // Optimise only the coordinates this trend form uses.
  const used = trend === 'none' ? [0, 3] : trend === 'additive' ? [0, 1, 3, 4] : [0, 1, 2, 3, 4];
  const sub = (z: number[]): number[] => {
    const full = x0.slice();
    used.forEach((idx, i) => (full[idx] = z[i] as number));
    return full;
  };
  const res = nelderMead(
    (z) => objective(sub(z)),
    used.map((i) => x0[i] as number),
    {
      step: used.map(() => 0.5),
      maxIter: 120 * used.length,
      tol: 1e-7,
    },
  );
  return etsFilter(values, trend, unpack(sub(res.x)));
}
