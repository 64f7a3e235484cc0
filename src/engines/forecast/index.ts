export { forecast, MAX_HORIZON, INTERVAL_FACTOR } from './forecast.js';
export { probabilityOfReaching, type ReachOptions } from './probability.js';
export { ForecastInputError, type ForecastErrorCode } from './errors.js';
export type {
  ForecastOptions,
  ForecastResult,
  Frequency,
  ModelName,
  ModelScore,
  PredictionInterval,
  Regressors,
  SeriesInput,
} from './types.js';
export { initAugurs, augursReady, type AugursWasm } from './wasm.js';
export { DEFAULT_MODELS } from './candidates.js';
export { DEFAULT_PERIODS, detectPeriods } from './periods.js';
export { smape, mase, maseScale, msis, coverage, owa } from './metrics.js';
export { isSeasonal, seasonalIndices, deseasonalise } from './seasonality.js';
export {
  naiveForecast,
  seasonalNaiveForecast,
  driftForecast,
  naive2Forecast,
  seasonalMeanForecast,
} from './models/naive.js';
export {
  fitEts,
  etsFilter,
  etsForecast,
  type EtsFit,
  type EtsParams,
  type EtsTrend,
} from './models/exponential-smoothing.js';
export { fitTheta, thetaForecast, type ThetaFit } from './models/theta.js';
export { intermittentForecast, zeroShare, type IntermittentMethod } from './models/intermittent.js';
export { mstlForecast, autoEtsForecast } from './models/augurs.js';
export { arimaForecast } from './models/arima.js';
export { prophetForecast } from './models/prophet.js';
export { regressionForecast } from './models/regression.js';
export { adjustOutliers } from './outliers.js';
export { errorScale, centralInterval, historicalNaiveScale } from './intervals.js';
