import { AppError } from '../../platform/errors/app-error.js';
import type { FieldError } from '../../platform/errors/app-error.js';
import type { TenantTx } from '../../platform/tenancy/context.js';
import {
  CATALOGUE,
  CATALOGUE_BY_NAME,
  DERIVED_STORED,
  customDefinition,
  type MetricDefinition,
} from './catalogue.js';
import { formatWallTime, parseClientTime, toLocalWallTime } from './local-time.js';
import * as read from './read-repo.js';
import * as write from './write-repo.js';

export const MAX_BATCH_POINTS = 10_000;
const MAX_BUCKETS = 5_000;
const DEFAULT_SPAN: Record<read.Interval, number> = { hour: 7, day: 90, week: 364, month: 730 };
const DAY = 86_400_000;
const DERIVED = new Set(DERIVED_STORED);

export interface RawPoint {
  metric: string;
  time: string;
  value: number;
  channel?: string;
  location?: string;
  sku?: string;
}

export interface SeriesPoint {
  t: string;
  value: number | null;
  gap: boolean;
}

export interface Series {
  metric: MetricDefinition;
  interval: read.Interval;
  timezone: string;
  from: string;
  to: string;
  points: SeriesPoint[];
}

export interface SummaryItem {
  metric: MetricDefinition;
  value: number | null;
  previous: number | null;
  change: number | null;
  sparkline: (number | null)[];
}

/** Aggregates a bucket the way the metric says (ratios are handled by the caller). */
function bucketValue(
  def: MetricDefinition,
  b: { sum: number | null; count: number | null; last: number | null },
): number | null {
  if (b.count === null || b.count === 0) return null;
  switch (def.aggregation) {
    case 'sum':
      return b.sum;
    case 'avg':
      return b.sum === null ? null : b.sum / b.count;
    case 'last':
      return b.last;
    default:
      return null;
  }
}

function ratio(num: number | null, den: number | null): number | null {
  if (num === null || den === null || den === 0) return null;
  return num / den;
}

/** Business numbers over time: writes points, reads series and the dashboard summary. */
export class MetricsService {
  definition(name: string): MetricDefinition {
    return CATALOGUE_BY_NAME.get(name) ?? customDefinition(name);
  }

  /** Catalogue metrics always exist; a custom one exists once it has data. */
  async exists(tx: TenantTx, name: string): Promise<boolean> {
    return CATALOGUE_BY_NAME.has(name) || (await read.hasMetric(tx, name));
  }

  async list(tx: TenantTx) {
    await write.refreshPending(tx);
    const present = await read.listMetricNames(tx);
    const span = new Map(present.map((r) => [r.metric_name, r]));
    const custom = present
      .filter((r) => !CATALOGUE_BY_NAME.has(r.metric_name))
      .map((r) => customDefinition(r.metric_name));
    return [...CATALOGUE, ...custom].map((def) => {
      const own = def.aggregation === 'ratio' ? span.get(def.numerator!) : span.get(def.name);
      return {
        ...def,
        hasData: Boolean(own),
        firstMonth: own?.first ?? null,
        lastMonth: own?.last ?? null,
      };
    });
  }

  /** Validates every point first (all-or-nothing), then writes them in the caller's transaction. */
  async ingest(
    tx: TenantTx,
    timeZone: string,
    points: RawPoint[],
    source = 'api',
  ): Promise<{ accepted: number }> {
    const errors: FieldError[] = [];
    const parsed: write.MetricPoint[] = [];
    points.forEach((p, i) => {
      const at = `/body/points/${i}`;
      if (DERIVED.has(p.metric)) {
        errors.push({
          path: `${at}/metric`,
          message: `"${p.metric}" is derived from your records; push it under another name`,
        });
      }
      const time = parseClientTime(p.time, timeZone);
      if (!time)
        errors.push({ path: `${at}/time`, message: 'must be an ISO 8601 date or date-time' });
      if (!Number.isFinite(p.value))
        errors.push({ path: `${at}/value`, message: 'must be a finite number' });
      if (time)
        parsed.push({
          metric: p.metric,
          time,
          value: p.value,
          channel: p.channel ?? '',
          location: p.location ?? '',
          sku: p.sku ?? '',
        });
    });
    if (errors.length) {
      throw new AppError(
        'validation_failed',
        `${errors.length} of ${points.length} points are invalid; nothing was written`,
        {
          errors: errors.slice(0, 200),
        },
      );
    }
    // The same point twice in one batch: the last one wins (as if sent one after the other).
    const unique = new Map<string, write.MetricPoint>();
    let min = Infinity;
    let max = -Infinity;
    for (const p of parsed) {
      unique.set(
        `${p.metric}\u0000${p.channel}\u0000${p.location}\u0000${p.sku}\u0000${p.time.getTime()}`,
        p,
      );
      min = Math.min(min, p.time.getTime());
      max = Math.max(max, p.time.getTime());
    }
    const from = new Date(min);
    const to = new Date(max + 1);
    await write.ensurePartitions(tx, from, to);
    await write.upsertPoints(tx, source, [...unique.values()]);
    await write.noteChanges(tx, [...new Set(parsed.map((p) => p.metric))], from, to);
    return { accepted: points.length };
  }

