/** Intermittent-demand method: Croston (1972), its Syntetos–Boylan bias correction, or TSB (2011). */
export type IntermittentMethod = 'croston' | 'sba' | 'tsb';

/**
 * Forecasts demand with many zeros. Croston smooths non-zero demand sizes z and the intervals p
 * between them (α each); the forecast is z/p, times (1 − α/2) for SBA. TSB smooths sizes with α
 * and the probability of demand with β every period; the forecast is p·z. The forecast is flat.
 * A series with no demand forecasts 0.
 *
 * @example
 * intermittentForecast([0, 2, 0, 0, 4], 1, 'croston', 0.5); // [1.2]
 */
export function intermittentForecast(
  values: readonly number[],
  horizon: number,
  method: IntermittentMethod,
  alpha = 0.1,
  beta = 0.1,
): number[] {
  const first = values.findIndex((v) => v > 0);
  if (first < 0) return new Array<number>(horizon).fill(0);
  let z = values[first] as number;
  let value: number;
  if (method === 'tsb') {
    let p = 1 / (first + 1);
    for (let t = first + 1; t < values.length; t++) {
      const v = values[t] as number;
      const occurred = v > 0 ? 1 : 0;
      p += beta * (occurred - p);
      if (occurred) z += alpha * (v - z);
    }
    value = p * z;
  } else {
    let p = first + 1;
    let q = 1;
    for (let t = first + 1; t < values.length; t++) {
      const v = values[t] as number;
      if (v > 0) {
        z += alpha * (v - z);
        p += alpha * (q - p);
        q = 1;
      } else q++;
    }
    value = (z / p) * (method === 'sba' ? 1 - alpha / 2 : 1);
  }
  return new Array<number>(horizon).fill(value);
}

/**
 * Share of periods with zero demand; the engine treats a non-negative series with more than
 * 30% zeros as intermittent.
 *
 * @example
 * zeroShare([0, 1, 0, 3]); // 0.5
 */
export function zeroShare(values: readonly number[]): number {
  let z = 0;
  for (const v of values) if (v === 0) z++;
  return values.length ? z / values.length : 0;
}
