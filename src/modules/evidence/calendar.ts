import type { CalendarNode } from './nodes.js';

/**
 * Calendar context columns for daily evidence data, computed from the local date (the
 * business's wall-clock day). Categorical nodes become indicator columns named after the
 * node (`weekday[sat]`), so an adjustment for `weekday` is an adjustment for all of them.
 */

const DAY_MS = 86_400_000;
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const MONTHS = [
  'jan',
  'feb',
  'mar',
  'apr',
  'may',
  'jun',
  'jul',
  'aug',
  'sep',
  'oct',
  'nov',
  'dec',
] as const;

/** Columns each calendar node stands for (the first category is the baseline, left out). */
export const CALENDAR_COLUMNS: Record<CalendarNode, readonly string[]> = {
  weekday: WEEKDAYS.slice(1).map((d) => `weekday[${d}]`),
  weekend: ['weekend'],
  month: MONTHS.slice(1).map((m) => `month[${m}]`),
  season: ['season[cos]', 'season[sin]'],
  trend: ['trend'],
  holiday: ['holiday'],
  holiday_eve: ['holiday_eve'],
};

/** The calendar node an engine column belongs to (`weekday[sat]` → `weekday`), or null. */
export function calendarNodeOf(column: string): CalendarNode | null {
  for (const [node, cols] of Object.entries(CALENDAR_COLUMNS))
    if (cols.includes(column)) return node as CalendarNode;
  return null;
}

const utc = (day: string) => Date.parse(`${day}T00:00:00Z`);
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** 0 = Monday … 6 = Sunday. */
export function weekdayOf(day: string): number {
  return (new Date(utc(day)).getUTCDay() + 6) % 7;
}

/** The n-th (1-based; −1 = last) given weekday (0 = Monday) of a month. */
function nthWeekday(year: number, month: number, weekday: number, n: number): string {
  if (n < 0) {
    const last = Date.UTC(year, month, 0);
    const back = (((new Date(last).getUTCDay() + 6) % 7) - weekday + 7) % 7;
    return iso(last - back * DAY_MS);
  }
  const first = Date.UTC(year, month - 1, 1);
  const offset = (weekday - ((new Date(first).getUTCDay() + 6) % 7) + 7) % 7;
  return iso(first + (offset + 7 * (n - 1)) * DAY_MS);
}

const holidayCache = new Map<number, { holiday: Set<string>; eve: Set<string> }>();

/**
 * Public holidays (US calendar: New Year's Day, Memorial Day, Independence Day, Labor Day,
 * Thanksgiving, Christmas Day) and shopping eves (Christmas Eve, New Year's Eve, Black Friday).
 */
export function holidaysOf(year: number): { holiday: Set<string>; eve: Set<string> } {
  let h = holidayCache.get(year);
  if (!h) {
    const thanksgiving = nthWeekday(year, 11, 3, 4);
    h = {
      holiday: new Set([
        `${year}-01-01`,
        nthWeekday(year, 5, 0, -1),
        `${year}-07-04`,
        nthWeekday(year, 9, 0, 1),
        thanksgiving,
        `${year}-12-25`,
      ]),
      eve: new Set([`${year}-12-24`, `${year}-12-31`, iso(utc(thanksgiving) + DAY_MS)]),
    };
    holidayCache.set(year, h);
  }
  return h;
}

/**
 * The columns of one calendar node for the given local days; `trend` counts years from
 * `origin` (the first day of the analysis window).
 *
 * @example
 * calendarColumns('weekend', ['2026-01-03', '2026-01-05'], '2026-01-01'); // { weekend: [1, 0] }
 */
export function calendarColumns(
  node: CalendarNode,
  days: readonly string[],
  origin: string,
): Record<string, number[]> {
  switch (node) {
    case 'weekday':
      return Object.fromEntries(
        WEEKDAYS.slice(1).map((d, k) => [
          `weekday[${d}]`,
          days.map((day) => (weekdayOf(day) === k + 1 ? 1 : 0)),
        ]),
      );
    case 'weekend':
      return { weekend: days.map((day) => (weekdayOf(day) >= 5 ? 1 : 0)) };
    case 'month':
      return Object.fromEntries(
        MONTHS.slice(1).map((m, k) => [
          `month[${m}]`,
          days.map((day) => (Number(day.slice(5, 7)) === k + 2 ? 1 : 0)),
        ]),
      );
    case 'season': {
      const angle = days.map((day) => {
        const y = Number(day.slice(0, 4));
        return (2 * Math.PI * (utc(day) - Date.UTC(y, 0, 1))) / (365.25 * DAY_MS);
      });
      return { 'season[cos]': angle.map(Math.cos), 'season[sin]': angle.map(Math.sin) };
    }
    case 'trend': {
      const o = utc(origin);
      return { trend: days.map((day) => (utc(day) - o) / (365.25 * DAY_MS)) };
    }
    case 'holiday':
      return {
        holiday: days.map((day) => (holidaysOf(Number(day.slice(0, 4))).holiday.has(day) ? 1 : 0)),
      };
    default:
      return {
        holiday_eve: days.map((day) => (holidaysOf(Number(day.slice(0, 4))).eve.has(day) ? 1 : 0)),
      };
  }
}