  private window(
    interval: read.Interval,
    timeZone: string,
    fromText?: string,
    toText?: string,
    now = new Date(),
  ) {
    const to = toText
      ? parseClientTime(toText, timeZone)
      : new Date(Math.ceil(toLocalWallTime(now, timeZone).getTime() / DAY) * DAY);
    if (!to)
      throw new AppError('validation_failed', '`to` must be an ISO 8601 date or date-time', {
        errors: [{ path: '/querystring/to', message: 'is not a date' }],
      });
    const from = fromText
      ? parseClientTime(fromText, timeZone)
      : new Date(to.getTime() - DEFAULT_SPAN[interval] * DAY);
    if (!from)
      throw new AppError('validation_failed', '`from` must be an ISO 8601 date or date-time', {
        errors: [{ path: '/querystring/from', message: 'is not a date' }],
      });
    if (from >= to)
      throw new AppError('validation_failed', '`from` must be before `to`', {
        errors: [{ path: '/querystring/from', message: 'is not before `to`' }],
      });
    const approxBuckets =
      (to.getTime() - from.getTime()) /
      { hour: 3_600_000, day: DAY, week: 7 * DAY, month: 28 * DAY }[interval];
    if (approxBuckets > MAX_BUCKETS) {
      throw new AppError(
        'validation_failed',
        `that is about ${Math.round(approxBuckets)} ${interval}s; ask for at most ${MAX_BUCKETS} (use a coarser interval or a shorter range)`,
        {
          errors: [{ path: '/querystring/interval', message: 'too many buckets for the range' }],
        },
      );
    }
    return { from, to };
  }

  async series(
    tx: TenantTx,
    timeZone: string,
    name: string,
    q: { interval: read.Interval; from?: string; to?: string; dims: read.DimensionFilter },
  ): Promise<Series> {
    const def = this.definition(name);
    const { from, to } = this.window(q.interval, timeZone, q.from, q.to);
    await write.refreshPending(tx);
    let values: { bucket: Date; value: number | null }[];
    if (def.aggregation === 'ratio') {
      const [num, den] = await Promise.all([
        read.readSeries(tx, def.numerator!, q.interval, from, to, q.dims),
        read.readSeries(tx, def.denominator!, q.interval, from, to, q.dims),
      ]);
      values = num.map((b, i) => ({
        bucket: b.bucket,
        value: ratio(b.count ? b.sum : null, den[i]?.count ? den[i]!.sum : null),
      }));
    } else {
      values = (await read.readSeries(tx, name, q.interval, from, to, q.dims)).map((b) => ({
        bucket: b.bucket,
        value: bucketValue(def, b),
      }));
    }
    return {
      metric: def,
      interval: q.interval,
      timezone: timeZone,
      from: formatWallTime(from),
      to: formatWallTime(to),
      points: values.map((v) => ({
        t: formatWallTime(v.bucket),
        value: v.value,
        gap: v.value === null,
      })),
    };
  }

  /**
   * Every metric with data: its value over the last `days` complete days, the change against
   * the `days` before, and a daily sparkline of the last 30 days — from one query.
   */
  async summary(
    tx: TenantTx,
    timeZone: string,
    days: number,
    now = new Date(),
  ): Promise<{ asOf: string | null; items: SummaryItem[] }> {
    const today = new Date(Math.floor(toLocalWallTime(now, timeZone).getTime() / DAY) * DAY);
    await write.refreshPending(tx);
    const latest = await read.latestDay(tx);
    if (!latest) return { asOf: null, items: [] };
    const end = new Date(Math.min(today.getTime(), latest.getTime() + DAY)); // exclusive; today is incomplete
    const sparkDays = 30;
    const start = new Date(end.getTime() - Math.max(2 * days, sparkDays) * DAY);
    const rows = await read.readDailyTotals(tx, start, end);
    const byMetric = new Map<string, Map<number, read.DailyRow>>();
    for (const r of rows) {
      let m = byMetric.get(r.metric_name);
      if (!m) byMetric.set(r.metric_name, (m = new Map()));
      m.set(r.bucket.getTime(), r);
    }
    const window = (name: string, fromMs: number, toMs: number) => {
      const m = byMetric.get(name);
      const acc = { sum: 0, count: 0, last: null as number | null };
      if (!m) return { sum: null, count: 0, last: null };
      for (let t = fromMs; t < toMs; t += DAY) {
        const r = m.get(t);
        if (!r) continue;
        acc.sum += r.sum;
        acc.count += r.count;
        acc.last = r.last;
      }
      return { sum: acc.count ? acc.sum : null, count: acc.count, last: acc.last };
    };
    const valueOf = (def: MetricDefinition, fromMs: number, toMs: number): number | null =>
      def.aggregation === 'ratio'
        ? ratio(
            window(def.numerator!, fromMs, toMs).sum,
            window(def.denominator!, fromMs, toMs).sum,
          )
        : bucketValue(def, window(def.name, fromMs, toMs));
    const names = new Set([...byMetric.keys()]);
    const defs = [
      ...CATALOGUE.filter((d) =>
        d.aggregation === 'ratio'
          ? names.has(d.numerator!) && names.has(d.denominator!)
          : names.has(d.name),
      ),
      ...[...names].filter((n) => !CATALOGUE_BY_NAME.has(n)).map(customDefinition),
    ];
    const e = end.getTime();
    const items = defs.map((def) => {
      const value = valueOf(def, e - days * DAY, e);
      const previous = valueOf(def, e - 2 * days * DAY, e - days * DAY);
      const sparkline: (number | null)[] = [];
      for (let t = e - sparkDays * DAY; t < e; t += DAY) sparkline.push(valueOf(def, t, t + DAY));
      const change =
        value !== null && previous !== null && previous !== 0
          ? (value - previous) / Math.abs(previous)
          : null;
      return { metric: def, value, previous, change, sparkline };
    });
    return { asOf: formatWallTime(new Date(e - DAY)).slice(0, 10), items };
  }
}
