import type { TenantTx } from '../../platform/tenancy/context.js';

export type Interval = 'hour' | 'day' | 'week' | 'month';

export interface BucketRow {
  bucket: Date;
  sum: number | null;
  count: number | null;
  min: number | null;
  max: number | null;
  last: number | null;
}

export interface DimensionFilter {
  channel?: string | undefined;
  location?: string | undefined;
  sku?: string | undefined;
}

// One view per interval; the name comes from this closed map, never from input.
const ROLLUP_VIEW: Record<Interval, string> = {
  hour: 'metric_rollup_hour',
  day: 'metric_rollup_day',
  week: 'metric_rollup_week',
  month: 'metric_rollup_month',
};

/**
 * Buckets of one metric over [from, to), aggregated over the dimensions not filtered on,
 * with every bucket present: a bucket without data comes back with nulls (an explicit gap).
 */
export async function readSeries(
  tx: TenantTx,
  metric: string,
  interval: Interval,
  from: Date,
  to: Date,
  dims: DimensionFilter,
): Promise<BucketRow[]> {
  const { rows } = await tx.query<BucketRow>(
    `with data as (
       select bucket, sum(sum) as sum, sum(count) as count, min(min) as min, max(max) as max, sum(last) as last
         from ${ROLLUP_VIEW[interval]}
        where metric_name = $1 and bucket >= $2 and bucket < $3
          and ($4::text is null or channel = $4)
          and ($5::text is null or location = $5)
          and ($6::text is null or sku = $6)
        group by bucket
     )
     select g as bucket, d.sum, d.count::float8 as count, d.min, d.max, d.last
       from generate_series(date_trunc($7, $2::timestamptz, 'UTC'), $3::timestamptz - interval '1 microsecond', ('1 ' || $7)::interval) g
       left join data d on d.bucket = g
      order by g`,
    [metric, from, to, dims.channel ?? null, dims.location ?? null, dims.sku ?? null, interval],
    `metrics.series.${interval}`,
  );
  return rows;
}

export interface DailyRow {
  metric_name: string;
  bucket: Date;
  sum: number;
  count: number;
  last: number;
}

/** Daily totals (over all dimensions) of every metric in [from, to): the summary's raw material. */
export async function readDailyTotals(tx: TenantTx, from: Date, to: Date): Promise<DailyRow[]> {
  const { rows } = await tx.query<DailyRow>(
    `select metric_name, bucket, sum(sum) as sum, sum(count)::float8 as count, sum(last) as last
       from metric_rollup_day
      where bucket >= $1 and bucket < $2
      group by metric_name, bucket`,
    [from, to],
    'metrics.dailyTotals',
  );
  return rows;
}

/** The latest day with any data, or null (a business with no numbers yet). */
export async function latestDay(tx: TenantTx): Promise<Date | null> {
  const { rows } = await tx.query<{ day: Date | null }>(
    'select max(bucket) as day from metric_rollup_month',
    [],
    'metrics.latestMonth',
  );
  const month = rows[0]?.day;
  if (!month) return null;
  const day = await tx.query<{ day: Date | null }>(
    'select max(bucket) as day from metric_rollup_day where bucket >= $1',
    [month],
    'metrics.latestDay',
  );
  return day.rows[0]?.day ?? null;
}

export interface MetricNameRow {
  metric_name: string;
  first: Date;
  last: Date;
}

/** Names of metrics this tenant has data for (catalogue and custom), with their time span. */
export async function listMetricNames(tx: TenantTx): Promise<MetricNameRow[]> {
  const { rows } = await tx.query<MetricNameRow>(
    `select metric_name, min(bucket) as first, max(bucket) as last from metric_rollup_month group by metric_name order by metric_name`,
    [],
    'metrics.names',
  );
  return rows;
}

export async function hasMetric(tx: TenantTx, name: string): Promise<boolean> {
  const { rows } = await tx.query(
    'select 1 from tenant_business_metrics where metric_name = $1 limit 1',
    [name],
    'metrics.exists',
  );
  return rows.length > 0;
}
