import { AutoETS, MSTL, requireAugurs } from '../wasm.js';

/**
 * MSTL (Bandara et al., 2021) from `@bsull/augurs`: STL-removes each seasonal period in turn,
 * forecasts the remainder with AutoETS and adds the last seasonal cycles back.
 *
 * @example
 * mstlForecast(hourly, 48, [24, 168]);
 */
export function mstlForecast(
  values: readonly number[],
  horizon: number,
  periods: readonly number[],
): number[] {
  requireAugurs('mstl');
  const model = MSTL.ets(Uint32Array.from(periods));
  try {
    model.fit(Float64Array.from(values));
    return model.predict(horizon, null).point;
  } finally {
    model.free();
  }
}

/**
 * AutoETS from `@bsull/augurs` (automatic ETS selection by AICc, R `forecast::ets` style).
 * `spec` is the ETS code to search, e.g. "ZZN" (any error/trend, no season).
 *
 * @example
 * autoEtsForecast(weekly, 13, 1, 'ZZN');
 */
export function autoEtsForecast(
  values: readonly number[],
  horizon: number,
  period: number,
  spec = 'ZZZ',
): number[] {
  requireAugurs('ets');
  const model = new AutoETS(period, spec);
  try {
    model.fit(Float64Array.from(values));
    return model.predict(horizon, null).point;
  } finally {
    model.free();
  }
}
