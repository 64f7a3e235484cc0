/**
 * One set of result parsers for both databases, so repositories see the same JavaScript
 * types on the server and embedded: int8/numeric as numbers (analytics values, counts),
 * `date` as an ISO `YYYY-MM-DD` string (no time zone shift), timestamps as `Date`.
 */
export const TYPE_OIDS = {
  int8: 20,
  numeric: 1700,
  date: 1082,
} as const;

export function parseNumber(value: string): number {
  return Number(value);
}

export function parseDate(value: string): string {
  return value;
}
