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

const INSERT_POINTS = `insert into tenant_business_metrics (tenant_id, metric_name, time, value, channel, location, sku, source)
     select $1::uuid, m, t, v, c, l, s, $2
       from unnest($3::text[], $4::timestamptz[], $5::float8[], $6::text[], $7::text[], $8::text[]) as x(m, t, v, c, l, s)`;

/**
 * Writes points through the tenant view, one statement per batch (arrays unnested by
 * PostgreSQL). New points take the fast path, a plain insert; when any point already exists
 * (same metric, dimensions and time) the batch is rolled back to a savepoint and upserted,
 * the existing points taking the new values. Points must be unique within the batch.
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
  const params = [tx.tenantId, source, metric, time, value, channel, location, sku];
  await tx.query('savepoint metric_points', [], 'metrics.savepoint');
  try {
    const { rowCount } = await tx.query(INSERT_POINTS, params, 'metrics.insertPoints');
    await tx.query('release savepoint metric_points', [], 'metrics.savepoint');
    return rowCount;
  } catch (err) {
    if ((err as { code?: string }).code !== '23505') throw err;
    await tx.query('rollback to savepoint metric_points', [], 'metrics.savepoint');
  }
  const { rowCount } = await tx.query(
    `${INSERT_POINTS}
     on conflict (tenant_id, metric_name, channel, location, sku, time)
       do update set value = excluded.value, source = excluded.source, ingested_at = now()`,
    params,
    'metrics.upsertPoints',
  );
  return rowCount;
}

/**
 * Records that `metrics` changed in [from, to): plain-PostgreSQL rollups are recomputed
 * before the next read (deferred, like TimescaleDB's aggregates; no-op there).
 */
export async function noteChanges(
  tx: TenantTx,
  metrics: string[],
  from: Date,
  to: Date,
): Promise<void> {
  await tx.query(
    'select note_metric_changes($1::text[], $2::timestamptz, $3::timestamptz)',
    [metrics, from, to],
    'metrics.noteChanges',
  );
}

/** Brings the tenant's rollups up to date with every recorded change (cheap when none). */
export async function refreshPending(tx: TenantTx): Promise<void> {
  await tx.query('select refresh_pending_metric_rollups()', [], 'metrics.refreshPending');
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
