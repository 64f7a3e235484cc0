import { randomUUID } from 'node:crypto';
import { PgBoss, fromPglite, type Db as IDatabase } from 'pg-boss';
import type { Database, Transaction } from '../db/types.js';
import type { EmbeddedDatabase } from '../db/embedded.js';
import type { Logger } from '../observability/logger.js';
import { enterTenant, isUuid, withSystem, withTenant, type SystemTx } from '../tenancy/context.js';
import * as repo from './repo.js';
import { installSchedules, type SystemSchedule } from './schedule.js';
import type { JobContext, TaskDefinition } from './types.js';

export interface EnqueueOptions {
  /** A second enqueue with the same key while the first is queued or running returns the first. */
  dedupeKey?: string;
  createdBy?: string | null;
  startAfterSeconds?: number;
}

export interface JobEvents {
  onEnqueued?(task: string): void;
  onStarted?(task: string): void;
  onFinished?(task: string, outcome: 'succeeded' | 'retrying' | 'failed', seconds: number): void;
  /** W3C traceparent of the caller, stored with the job so its run joins the same trace. */
  currentTraceParent?(): string | null;
  /** Wraps a job's run (tracing); must call `run`. */
  aroundRun?<T>(task: string, traceParent: string | null, run: () => Promise<T>): Promise<T>;
}

interface BossJobData {
  tenantId: string;
  jobId: string;
}

const PROGRESS_INTERVAL_MS = 500;
const DEAD_SUFFIX = '.dead';

/** pg-boss's database interface over one of our transactions (transactional enqueue). */
function bossDb(tx: Transaction): IDatabase {
  return {
    executeSql: async (text, values) => ({ rows: (await tx.query(text, values ?? [])).rows }),
  };
}

/**
 * The job queue: pg-boss for delivery (retries with backoff, expiry, dead-letter queues),
 * our `jobs` table for per-tenant history, progress and results. Enqueueing writes both in
 * one transaction, so a job is never half-created. Works on the server database (pg-boss
 * with its own small pool) and on PGlite (pg-boss's `fromPglite` adapter).
 */
export class JobQueue {
  private readonly boss: PgBoss;
  private readonly tasks = new Map<string, TaskDefinition<never, unknown>>();
  private readonly schedules = new Map<string, SystemSchedule>();
  private started = false;

  constructor(
    private readonly db: Database,
    private readonly log: Logger,
    options: { databaseUrl?: string; events?: JobEvents } = {},
  ) {
    this.events = options.events ?? {};
    const common = {
      schema: 'pgboss',
      application_name: 'dyocense-jobs',
      persistWarnings: false,
    } as const;
    this.boss =
      db.kind === 'embedded'
        ? new PgBoss({
            ...common,
            db: fromPglite((db as EmbeddedDatabase).pglite as never),
            backend: 'pglite',
            useListenNotify: false,
          })
        : new PgBoss({ ...common, connectionString: options.databaseUrl!, max: 4 });
    this.boss.on('error', (err) => this.log.error({ err }, 'job queue error'));
  }

  private readonly events: JobEvents;

  define<P, R>(task: TaskDefinition<P, R>): void {
    if (this.started) throw new Error(`define task ${task.name} before the queue starts`);
    this.tasks.set(task.name, task as unknown as TaskDefinition<never, unknown>);
  }

  get taskNames(): string[] {
    return [...this.tasks.keys()];
  }

  /** Registers a system-level schedule (see `schedule.ts`); written to pg-boss by `start`. */
  defineSchedule(schedule: SystemSchedule): void {
    if (this.started) throw new Error(`define schedule ${schedule.name} before the queue starts`);
    this.schedules.set(schedule.name, schedule);
  }

  /** Fires a schedule's occurrence now, as its cron would (operations, tests). */
  async runScheduleNow(name: string): Promise<string | null> {
    if (!this.schedules.has(name)) throw new Error(`unknown schedule ${name}`);
    return this.boss.send(name, {});
  }

  /**
   * Starts pg-boss (installing its schema when missing) and creates every task's queue and
   * dead-letter queue. With `work: true` this process also runs the tasks.
   */
  async start(options: { work: boolean; pollingIntervalSeconds?: number }): Promise<void> {
    await this.boss.start();
    this.started = true;
    for (const task of this.tasks.values()) {
      const dead = `${task.name}${DEAD_SUFFIX}`;
      await this.boss.createQueue(dead, { retentionSeconds: 14 * 86_400 });
      await this.boss.createQueue(task.name, {
        retryLimit: task.retryLimit,
        retryDelay: task.retryDelaySeconds,
        retryBackoff: true,
        retryDelayMax: 3600,
        expireInSeconds: task.expireInSeconds,
        deadLetter: dead,
      });
      if (options.work) {
        await this.boss.work<BossJobData>(
          task.name,
          {
            batchSize: 1,
            localConcurrency: task.concurrency,
            pollingIntervalSeconds: options.pollingIntervalSeconds ?? 1,
          },
          async ([job]) => {
            if (job) await this.runJob(task, job.data, job.retryCount, job.signal);
          },
        );
      }
    }
    await installSchedules(this.boss, [...this.schedules.values()], {
      work: options.work,
      pollingIntervalSeconds: options.pollingIntervalSeconds ?? 1,
      log: this.log,
      context: { database: this.db, enqueue: (t, n, p, o) => this.enqueue(t, n, p, o) },
    });
  }

