import ARIMA from 'arima';

/**
 * AutoARIMA from the `arima` package (ctsa compiled to WASM, Hyndman–Khandakar stepwise search).
 * With `period > 1` it searches seasonal orders too (slow on long series: seconds per fit), so
 * the engine only uses it when asked. Exogenous regressors make it a SARIMAX. Throws when the
 * search fails (the package then returns zeros).
 *
 * @example
 * arimaForecast([1, 3, 2, 4, 3, 5, 4, 6, 5, 7, 6, 8], 2, 1);
 */
export function arimaForecast(
  values: readonly number[],
  horizon: number,
  period: number,
  exog?: { history: number[][]; future: number[][] },
): number[] {
  const model = new ARIMA({
    auto: true,
    s: period > 1 ? period : 0,
    verbose: false,
    transpose: true,
  });
  try {
    let f: number[];
    if (exog) {
      model.train(values.slice(), exog.history);
      f = model.predict(horizon, exog.future)[0];
    } else {
      model.train(values.slice());
      f = model.predict(horizon)[0];
    }
    // The package signals a failed fit with an all-zero forecast.
    if (f.every((v) => v === 0) && values.some((v) => v !== 0))
      throw new Error('AutoARIMA found no model');
    return Array.from(f);
  } finally {
    model.destroy();
  }
}
