import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext, type TestTenant } from '../../helpers/app.js';
import { metrics } from '../../../src/platform/observability/metrics.js';
import {
  DAY,
  HOUR,
  dailySeries,
  dailyTruth,
  localToday,
  noise,
  pushPoints,
  wall,
} from './helpers.js';

const TZ = 'America/New_York';
let ctx: TestContext;
let a: TestTenant;
let today: Date;
let origin: Date;
let first: Record<string, any>;
let runsBefore: number;
let maseBefore: number;

const succeededRuns = async () =>
  (await metrics.forecasts.get()).values.find((v) => v.labels.outcome === 'succeeded')?.value ?? 0;
const maseObservations = async () =>
  (await metrics.forecastBacktestMase.get()).values
    .filter((v) => v.metricName === 'forecast_backtest_mase_count')
    .reduce((s, v) => s + v.value, 0);

const post = (payload: object) =>
  ctx.inject({ method: 'POST', url: '/v1/forecasts', headers: a.auth, payload });
const get = (url: string) => ctx.inject({ method: 'GET', url, headers: a.auth });

beforeAll(async () => {
  ctx = await createTestContext();
  a = await ctx.newTenant('Forecast Café');
  await ctx.inject({
    method: 'PATCH',
    url: '/v1/tenant',
    headers: a.auth,
    payload: { timezone: TZ },
  });
  today = localToday(TZ);
  origin = new Date(today.getTime() - 140 * DAY);
  const n = noise(7, 10);
  await pushPoints(
    ctx,
    a,
    dailySeries('visits', today, 140, (d) => dailyTruth(d, origin) + n()),
  );
  runsBefore = await succeededRuns();
  maseBefore = await maseObservations();
  first = (await post({ metric: 'visits', horizon: 14 })).json();
});
afterAll(async () => {
  await ctx?.close();
});

describe('POST /v1/forecasts (inline)', () => {
  it('forecasts a weekly pattern with a trend near the truth, with bands that contain it', () => {
    const f = first.forecast;
    expect(first.job).toBeNull();
    expect(f).toMatchObject({
      status: 'succeeded',
      metric: 'visits',
      interval: 'day',
      horizon: 14,
      dimension: {},
      kind: 'level',
      trigger: 'request',
      history: {
        from: wall(origin),
        to: wall(new Date(today.getTime() - DAY)),
        buckets: 140,
        observations: 140,
      },
      flags: [],
      warnings: [],
      error: null,
      jobId: null,
    });
    expect(f.seasonalPeriods).toContain(7);
    expect(f.backtest).toMatchObject({ origins: 3, horizon: 14 });
    expect(f.backtest.mase).toBeLessThan(1); // beats the seasonal naive in-sample scale
    expect(f.backtest.models.length).toBeGreaterThanOrEqual(5);
    const weights = Object.values(f.weights) as number[];
    expect(weights.reduce((s, w) => s + w, 0)).toBeCloseTo(1, 9);
    expect(f.points).toHaveLength(14);
    let in80 = 0;
    f.points.forEach((p: Record<string, any>, j: number) => {
      const day = new Date(today.getTime() + j * DAY);
      // Local wall times: the first step is today in New York, whatever UTC says.
      expect(p.t).toBe(wall(day));
      const truth = dailyTruth(day, origin);
      expect(Math.abs(p.value - truth)).toBeLessThan(0.02 * truth);
      expect(p.lower95).toBeLessThanOrEqual(truth);
      expect(p.upper95).toBeGreaterThanOrEqual(truth);
      expect(p.lower95).toBeLessThanOrEqual(p.lower80);
      expect(p.upper80).toBeLessThanOrEqual(p.upper95);
      expect(p.sd).toBeGreaterThan(0);
      if (p.lower80 <= truth && truth <= p.upper80) in80++;
    });
    expect(in80).toBeGreaterThanOrEqual(11);
  });

  it('counts the run and its backtest error in the forecast metric families', async () => {
    expect(await succeededRuns()).toBe(runsBefore + 1);
    expect(await maseObservations()).toBe(maseBefore + 1);
  });

  it('stores it: GET /v1/forecasts/{id} returns it, the list shows it without points', async () => {
    const one = await get(`/v1/forecasts/${first.forecast.id}`);
    expect(one.statusCode).toBe(200);
    expect(one.json()).toEqual(first.forecast);
    const list = (await get('/v1/forecasts?metric=visits')).json();
    expect(list.items.map((i: { id: string }) => i.id)).toContain(first.forecast.id);
    expect(list.items[0]).not.toHaveProperty('points');
    const missing = await get('/v1/forecasts/00000000-0000-4000-8000-000000000000');
    expect(missing.statusCode).toBe(404);
  });
});

