import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestContext,
  LogCapture,
  type TestContext,
  type TestTenant,
} from '../../helpers/app.js';
import {
  upsertPoints,
  ensurePartitions,
  refreshRollups,
} from '../../../src/modules/metrics/write-repo.js';
import { withSystem, withTenant } from '../../../src/platform/tenancy/context.js';
import { ConfigError, loadConfig } from '../../../src/platform/config/config.js';
import { JobQueue } from '../../../src/platform/jobs/queue.js';
import { serverTimeZone } from '../../../src/platform/jobs/schedule.js';
import { createLogger } from '../../../src/platform/observability/logger.js';
import { registerTasks } from '../../../src/tasks.js';
import { FORECAST_NIGHTLY_SCHEDULE } from '../../../src/modules/forecasts/tasks.js';
import {
  DAY,
  HOUR,
  dailySeries,
  localToday,
  noise,
  pushPoints,
  waitForJob,
  wall,
} from './helpers.js';

let ctx: TestContext;
let a: TestTenant;
let b: TestTenant;
let c: TestTenant;
let today: Date;

const get = (t: TestTenant, url: string) => ctx.inject({ method: 'GET', url, headers: t.auth });

/** Writes catalogue (derived) metrics directly, as the derivation SQL would. */
async function writeDerived(
  t: TestTenant,
  points: { metric: string; time: Date; value: number }[],
) {
  await withTenant(ctx.database.db, t.tenantId, async (tx) => {
    const times = points.map((p) => p.time.getTime());
    const from = new Date(Math.min(...times));
    const to = new Date(Math.max(...times) + 1);
    await ensurePartitions(tx, from, to);
    await upsertPoints(tx, 'test', points);
    await refreshRollups(tx, from, to, [...new Set(points.map((p) => p.metric))]);
  });
}

/** Orders ~40 a day and revenue ~25 per order, for `days` days ending `daysAgo` days ago. */
function shopDays(days: number, daysAgo: number, seed: number) {
  const n = noise(seed, 2);
  return Array.from({ length: days }, (_, i) => {
    const time = new Date(today.getTime() - (daysAgo + days - i) * DAY + 12 * HOUR);
    const orders = 40 + Math.round(n());
    return [
      { metric: 'orders', time, value: orders },
      { metric: 'revenue', time, value: orders * (25 + n() / 10) },
    ];
  }).flat();
}

async function refreshJobs(t: TestTenant) {
  return (await get(t, '/v1/jobs?task=forecasts.refresh')).json().items as Record<string, any>[];
}

async function runNightly(expectedJobs: number) {
  await ctx.services.jobs.runScheduleNow(FORECAST_NIGHTLY_SCHEDULE);
  const until = Date.now() + 25_000;
  while ((await refreshJobs(a)).length < expectedJobs && Date.now() < until)
    await new Promise((r) => setTimeout(r, 200));
  const [latest] = await refreshJobs(a);
  return waitForJob(ctx, a, latest!.id);
}

beforeAll(async () => {
  ctx = await createTestContext();
  [a, b, c] = [await ctx.newTenant('A'), await ctx.newTenant('B'), await ctx.newTenant('C')];
  today = localToday('UTC');
  await writeDerived(a, shopDays(60, 0, 1));
  await writeDerived(b, shopDays(30, 50, 2)); // nothing in the last 35 days
  const n = noise(4, 2);
  await pushPoints(
    ctx,
    a,
    dailySeries('calls', today, 30, () => 50 + n()),
  );
  for (let k = 0; k < 2; k++) {
    const res = await ctx.inject({
      method: 'POST',
      url: '/v1/forecasts',
      headers: a.auth,
      payload: { metric: 'calls', horizon: 7 },
    });
    expect(res.statusCode).toBe(200);
  }
  // The older of the two identical runs is 100 days old: superseded, to be pruned.
  await withSystem(ctx.database.db, (sys) =>
    sys.query(
      `update forecasts set created_at = now() - interval '100 days'
        where id = (select id from forecasts where metric = 'calls' order by created_at limit 1)`,
    ),
  );
});
afterAll(async () => {
  await ctx?.close();
});

