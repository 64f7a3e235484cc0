import type { TenantTx } from '../../platform/tenancy/context.js';
import type { Interval } from '../metrics/read-repo.js';
import type { ForecastKind, ForecastOutput, ForecastPoint } from './run.js';

export type ForecastStatus = 'running' | 'succeeded' | 'failed';
export type ForecastTrigger = 'request' | 'refresh';

/** A dimension filter: only the dimensions filtered on are present. */
export interface Dimension {
  channel?: string;
  location?: string;
  sku?: string;
}

/** What identifies "the same forecast": the latest row for these is the current one. */
export interface ForecastKey {
  metric: string;
  interval: Interval;
  horizon: number;
  dimension: Dimension;
  kind: ForecastKind;
}

/** The window of the source series a run read (local wall times written as UTC). */
export interface HistoryFacts {
  from: Date;
  to: Date;
  buckets: number;
  observations: number;
  hash: string;
}

export interface ForecastRow {
  id: string;
  metric: string;
  interval: Interval;
  horizon: number;
  dimension: Dimension;
  kind: ForecastKind;
  status: ForecastStatus;
  trigger: ForecastTrigger;
  job_id: string | null;
  history_from: Date | null;
  history_to: Date | null;
  history_buckets: number | null;
  history_observations: number | null;
  history_hash: string | null;
  model: string | null;
  weights: Record<string, number> | null;
  seasonal_periods: number[] | null;
  backtest: ForecastOutput['backtest'] | null;
  flags: string[];
  warnings: string[];
  points: ForecastPoint[];
  error: { code: string; message: string } | null;
  created_by: string | null;
  created_at: Date;
  completed_at: Date | null;
}

const COLUMNS = `id, metric, interval, horizon, dimension, kind, status, trigger, job_id, history_from,
  history_to, history_buckets, history_observations, history_hash, model, weights, seasonal_periods,
  backtest, flags, warnings, points, error, created_by, created_at, completed_at`;

/** Columns of the list: everything but the points. */
const SUMMARY_COLUMNS = COLUMNS.replace(' points,', " '[]'::jsonb as points,");

const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));

export async function insertForecast(
  tx: TenantTx,
  f: {
    id: string;
    key: ForecastKey;
    status: ForecastStatus;
    trigger: ForecastTrigger;
    history: HistoryFacts;
    output: ForecastOutput | null;
    createdBy: string | null;
  },
): Promise<ForecastRow> {
  const o = f.output;
  const { rows } = await tx.query<ForecastRow>(
    `insert into forecasts (tenant_id, id, metric, interval, horizon, dimension, kind, status, trigger,
       history_from, history_to, history_buckets, history_observations, history_hash,
       model, weights, seasonal_periods, backtest, flags, warnings, points, created_by, completed_at)
     values ($1::uuid, $2::uuid, $3, $4, $5, $6::jsonb, $7, $8, $9, $10, $11, $12, $13, $14,
       $15, $16::jsonb, $17::jsonb, $18::jsonb, coalesce($19::jsonb, '[]'), coalesce($20::jsonb, '[]'),
       coalesce($21::jsonb, '[]'), $22::uuid, case when $8 = 'running' then null else now() end)
     returning ${COLUMNS}`,
    [
      tx.tenantId,
      f.id,
      f.key.metric,
      f.key.interval,
      f.key.horizon,
      JSON.stringify(f.key.dimension),
      f.key.kind,
      f.status,
      f.trigger,
      f.history.from,
      f.history.to,
      f.history.buckets,
      f.history.observations,
      f.history.hash,
      o?.model ?? null,
      json(o?.weights),
      json(o?.seasonalPeriods),
      json(o?.backtest),
      json(o?.flags),
      json(o?.warnings),
      json(o?.points),
      f.createdBy,
    ],
    'forecasts.insert',
  );
  return rows[0]!;
}

export async function setJob(tx: TenantTx, id: string, jobId: string): Promise<void> {
  await tx.query(
    'update forecasts set job_id = $2::uuid where id = $1::uuid',
    [id, jobId],
    'forecasts.setJob',
  );
}

