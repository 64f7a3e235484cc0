/** Formatting of metric values, changes and dates for people. Pure functions. */

const MINUS = '\u2212';

export interface FormatOptions {
  currency?: string;
  locale?: string;
  /** Short form for cards: 12.3K, $1.2M. */
  compact?: boolean;
}

function number(value: number, locale: string | undefined, options: Intl.NumberFormatOptions) {
  try {
    return new Intl.NumberFormat(locale, options).format(value);
  } catch {
    // an unknown currency code: show the number and the code
    const { style: _s, currency, ...rest } = options;
    return `${new Intl.NumberFormat(locale, rest).format(value)}${currency ? ` ${currency}` : ''}`;
  }
}

/** A metric value in its unit: currency, ratio (as %), percent, count, days, hours. */
export function formatValue(
  value: number | null | undefined,
  unit: string,
  { currency = 'USD', locale, compact = false }: FormatOptions = {},
): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const abs = Math.abs(value);
  const short = compact && abs >= 10_000;
  const notation: Intl.NumberFormatOptions = short
    ? { notation: 'compact', maximumFractionDigits: 1 }
    : {};
  switch (unit) {
    case 'currency':
      // Cents only where they tell something: $9.48, $1,235, $200 on a card or an axis.
      return number(value, locale, {
        style: 'currency',
        currency,
        maximumFractionDigits: short ? 1 : abs >= 1000 ? 0 : 2,
        minimumFractionDigits:
          short || abs >= 1000 || (compact && Number.isInteger(value)) ? 0 : undefined,
        ...notation,
      });
    case 'ratio':
      return number(value, locale, {
        style: 'percent',
        maximumFractionDigits: abs < 0.1 ? 2 : 1,
      });
    case 'percent':
      return `${number(value, locale, { maximumFractionDigits: 1 })}%`;
    case 'days':
      return `${number(value, locale, { maximumFractionDigits: 1 })} days`;
    case 'hours':
      return `${number(value, locale, { maximumFractionDigits: abs >= 100 ? 0 : 1, ...notation })} h`;
    default:
      return number(value, locale, {
        maximumFractionDigits: Number.isInteger(value) ? 0 : abs >= 100 ? 0 : 2,
        ...notation,
      });
  }
}

/** A relative change (0.1 = +10%) with its sign; a true minus sign for decreases. */
export function formatChange(change: number | null | undefined, locale?: string): string {
  if (change === null || change === undefined || !Number.isFinite(change)) return '—';
  const pct = Math.abs(change) * 100;
  const text = number(pct, locale, { maximumFractionDigits: pct < 10 ? 1 : 0 });
  if (text === '0') return '0%';
  return `${change > 0 ? '+' : MINUS}${text}%`;
}

export type Tone = 'good' | 'bad' | 'neutral';

/** Whether a change is good news: up for revenue, down for costs. Tiny changes are neutral. */
export function changeTone(change: number | null | undefined, higherIsBetter: boolean): Tone {
  if (change === null || change === undefined || !Number.isFinite(change)) return 'neutral';
  if (Math.abs(change) < 0.0005) return 'neutral';
  return change > 0 === higherIsBetter ? 'good' : 'bad';
}

/** Words for a screen reader: "up 12% (good)". */
export function describeChange(
  change: number | null,
  higherIsBetter: boolean,
  locale?: string,
): string {
  if (change === null || !Number.isFinite(change)) return 'no comparison';
  const tone = changeTone(change, higherIsBetter);
  const dir = tone === 'neutral' ? 'unchanged' : change > 0 ? 'up' : 'down';
  const size = formatChange(Math.abs(change), locale).replace('+', '');
  return tone === 'neutral' ? dir : `${dir} ${size}, ${tone === 'good' ? 'good' : 'bad'}`;
}

/** Local wall times the API sends (`2026-01-05T00:00:00`, no offset) as UTC milliseconds. */
export function wallTimeMs(t: string): number {
  return Date.parse(
    /[zZ]|[+-]\d\d:?\d\d$/.test(t) ? t : `${t.length === 10 ? `${t}T00:00:00` : t}Z`,
  );
}

/** A bucket's label for its interval: "5 Jan 14:00", "5 Jan 2026", "Jan 2026". */
export function formatBucket(t: string, interval: string, locale?: string): string {
  const d = new Date(wallTimeMs(t));
  const opts: Intl.DateTimeFormatOptions =
    interval === 'hour'
      ? { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }
      : interval === 'month'
        ? { month: 'short', year: 'numeric' }
        : { day: 'numeric', month: 'short', year: 'numeric' };
  return new Intl.DateTimeFormat(locale, { ...opts, timeZone: 'UTC' }).format(d);
}

/** A date (YYYY-MM-DD) for people: "5 Jan 2026". */
export function formatDay(day: string, locale?: string): string {
  return new Intl.DateTimeFormat(locale, {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(wallTimeMs(day)));
}

/** An instant (ISO with offset) in the viewer's time: "5 Jan 2026, 14:03". */
export function formatInstant(iso: string | null | undefined, locale?: string): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(
    new Date(iso),
  );
}

/** Today's date (YYYY-MM-DD) in a time zone. */
export function todayIn(timeZone: string, now = new Date()): string {
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone }).format(now);
  } catch {
    return now.toISOString().slice(0, 10);
  }
}

/** A YYYY-MM-DD date moved by whole days. */
export function addDays(day: string, days: number): string {
  return new Date(wallTimeMs(day) + days * 86_400_000).toISOString().slice(0, 10);
}

export function formatBytes(bytes: number, locale?: string): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${number(v, locale, { maximumFractionDigits: i === 0 ? 0 : 1 })} ${units[i]}`;
}