  async stop(timeoutMs = 20_000): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.boss.stop({ graceful: true, timeout: timeoutMs, close: true });
  }

  /** Queues `task` for `tenantId`. Returns the job (an existing one when deduplicated). */
  async enqueue<P>(
    tenantId: string,
    taskName: string,
    payload: P,
    options: EnqueueOptions = {},
  ): Promise<repo.JobRow> {
    const task = this.tasks.get(taskName);
    if (!task) throw new Error(`unknown task ${taskName}`);
    if (!isUuid(tenantId)) throw new Error('tenant id must be a UUID');
    const id = randomUUID();
    const traceParent = this.events.currentTraceParent?.() ?? null;
    const created = await withSystem(this.db, async (sys: SystemTx) => {
      const tx = await enterTenant(sys, tenantId);
      const row = await repo.insertJob(tx, {
        tenantId,
        id,
        task: task.name,
        dedupeKey: options.dedupeKey ?? null,
        payload,
        maxAttempts: task.retryLimit + 1,
        traceParent,
        createdBy: options.createdBy ?? null,
      });
      if (!row) return null;
      // Back to the owner for pg-boss's own tables, in the same transaction.
      await sys.query('reset role', [], 'jobs.resetRole');
      await this.boss.send(task.name, { tenantId, jobId: id } satisfies BossJobData, {
        id,
        ...(options.startAfterSeconds ? { startAfter: options.startAfterSeconds } : {}),
        db: bossDb(sys),
      });
      return row;
    });
    if (created) {
      this.events.onEnqueued?.(task.name);
      return created;
    }
    const existing = await withTenant(this.db, tenantId, (tx) =>
      repo.findLiveJobByDedupeKey(tx, task.name, options.dedupeKey!),
    );
    if (existing) return existing;
    // The live duplicate finished between our insert and lookup: try once more.
    return this.enqueue(tenantId, taskName, payload, options);
  }

  private async runJob(
    task: TaskDefinition<never, unknown>,
    data: BossJobData,
    retryCount: number,
    signal: AbortSignal,
  ): Promise<void> {
    const { tenantId, jobId } = data;
    const log = this.log.child({ job_id: jobId, tenant_id: tenantId, task: task.name });
    const row = await withTenant(this.db, tenantId, (tx) => repo.markRunning(tx, jobId));
    if (!row) {
      log.warn('job record missing or already finished; nothing to do');
      return;
    }
    this.events.onStarted?.(task.name);
    const started = process.hrtime.bigint();
    let lastProgress = 0;
    const ctx: JobContext<never> = {
      jobId,
      tenantId,
      payload: row.payload as never,
      attempt: retryCount + 1,
      signal,
      log,
      withTenant: (fn) => withTenant(this.db, tenantId, fn),
      database: this.db,
      progress: async (fraction, message) => {
        const now = Date.now();
        if (now - lastProgress < PROGRESS_INTERVAL_MS && fraction < 1) return;
        lastProgress = now;
        const clamped = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
        await withTenant(this.db, tenantId, (tx) =>
          repo.recordProgress(tx, jobId, clamped, message ?? null),
        );
      },
    };
    const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
    const run = () => task.run(ctx);
    try {
      const result = await (this.events.aroundRun
        ? this.events.aroundRun(task.name, row.trace_parent, run)
        : run());
      await withTenant(this.db, tenantId, (tx) =>
        repo.markFinished(tx, jobId, { status: 'succeeded', result: result ?? null }),
      );
      this.events.onFinished?.(task.name, 'succeeded', seconds());
      log.info({ seconds: seconds() }, 'job succeeded');
    } catch (err) {
      const last = retryCount >= task.retryLimit;
      const message = err instanceof Error ? err.message : String(err);
      await withTenant(this.db, tenantId, (tx) =>
        repo.markFinished(tx, jobId, { status: last ? 'failed' : 'retrying', error: message }),
      );
      this.events.onFinished?.(task.name, last ? 'failed' : 'retrying', seconds());
      log.warn(
        { err, attempt: retryCount + 1, willRetry: !last },
        last ? 'job failed; dead-lettered' : 'job failed; will retry',
      );
      throw err; // pg-boss schedules the retry or moves the job to the dead-letter queue
    }
  }

  /** Exact counts by state for each task's queue and its dead-letter queue (for metrics). */
  async queueCounts(): Promise<
    { task: string; queued: number; active: number; failed: number; deadLettered: number }[]
  > {
    const names = [...this.tasks.keys()];
    const { rows } = await withSystem(this.db, (sys) =>
      sys.query<{ name: string; state: string; n: number }>(
        `select name, state::text as state, count(*)::int as n from pgboss.job
          where name = any($1::text[]) group by 1, 2`,
        [[...names, ...names.map((n) => `${n}${DEAD_SUFFIX}`)]],
        'jobs.queueCounts',
      ),
    );
    const count = (name: string, states: string[]) =>
      rows.filter((r) => r.name === name && states.includes(r.state)).reduce((a, r) => a + r.n, 0);
    return names.map((task) => ({
      task,
      queued: count(task, ['created', 'retry']),
      active: count(task, ['active']),
      failed: count(task, ['failed']),
      deadLettered: count(`${task}${DEAD_SUFFIX}`, ['created', 'retry', 'active']),
    }));
  }
}
