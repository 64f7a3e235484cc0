import { normalCdf } from '../shared/normal-distribution.js';
import { ForecastInputError } from './errors.js';
import type { ForecastResult } from './types.js';

/** Options of {@link probabilityOfReaching}. */
export interface ReachOptions {
  /** `above` (default): P(value ≥ target); `below`: P(value ≤ target). */
  direction?: 'above' | 'below';
  /**
   * Compare the total over steps 1…byStep (e.g. revenue for the quarter) instead of the value at
   * step `byStep`. Step errors are taken as fully correlated, which is conservative.
   */
  cumulative?: boolean;
}

/**
 * Probability that the forecast metric reaches `target` by step `byStep` (1-based), from the
 * forecast's normal error distribution (mean = point forecast, sd = backtest error scale).
 *
 * @example
 * const r = forecast({ values: revenue, frequency: 'weekly' }, { horizon: 12 });
 * probabilityOfReaching(r, 12_000, 12);                        // P(week 12 ≥ 12 000)
 * probabilityOfReaching(r, 130_000, 12, { cumulative: true }); // P(12-week total ≥ 130 000)
 */
export function probabilityOfReaching(
  result: ForecastResult,
  target: number,
  byStep: number,
  options: ReachOptions = {},
): number {
  if (!Number.isFinite(target))
    throw new ForecastInputError('BAD_OPTIONS', `target must be a finite number, got ${target}`);
  if (!Number.isInteger(byStep) || byStep < 1 || byStep > result.points.length)
    throw new ForecastInputError(
      'BAD_OPTIONS',
      `byStep must be an integer 1…${result.points.length}, got ${byStep}`,
    );
  let mu: number;
  let sd: number;
  if (options.cumulative) {
    mu = result.points.slice(0, byStep).reduce((a, b) => a + b, 0);
    sd = result.sd.slice(0, byStep).reduce((a, b) => a + b, 0);
  } else {
    mu = result.points[byStep - 1] as number;
    sd = result.sd[byStep - 1] as number;
  }
  const above = sd > 0 ? 1 - normalCdf((target - mu) / sd) : mu >= target ? 1 : 0;
  const p = options.direction === 'below' ? (sd > 0 ? 1 - above : mu <= target ? 1 : 0) : above;
  return Math.min(1, Math.max(0, p));
}