/** Stores a run's result (and the history it really read) on a running forecast. */
export async function completeForecast(
  tx: TenantTx,
  id: string,
  history: HistoryFacts,
  o: ForecastOutput,
): Promise<ForecastRow | null> {
  const { rows } = await tx.query<ForecastRow>(
    `update forecasts set status = 'succeeded', history_from = $2, history_to = $3,
        history_buckets = $4, history_observations = $5, history_hash = $6, model = $7,
        weights = $8::jsonb, seasonal_periods = $9::jsonb, backtest = $10::jsonb, flags = $11::jsonb,
        warnings = $12::jsonb, points = $13::jsonb, error = null, completed_at = now()
      where id = $1::uuid and status = 'running'
      returning ${COLUMNS}`,
    [
      id,
      history.from,
      history.to,
      history.buckets,
      history.observations,
      history.hash,
      o.model,
      json(o.weights),
      json(o.seasonalPeriods),
      json(o.backtest),
      json(o.flags),
      json(o.warnings),
      json(o.points),
    ],
    'forecasts.complete',
  );
  return rows[0] ?? null;
}

export async function failForecast(
  tx: TenantTx,
  id: string,
  error: { code: string; message: string },
): Promise<void> {
  await tx.query(
    `update forecasts set status = 'failed', error = $2::jsonb, completed_at = now()
      where id = $1::uuid and status = 'running'`,
    [id, JSON.stringify(error)],
    'forecasts.fail',
  );
}

export async function getForecast(tx: TenantTx, id: string): Promise<ForecastRow | null> {
  const { rows } = await tx.query<ForecastRow>(
    `select ${COLUMNS} from forecasts where id = $1::uuid`,
    [id],
    'forecasts.get',
  );
  return rows[0] ?? null;
}

/**
 * The current forecast for a key and a history fingerprint: the newest succeeded one, else the
 * newest still running. Anything older or computed from other data is stale.
 */
export async function findCurrent(
  tx: TenantTx,
  key: ForecastKey,
  hash: string,
): Promise<ForecastRow | null> {
  const { rows } = await tx.query<ForecastRow>(
    `select ${COLUMNS} from forecasts
      where metric = $1 and interval = $2 and horizon = $3 and dimension = $4::jsonb and kind = $5
        and history_hash = $6 and status in ('succeeded', 'running')
      order by (status = 'succeeded') desc, created_at desc
      limit 1`,
    [key.metric, key.interval, key.horizon, JSON.stringify(key.dimension), key.kind, hash],
    'forecasts.findCurrent',
  );
  return rows[0] ?? null;
}

export interface ListFilter {
  metric: string | null;
  interval: Interval | null;
  status: ForecastStatus | null;
  trigger: ForecastTrigger | null;
  limit: number;
  before: Date | null;
}

/** Stored forecasts, newest first, without their points. */
export async function listForecasts(tx: TenantTx, f: ListFilter): Promise<ForecastRow[]> {
  const { rows } = await tx.query<ForecastRow>(
    `select ${SUMMARY_COLUMNS} from forecasts
      where ($1::text is null or metric = $1) and ($2::text is null or interval = $2)
        and ($3::text is null or status = $3) and ($4::text is null or trigger = $4)
        and ($5::timestamptz is null or created_at < $5)
      order by created_at desc, id desc
      limit $6`,
    [f.metric, f.interval, f.status, f.trigger, f.before, f.limit],
    'forecasts.list',
  );
  return rows;
}

/** Parameter sets the business asked for (not the nightly refresh's own) since `since`. */
export async function requestedKeys(tx: TenantTx, since: Date): Promise<ForecastKey[]> {
  const { rows } = await tx.query<ForecastKey>(
    `select distinct metric, interval, horizon, dimension, kind from forecasts
      where trigger = 'request' and created_at >= $1
      order by metric, interval, horizon`,
    [since],
    'forecasts.requestedKeys',
  );
  return rows;
}

/**
 * Deletes runs older than `before` that a newer successful run of the same parameters
 * replaced; the latest run of every parameter set is kept whatever its age.
 */
export async function pruneSuperseded(tx: TenantTx, before: Date): Promise<number> {
  const { rowCount } = await tx.query(
    `delete from forecasts f
      where f.created_at < $1 and f.status <> 'running'
        and exists (select 1 from forecasts g
                     where g.metric = f.metric and g.interval = f.interval and g.horizon = f.horizon
                       and g.dimension = f.dimension and g.kind = f.kind and g.status = 'succeeded'
                       and g.created_at > f.created_at)`,
    [before],
    'forecasts.prune',
  );
  return rowCount;
}
