/**
 * Cell-level parsing for CSV imports: numbers as people and spreadsheets write them, dates
 * and times in the common export formats, and spreadsheet formula detection. Pure functions:
 * no I/O, no clock, no time zone database beyond `Intl`.
 */

export type DecimalSeparator = '.' | ',';
export type DateOrder = 'DMY' | 'MDY' | 'YMD';

export type ParseResult<T> = { ok: true; value: T } | { ok: false; reason: string };

const ok = <T>(value: T): ParseResult<T> => ({ ok: true, value });
const fail = <T>(reason: string): ParseResult<T> => ({ ok: false, reason });

const CURRENCY =
  /^(?:[$€£¥₹₩₽₺₪฿₫₦₱]|US\$|CA\$|A\$|NZ\$|HK\$|R\$|CHF|USD|EUR|GBP|CAD|AUD|NZD|JPY|INR|CHF|SEK|NOK|DKK|PLN|ZAR|BRL|MXN|Fr\.?|kr\.?|zł|R)\s*|\s*(?:[$€£¥₹₩₽₺₪฿₫₦₱]|USD|EUR|GBP|CAD|AUD|NZD|JPY|INR|CHF|SEK|NOK|DKK|PLN|ZAR|BRL|MXN|kr\.?|zł|Kč)$/i;
const GROUP_SPACES = /[\s\u00a0\u202f\u2009']/g;

/**
 * Parses a number written with an optional currency symbol or code, thousand separators,
 * a decimal point or comma (per `decimal`), a leading or trailing minus or accounting
 * parentheses, and an optional trailing `%` (kept as the number: "12%" → 12).
 *
 * @example
 * parseNumber('$1,234.50', '.') // { ok: true, value: 1234.5 }
 * parseNumber('1.234,50 €', ',') // { ok: true, value: 1234.5 }
 * parseNumber('12,5', '.') // { ok: false, reason: … pass decimal=, … }
 */
export function parseNumber(
  raw: string,
  decimal: DecimalSeparator,
  probe = false,
): ParseResult<number> {
  let s = raw.trim();
  if (!s) return fail('is empty');
  let negative = false;
  if (/^\(.*\)$/.test(s)) {
    negative = true;
    s = s.slice(1, -1).trim();
  }
  if (s.startsWith('-') || s.startsWith('−')) {
    negative = !negative;
    s = s.slice(1).trim();
  } else if (s.startsWith('+')) {
    s = s.slice(1).trim();
  }
  for (let i = 0; i < 2; i++) s = s.replace(CURRENCY, '');
  if (s.startsWith('-') || s.startsWith('−')) {
    negative = !negative;
    s = s.slice(1).trim();
  }
  if (s.endsWith('-')) {
    negative = !negative;
    s = s.slice(0, -1).trim();
  }
  if (s.endsWith('%')) s = s.slice(0, -1).trim();
  s = s.replace(GROUP_SPACES, '');
  if (!s) return fail(`"${raw}" is not a number`);
  const group = decimal === '.' ? ',' : '.';
  if (/^\d+$/.test(s)) return ok(sign(Number(s), negative));
  const dec = decimal === '.' ? '\\.' : ',';
  const grp = decimal === '.' ? ',' : '\\.';
  const grouped = new RegExp(`^\\d{1,3}(?:${grp}\\d{3})+(?:${dec}\\d+)?$`);
  const plain = new RegExp(`^\\d*${dec}\\d+$|^\\d+${dec}$`);
  if (grouped.test(s) || plain.test(s)) {
    const normal = s.split(group).join('').replace(decimal, '.');
    return ok(sign(Number(normal), negative));
  }
  if (!probe && /^[\d.,]+$/.test(s)) {
    const other = decimal === '.' ? ',' : '.';
    const otherOk = parseNumber(raw, other, true);
    if (otherOk.ok) {
      return fail(
        `"${raw}" does not use this file's decimal ${decimal === '.' ? 'point' : 'comma'}; if it means ${otherOk.value}, pass decimal=${other}`,
      );
    }
  }
  if (/^\d+(?:\.\d+)?e[+-]?\d+$/i.test(s)) return ok(sign(Number(s), negative));
  return fail(`"${raw}" is not a number`);
}

function sign(n: number, negative: boolean): number {
  return negative && n !== 0 ? -n : n;
}

/** Which decimal separator a sample of numeric-looking cells implies (null: no evidence). */
export function detectDecimal(cells: Iterable<string>): DecimalSeparator | null {
  let comma = 0;
  let point = 0;
  for (const raw of cells) {
    const s = raw.trim().replace(GROUP_SPACES, '');
    if (/\d\.\d{3},\d{1,2}$|^[^.]*\d,\d{1,2}(?:\D*)$|\d,\d{4,}$/.test(s)) comma++;
    else if (/\d,\d{3}\.\d+$|^[^,]*\d\.\d{1,2}(?:\D*)$|\d\.\d{4,}$/.test(s)) point++;
  }
  if (comma > point) return ',';
  if (point > 0) return '.';
  return null;
}

// ---------------------------------------------------------------------------------------
// Dates and times

/** A wall-clock date-time, with a UTC offset in minutes when the text gave one. */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  /** Minutes east of UTC, or null for a naive (local) time. */
  offsetMinutes: number | null;
  /** True when the text had no time of day. */
  dateOnly: boolean;
}

