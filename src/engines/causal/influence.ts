/**
 * Standard error of a mean of influence-function values: sd(φ)/√n.
 *
 * @example
 * sdOverRootN(Float64Array.from([1, -1, 1, -1])); // 0.577…
 * @internal
 */
export function sdOverRootN(phi: ArrayLike<number>): number {
  const n = phi.length;
  let m = 0;
  for (let i = 0; i < n; i++) m += phi[i] as number;
  m /= n;
  let v = 0;
  for (let i = 0; i < n; i++) v += ((phi[i] as number) - m) ** 2;
  return Math.sqrt(v / Math.max(1, n - 1) / n);
}
