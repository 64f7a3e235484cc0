import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext, type TestTenant } from '../../helpers/app.js';
import { INLINE_MAX_WORK } from '../../../src/modules/forecasts/service.js';
import { HOUR, dailySeries, localToday, noise, pushPoints, waitForJob, wall } from './helpers.js';

let ctx: TestContext;
let a: TestTenant;
let today: Date;
const HOURS = 6 * 7 * 24; // 1008 hourly buckets + 48 ahead > INLINE_MAX_WORK: a job

/** Hourly truth: a daily cycle around 100. */
const hourlyTruth = (i: number) => 100 + 40 * Math.sin((2 * Math.PI * i) / 24);

const post = (payload: object) =>
  ctx.inject({ method: 'POST', url: '/v1/forecasts', headers: a.auth, payload });
const get = (url: string) => ctx.inject({ method: 'GET', url, headers: a.auth });

beforeAll(async () => {
  ctx = await createTestContext();
  a = await ctx.newTenant('Forecast Jobs');
  today = localToday('UTC');
  const n = noise(3, 4);
  await pushPoints(
    ctx,
    a,
    Array.from({ length: HOURS }, (_, i) => ({
      metric: 'footfall',
      time: wall(new Date(today.getTime() - (HOURS - i) * HOUR)),
      value: hourlyTruth(i) + n(),
    })),
  );
});
afterAll(async () => {
  await ctx?.close();
});

describe('big requests run as jobs', () => {
  it('answers 202 with the running forecast and its job, which reports progress and stores the result', async () => {
    expect(HOURS + 48).toBeGreaterThan(INLINE_MAX_WORK);
    const res = await post({ metric: 'footfall', interval: 'hour', horizon: 48 });
    expect(res.statusCode).toBe(202);
    const { forecast, job } = res.json();
    expect(forecast).toMatchObject({
      status: 'running',
      metric: 'footfall',
      interval: 'hour',
      horizon: 48,
      points: [],
      model: null,
      jobId: job.id,
      completedAt: null,
    });
    expect(job).toMatchObject({ task: 'forecasts.run', maxAttempts: 3 });

    // While it runs, asking for the current forecast returns the same running one (no 2nd job).
    const meanwhile = await get('/v1/metrics/footfall/forecast?interval=hour&horizon=48');
    if (meanwhile.json().forecast.status === 'running') {
      expect(meanwhile.statusCode).toBe(202);
      expect(meanwhile.json().forecast.id).toBe(forecast.id);
      expect(meanwhile.json().job.id).toBe(job.id);
    }

    const seen: { status: string; progress: number; progressMessage: string | null }[] = [];
    const done = await waitForJob(ctx, a, job.id, 25_000, (j) => seen.push(j as never));
    const fractions = seen.map((s) => s.progress);
    expect(fractions).toEqual([...fractions].sort((x, y) => x - y));
    for (const s of seen.filter((x) => x.status === 'running' && x.progress > 0 && x.progress < 1))
      expect(s.progressMessage).toMatch(
        /^(forecasting 1008 hourly buckets 48 steps ahead|storing the forecast)$/,
      );
    expect(done).toMatchObject({
      status: 'succeeded',
      progress: 1,
      result: { forecastId: forecast.id, status: 'succeeded' },
      attempts: 1,
    });
    expect(done.progressMessage).toMatch(/^done: /);

    const f = (await get(`/v1/forecasts/${forecast.id}`)).json();
    expect(f.status).toBe('succeeded');
    expect(f.history).toMatchObject({
      to: wall(new Date(today.getTime() - HOUR)),
      buckets: HOURS,
      observations: HOURS,
    });
    expect(f.seasonalPeriods).toEqual([24, 168]);
    expect(f.points).toHaveLength(48);
    f.points.forEach((p: Record<string, any>, j: number) => {
      expect(p.t).toBe(wall(new Date(today.getTime() + j * HOUR)));
      const truth = hourlyTruth(HOURS + j);
      expect(Math.abs(p.value - truth)).toBeLessThan(8);
      expect(p.lower95).toBeLessThanOrEqual(truth);
      expect(p.upper95).toBeGreaterThanOrEqual(truth);
    });
    expect(f.completedAt).not.toBeNull();

    // The finished forecast is now the current one.
    const current = await get('/v1/metrics/footfall/forecast?interval=hour&horizon=48');
    expect(current.statusCode).toBe(200);
    expect(current.json()).toMatchObject({ forecast: { id: forecast.id }, job: null });

    const jobs = (await get('/v1/jobs?task=forecasts.run')).json().items;
    expect(jobs.map((j: { id: string }) => j.id)).toEqual([job.id]);
  });

  it('runs a small request as a job when asked (background: true)', async () => {
    const n = noise(9, 2);
    await pushPoints(
      ctx,
      a,
      dailySeries('calls', today, 30, () => 50 + n()),
    );
    const res = await post({ metric: 'calls', horizon: 7, background: true });
    expect(res.statusCode).toBe(202);
    const done = await waitForJob(ctx, a, res.json().job.id);
    expect(done.status).toBe('succeeded');
    const f = (await get(`/v1/forecasts/${res.json().forecast.id}`)).json();
    expect(f.status).toBe('succeeded');
    expect(f.points).toHaveLength(7);
    for (const p of f.points) expect(p.value).toBeCloseTo(50, -1);
    const listed = (await get('/v1/forecasts?status=succeeded&interval=day')).json().items;
    expect(listed.map((i: { id: string }) => i.id)).toEqual([f.id]);
  });
});