/** Outcome of parsing a date cell under a column-level date order. */
export type DateParse =
  | { kind: 'ok'; value: WallTime; evidence: 'DMY' | 'MDY' | null }
  | { kind: 'ambiguous'; mdy: WallTime; dmy: WallTime }
  | { kind: 'error'; reason: string };

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  sept: 9,
  oct: 10,
  nov: 11,
  dec: 12,
  january: 1,
  february: 2,
  march: 3,
  april: 4,
  june: 6,
  july: 7,
  august: 8,
  september: 9,
  october: 10,
  november: 11,
  december: 12,
};

const TIME = String.raw`(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*([ap]\.?m\.?)?`;
const OFFSET = String.raw`\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2}|[+-]\d{2})?`;
const ISO = new RegExp(String.raw`^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T\s]+${TIME}${OFFSET})?$`, 'i');
const NUMERIC = new RegExp(
  String.raw`^(\d{1,4})([/.\-])(\d{1,2})\2(\d{2,4})(?:[T\s,]+${TIME}${OFFSET})?$`,
  'i',
);
const NAMED_DMY = new RegExp(
  String.raw`^(\d{1,2})[\s\-]+([a-z]{3,9})\.?[\s\-,]+(\d{4})(?:[T\s,]+${TIME}${OFFSET})?$`,
  'i',
);
const NAMED_MDY = new RegExp(
  String.raw`^(?:[a-z]{3,9},?\s+)?([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?:[T\s,]+${TIME}${OFFSET})?$`,
  'i',
);

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function timeParts(
  m: RegExpExecArray,
  at: number,
):
  | {
      ok: true;
      h: number;
      mi: number;
      s: number;
      ms: number;
      off: number | null;
      dateOnly: boolean;
    }
  | { ok: false; reason: string } {
  if (m[at] === undefined) return { ok: true, h: 0, mi: 0, s: 0, ms: 0, off: null, dateOnly: true };
  let h = Number(m[at]);
  const mi = Number(m[at + 1]);
  const s = m[at + 2] ? Number(m[at + 2]) : 0;
  const ms = m[at + 3] ? Math.round(Number(`0.${m[at + 3]}`) * 1000) : 0;
  const ampm = m[at + 4]?.toLowerCase().replace(/\./g, '');
  if (ampm) {
    if (h < 1 || h > 12)
      return { ok: false, reason: `hour ${h} is not valid with ${ampm.toUpperCase()}` };
    if (ampm === 'pm' && h !== 12) h += 12;
    if (ampm === 'am' && h === 12) h = 0;
  }
  if (h > 23 || mi > 59 || s > 59) return { ok: false, reason: 'is not a valid time of day' };
  let off: number | null = null;
  const o = m[at + 5];
  if (o) {
    const u = o.toUpperCase();
    if (u === 'Z' || u === 'UTC' || u === 'GMT') off = 0;
    else {
      const d = /^([+-])(\d{2}):?(\d{2})?$/.exec(o)!;
      const hh = Number(d[2]);
      const mm = d[3] ? Number(d[3]) : 0;
      if (hh > 14 || mm > 59) return { ok: false, reason: `UTC offset ${o} is not valid` };
      off = (d[1] === '-' ? -1 : 1) * (hh * 60 + mm);
    }
  }
  return { ok: true, h, mi, s, ms, off, dateOnly: false };
}