describe('nightly refresh', () => {
  it('is scheduled in pg-boss at 02:30 in the server time zone by default', async () => {
    const { rows } = await ctx.database.db.query<{ cron: string; timezone: string }>(
      'select cron, timezone from pgboss.schedule where name = $1',
      [FORECAST_NIGHTLY_SCHEDULE],
    );
    expect(rows).toEqual([{ cron: '30 2 * * *', timezone: serverTimeZone() }]);
  });

  it('refreshes revenue, orders and what the tenant asked for, only for tenants with recent data', async () => {
    const job = await runNightly(1);
    expect(job).toMatchObject({
      status: 'succeeded',
      progress: 1,
      result: { considered: 3, refreshed: 2, fresh: 1, noData: 0, failed: 0, pruned: 1 },
    });
    expect(await refreshJobs(b)).toEqual([]);
    expect(await refreshJobs(c)).toEqual([]);

    const items = (await get(a, '/v1/forecasts?trigger=refresh')).json().items;
    expect(
      items.map((i: Record<string, unknown>) => [i.metric, i.interval, i.horizon, i.kind]).sort(),
    ).toEqual([
      ['orders', 'day', 28, 'count'],
      ['revenue', 'day', 28, 'level'],
    ]);
    const orders = items.find((i: { metric: string }) => i.metric === 'orders');
    const full = (await get(a, `/v1/forecasts/${orders.id}`)).json();
    expect(full.points).toHaveLength(28);
    expect(full.points[0].t).toBe(wall(today));
    for (const p of full.points) {
      expect(p.value).toBeCloseTo(40, -1);
      expect(p.lower95).toBeGreaterThanOrEqual(0);
    }
    // The refreshed forecast is the current one: the API reuses it.
    const current = (await get(a, '/v1/metrics/orders/forecast')).json();
    expect(current.forecast.id).toBe(orders.id);
    expect((await get(a, '/v1/forecasts?metric=calls')).json().items).toHaveLength(1);
  });

  it('a second run finds everything current', async () => {
    const job = await runNightly(2);
    expect(job.result).toEqual({
      considered: 3,
      refreshed: 0,
      fresh: 3,
      noData: 0,
      failed: 0,
      pruned: 0,
    });
  });
});

describe('ratio metrics', () => {
  it('forecast the ratio itself (Σ revenue / Σ orders per bucket)', async () => {
    const res = await get(a, '/v1/metrics/average_order_value/forecast?horizon=14');
    expect(res.statusCode).toBe(200);
    const f = res.json().forecast;
    expect(f.kind).toBe('level');
    expect(f.history).toMatchObject({ buckets: 60, observations: 60 });
    for (const p of f.points) {
      expect(p.value).toBeCloseTo(25, 0);
      expect(p.lower95).toBeLessThanOrEqual(25);
      expect(p.upper95).toBeGreaterThanOrEqual(25);
    }
  });
});

describe('configuration', () => {
  it('FORECAST_REFRESH_CRON: default, a cron expression, off, and nonsense', () => {
    expect(loadConfig({}).forecastRefreshCron).toBe('30 2 * * *');
    expect(loadConfig({ FORECAST_REFRESH_CRON: '0 4 * * 1' }).forecastRefreshCron).toBe(
      '0 4 * * 1',
    );
    expect(loadConfig({ FORECAST_REFRESH_CRON: 'off' }).forecastRefreshCron).toBeNull();
    expect(() => loadConfig({ FORECAST_REFRESH_CRON: 'every night' })).toThrow(ConfigError);
  });

  it('off removes the schedule', async () => {
    const q = new JobQueue(
      ctx.database.db,
      createLogger({ level: 'silent', destination: new LogCapture() }),
      {
        databaseUrl: ctx.database.url,
      },
    );
    registerTasks(q, { forecastRefreshCron: null });
    await q.start({ work: false });
    await q.stop(5000);
    const { rows } = await ctx.database.db.query('select 1 from pgboss.schedule where name = $1', [
      FORECAST_NIGHTLY_SCHEDULE,
    ]);
    expect(rows).toEqual([]);
  });
});
