import type { TenantTx } from '../../platform/tenancy/context.js';

export interface MetricPoint {
  metric: string;
  /** Business-local wall time written as UTC (see docs/data-model.md). */
  time: Date;
  value: number;
  channel?: string;
  location?: string;
  sku?: string;
}

/**
 * Writes points through the tenant view in one statement per batch (arrays unnested by
 * PostgreSQL). A point that exists (same metric, dimensions and time) takes the new value.
 */
export async function upsertPoints(
  tx: TenantTx,
  source: string,
  points: readonly MetricPoint[],
): Promise<number> {
  if (!points.length) return 0;
  const metric: string[] = [];
  const time: string[] = [];
  const value: number[] = [];
  const channel: string[] = [];
  const location: string[] = [];
  const sku: string[] = [];
  for (const p of points) {
    metric.push(p.metric);
    time.push(p.time.toISOString());
    value.push(p.value);
    channel.push(p.channel ?? '');
    location.push(p.location ?? '');
    sku.push(p.sku ?? '');
  }
  const { rowCount } = await tx.query(
    `insert into tenant_business_metrics (tenant_id, metric_name, time, value, channel, location, sku, source)
     select $1::uuid, m, t, v, c, l, s, $2
       from unnest($3::text[], $4::timestamptz[], $5::float8[], $6::text[], $7::text[], $8::text[]) as x(m, t, v, c, l, s)
     on conflict (tenant_id, metric_name, channel, location, sku, time)
       do update set value = excluded.value, source = excluded.source, ingested_at = now()`,
    [tx.tenantId, source, metric, time, value, channel, location, sku],
    'metrics.upsertPoints',
  );
  return rowCount;
}

/** Creates monthly partitions for [from, to] when the fallback storage needs them (no-op on TimescaleDB). */
export async function ensurePartitions(tx: TenantTx, from: Date, to: Date): Promise<void> {
  await tx.query(
    'select ensure_business_metrics_partitions($1::date, $2::date)',
    [from.toISOString().slice(0, 10), to.toISOString().slice(0, 10)],
    'metrics.ensurePartitions',
  );
}

/** Brings rollups up to date for a time window (no-op on TimescaleDB: its aggregates are real-time). */
export async function refreshRollups(
  tx: TenantTx,
  from: Date,
  to: Date,
  metrics: string[] | null,
): Promise<void> {
  await tx.query(
    'select refresh_metric_rollups($1::timestamptz, $2::timestamptz, $3::text[])',
    [from, to, metrics],
    'metrics.refreshRollups',
  );
}

/** Recomputes derived metrics for local days [fromDay, toDay] (YYYY-MM-DD) in `timeZone`. */
export async function deriveMetrics(
  tx: TenantTx,
  fromDay: string,
  toDay: string,
  timeZone: string,
): Promise<number> {
  const { rows } = await tx.query<{ n: number }>(
    'select derive_business_metrics($1::date, $2::date, $3) as n',
    [fromDay, toDay, timeZone],
    'metrics.derive',
  );
  return rows[0]?.n ?? 0;
}