describe('GET /v1/metrics/{name}/forecast', () => {
  it('returns the stored forecast while the data is unchanged and recomputes when it changes', async () => {
    const same = await get('/v1/metrics/visits/forecast?horizon=14');
    expect(same.statusCode).toBe(200);
    expect(same.json().forecast.id).toBe(first.forecast.id);
    expect(same.json().job).toBeNull();

    // A corrected value for yesterday makes the stored forecast stale.
    const yesterday = new Date(today.getTime() - DAY);
    await pushPoints(ctx, a, [
      { metric: 'visits', time: wall(new Date(yesterday.getTime() + 12 * HOUR)), value: 1500 },
    ]);
    const fresh = await get('/v1/metrics/visits/forecast?horizon=14');
    expect(fresh.statusCode).toBe(200);
    const f = fresh.json().forecast;
    expect(f.id).not.toBe(first.forecast.id);
    expect(f.history).toMatchObject({ to: wall(yesterday), buckets: 140 });
    expect((await get('/v1/metrics/visits/forecast?horizon=14')).json().forecast.id).toBe(f.id);

    // Other parameters are another forecast.
    const h7 = (await get('/v1/metrics/visits/forecast?horizon=7')).json().forecast;
    expect(h7.points).toHaveLength(7);
    expect(h7.id).not.toBe(f.id);

    const list = (await get('/v1/forecasts?metric=visits&limit=10')).json().items;
    expect(list.map((i: { id: string }) => i.id)).toEqual([h7.id, f.id, first.forecast.id]);
  });

  it('forecasts a dimension on its own', async () => {
    const n = noise(11, 1);
    const points = dailySeries('signups', today, 60, () => 10 + n()).flatMap((p) => [
      { ...p, channel: 'web' },
      { ...p, value: p.value + 20, channel: 'store' },
    ]);
    await pushPoints(ctx, a, points);
    const web = (
      await post({ metric: 'signups', horizon: 7, dimension: { channel: 'web' } })
    ).json().forecast;
    expect(web.dimension).toEqual({ channel: 'web' });
    for (const p of web.points) expect(p.value).toBeCloseTo(10, 0);
    // Custom metrics average within a bucket: the total is (10 + 30) / 2.
    const total = (await get('/v1/metrics/signups/forecast?horizon=7')).json().forecast;
    expect(total.dimension).toEqual({});
    for (const p of total.points) expect(p.value).toBeCloseTo(20, 0);
    const store = (await get('/v1/metrics/signups/forecast?horizon=7&channel=store')).json()
      .forecast;
    expect(store.dimension).toEqual({ channel: 'store' });
    for (const p of store.points) expect(p.value).toBeCloseTo(30, 0);
  });

  it('monthly forecasts read all the history and step by calendar month', async () => {
    const thisMonth = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), 1));
    const month = (k: number) =>
      new Date(Date.UTC(thisMonth.getUTCFullYear(), thisMonth.getUTCMonth() + k, 1));
    const seasonal = [0, -20, 10, 30, 50, 80, 100, 90, 40, 10, -30, 60];
    const truth = (d: Date, k: number) => 500 + 5 * k + seasonal[d.getUTCMonth()]!;
    const n = noise(5, 3);
    await pushPoints(
      ctx,
      a,
      Array.from({ length: 40 }, (_, i) => {
        const d = month(i - 40);
        return { metric: 'members', time: wall(d), value: truth(d, i) + n() };
      }),
    );
    const res = await get('/v1/metrics/members/forecast?interval=month&horizon=12');
    expect(res.statusCode).toBe(200);
    const f = res.json().forecast;
    expect(f.history).toMatchObject({
      from: wall(month(-40)),
      to: wall(month(-1)),
      buckets: 40,
      observations: 40,
    });
    expect(f.seasonalPeriods).toEqual([12]);
    expect(f.points.map((p: { t: string }) => p.t)).toEqual(
      Array.from({ length: 12 }, (_, j) => wall(month(j))),
    );
    f.points.forEach((p: Record<string, number>, j: number) => {
      const t = truth(month(j), 40 + j);
      expect(Math.abs(p.value! - t)).toBeLessThan(0.05 * t);
      expect(p.lower95).toBeLessThanOrEqual(t);
      expect(p.upper95).toBeGreaterThanOrEqual(t);
    });
  });
});
