import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext, type TestTenant } from '../../helpers/app.js';
import { DAY, HOUR, dailySeries, localToday, noise, pushPoints, wall } from './helpers.js';

let ctx: TestContext;
let a: TestTenant;
let today: Date;

const post = (payload: unknown) =>
  ctx.inject({ method: 'POST', url: '/v1/forecasts', headers: a.auth, payload: payload as object });
const get = (url: string) => ctx.inject({ method: 'GET', url, headers: a.auth });

/** Every number in a response is finite (JSON has no NaN; a NaN would come out as null). */
function expectFinite(forecast: { points: Record<string, unknown>[] }) {
  for (const p of forecast.points)
    for (const [k, v] of Object.entries(p))
      if (k !== 't') expect(Number.isFinite(v), `${k} = ${String(v)}`).toBe(true);
}

beforeAll(async () => {
  ctx = await createTestContext();
  a = await ctx.newTenant('Bad Input Shop');
  today = localToday('UTC');
  const n = noise(2, 3);
  await pushPoints(ctx, a, [
    ...dailySeries('short', today, 2, (_, i) => 10 + i),
    ...dailySeries('five', today, 5, (_, i) => 10 + i),
    ...dailySeries('flat', today, 30, () => 42),
    ...dailySeries('refunds_count', today, 20, (_, i) => (i === 7 ? -3 : 5 + n())),
    // Three years ago only: outside the 2-year daily window.
    { metric: 'ancient', time: wall(new Date(today.getTime() - 3 * 365 * DAY)), value: 1 },
    // 40 days with 40% of them missing.
    ...dailySeries('patchy', today, 40, () => 20 + n()).filter((_, i) => i % 5 >= 2),
    // Several readings a day at irregular times: aggregated into daily buckets.
    ...dailySeries('irregular', today, 30, () => 0).flatMap((p, i) =>
      [1, 7, 13 + (i % 5)].map((h) => ({
        metric: 'irregular',
        time: wall(
          new Date(Date.parse(`${p.time.slice(0, 10)}T00:00:00Z`) + h * HOUR + i * 60_000),
        ),
        value: 30 + n(),
      })),
    ),
  ]);
});
afterAll(async () => {
  await ctx?.close();
});

describe('requests the schema refuses (400)', () => {
  it.each([
    ['horizon 0', { metric: 'flat', horizon: 0 }, '/body/horizon'],
    ['negative horizon', { metric: 'flat', horizon: -3 }, '/body/horizon'],
    ['fractional horizon', { metric: 'flat', horizon: 2.5 }, '/body/horizon'],
    ['horizon as text', { metric: 'flat', horizon: 'NaN' }, '/body/horizon'],
    ['absurd horizon', { metric: 'flat', horizon: 1e9 }, '/body/horizon'],
    ['unknown interval', { metric: 'flat', interval: 'fortnight' }, '/body/interval'],
    ['unknown field', { metric: 'flat', model: 'prophet' }, '/body/model'],
    ['bad metric name', { metric: 'Not A Name' }, '/body/metric'],
    [
      'unknown dimension',
      { metric: 'flat', dimension: { colour: 'red' } },
      '/body/dimension/colour',
    ],
  ])('%s', async (_, body, path) => {
    const res = await post(body);
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('validation_failed');
    expect(res.json().errors.map((e: { path: string }) => e.path)).toContain(path);
  });

  it('Infinity in the JSON body (1e999) is refused', async () => {
    const res = await ctx.inject({
      method: 'POST',
      url: '/v1/forecasts',
      headers: { ...a.auth, 'content-type': 'application/json' },
      payload: '{"metric":"flat","horizon":1e999}',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].path).toBe('/body/horizon');
  });

  it.each([
    ['day', 731, 730],
    ['hour', 745, 744],
    ['week', 261, 260],
    ['month', 121, 120],
  ])('horizon beyond the %s limit', async (interval, horizon, max) => {
    const res = await post({ metric: 'flat', interval, horizon });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      code: 'validation_failed',
      detail: `horizon ${horizon} must be a whole number of ${interval}s from 1 to ${max}`,
      errors: [{ path: '/body/horizon' }],
    });
    const viaGet = await get(`/v1/metrics/flat/forecast?interval=${interval}&horizon=${horizon}`);
    expect(viaGet.statusCode).toBe(400);
    expect(viaGet.json().errors[0].path).toBe('/querystring/horizon');
  });
});

