/**
 * E-value (VanderWeele & Ding 2017): the minimum strength of association, on the
 * risk-ratio scale, that an unmeasured confounder would need with both treatment and
 * outcome to explain an effect away. For a continuous outcome the standardised effect
 * d = effect / sd(outcome) is converted with RR ≈ exp(0.91·d).
 *
 * @example
 * eValue(0.5, 1); // ≈ 2.51 (RR ≈ 1.58)
 */
export function eValue(effect: number, outcomeSd: number): number {
  if (!(outcomeSd > 0) || !Number.isFinite(effect)) return 1;
  const rr = Math.exp(0.91 * Math.abs(effect / outcomeSd));
  return rr + Math.sqrt(rr * (rr - 1));
}

/**
 * E-value of the interval limit closest to "no effect": 1 when the interval covers zero.
 *
 * @example
 * intervalEValue([0.2, 0.8], 1); // E-value of 0.2
 */
export function intervalEValue(interval: [number, number], outcomeSd: number): number {
  const [lo, hi] = interval;
  if (lo <= 0 && hi >= 0) return 1;
  return eValue(lo > 0 ? lo : hi, outcomeSd);
}
