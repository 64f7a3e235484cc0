import { ForecastInputError } from './errors.js';
import { median } from './numeric.js';
import type { Frequency, SeriesInput } from './types.js';

/** A cleaned, regular series ready for the models. @internal */
export interface PreparedSeries {
  values: number[];
  frequency?: Frequency;
  /** Epoch ms of the first kept value and the step, when the input had timestamps. */
  grid?: { start: number; stepMs: number; calendarMonths: number };
  /** Leading missing values dropped from the input. */
  dropped: number;
  flags: string[];
  warnings: string[];
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** @internal Fixed steps (ms) or calendar months of each frequency. */
export const FREQUENCY_STEP: Record<Frequency, { ms: number; months: number }> = {
  hourly: { ms: HOUR, months: 0 },
  daily: { ms: DAY, months: 0 },
  weekly: { ms: 7 * DAY, months: 0 },
  monthly: { ms: 30.44 * DAY, months: 1 },
  quarterly: { ms: 91.31 * DAY, months: 3 },
  yearly: { ms: 365.25 * DAY, months: 12 },
};

function toMs(t: string | number | Date, i: number): number {
  const ms = t instanceof Date ? t.getTime() : typeof t === 'number' ? t : Date.parse(t);
  if (!Number.isFinite(ms))
    throw new ForecastInputError(
      'BAD_TIMESTAMPS',
      `timestamp ${i} (${String(t)}) is not a valid date`,
    );
  return ms;
}

function inferFrequency(stepMs: number): Frequency | undefined {
  const days = stepMs / DAY;
  if (Math.abs(stepMs - HOUR) <= 0.1 * HOUR) return 'hourly';
  if (Math.abs(days - 1) <= 0.1) return 'daily';
  if (Math.abs(days - 7) <= 0.5) return 'weekly';
  if (days >= 27.5 && days <= 31.5) return 'monthly';
  if (days >= 88 && days <= 93) return 'quarterly';
  if (days >= 364 && days <= 367) return 'yearly';
  return undefined;
}

const monthIndex = (ms: number): number => {
  const d = new Date(ms);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
};

/**
 * Places timestamped values on a regular grid: sorts them, rejects duplicates and timestamps
 * that fall between grid points, and leaves gaps as missing (NaN).
 */
function regularise(
  values: readonly (number | null)[],
  timestamps: readonly (string | number | Date)[],
  given: Frequency | undefined,
  flags: string[],
): { values: number[]; frequency?: Frequency; grid: PreparedSeries['grid'] } {
  if (timestamps.length !== values.length)
    throw new ForecastInputError(
      'BAD_TIMESTAMPS',
      `${timestamps.length} timestamps for ${values.length} values`,
    );
  const pts = timestamps.map((t, i) => ({ t: toMs(t, i), v: values[i], i }));
  if (pts.some((p, k) => k > 0 && p.t < (pts[k - 1] as { t: number }).t))
    flags.push('sorted_timestamps');
  pts.sort((a, b) => a.t - b.t);
  for (let k = 1; k < pts.length; k++) {
    const a = pts[k - 1] as { t: number; i: number };
    const b = pts[k] as { t: number; i: number };
    if (a.t === b.t)
      throw new ForecastInputError(
        'BAD_TIMESTAMPS',
        `duplicate timestamp ${new Date(b.t).toISOString()} (rows ${a.i} and ${b.i}); aggregate duplicates first`,
      );
  }
  const diffs = pts.slice(1).map((p, k) => p.t - (pts[k] as { t: number }).t);
  const stepGuess = diffs.length ? Math.min(...diffs) : DAY;
  const frequency =
    given ?? inferFrequency(diffs.length ? median(diffs) : stepGuess) ?? inferFrequency(stepGuess);
  const start = (pts[0] as { t: number }).t;
  const months = frequency ? FREQUENCY_STEP[frequency].months : 0;
  const stepMs = frequency ? FREQUENCY_STEP[frequency].ms : stepGuess;
  const index = (t: number, i: number): number => {
    if (months > 0) {
      const k = (monthIndex(t) - monthIndex(start)) / months;
      if (!Number.isInteger(k))
        throw new ForecastInputError(
          'BAD_TIMESTAMPS',
          `irregular timestamps: row ${i} is off the ${frequency} grid`,
        );
      return k;
    }
    const k = (t - start) / stepMs;
    // DST shifts (±1 h on daily data) and small clock jitter stay within ±10% of a step.
    if (Math.abs(k - Math.round(k)) > 0.1)
      throw new ForecastInputError(
        'BAD_TIMESTAMPS',
        `irregular timestamps: row ${i} (${new Date(t).toISOString()}) is not a whole number of ${frequency ?? `${stepMs} ms`} steps from the first`,
      );
    return Math.round(k);
  };
  const last = pts[pts.length - 1] as { t: number; i: number };
  const size = index(last.t, last.i) + 1;
  if (size > 20 * pts.length + 100)
    throw new ForecastInputError(
      'BAD_TIMESTAMPS',
      `irregular timestamps: ${pts.length} values spread over ${size} steps`,
    );
  const grid = new Array<number>(size).fill(NaN);
  const seen = new Set<number>();
  for (const p of pts) {
    const k = index(p.t, p.i);
    if (seen.has(k))
      throw new ForecastInputError(
        'BAD_TIMESTAMPS',
        `rows fall on the same ${frequency ?? ''} step ${new Date(p.t).toISOString()}; aggregate them first`,
      );
    seen.add(k);
    grid[k] = p.v === null || p.v === undefined ? NaN : p.v;
  }
  if (size > pts.length) flags.push('filled_gaps');
  return {
    values: grid,
    ...(frequency ? { frequency } : {}),
    grid: { start, stepMs, calendarMonths: months },
  };
}

/**
 * Validates and cleans a series (documented in docs/engines/forecast.md):
 * missing values (null, NaN, ±Infinity, timestamp gaps) are linearly interpolated, leading ones
 * dropped and trailing ones carried forward; counts must be non-negative.
 * @internal
 */
export function prepareSeries(input: SeriesInput): PreparedSeries {
  const flags: string[] = [];
  const warnings: string[] = [];
  if (!input || !Array.isArray(input.values) || input.values.length === 0)
    throw new ForecastInputError('EMPTY_SERIES', 'the series has no values');
  let raw: number[];
  let frequency = input.frequency;
  let grid: PreparedSeries['grid'];
  if (input.timestamps) {
    const r = regularise(input.values, input.timestamps, input.frequency, flags);
    raw = r.values;
    frequency = r.frequency;
    grid = r.grid;
  } else raw = input.values.map((v) => (v === null || v === undefined ? NaN : Number(v)));
  const finite = raw.map((v) => Number.isFinite(v));
  const firstIdx = finite.indexOf(true);
  if (firstIdx < 0)
    throw new ForecastInputError(
      'BAD_VALUES',
      'the series has no finite values (all missing, NaN or Infinity)',
    );
  const missing = finite.filter((f) => !f).length;
  if (firstIdx > 0) {
    flags.push('dropped_leading_missing');
    raw = raw.slice(firstIdx);
    if (grid) grid = { ...grid, start: shiftTime(grid, grid.start, firstIdx) };
  }
  const values = raw.slice();
  let prev = 0;
  for (let t = 0; t < values.length; t++) {
    if (Number.isFinite(values[t])) {
      prev = t;
      continue;
    }
    let next = t + 1;
    while (next < values.length && !Number.isFinite(values[next])) next++;
    const a = values[prev] as number;
    if (next >= values.length) {
      for (let k = t; k < values.length; k++) values[k] = a;
      flags.push('carried_forward_trailing_missing');
      break;
    }
    const b = values[next] as number;
    for (let k = t; k < next; k++) values[k] = a + ((b - a) * (k - prev)) / (next - prev);
    t = next - 1;
  }
  if (missing > firstIdx) flags.push('imputed_missing');
  if (missing > 0.3 * raw.length)
    warnings.push(
      `${missing} of ${raw.length + firstIdx} values were missing and had to be imputed`,
    );
  if (input.kind === 'count') {
    const neg = values.findIndex((v) => v < 0);
    if (neg >= 0)
      throw new ForecastInputError(
        'BAD_VALUES',
        `count series has a negative value (${values[neg]}) at position ${neg + firstIdx}`,
      );
  }
  return {
    values,
    ...(frequency ? { frequency } : {}),
    ...(grid ? { grid } : {}),
    dropped: firstIdx,
    flags,
    warnings,
  };
}

/** @internal Time of grid step `k` after `from`. */
export function shiftTime(
  grid: NonNullable<PreparedSeries['grid']>,
  from: number,
  k: number,
): number {
  if (grid.calendarMonths > 0) {
    const d = new Date(from);
    d.setUTCMonth(d.getUTCMonth() + k * grid.calendarMonths);
    return d.getTime();
  }
  return from + k * grid.stepMs;
}
