import { createHash } from 'node:crypto';
import type { Frequency } from '../../engines/forecast/index.js';
import type { Interval } from '../metrics/read-repo.js';
import type { SeriesPoint } from '../metrics/service.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** How each series interval is forecast (documented in docs/forecasts.md). */
export interface IntervalRules {
  frequency: Frequency;
  seasonalPeriods: number[];
  defaultHorizon: number;
  maxHorizon: number;
  /** Buckets of history read at most; null = everything since the metric's first data. */
  historyBuckets: number | null;
}

export const INTERVAL_RULES: Record<Interval, IntervalRules> = {
  // 8 weeks: enough for 2 full weekly cycles of 168 hours, and older hours add little.
  hour: {
    frequency: 'hourly',
    seasonalPeriods: [24, 168],
    defaultHorizon: 48,
    maxHorizon: 24 * 31,
    historyBuckets: 8 * 7 * 24,
  },
  day: {
    frequency: 'daily',
    seasonalPeriods: [7, 365],
    defaultHorizon: 28,
    maxHorizon: 730,
    historyBuckets: 730,
  },
  week: {
    frequency: 'weekly',
    seasonalPeriods: [52],
    defaultHorizon: 13,
    maxHorizon: 260,
    historyBuckets: 5 * 52,
  },
  month: {
    frequency: 'monthly',
    seasonalPeriods: [12],
    defaultHorizon: 12,
    maxHorizon: 120,
    historyBuckets: null,
  },
};

/** Bumped when the way a history is read or forecast changes, so stored forecasts go stale. */
const HISTORY_VERSION = 1;

/** The start of the bucket holding `wall` (a local wall time written as UTC). */
export function bucketStart(interval: Interval, wall: Date): Date {
  const t = wall.getTime();
  switch (interval) {
    case 'hour':
      return new Date(Math.floor(t / HOUR) * HOUR);
    case 'day':
      return new Date(Math.floor(t / DAY) * DAY);
    case 'week': {
      const day = Math.floor(t / DAY) * DAY;
      const monday = (new Date(day).getUTCDay() + 6) % 7; // weeks start on Monday
      return new Date(day - monday * DAY);
    }
    case 'month':
      return new Date(Date.UTC(wall.getUTCFullYear(), wall.getUTCMonth(), 1));
  }
}

/** `n` buckets before `end` (calendar months for `month`). */
export function bucketsBefore(interval: Interval, end: Date, n: number): Date {
  if (interval === 'month')
    return new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth() - n, 1));
  const step = { hour: HOUR, day: DAY, week: 7 * DAY }[interval];
  return new Date(end.getTime() - n * step);
}

/**
 * The window of buckets a forecast reads: it ends before the current bucket (today, this hour,
 * this week or month is incomplete and never used) and reaches back `historyBuckets`, or to
 * the metric's first month with data for monthly forecasts.
 */
export function historyWindow(
  interval: Interval,
  nowWall: Date,
  firstData: Date | null,
): { from: Date; to: Date } {
  const to = bucketStart(interval, nowWall);
  const span = INTERVAL_RULES[interval].historyBuckets;
  const from =
    span !== null
      ? bucketsBefore(interval, to, span)
      : firstData && firstData < to
        ? bucketStart('month', firstData)
        : bucketsBefore('month', to, 12);
  return { from, to };
}

/** The series a forecast is computed from: its buckets with data at both ends. */
export interface History {
  /** Wall times (`2026-01-05T00:00:00`) of every bucket, gaps included. */
  timestamps: string[];
  /** One value per bucket; null = no data in that bucket (a gap). */
  values: (number | null)[];
  /** Buckets with data. */
  observations: number;
  /** Fingerprint of the interval, timestamps and values (see `HISTORY_VERSION`). */
  hash: string;
}

/**
 * Drops the empty buckets before the first and after the last bucket with data: a forecast
 * starts right after the latest data, whatever the date, and gaps inside stay explicit.
 */
export function historyFrom(interval: Interval, points: readonly SeriesPoint[]): History {
  let first = 0;
  while (first < points.length && points[first]!.value === null) first++;
  let last = points.length - 1;
  while (last >= first && points[last]!.value === null) last--;
  const kept = points.slice(first, last + 1);
  const timestamps = kept.map((p) => p.t);
  const values = kept.map((p) => p.value);
  const hash = createHash('sha256')
    .update(JSON.stringify([HISTORY_VERSION, interval, timestamps[0] ?? null, values]))
    .digest('hex')
    .slice(0, 32);
  return {
    timestamps,
    values,
    observations: values.filter((v) => v !== null).length,
    hash,
  };
}

/** Wall time (`2026-01-05T00:00:00`) of the `k`-th bucket after `wall`. */
export function wallAfter(interval: Interval, wall: string, k: number): string {
  const start = new Date(`${wall}Z`);
  const t =
    interval === 'month'
      ? new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + k, 1))
      : new Date(start.getTime() + k * { hour: HOUR, day: DAY, week: 7 * DAY }[interval]);
  return t.toISOString().slice(0, 19);
}