function build(
  raw: string,
  year: number,
  month: number,
  day: number,
  t: ReturnType<typeof timeParts>,
): { ok: true; value: WallTime } | { ok: false; reason: string } {
  if (!t.ok) return { ok: false, reason: `"${raw}" ${t.reason}` };
  if (year < 1900 || year > 2100)
    return { ok: false, reason: `"${raw}": year ${year} is out of range (1900–2100)` };
  if (month < 1 || month > 12)
    return { ok: false, reason: `"${raw}": month ${month} does not exist` };
  if (day < 1 || day > daysInMonth(year, month)) {
    return {
      ok: false,
      reason: `"${raw}": day ${day} does not exist in ${year}-${String(month).padStart(2, '0')}`,
    };
  }
  return {
    ok: true,
    value: {
      year,
      month,
      day,
      hour: t.h,
      minute: t.mi,
      second: t.s,
      millisecond: t.ms,
      offsetMinutes: t.off,
      dateOnly: t.dateOnly,
    },
  };
}

const fullYear = (y: string) => (y.length === 2 ? 2000 + Number(y) : Number(y));

/**
 * Parses a date or date-time cell. `order` is the file's date order when known (given by
 * the user or detected); `null` means "auto": a numeric date whose first two parts are both
 * ≤ 12 comes back as `ambiguous` with both readings, and one that only fits one reading
 * comes back with that reading as `evidence`.
 *
 * @example
 * parseDate('2026-01-05 08:00', null) // ok, naive 08:00
 * parseDate('25/03/2026', null)       // ok, evidence DMY
 * parseDate('03/04/2026', null)       // ambiguous
 */
export function parseDate(raw: string, order: DateOrder | null): DateParse {
  const s = raw.trim();
  if (!s) return { kind: 'error', reason: 'is empty' };
  let m = ISO.exec(s);
  if (m) {
    const r = build(s, Number(m[1]), Number(m[2]), Number(m[3]), timeParts(m, 4));
    return r.ok
      ? { kind: 'ok', value: r.value, evidence: null }
      : { kind: 'error', reason: r.reason };
  }
  m = NUMERIC.exec(s);
  if (m) {
    const t = timeParts(m, 5);
    const a = m[1]!;
    const b = Number(m[3]);
    const c = m[4]!;
    if (a.length === 4) {
      // YYYY/MM/DD is never read the other way round.
      const r = build(s, Number(a), b, Number(c), t);
      return r.ok
        ? { kind: 'ok', value: r.value, evidence: null }
        : { kind: 'error', reason: r.reason };
    }
    if (a.length === 3)
      return { kind: 'error', reason: `"${s}" is not a date this importer reads` };
    const first = Number(a);
    const year = fullYear(c);
    if (c.length === 3) return { kind: 'error', reason: `"${s}": year ${c} is not valid` };
    if (order === 'YMD')
      return { kind: 'error', reason: `"${s}" is not in the Y-M-D order given by dateFormat` };
    if (order === 'DMY' || order === 'MDY') {
      const r = order === 'DMY' ? build(s, year, b, first, t) : build(s, year, first, b, t);
      if (r.ok) return { kind: 'ok', value: r.value, evidence: null };
      return {
        kind: 'error',
        reason: `${r.reason} (reading it as ${order === 'DMY' ? 'day/month/year' : 'month/day/year'}, as dateFormat says)`,
      };
    }
    const dmy = build(s, year, b, first, t);
    const mdy = build(s, year, first, b, t);
    if (dmy.ok && mdy.ok) {
      if (first === b) return { kind: 'ok', value: dmy.value, evidence: null };
      return { kind: 'ambiguous', mdy: mdy.value, dmy: dmy.value };
    }
    if (dmy.ok) return { kind: 'ok', value: dmy.value, evidence: 'DMY' };
    if (mdy.ok) return { kind: 'ok', value: mdy.value, evidence: 'MDY' };
    return {
      kind: 'error',
      reason: `"${s}" is not a valid date as day/month/year nor as month/day/year`,
    };
  }
  m = NAMED_DMY.exec(s);
  if (m && MONTHS[m[2]!.toLowerCase()]) {
    const r = build(s, Number(m[3]), MONTHS[m[2]!.toLowerCase()]!, Number(m[1]), timeParts(m, 4));
    return r.ok
      ? { kind: 'ok', value: r.value, evidence: null }
      : { kind: 'error', reason: r.reason };
  }
  m = NAMED_MDY.exec(s);
  if (m && MONTHS[m[1]!.toLowerCase()]) {
    const r = build(s, Number(m[3]), MONTHS[m[1]!.toLowerCase()]!, Number(m[2]), timeParts(m, 4));
    return r.ok
      ? { kind: 'ok', value: r.value, evidence: null }
      : { kind: 'error', reason: r.reason };
  }
  return {
    kind: 'error',
    reason: `"${s}" is not a date this importer reads (use YYYY-MM-DD, optionally with HH:MM and a UTC offset)`,
  };
}

