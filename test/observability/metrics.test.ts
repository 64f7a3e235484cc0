import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogue } from '../../src/platform/observability/metrics.js';
import { createObservability } from '../../src/platform/observability/observability.js';
import { startMetricsServer } from '../../src/platform/observability/metrics-server.js';
import { createLogger } from '../../src/platform/observability/logger.js';
import { LogCapture, TEST_PASSWORD } from '../helpers/app.js';
import {
  createObservedContext,
  parseExposition,
  total,
  type ObservedContext,
  type Sample,
} from './helpers.js';

const TOKEN = 'metrics-token-for-tests-0123';
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

let ctx: ObservedContext;
let families: Map<string, string>;
let samples: Sample[];

/** A short scripted use of the product: signups, logins, API calls, errors and jobs. */
async function exercise(c: ObservedContext): Promise<void> {
  const a = await c.newTenant();
  const b = await c.newTenant();
  await c.inject({
    method: 'POST',
    url: '/v1/auth/login',
    payload: { email: a.email, password: TEST_PASSWORD },
  });
  await c.inject({
    method: 'POST',
    url: '/v1/auth/login',
    payload: { email: a.email, password: 'wrong-password-123' },
  });
  await c.inject({
    method: 'POST',
    url: '/v1/auth/refresh',
    payload: { refreshToken: b.refreshToken },
  });
  for (const url of ['/v1/me', '/v1/tenant', '/v1/members', '/v1/jobs'])
    await c.inject({ method: 'GET', url, headers: a.auth });
  await c.inject({ method: 'GET', url: `/v1/jobs/${a.tenantId}`, headers: a.auth }); // 404
  await c.inject({ method: 'POST', url: `/no/such/route/${b.tenantId}` }); // unmatched
  await c.inject({ method: 'GET', url: '/v1/me' }); // 401
  await c.inject({ method: 'GET', url: '/v1/health' });
  const ok = await c.jobs.enqueue(a.tenantId, 'test.observed', {});
  const failing = await c.jobs.enqueue(b.tenantId, 'test.observed', { fail: true });
  expect((await c.waitForJob(a.tenantId, ok.id))?.status).toBe('succeeded');
  expect((await c.waitForJob(b.tenantId, failing.id))?.status).toBe('failed');
}

beforeAll(async () => {
  ctx = await createObservedContext({ env: { METRICS_TOKEN: TOKEN } });
  await exercise(ctx);
  ({ families, samples } = parseExposition(await ctx.scrape({ authorization: `Bearer ${TOKEN}` })));
});
afterAll(async () => {
  await ctx?.close();
});

