/**
 * Formats a number for the plain-language summaries: thousands separators for amounts
 * of 100 or more, three significant digits below.
 *
 * @example
 * formatAmount(1794.3); // '1,794'
 * formatAmount(0.04567); // '0.0457'
 * @internal
 */
export function formatAmount(x: number): string {
  return Math.abs(x) >= 100
    ? Math.round(x).toLocaleString('en-US')
    : Number(x.toPrecision(3)).toString();
}

/**
 * Like `formatAmount` with an explicit sign.
 *
 * @example
 * formatSigned(5); // '+5'
 * @internal
 */
export function formatSigned(x: number): string {
  return (x >= 0 ? '+' : '') + formatAmount(x);
}
