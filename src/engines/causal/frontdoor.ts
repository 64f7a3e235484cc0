import { armCounts } from './effect-sample.js';
import type { RawEstimate } from './effect-sample.js';
import { fitLinear } from './linear-model.js';

/**
 * Linear frontdoor estimate: Σₘ aₘ·bₘ where aₘ is the effect of the treatment on
 * mediator m and bₘ the effect of m on the outcome holding the treatment fixed.
 * Standard error by the delta method (Sobel), treating the two regressions as independent.
 *
 * @example
 * frontdoorEffect(t, [m], y).estimate;
 * @internal
 */
export function frontdoorEffect(
  t: Float64Array,
  mediators: Float64Array[],
  y: Float64Array,
): RawEstimate {
  const outcomeFit = fitLinear([...mediators, t], y);
  let estimate = 0;
  let variance = 0;
  mediators.forEach((m, k) => {
    const aFit = fitLinear([t], m);
    const a = aFit.coef[1] as number;
    const b = outcomeFit.coef[k + 1] as number;
    estimate += a * b;
    variance += b * b * (aFit.se[1] as number) ** 2 + a * a * (outcomeFit.se[k + 1] as number) ** 2;
  });
  return {
    estimate,
    se: Math.sqrt(variance),
    n: t.length,
    ...armCounts(t),
    details: {},
    warnings: [],
  };
}
