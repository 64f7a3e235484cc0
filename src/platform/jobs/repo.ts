import type { Queryable } from '../db/types.js';
import type { TenantTx } from '../tenancy/context.js';
import type { JobStatus } from './types.js';

export interface JobRow {
  id: string;
  task: string;
  status: JobStatus;
  dedupe_key: string | null;
  payload: unknown;
  progress: number;
  progress_message: string | null;
  attempts: number;
  max_attempts: number;
  result: unknown;
  error: string | null;
  trace_parent: string | null;
  created_by: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  updated_at: Date;
}

const COLUMNS = `id, task, status, dedupe_key, payload, progress, progress_message, attempts, max_attempts,
  result, error, trace_parent, created_by, created_at, started_at, finished_at, updated_at`;

/** Inserts a queued job; returns null when a live job with the same dedupe key exists. */
export async function insertJob(
  tx: Queryable,
  j: {
    tenantId: string;
    id: string;
    task: string;
    dedupeKey: string | null;
    payload: unknown;
    maxAttempts: number;
    traceParent: string | null;
    createdBy: string | null;
  },
): Promise<JobRow | null> {
  const { rows } = await tx.query<JobRow>(
    `insert into jobs (tenant_id, id, task, dedupe_key, payload, max_attempts, trace_parent, created_by)
     values ($1::uuid, $2::uuid, $3, $4, $5::jsonb, $6, $7, $8::uuid)
     on conflict (tenant_id, task, dedupe_key)
       where dedupe_key is not null and status in ('queued', 'running', 'retrying')
       do nothing
     returning ${COLUMNS}`,
    [
      j.tenantId,
      j.id,
      j.task,
      j.dedupeKey,
      JSON.stringify(j.payload ?? {}),
      j.maxAttempts,
      j.traceParent,
      j.createdBy,
    ],
    'jobs.insert',
  );
  return rows[0] ?? null;
}

export async function findLiveJobByDedupeKey(
  tx: TenantTx,
  task: string,
  dedupeKey: string,
): Promise<JobRow | null> {
  const { rows } = await tx.query<JobRow>(
    `select ${COLUMNS} from jobs
      where task = $1 and dedupe_key = $2 and status in ('queued', 'running', 'retrying')`,
    [task, dedupeKey],
    'jobs.findLiveByDedupeKey',
  );
  return rows[0] ?? null;
}

export async function getJob(tx: TenantTx, id: string): Promise<JobRow | null> {
  const { rows } = await tx.query<JobRow>(
    `select ${COLUMNS} from jobs where id = $1::uuid`,
    [id],
    'jobs.get',
  );
  return rows[0] ?? null;
}

export async function listJobs(
  tx: TenantTx,
  f: { task: string | null; status: JobStatus | null; limit: number; before: Date | null },
): Promise<JobRow[]> {
  const { rows } = await tx.query<JobRow>(
    `select ${COLUMNS} from jobs
      where ($1::text is null or task = $1) and ($2::text is null or status = $2)
        and ($3::timestamptz is null or created_at < $3)
      order by created_at desc limit $4`,
    [f.task, f.status, f.before, f.limit],
    'jobs.list',
  );
  return rows;
}

export async function markRunning(tx: TenantTx, id: string): Promise<JobRow | null> {
  const { rows } = await tx.query<JobRow>(
    `update jobs set status = 'running', attempts = attempts + 1, error = null,
            started_at = coalesce(started_at, now()), updated_at = now()
      where id = $1::uuid and status in ('queued', 'retrying', 'running')
      returning ${COLUMNS}`,
    [id],
    'jobs.markRunning',
  );
  return rows[0] ?? null;
}

export async function recordProgress(
  tx: TenantTx,
  id: string,
  progress: number,
  message: string | null,
): Promise<void> {
  await tx.query(
    `update jobs set progress = $2, progress_message = coalesce($3, progress_message), updated_at = now()
      where id = $1::uuid and status = 'running'`,
    [id, progress, message],
    'jobs.progress',
  );
}

export async function markFinished(
  tx: TenantTx,
  id: string,
  outcome: { status: 'succeeded' | 'failed' | 'retrying'; result?: unknown; error?: string },
): Promise<void> {
  await tx.query(
    `update jobs set status = $2,
            result = coalesce($3::jsonb, result),
            error = $4,
            progress = case when $2 = 'succeeded' then 1 else progress end,
            finished_at = case when $2 = 'retrying' then null else now() end,
            updated_at = now()
      where id = $1::uuid`,
    [
      id,
      outcome.status,
      outcome.result === undefined ? null : JSON.stringify(outcome.result),
      outcome.error ?? null,
    ],
    'jobs.finish',
  );
}