// ---------------------------------------------------------------------------------------
// Time zones

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when `Intl` knows the IANA zone. */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall clock of `instantMs` in `timeZone`, as milliseconds of a UTC date with the same fields. */
export function wallClockMs(instantMs: number, timeZone: string): number {
  const parts = formatter(timeZone).formatToParts(new Date(instantMs));
  const get = (t: string) => Number(parts.find((p) => p.type === t)!.value);
  return Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
    ((instantMs % 1000) + 1000) % 1000,
  );
}

const naiveMs = (w: WallTime) =>
  Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second, w.millisecond);

/**
 * The real instant a wall time denotes: its own offset when it has one, else the wall clock
 * in `timeZone` (a time skipped by a DST change moves forward; a repeated one takes the first).
 */
export function toInstant(w: WallTime, timeZone: string): Date {
  const local = naiveMs(w);
  if (w.offsetMinutes !== null) return new Date(local - w.offsetMinutes * 60_000);
  return new Date(local - offsetOfLocal(local, timeZone));
}

/**
 * Offsets by local hour, cached: `Intl` is slow and a file's times fall in few hours. An hour
 * in which the offset changes (a DST switch) is never cached.
 */
const offsetCache = new Map<string, number>();
const HOUR = 3_600_000;

function offsetOfLocal(local: number, timeZone: string): number {
  const hour = Math.floor(local / HOUR) * HOUR;
  const key = `${timeZone}|${hour}`;
  const cached = offsetCache.get(key);
  if (cached !== undefined) return cached;
  const offset = local - exactInstant(local, timeZone);
  const a = hour - exactInstant(hour, timeZone);
  const b = hour + HOUR - 1 - exactInstant(hour + HOUR - 1, timeZone);
  if (a === b && a === offset) {
    if (offsetCache.size > 50_000) offsetCache.clear();
    offsetCache.set(key, offset);
  }
  return offset;
}

function exactInstant(local: number, timeZone: string): number {
  let guess = local - (wallClockMs(local, timeZone) - local);
  for (let i = 0; i < 2; i++) {
    const diff = wallClockMs(guess, timeZone) - local;
    if (diff === 0) break;
    guess -= diff;
  }
  // Prefer the earlier of two instants with this wall clock (the hour repeated at DST end).
  const earlier = guess - HOUR;
  if (wallClockMs(earlier, timeZone) === local) guess = earlier;
  return guess;
}

/**
 * Business-local wall time written as UTC (the business_metrics convention): a naive time is
 * taken as is; one with an offset is first moved to `timeZone`'s wall clock.
 */
export function toLocalWallAsUtc(w: WallTime, timeZone: string): Date {
  if (w.offsetMinutes === null) return new Date(naiveMs(w));
  return new Date(wallClockMs(naiveMs(w) - w.offsetMinutes * 60_000, timeZone));
}

/** The local date (YYYY-MM-DD) of an instant in `timeZone`. */
export function localDay(instant: Date, timeZone: string): string {
  return new Date(wallClockMs(instant.getTime(), timeZone)).toISOString().slice(0, 10);
}

// ---------------------------------------------------------------------------------------
// Text

/**
 * True when a text cell would run as a formula if the data were opened in a spreadsheet
 * again (CSV injection): it starts with `=`, or with `+`, `-`, `@`, tab or CR followed by
 * something formula-like (a function call, a cell reference or DDE `|`), e.g.
 * `=cmd|' /C calc'!A0`, `@SUM(A1:A9)`, `+HYPERLINK(…)`. Plain text such as "-5 off" or a
 * phone number "+44 20 7946 0000" is not.
 */
export function looksLikeFormula(value: string): boolean {
  const s = value.replace(/^[\s\u00a0]+/, '');
  if (s.startsWith('=')) return s.length > 1;
  if (!/^[+\-@]/.test(s)) return false;
  if (/^[\t\r]/.test(value)) return true;
  const rest = s.slice(1).trimStart();
  return (
    /^[A-Za-z_][A-Za-z0-9_.]*\s*\(/.test(rest) ||
    /[|!]/.test(rest) ||
    /^\$?[A-Za-z]{1,3}\$?\d+\b/.test(rest) ||
    /^[\d.]+\s*[-+*/^&]\s*\$?[A-Za-z]{1,3}\$?\d+\b/.test(rest)
  );
}

/** Escapes a cell for writing to CSV so a spreadsheet shows it as text, never runs it. */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (/^[=+\-@\t\r]/.test(s) && !/^-?\d+(?:\.\d+)?$/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
