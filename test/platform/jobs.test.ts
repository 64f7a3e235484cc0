import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { JobQueue } from '../../src/platform/jobs/queue.js';
import { defineTask } from '../../src/platform/jobs/types.js';
import { getJob } from '../../src/platform/jobs/repo.js';
import { withTenant } from '../../src/platform/tenancy/context.js';
import { createLogger } from '../../src/platform/observability/logger.js';
import { LogCapture } from '../helpers/app.js';

let t: TestDatabase;
let queue: JobQueue;
const A = randomUUID();
const B = randomUUID();
const attemptsSeen = new Map<string, number>();
let release: () => void = () => {};

async function waitFor<T>(
  fn: () => Promise<T>,
  ok: (v: T) => boolean,
  timeoutMs = 30_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > until) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}
const job = (tenant: string, id: string) => withTenant(t.db, tenant, (tx) => getJob(tx, id));

beforeAll(async () => {
  t = await createTestDatabase();
  for (const id of [A, B])
    await withTenant(t.db, id, (tx) =>
      tx.query("insert into tenants (id, name) values ($1, 'T')", [id]),
    );
  queue = new JobQueue(t.db, createLogger({ level: 'silent', destination: new LogCapture() }), {
    databaseUrl: t.url,
  });
  queue.define(
    defineTask<{ n: number }, { sum: number; tenantsVisible: number }>({
      name: 'test.sum',
      retryLimit: 0,
      retryDelaySeconds: 1,
      expireInSeconds: 60,
      concurrency: 1,
      async run(ctx) {
        await ctx.progress(0.5, 'halfway');
        // the job runs under its tenant's RLS: only its own tenant row is visible
        const visible = await ctx.withTenant(
          async (tx) =>
            (await tx.query<{ n: number }>('select count(*)::int as n from tenants')).rows[0]!.n,
        );
        return { sum: ctx.payload.n * 2, tenantsVisible: visible };
      },
    }),
  );
  queue.define(
    defineTask<{ key: string }, string>({
      name: 'test.flaky',
      retryLimit: 2,
      retryDelaySeconds: 1,
      expireInSeconds: 60,
      concurrency: 1,
      async run(ctx) {
        attemptsSeen.set(ctx.payload.key, ctx.attempt);
        if (ctx.payload.key === 'always-fails' || ctx.attempt < 2)
          throw new Error(`attempt ${ctx.attempt} failed`);
        return 'ok';
      },
    }),
  );
  queue.define(
    defineTask<Record<string, never>, string>({
      name: 'test.slow',
      retryLimit: 0,
      retryDelaySeconds: 1,
      expireInSeconds: 60,
      concurrency: 1,
      run: () => new Promise((resolve) => (release = () => resolve('done'))),
    }),
  );
  await queue.start({ work: true, pollingIntervalSeconds: 0.5 });
});

afterAll(async () => {
  release();
  await queue?.stop(5000);
  await t?.drop();
});

describe('job queue', () => {
  it('runs a job in its tenant’s context, records progress and the result', async () => {
    const queued = await queue.enqueue(A, 'test.sum', { n: 21 });
    expect(queued.status).toBe('queued');
    const done = await waitFor(
      () => job(A, queued.id),
      (j) => j?.status === 'succeeded',
    );
    expect(done).toMatchObject({
      status: 'succeeded',
      progress: 1,
      progress_message: 'halfway',
      attempts: 1,
      result: { sum: 42, tenantsVisible: 1 },
    });
    expect(done!.finished_at).toBeInstanceOf(Date);
  });

  it('another tenant cannot see the job', async () => {
    const queued = await queue.enqueue(A, 'test.sum', { n: 1 });
    expect(await job(B, queued.id)).toBeNull();
    expect(await job(A, queued.id)).not.toBeNull();
  });

  it('retries with backoff, then succeeds', async () => {
    const queued = await queue.enqueue(A, 'test.flaky', { key: 'second-time-lucky' });
    const done = await waitFor(
      () => job(A, queued.id),
      (j) => j?.status === 'succeeded',
      45_000,
    );
    expect(done).toMatchObject({ status: 'succeeded', attempts: 2, result: 'ok', error: null });
  });

  it('after the last retry the job is failed and dead-lettered', async () => {
    const queued = await queue.enqueue(A, 'test.flaky', { key: 'always-fails' });
    const done = await waitFor(
      () => job(A, queued.id),
      (j) => j?.status === 'failed',
      60_000,
    );
    expect(done).toMatchObject({ status: 'failed', attempts: 3, error: 'attempt 3 failed' });
    const counts = await waitFor(
      () => queue.queueCounts(),
      (c) => (c.find((x) => x.task === 'test.flaky')?.deadLettered ?? 0) >= 1,
    );
    expect(counts.find((x) => x.task === 'test.flaky')!.deadLettered).toBe(1);
  });

  it('deduplicates live jobs by key, per tenant', async () => {
    const first = await queue.enqueue(A, 'test.slow', {}, { dedupeKey: 'nightly' });
    const second = await queue.enqueue(A, 'test.slow', {}, { dedupeKey: 'nightly' });
    const otherTenant = await queue.enqueue(B, 'test.slow', {}, { dedupeKey: 'nightly' });
    expect(second.id).toBe(first.id);
    expect(otherTenant.id).not.toBe(first.id);
    release();
  });

  it('refuses unknown tasks and non-UUID tenants', async () => {
    await expect(queue.enqueue(A, 'no.such.task', {})).rejects.toThrow(/unknown task/);
    await expect(queue.enqueue("x'; drop table jobs; --", 'test.sum', { n: 1 })).rejects.toThrow(
      /UUID/,
    );
  });
});
