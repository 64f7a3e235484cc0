import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogue } from '../../src/platform/observability/metrics.js';
import { createObservability } from '../../src/platform/observability/observability.js';
import {
  PROMETHEUS_SERIES,
  dashboardQueries,
  familyOf,
  metricNames,
  ruleQueries,
} from './promql.js';
import { createObservedContext, parseExposition, type ObservedContext } from './helpers.js';

let ctx: ObservedContext;
/** Families from real scrapes of an API process and a worker process. */
const families = new Map<string, string>();

beforeAll(async () => {
  ctx = await createObservedContext({ role: 'api' });
  const tenant = await ctx.newTenant();
  await ctx.inject({ method: 'GET', url: '/v1/me', headers: tenant.auth });
  await ctx.inject({ method: 'GET', url: '/nope' });
  const job = await ctx.jobs.enqueue(tenant.tenantId, 'test.observed', {});
  await ctx.waitForJob(tenant.tenantId, job.id);
  for (const [name, type] of parseExposition(await ctx.scrape()).families) families.set(name, type);
  const worker = createObservability({ role: 'worker', db: ctx.database.db });
  worker.watchQueue(ctx.jobs);
  for (const [name, type] of parseExposition(await worker.scrape()).families)
    families.set(name, type);
});
afterAll(async () => {
  await ctx?.close();
});

describe('PromQL name extraction', () => {
  it('finds metric names and nothing else', () => {
    expect(
      metricNames(
        'histogram_quantile(0.95, sum by (le, route) (rate(api_request_duration_seconds_bucket{job="dyocense-api", route!="/metrics"}[$__rate_interval]))) > 1e-3',
      ),
    ).toEqual(['api_request_duration_seconds_bucket']);
    expect(
      metricNames(
        'max by (job, instance) ((db_pool_connections - db_pool_idle_connections) / db_pool_max_connections) > 0.9 and on (instance) max by (job, instance) (db_pool_waiting_clients) > 0',
      ).sort(),
    ).toEqual([
      'db_pool_connections',
      'db_pool_idle_connections',
      'db_pool_max_connections',
      'db_pool_waiting_clients',
    ]);
    expect(
      metricNames('time() - max by (schedule) (scheduler_last_tick_timestamp_seconds) > 8 * 3600'),
    ).toEqual(['scheduler_last_tick_timestamp_seconds']);
    expect(metricNames('sum(up{job="x"}) == 0 or absent(up{job="x"})')).toEqual(['up']);
  });
});

describe('dashboards and alert rules use only metrics the app exports', () => {
  const queries = [...dashboardQueries(), ...ruleQueries()];

  it('has the four dashboards and the alert rules the issue asks for', () => {
    const where = new Set(queries.map((q) => q.where.split(':')[0]));
    for (const f of [
      'api.json',
      'database.json',
      'jobs-connectors.json',
      'business.json',
      'alerts.yml',
    ])
      expect(where, f).toContain(f);
    const alerts = ruleQueries().map((q) => q.where);
    for (const name of [
      'ApiLatencyP95High',
      'ApiErrorRateHigh',
      'ConnectorSyncFailures',
      'JobBacklog',
      'DbPoolSaturated',
    ])
      expect(alerts).toContain(`alerts.yml: ${name}`);
  });

  it('every referenced series belongs to a family in a real scrape', () => {
    const unknown: string[] = [];
    for (const q of queries) {
      const names = metricNames(q.expr);
      expect(names.length, `${q.where}: ${q.expr}`).toBeGreaterThan(0);
      for (const n of names)
        if (!PROMETHEUS_SERIES.has(n) && !familyOf(n, families)) unknown.push(`${q.where}: ${n}`);
    }
    expect(unknown).toEqual([]);
  });

  it('every family in the catalogue is on some dashboard', () => {
    const used = new Set(
      dashboardQueries().flatMap((q) => metricNames(q.expr).map((n) => familyOf(n, families) ?? n)),
    );
    expect(
      catalogue()
        .filter((f) => !used.has(f.name))
        .map((f) => f.name),
    ).toEqual([]);
  });
});