describe('metrics that cannot be forecast', () => {
  it('an unknown metric is 404', async () => {
    expect((await post({ metric: 'nothing_here' })).statusCode).toBe(404);
    expect((await get('/v1/metrics/nothing_here/forecast')).statusCode).toBe(404);
  });

  it('no data in the history window is 422 forecast_no_history', async () => {
    for (const res of [
      await post({ metric: 'revenue' }),
      await get('/v1/metrics/revenue/forecast'),
      await post({ metric: 'ancient' }),
      await post({ metric: 'flat', dimension: { channel: 'nowhere' } }),
    ]) {
      expect(res.statusCode).toBe(422);
      expect(res.json()).toMatchObject({
        code: 'forecast_no_history',
        errors: [{ path: '/history' }],
      });
    }
  });

  it('a horizon too far for a short history is 422 with the reason', async () => {
    // Five observations allow at most 10 × max(5, 10) = 100 steps.
    const ok = await post({ metric: 'five', horizon: 100 });
    expect(ok.statusCode).toBe(200);
    const res = await post({ metric: 'five', horizon: 101 });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({
      code: 'forecast_input_invalid',
      reason: 'BAD_HORIZON',
      detail: 'horizon 101 is too far ahead for 5 observations (at most 100)',
      errors: [{ path: '/body/horizon' }],
    });
  });

  it('negative values in a count metric are 422 naming the position, also before a job starts', async () => {
    for (const background of [false, true]) {
      const res = await post({ metric: 'refunds_count', kind: 'count', background });
      expect(res.statusCode).toBe(422);
      expect(res.json()).toMatchObject({ code: 'forecast_input_invalid', reason: 'BAD_VALUES' });
      expect(res.json().detail).toMatch(/negative/);
    }
    expect((await get('/v1/jobs?task=forecasts.run')).json().items).toEqual([]);
    // As a level metric the same history is fine.
    expect((await post({ metric: 'refunds_count', kind: 'level' })).statusCode).toBe(200);
  });
});

describe('documented fallbacks (200, flagged)', () => {
  it('a too-short series gets a naive forecast with wide intervals', async () => {
    const res = await post({ metric: 'short', horizon: 5 });
    expect(res.statusCode).toBe(200);
    const f = res.json().forecast;
    expect(f.model).toBe('naive');
    expect(f.flags).toEqual(expect.arrayContaining(['too_short', 'no_backtest', 'wide_intervals']));
    expect(f.backtest.origins).toBe(0);
    expectFinite(f);
    for (const p of f.points) {
      expect(p.value).toBe(11);
      expect(p.upper95 - p.lower95).toBeGreaterThan(0);
    }
  });

  it('a constant series forecasts the constant with zero-width intervals, flagged', async () => {
    const f = (await post({ metric: 'flat', horizon: 7 })).json().forecast;
    expect(f.flags).toContain('constant_series');
    for (const p of f.points) expect([p.value, p.lower95, p.upper95]).toEqual([42, 42, 42]);
  });

  it('gaps are imputed and flagged; > 30% missing adds a warning', async () => {
    const f = (await post({ metric: 'patchy', horizon: 7 })).json().forecast;
    // The two leading empty days are dropped: the history starts at the first data.
    expect(f.history).toMatchObject({ buckets: 38, observations: 24 });
    expect(f.flags).toContain('imputed_missing');
    expect(f.warnings.join(' ')).toMatch(/missing/);
    expectFinite(f);
    for (const p of f.points) expect(p.value).toBeCloseTo(20, -1);
  });

  it('irregular and repeated timestamps are aggregated into regular buckets', async () => {
    const f = (await post({ metric: 'irregular', horizon: 7 })).json().forecast;
    expect(f.status).toBe('succeeded');
    expect(f.history).toMatchObject({ buckets: 30, observations: 30 });
    expectFinite(f);
    for (const p of f.points) expect(p.value).toBeCloseTo(30, -1);
  });
});
