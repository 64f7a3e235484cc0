/** Calendar helpers for the demo generator (dates are plain YYYY-MM-DD strings, UTC math). */

export const DAY_MS = 86_400_000;

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** 0 = Monday … 6 = Sunday. */
export function weekday(day: string): number {
  return (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
}

export function dayOfYear(day: string): number {
  const d = new Date(`${day}T00:00:00Z`);
  return Math.floor((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / DAY_MS) + 1;
}

/** The n-th (1-based) given weekday (0 = Monday) of a month. */
export function nthWeekday(year: number, month: number, weekdayIndex: number, n: number): string {
  const first = new Date(Date.UTC(year, month - 1, 1));
  const offset = (weekdayIndex - ((first.getUTCDay() + 6) % 7) + 7) % 7;
  return new Date(Date.UTC(year, month - 1, 1 + offset + 7 * (n - 1))).toISOString().slice(0, 10);
}

export type Holiday = 'closed' | 'christmas_eve' | 'black_friday';

/** US holidays that move a café's numbers. */
export function holidayOf(day: string): Holiday | null {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  if ((m === 12 && d === 25) || (m === 1 && d === 1)) return 'closed';
  const thanksgiving = nthWeekday(y, 11, 3, 4);
  if (day === thanksgiving) return 'closed';
  if (day === addDays(thanksgiving, 1)) return 'black_friday';
  if (m === 12 && d === 24) return 'christmas_eve';
  return null;
}
