import type { PgBoss } from 'pg-boss';
import type { Database } from '../db/types.js';
import type { Logger } from '../observability/logger.js';
import type { EnqueueOptions } from './queue.js';
import type { JobRow } from './repo.js';

/**
 * What a system schedule's handler can do: query across tenants as the schema owner
 * (`withSystem(database, …)`) and fan out tenant-scoped jobs. It has no tenant of its own.
 */
export interface ScheduleContext {
  /** pg-boss id of this occurrence's job. */
  runId: string;
  log: Logger;
  signal: AbortSignal;
  database: Database;
  enqueue<P>(tenantId: string, task: string, payload: P, options?: EnqueueOptions): Promise<JobRow>;
}

/**
 * Recurring platform-wide work (e.g. the nightly forecast refresh): a pg-boss schedule that
 * fires once per occurrence across every worker, whose handler usually fans out one
 * tenant-scoped job per tenant. `cron: null` disables it (the stored schedule is removed).
 */
export interface SystemSchedule {
  /** Also the pg-boss queue the occurrences are sent to. */
  name: string;
  /** Five-field cron expression, or null (off). */
  cron: string | null;
  /** IANA zone the expression is read in; default: this server's local zone. */
  timeZone?: string;
  retryLimit: number;
  expireInSeconds: number;
  run(ctx: ScheduleContext): Promise<void>;
}

/**
 * Declares a system schedule (register it with `queue.defineSchedule`).
 *
 * @example
 * queue.defineSchedule(defineSchedule({ name: 'x.nightly', cron: '30 2 * * *', retryLimit: 1,
 *   expireInSeconds: 600, run: async (ctx) => { … } }));
 */
export function defineSchedule(s: SystemSchedule): SystemSchedule {
  if (!/^[a-z][a-z0-9_.-]{1,60}$/.test(s.name)) throw new Error(`bad schedule name: ${s.name}`);
  return s;
}

/** The server's own time zone (honours `TZ`), used when a schedule names none. */
export function serverTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/**
 * Writes (or removes) each schedule in pg-boss and, in working processes, runs its
 * occurrences. Writing is an idempotent upsert, so every process may do it at start-up.
 * @internal used by `JobQueue.start`
 */
export async function installSchedules(
  boss: PgBoss,
  schedules: readonly SystemSchedule[],
  options: {
    work: boolean;
    pollingIntervalSeconds: number;
    log: Logger;
    context: Omit<ScheduleContext, 'runId' | 'log' | 'signal'>;
  },
): Promise<void> {
  for (const s of schedules) {
    await boss.createQueue(s.name, {
      retryLimit: s.retryLimit,
      retryDelay: 60,
      retryBackoff: true,
      expireInSeconds: s.expireInSeconds,
    });
    if (s.cron === null) await boss.unschedule(s.name);
    else await boss.schedule(s.name, s.cron, {}, { tz: s.timeZone ?? serverTimeZone() });
    if (!options.work) continue;
    await boss.work(
      s.name,
      { batchSize: 1, pollingIntervalSeconds: options.pollingIntervalSeconds },
      async ([job]) => {
        if (!job) return;
        const log = options.log.child({ schedule: s.name, run_id: job.id });
        const started = Date.now();
        try {
          await s.run({ ...options.context, runId: job.id, log, signal: job.signal });
          log.info({ seconds: (Date.now() - started) / 1000 }, 'schedule ran');
        } catch (err) {
          log.warn({ err }, 'schedule failed');
          throw err;
        }
      },
    );
  }
}
