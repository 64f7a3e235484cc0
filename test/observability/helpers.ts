import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/platform/config/config.js';
import { createLogger } from '../../src/platform/observability/logger.js';
import { JobQueue } from '../../src/platform/jobs/queue.js';
import { defineTask, type TaskDefinition } from '../../src/platform/jobs/types.js';
import { getJob, type JobRow } from '../../src/platform/jobs/repo.js';
import { withTenant } from '../../src/platform/tenancy/context.js';
import {
  createObservability,
  type Observability,
  type ProcessRole,
} from '../../src/platform/observability/observability.js';
import { registerTasks } from '../../src/tasks.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { LogCapture, TEST_PASSWORD, type TestTenant } from '../helpers/app.js';

/** A task tests enqueue: reads its tenant's row, fails on demand. */
export const echoTask = defineTask<{ fail?: boolean }, { tenants: number }>({
  name: 'test.observed',
  retryLimit: 0,
  retryDelaySeconds: 1,
  expireInSeconds: 60,
  concurrency: 2,
  async run(ctx) {
    ctx.log.info('observed task running');
    const tenants = await ctx.withTenant(
      async (tx) =>
        (await tx.query<{ n: number }>('select count(*)::int as n from tenants', [], 'test.count'))
          .rows[0]!.n,
    );
    if (ctx.payload.fail) throw new Error('asked to fail');
    return { tenants };
  },
});

export interface ObservedContext {
  app: FastifyInstance;
  config: Config;
  database: TestDatabase;
  observability: Observability;
  jobs: JobQueue;
  logs: LogCapture;
  inject(opts: InjectOptions): Promise<LightMyRequestResponse>;
  newTenant(): Promise<TestTenant>;
  waitForJob(tenantId: string, id: string): Promise<JobRow | null>;
  scrape(headers?: Record<string, string>): Promise<string>;
  close(): Promise<void>;
}

let counter = 0;

/**
 * The real app wired as `start.ts` wires it: one Observability per process, its job hooks
 * on the queue, the queue running jobs in-process, plus the test task.
 */
export async function createObservedContext(
  options: { env?: Record<string, string>; role?: ProcessRole; tasks?: TaskDefinition[] } = {},
): Promise<ObservedContext> {
  const database = await createTestDatabase();
  const config = loadConfig({
    LOG_LEVEL: 'info',
    AUTH_RATE_LIMIT_PER_MINUTE: '10000',
    ...options.env,
  });
  const logs = new LogCapture();
  const logger = createLogger({ level: config.logLevel, destination: logs });
  const observability = createObservability({
    role: options.role ?? 'all',
    db: database.db,
    poolMax: config.dbPoolMax,
  });
  const jobs = new JobQueue(database.db, logger, {
    databaseUrl: database.url,
    events: observability.jobEvents,
  });
  registerTasks(jobs, config);
  for (const t of [echoTask, ...(options.tasks ?? [])]) jobs.define(t);
  await jobs.start({ work: true, pollingIntervalSeconds: 0.5 });
  const { app } = await buildApp({
    config,
    db: database.db,
    logger,
    jwtSecret: 'test-secret-that-is-long-enough-0123456789',
    jobs,
    observability,
  });
  const inject = (opts: InjectOptions) => app.inject(opts);
  return {
    app,
    config,
    database,
    observability,
    jobs,
    logs,
    inject,
    async newTenant() {
      const email = `obs-${process.pid}-${++counter}-${Math.random().toString(36).slice(2, 8)}@example.com`;
      const res = await inject({
        method: 'POST',
        url: '/v1/auth/signup',
        payload: { email, password: TEST_PASSWORD, name: 'Owner', businessName: `Obs ${counter}` },
      });
      if (res.statusCode !== 201) throw new Error(`signup failed: ${res.statusCode} ${res.body}`);
      const s = res.json();
      return {
        tenantId: s.tenant.id,
        userId: s.user.id,
        email,
        accessToken: s.accessToken,
        refreshToken: s.refreshToken,
        auth: { authorization: `Bearer ${s.accessToken}` },
      };
    },
    async waitForJob(tenantId, id) {
      const until = Date.now() + 30_000;
      for (;;) {
        const job = await withTenant(database.db, tenantId, (tx) => getJob(tx, id));
        if (job && ['succeeded', 'failed'].includes(job.status)) return job;
        if (Date.now() > until) return job;
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async scrape(headers = {}) {
      const res = await inject({ method: 'GET', url: '/metrics', headers });
      if (res.statusCode !== 200) throw new Error(`/metrics answered ${res.statusCode}`);
      return res.body;
    },
    async close() {
      await app.close();
      await jobs.stop(5000);
      await database.drop();
    },
  };
}

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses the Prometheus text format: families (`# TYPE`) and samples. */
export function parseExposition(text: string): {
  families: Map<string, string>;
  samples: Sample[];
} {
  const families = new Map<string, string>();
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('# TYPE ')) {
      const [, , name, type] = line.split(' ');
      families.set(name!, type!);
      continue;
    }
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m) throw new Error(`unparseable exposition line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
      labels[l[1]!] = l[2]!;
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return { families, samples };
}

/** Sum of a family's samples matching `labels` (for histograms, pass the `_count` name). */
export function total(
  samples: Sample[],
  name: string,
  labels: Record<string, string> = {},
): number {
  return samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((a, s) => a + s.value, 0);
}
