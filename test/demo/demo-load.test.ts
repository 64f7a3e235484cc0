import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext, type TestTenant } from '../helpers/app.js';
import { generateDemo } from '../../src/demo/generator.js';
import { DEMO_LOAD_TASK } from '../../src/demo/task.js';
import { getJob } from '../../src/platform/jobs/repo.js';
import { withTenant } from '../../src/platform/tenancy/context.js';

/** The demo loads through the real job, record repos and SQL derivation, and shows in the API. */
let ctx: TestContext;
let a: TestTenant;
const payload = { endDay: '2026-03-31', days: 45, volume: 0.3 };

beforeAll(async () => {
  ctx = await createTestContext();
  a = await ctx.newTenant('Demo Café');
  await ctx.inject({
    method: 'PATCH',
    url: '/v1/tenant',
    headers: a.auth,
    payload: { timezone: 'America/New_York' },
  });
  const job = await ctx.services.jobs.enqueue(a.tenantId, DEMO_LOAD_TASK, payload);
  const until = Date.now() + 120_000;
  for (;;) {
    const row = await withTenant(ctx.database.db, a.tenantId, (tx) => getJob(tx, job.id));
    if (row?.status === 'succeeded') break;
    if (row?.status === 'failed' || Date.now() > until)
      throw new Error(`demo load did not finish: ${row?.status} ${row?.error}`);
    await new Promise((r) => setTimeout(r, 250));
  }
});
afterAll(async () => {
  await ctx?.close();
});

describe('demo business through the API', () => {
  const data = generateDemo({ ...payload, timeZone: 'America/New_York' });
  const localDay = (externalId: string) => externalId.replace(/^(store|web)-/, '').slice(0, 10);

  it('daily revenue equals the generated orders’ net sales, day by day', async () => {
    const expected = new Map<string, number>();
    for (const o of data.orders) {
      const net = o.lines.reduce(
        (s, l) =>
          s +
          l.quantity * l.unitPrice -
          (l.discount ?? 0) -
          (l.refundedQuantity ?? 0) * l.unitPrice,
        0,
      );
      const d = localDay(o.externalId);
      expected.set(d, (expected.get(d) ?? 0) + Math.round(net * 100) / 100);
    }
    const res = await ctx.inject({
      method: 'GET',
      url: `/v1/metrics/revenue/series?interval=day&from=${data.facts.startDay}&to=2026-04-01`,
      headers: a.auth,
    });
    const points = res.json().points as { t: string; value: number | null }[];
    expect(points).toHaveLength(45);
    for (const p of points)
      expect(p.value ?? 0).toBeCloseTo(expected.get(p.t.slice(0, 10)) ?? 0, 2);
  });

  it('orders by channel add up to the total, and the catalogue reports data for the derived metrics', async () => {
    const sum = async (q: string) =>
      (
        await ctx.inject({
          method: 'GET',
          url: `/v1/metrics/orders/series?interval=month&from=2026-03-01&to=2026-04-01${q}`,
          headers: a.auth,
        })
      ).json().points[0].value as number;
    expect((await sum('&channel=store')) + (await sum('&channel=web'))).toBe(await sum(''));
    expect(await sum('')).toBe(
      data.orders.filter((o) => localDay(o.externalId) >= '2026-03-01').length,
    );
    const list = (await ctx.inject({ method: 'GET', url: '/v1/metrics', headers: a.auth })).json()
      .items as { name: string; hasData: boolean }[];
    const withData = new Set(list.filter((m) => m.hasData).map((m) => m.name));
    for (const name of [
      'revenue',
      'orders',
      'gross_margin',
      'inventory_value',
      'cash_balance',
      'labour_cost',
      'marketing_spend',
      'roas',
      'accounts_payable',
      'active_customers',
    ]) {
      expect(withData.has(name), name).toBe(true);
    }
  });

  it('the summary compares the last 7 days with the 7 before', async () => {
    const s = (
      await ctx.inject({ method: 'GET', url: '/v1/metrics/summary', headers: a.auth })
    ).json();
    expect(s.asOf).toBe('2026-03-31');
    const revenue = s.items.find((i: { metric: { name: string } }) => i.metric.name === 'revenue');
    expect(revenue.value).toBeGreaterThan(0);
    expect(revenue.sparkline).toHaveLength(30);
  });

  it('the job result carries the planted facts', async () => {
    const jobs = (
      await ctx.inject({ method: 'GET', url: `/v1/jobs?task=${DEMO_LOAD_TASK}`, headers: a.auth })
    ).json().items;
    expect(jobs[0].result.facts.endDay).toBe('2026-03-31');
    expect(jobs[0].result.orders).toBe(data.orders.length);
  });
});
