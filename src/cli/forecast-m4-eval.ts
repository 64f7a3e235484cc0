import {
  coverage,
  deseasonalise,
  fitTheta,
  mase,
  msis,
  naive2Forecast,
  owa,
  seasonalNaiveForecast,
  smape,
  thetaForecast,
} from '../engines/forecast/index.js';

/** Accuracy of one method over a set of series (means over series, M4 style). */
export interface SetScore {
  method: string;
  smape: number;
  mase: number;
  owa: number;
  msis?: number;
  coverage95?: number;
  seriesPerSecond?: number;
}

/** A method's forecasts for every series, with optional 95% bounds. */
export interface MethodForecasts {
  method: string;
  points: number[][];
  lower?: number[][];
  upper?: number[][];
  seconds?: number;
}

/**
 * Scores methods on M4 data: sMAPE, MASE (seasonal period `m`), OWA relative to Naive2 computed
 * here from the same training data, and MSIS and coverage for methods with 95% bounds.
 *
 * @example
 * scoreMethods(train, test, 13, 1, [{ method: 'ours', points }]);
 */
export function scoreMethods(
  train: readonly number[][],
  test: readonly number[][],
  horizon: number,
  m: number,
  methods: readonly MethodForecasts[],
): { naive2: SetScore; methods: SetScore[] } {
  const n = train.length;
  const avg = (f: (i: number) => number): number => {
    let s = 0;
    for (let i = 0; i < n; i++) s += f(i);
    return s / n;
  };
  const actual = (i: number): number[] => (test[i] as number[]).slice(0, horizon);
  const n2 = train.map((y) => naive2Forecast(y, horizon, m));
  const base = {
    smape: avg((i) => smape(actual(i), n2[i] as number[])),
    mase: avg((i) => mase(train[i] as number[], actual(i), n2[i] as number[], m)),
  };
  const naive2: SetScore = { method: 'Naive2', ...base, owa: 1 };
  const scores = methods.map((mf): SetScore => {
    const s = {
      smape: avg((i) => smape(actual(i), mf.points[i] as number[])),
      mase: avg((i) => mase(train[i] as number[], actual(i), mf.points[i] as number[], m)),
    };
    const out: SetScore = { method: mf.method, ...s, owa: owa(s, base) };
    if (mf.lower && mf.upper) {
      const lo = mf.lower;
      const up = mf.upper;
      out.msis = avg((i) =>
        msis(train[i] as number[], actual(i), lo[i] as number[], up[i] as number[], m, 0.05),
      );
      out.coverage95 = avg((i) => coverage(actual(i), lo[i] as number[], up[i] as number[]));
    }
    if (mf.seconds) out.seriesPerSecond = n / mf.seconds;
    return out;
  });
  return { naive2, methods: scores };
}

/**
 * Baselines measured in the same run: seasonal naive and M4's Theta benchmark (Theta on the
 * series seasonally adjusted by classical multiplicative decomposition when the 90% test says so).
 *
 * @example
 * baselineForecasts(train, 48, 24);
 */
export function baselineForecasts(
  train: readonly number[][],
  horizon: number,
  m: number,
): MethodForecasts[] {
  const theta = train.map((y) => {
    const d = deseasonalise(y, m);
    return d.reseason(thetaForecast(fitTheta(d.adjusted), horizon), y.length);
  });
  const out: MethodForecasts[] = [{ method: 'Theta (M4 benchmark)', points: theta }];
  if (m > 1)
    out.unshift({
      method: `Seasonal naive (m=${m})`,
      points: train.map((y) => seasonalNaiveForecast(y, horizon, m)),
    });
  return out;
}
