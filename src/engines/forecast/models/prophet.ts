import { prophetOptimizer, Prophet, requireAugurs } from '../wasm.js';

/**
 * Prophet (Taylor & Letham, 2018) from `@bsull/augurs` with the Stan model compiled to WASM
 * (`@bsull/augurs-prophet-wasmstan`). `timestamps` are Unix seconds for history + horizon;
 * `regressors` are optional extra columns over the same span (holidays, promotions, price).
 *
 * @example
 * prophetForecast(values, 7, timestampsSeconds, {}, [7]);
 */
export function prophetForecast(
  values: readonly number[],
  horizon: number,
  timestamps: readonly number[],
  regressors: Record<string, readonly number[]>,
  periodsInDays: readonly number[],
): number[] {
  requireAugurs('prophet');
  const n = values.length;
  const names = Object.keys(regressors);
  const model = new Prophet({
    optimizer: prophetOptimizer() as never,
    uncertaintySamples: 0,
    yearlySeasonality: { type: 'auto' },
    weeklySeasonality: { type: 'auto' },
    dailySeasonality: { type: 'auto' },
  });
  try {
    periodsInDays.forEach((p, i) =>
      model.addSeasonality(`s${i}`, {
        period: p,
        fourierOrder: Math.min(10, Math.max(2, Math.round(p))),
      }),
    );
    for (const name of names) model.addRegressor(name);
    const x = (from: number, to: number): Map<string, number[]> =>
      new Map(names.map((k) => [k, (regressors[k] as readonly number[]).slice(from, to)]));
    model.fit({
      ds: timestamps.slice(0, n),
      y: values.slice(),
      ...(names.length ? { x: x(0, n) } : {}),
    });
    const pred = model.predict({
      ds: timestamps.slice(n, n + horizon),
      ...(names.length ? { x: x(n, n + horizon) } : {}),
    });
    return pred.yhat.point;
  } finally {
    model.free();
  }
}