describe('GET /metrics after a short scripted use', () => {
  it('exports every catalogue family and at least 50 in total', () => {
    for (const f of catalogue()) expect(families.get(f.name), f.name).toBe(f.kind);
    expect(families.size).toBeGreaterThanOrEqual(50);
    // Node.js process, GC and event-loop defaults
    for (const name of [
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_seconds',
      'nodejs_eventloop_lag_p99_seconds',
      'nodejs_gc_duration_seconds',
      'nodejs_heap_size_used_bytes',
    ])
      expect(families.has(name), name).toBe(true);
  });

  it('has live values for HTTP, database, jobs, pool and tenants', () => {
    const count = (name: string, labels: Record<string, string> = {}) =>
      total(samples, name, labels);
    expect(
      count('api_request_duration_seconds_count', {
        method: 'POST',
        route: '/v1/auth/signup',
        status_class: '2xx',
      }),
    ).toBe(2);
    expect(count('api_request_duration_seconds_count', { route: '/v1/jobs/:id' })).toBe(1);
    expect(count('api_request_duration_seconds_count', { route: 'unmatched' })).toBe(1);
    expect(count('api_requests_in_flight')).toBe(1); // the scrape itself
    expect(count('api_errors_total', { code: 'invalid_credentials' })).toBe(1);
    expect(count('api_errors_total', { code: 'route_not_found', route: 'unmatched' })).toBe(1);
    expect(count('api_errors_total', { code: 'unauthenticated', route: '/v1/me' })).toBe(1);
    expect(count('auth_attempts_total', { kind: 'login', outcome: 'success' })).toBe(1);
    expect(count('auth_attempts_total', { kind: 'login', outcome: 'failure' })).toBe(1);
    expect(count('auth_attempts_total', { kind: 'refresh', outcome: 'success' })).toBe(1);
    expect(count('api_response_size_bytes_count')).toBeGreaterThan(5);
    expect(count('api_request_size_bytes_count', { route: '/v1/auth/login' })).toBe(2);

    expect(count('db_query_duration_seconds_count', { query: 'accounts.insertTenant' })).toBe(2);
    expect(count('db_query_duration_seconds_count', { outcome: 'ok' })).toBeGreaterThan(20);
    expect(count('db_pool_connections')).toBeGreaterThanOrEqual(1);
    expect(samples.some((s) => s.name === 'db_pool_idle_connections')).toBe(true);
    expect(samples.some((s) => s.name === 'db_pool_waiting_clients')).toBe(true);
    expect(count('db_pool_max_connections')).toBeGreaterThanOrEqual(1);
    expect(count('db_size_bytes')).toBeGreaterThan(1_000_000);
    for (const extension of ['timescaledb', 'vector', 'pg_cron', 'citus'])
      expect(
        samples.filter(
          (s) => s.name === 'db_extension_installed' && s.labels.extension === extension,
        ),
        extension,
      ).toEqual([
        expect.objectContaining({ value: expect.toSatisfy((v: number) => v === 0 || v === 1) }),
      ]);

    const task = { task: 'test.observed' };
    expect(count('jobs_enqueued_total', task)).toBe(2);
    expect(count('jobs_finished_total', { ...task, outcome: 'succeeded' })).toBe(1);
    expect(count('jobs_finished_total', { ...task, outcome: 'failed' })).toBe(1);
    expect(count('job_duration_seconds_count', task)).toBe(2);
    expect(count('jobs_in_progress', task)).toBe(0);
    for (const name of ['jobs_queued', 'jobs_running', 'jobs_failed', 'jobs_dead_lettered'])
      expect(
        samples.some((s) => s.name === name && s.labels.task === 'test.observed'),
        name,
      ).toBe(true);
    expect(count('jobs_oldest_queued_age_seconds', task)).toBeGreaterThanOrEqual(0);

    expect(count('active_tenants', { window: '1d' })).toBe(2);
    expect(count('tenants_registered')).toBe(2);
    expect(samples.find((s) => s.name === 'dyocense_build_info')?.labels.version).toMatch(
      /^\d+\.\d+\.\d+/,
    );
    expect(count('nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
  });

  it('eventually shows the failed job dead-lettered', async () => {
    // pg-boss moves a job that exhausted its retries to the dead-letter queue asynchronously.
    const until = Date.now() + 20_000;
    let dead = 0;
    while (Date.now() < until) {
      const scrape = parseExposition(await ctx.scrape({ authorization: `Bearer ${TOKEN}` }));
      dead = total(scrape.samples, 'jobs_dead_lettered', { task: 'test.observed' });
      if (dead >= 1) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(dead).toBe(1);
  });

  it('keeps label cardinality bounded: no ids, no raw URLs', () => {
    const known = (url: string) =>
      ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].some((method) => ctx.app.hasRoute({ method, url }));
    for (const s of samples) {
      for (const [label, value] of Object.entries(s.labels)) {
        expect(value, `${s.name}{${label}}`).not.toMatch(UUID);
        expect(value.length, `${s.name}{${label}="${value}"}`).toBeLessThanOrEqual(64);
      }
      const route = s.labels.route;
      if (route !== undefined && route !== 'unmatched')
        expect(known(route), `route label ${route}`).toBe(true);
    }
  });
});

describe('/metrics protection', () => {
  it('asks for the bearer token when METRICS_TOKEN is set', async () => {
    const none = await ctx.inject({ method: 'GET', url: '/metrics' });
    expect(none.statusCode).toBe(401);
    expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(none.headers['content-type']).toMatch(/problem\+json/);
    expect(none.body).not.toContain('api_request_duration_seconds');
    const wrong = await ctx.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: `Bearer ${TOKEN}x` },
    });
    expect(wrong.statusCode).toBe(401);
    const right = await ctx.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(right.statusCode).toBe(200);
    expect(right.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  it('is not part of the public API description', async () => {
    const doc = (await ctx.inject({ method: 'GET', url: '/v1/openapi.json' })).json();
    expect(Object.keys(doc.paths)).not.toContain('/metrics');
  });
});

describe('worker metrics server', () => {
  it('serves the worker registry on its own port, token-protected', async () => {
    const observability = createObservability({ role: 'worker', db: ctx.database.db });
    observability.watchQueue(ctx.jobs);
    const server = await startMetricsServer({
      observability,
      host: '127.0.0.1',
      port: 0,
      token: TOKEN,
      logger: createLogger({ level: 'silent', destination: new LogCapture() }),
    });
    try {
      const base = `http://127.0.0.1:${server.port}`;
      expect((await fetch(`${base}/metrics`)).status).toBe(401);
      expect((await fetch(`${base}/health`)).status).toBe(200);
      const res = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(res.status).toBe(200);
      const scrape = parseExposition(await res.text());
      expect(scrape.families.get('job_duration_seconds')).toBe('histogram');
      expect(scrape.families.get('jobs_queued')).toBe('gauge');
      expect(scrape.samples.find((s) => s.name === 'dyocense_build_info')?.labels.role).toBe(
        'worker',
      );
      // a worker serves no HTTP API, so it exports no API families
      expect(scrape.families.has('api_request_duration_seconds')).toBe(false);
    } finally {
      await server.close();
    }
  });
});
