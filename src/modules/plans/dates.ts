import { toLocalWallTime } from '../metrics/local-time.js';

/** Local calendar days as `YYYY-MM-DD` strings (the business's own dates). @internal */

const DAY_MS = 86_400_000;
export const WEEKDAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type WeekdayName = (typeof WEEKDAY_NAMES)[number];

const ms = (day: string) => Date.parse(`${day}T00:00:00Z`);

/** Today in the business's time zone. */
export function localToday(timeZone: string, now = new Date()): string {
  return toLocalWallTime(now, timeZone).toISOString().slice(0, 10);
}

export function addDays(day: string, n: number): string {
  return new Date(ms(day) + n * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `a` to `b` (negative when `b` is earlier). */
export function daysBetween(a: string, b: string): number {
  return Math.round((ms(b) - ms(a)) / DAY_MS);
}

/** 0 = Monday … 6 = Sunday. */
export function weekdayIndex(day: string): number {
  return (new Date(ms(day)).getUTCDay() + 6) % 7;
}

export function weekdayName(day: string): WeekdayName {
  return WEEKDAY_NAMES[weekdayIndex(day)]!;
}

/** The first Monday after `day`. */
export function nextMonday(day: string): string {
  return addDays(day, 7 - weekdayIndex(day));
}

/** True for a real calendar date written `YYYY-MM-DD`. */
export function isCalendarDay(day: string): boolean {
  const t = ms(day);
  return Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === day;
}
