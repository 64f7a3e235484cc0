import type { Logger } from '../observability/logger.js';
import type { TenantTx } from '../tenancy/context.js';
import type { Database } from '../db/types.js';

export type JobStatus = 'queued' | 'running' | 'retrying' | 'succeeded' | 'failed' | 'cancelled';

/** What a running task can do: read its input, report progress, reach its tenant's data. */
export interface JobContext<P> {
  jobId: string;
  tenantId: string;
  payload: P;
  /** 1 on the first run, 2 on the first retry … */
  attempt: number;
  /** Aborted when the job expires or the worker shuts down. */
  signal: AbortSignal;
  log: Logger;
  /** Records progress (0…1) and a short message; cheap to call often (throttled). */
  progress(fraction: number, message?: string): Promise<void>;
  /** Runs `fn` in a transaction scoped to the job's tenant. */
  withTenant<T>(fn: (tx: TenantTx) => Promise<T>): Promise<T>;
  /**
   * The database itself, for the rare statement that cannot run inside a transaction
   * (TimescaleDB's `CALL refresh_continuous_aggregate`). Tenant data goes through withTenant.
   */
  database: Database;
}

/**
 * A kind of background work. Retries use exponential backoff starting at
 * `retryDelaySeconds`; after the last attempt the job is dead-lettered (status `failed`,
 * kept in pg-boss's `<task>.dead` queue for inspection and redrive).
 */
export interface TaskDefinition<P = unknown, R = unknown> {
  name: string;
  retryLimit: number;
  retryDelaySeconds: number;
  /** Longest a single attempt may run before it is failed and retried. */
  expireInSeconds: number;
  /** Attempts of this task one worker process runs at a time. */
  concurrency: number;
  run(ctx: JobContext<P>): Promise<R>;
}

export function defineTask<P, R>(task: TaskDefinition<P, R>): TaskDefinition<P, R> {
  if (!/^[a-z][a-z0-9_.-]{1,60}$/.test(task.name)) throw new Error(`bad task name: ${task.name}`);
  return task;
}
