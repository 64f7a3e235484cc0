import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext, type TestTenant } from '../../helpers/app.js';
import { withTenant } from '../../../src/platform/tenancy/context.js';
import * as records from '../../../src/modules/records/repo.js';
import { deriveMetrics } from '../../../src/modules/metrics/write-repo.js';

let ctx: TestContext;
let a: TestTenant;

beforeAll(async () => {
  ctx = await createTestContext();
  a = await ctx.newTenant('Metrics Café');
  await ctx.inject({
    method: 'PATCH',
    url: '/v1/tenant',
    headers: a.auth,
    payload: { timezone: 'America/New_York' },
  });
});
afterAll(async () => {
  await ctx?.close();
});

const batch = (headers: Record<string, string>, points: unknown[]) =>
  ctx.inject({ method: 'POST', url: '/v1/metrics:batch', headers, payload: { points } });

describe('POST /v1/metrics:batch', () => {
  it('writes points; re-sending a point replaces its value', async () => {
    const points = [];
    for (let d = 1; d <= 10; d++)
      points.push({
        metric: 'foot_traffic',
        time: `2026-03-${String(d).padStart(2, '0')}T09:00:00`,
        value: d * 10,
      });
    points.push({
      metric: 'foot_traffic',
      time: '2026-03-01T10:00:00',
      value: 5,
      channel: 'door-2',
    });
    const res = await batch(a.auth, points);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ accepted: 11 });
    expect(
      (
        await batch(a.auth, [{ metric: 'foot_traffic', time: '2026-03-02T09:00:00', value: 999 }])
      ).json(),
    ).toEqual({ accepted: 1 });
    const s = (
      await ctx.inject({
        method: 'GET',
        url: '/v1/metrics/foot_traffic/series?interval=day&from=2026-03-01&to=2026-03-04',
        headers: a.auth,
      })
    ).json();
    // custom metrics average within a bucket: day 1 = (10 + 5) / 2
    expect(s.points).toEqual([
      { t: '2026-03-01T00:00:00', value: 7.5, gap: false },
      { t: '2026-03-02T00:00:00', value: 999, gap: false },
      { t: '2026-03-03T00:00:00', value: 30, gap: false },
    ]);
    expect(s.timezone).toBe('America/New_York');
  });

  it('the same point twice in one batch: the last value wins', async () => {
    const res = await batch(a.auth, [
      { metric: 'dup_check', time: '2026-02-20T10:00:00', value: 1 },
      { metric: 'dup_check', time: '2026-02-20T10:00:00', value: 2 },
    ]);
    expect(res.json()).toEqual({ accepted: 2 });
    const s = (
      await ctx.inject({
        method: 'GET',
        url: '/v1/metrics/dup_check/series?interval=day&from=2026-02-20&to=2026-02-21',
        headers: a.auth,
      })
    ).json();
    expect(s.points).toEqual([{ t: '2026-02-20T00:00:00', value: 2, gap: false }]);
  });

  it('converts explicit offsets to the business’s local time', async () => {
    // 14:00Z is 09:00 in New York (EST, UTC-5) on 2026-01-15
    await batch(a.auth, [{ metric: 'tz_check', time: '2026-01-15T14:00:00Z', value: 1 }]);
    const s = (
      await ctx.inject({
        method: 'GET',
        url: '/v1/metrics/tz_check/series?interval=hour&from=2026-01-15T08:00&to=2026-01-15T11:00',
        headers: a.auth,
      })
    ).json();
    expect(s.points.map((p: { t: string; value: number | null }) => [p.t, p.value])).toEqual([
      ['2026-01-15T08:00:00', null],
      ['2026-01-15T09:00:00', 1],
      ['2026-01-15T10:00:00', null],
    ]);
  });

  it('rejects the whole batch when any point is bad, naming each bad point', async () => {
    const res = await batch(a.auth, [
      { metric: 'fine', time: '2026-03-01', value: 1 },
      { metric: 'revenue', time: '2026-03-01', value: 1 },
      { metric: 'fine', time: 'not-a-date', value: 1 },
    ]);
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([
      {
        path: '/body/points/1/metric',
        message: '"revenue" is derived from your records; push it under another name',
      },
      { path: '/body/points/2/time', message: 'must be an ISO 8601 date or date-time' },
    ]);
    const s = await ctx.inject({ method: 'GET', url: '/v1/metrics/fine/series', headers: a.auth });
    expect(s.statusCode).toBe(404);
  });

  it('refuses more than 10,000 points, NaN-like values and bad names with 400', async () => {
    const many = Array.from({ length: 10_001 }, (_, i) => ({
      metric: 'x',
      time: '2026-01-01',
      value: i,
    }));
    expect((await batch(a.auth, many)).statusCode).toBe(400);
    const bad = await ctx.inject({
      method: 'POST',
      url: '/v1/metrics:batch',
      headers: { ...a.auth, 'content-type': 'application/json' },
      payload: '{"points":[{"metric":"x","time":"2026-01-01","value":"NaN"}]}',
    });
    expect(bad.statusCode).toBe(400);
    expect(
      (await batch(a.auth, [{ metric: 'Bad Name', time: '2026-01-01', value: 1 }])).statusCode,
    ).toBe(400);
  });

  it('a viewer cannot write', async () => {
    const tok = (
      await ctx.inject({
        method: 'POST',
        url: '/v1/api-tokens',
        headers: a.auth,
        payload: { name: 'r', scopes: ['read'] },
      })
    ).json();
    const res = await batch({ authorization: `Bearer ${tok.token}` }, [
      { metric: 'x', time: '2026-01-01', value: 1 },
    ]);
    expect(res.statusCode).toBe(403);
  });
});

describe('derived metrics, series and summary', () => {
  beforeAll(async () => {
    // 3 days of orders at 08:30 and 12:30 New York time; day 3 has a refund.
    await withTenant(ctx.database.db, a.tenantId, async (tx) => {
      await records.upsertProducts(tx, 'test', [
        { externalId: 'latte', sku: 'LATTE', unitCost: 1, unitPrice: 4 },
        { externalId: 'bagel', sku: 'BAGEL', unitCost: 0.5, unitPrice: 3 },
      ]);
      const orders = [];
      for (let d = 1; d <= 3; d++) {
        for (const [h, ch] of [
          ['13:30', 'store'],
          ['17:30', 'web'],
        ] as const) {
          orders.push({
            externalId: `o-${d}-${h}`,
            orderedAt: `2026-02-0${d}T${h}:00Z`, // 08:30 and 12:30 in New York
            customer: { externalId: `c-${h}` },
            channel: ch,
            lines: [
              { sku: 'LATTE', quantity: 2, unitPrice: 4 },
              {
                sku: 'BAGEL',
                quantity: 1,
                unitPrice: 3,
                refundedQuantity: d === 3 && ch === 'web' ? 1 : 0,
              },
            ],
          });
        }
      }
      await records.upsertOrders(tx, 'test', orders);
      await deriveMetrics(tx, '2026-02-01', '2026-02-03', 'America/New_York');
    });
  });

  it('revenue by day, by channel, by hour, with ratio metrics computed per bucket', async () => {
    const get = async (url: string) =>
      (await ctx.inject({ method: 'GET', url, headers: a.auth })).json();
    const daily = await get(
      '/v1/metrics/revenue/series?interval=day&from=2026-02-01&to=2026-02-04',
    );
    // each order: 2×4 + 3 = 11; day 3 web order refunds one bagel (3)
    expect(daily.points.map((p: { value: number }) => p.value)).toEqual([22, 22, 19]);
    const web = await get(
      '/v1/metrics/revenue/series?interval=day&from=2026-02-01&to=2026-02-04&channel=web',
    );
    expect(web.points.map((p: { value: number }) => p.value)).toEqual([11, 11, 8]);
    const hourly = await get(
      '/v1/metrics/orders/series?interval=hour&from=2026-02-01T08:00&to=2026-02-01T13:00',
    );
    expect(hourly.points.map((p: { value: number | null }) => p.value)).toEqual([
      1,
      null,
      null,
      null,
      1,
    ]);
    const aov = await get(
      '/v1/metrics/average_order_value/series?interval=week&from=2026-01-26&to=2026-02-09',
    );
    // week of Monday 2026-01-26 holds Feb 1 (Sunday): 22/2; week of Feb 2: (22+19)/4
    expect(aov.points.map((p: { value: number }) => p.value)).toEqual([11, 10.25]);
    const margin = await get(
      '/v1/metrics/gross_margin/series?interval=month&from=2026-02-01&to=2026-03-01',
    );
    // cogs per order 2×1 + 0.5 (minus the refunded bagel's 0.5 on day 3): 6×2.5 − 0.5 = 14.5; revenue 63
    expect(margin.points[0].value).toBeCloseTo((63 - 14.5) / 63, 10);
    const units = await get(
      '/v1/metrics/units_sold/series?interval=month&from=2026-02-01&to=2026-03-01&sku=BAGEL',
    );
    expect(units.points[0].value).toBe(5);
  });

  it('the catalogue lists every derived metric with unit, direction, aggregation and description', async () => {
    const list = (await ctx.inject({ method: 'GET', url: '/v1/metrics', headers: a.auth })).json();
    const byName = Object.fromEntries(list.items.map((m: { name: string }) => [m.name, m]));
    for (const name of [
      'revenue',
      'orders',
      'average_order_value',
      'gross_margin',
      'refund_rate',
      'new_customers',
      'returning_customers',
      'active_customers',
      'churn_rate',
      'cash_balance',
      'cash_in',
      'cash_out',
      'accounts_receivable',
      'accounts_payable',
      'inventory_value',
      'stockouts',
      'days_of_inventory',
      'labour_cost_pct',
      'marketing_spend',
      'roas',
    ]) {
      expect(byName[name], name).toMatchObject({
        derived: true,
        unit: expect.any(String),
        aggregation: expect.any(String),
        description: expect.any(String),
      });
    }
    expect(byName.revenue).toMatchObject({
      hasData: true,
      higherIsBetter: true,
      aggregation: 'sum',
      unit: 'currency',
    });
    expect(byName.average_order_value).toMatchObject({
      aggregation: 'ratio',
      numerator: 'revenue',
      denominator: 'orders',
      hasData: true,
    });
    expect(byName.foot_traffic).toMatchObject({ derived: false, hasData: true });
  });

  it('re-deriving is idempotent', async () => {
    const before = (
      await ctx.inject({
        method: 'GET',
        url: '/v1/metrics/revenue/series?interval=month&from=2026-02-01&to=2026-03-01',
        headers: a.auth,
      })
    ).json();
    await withTenant(ctx.database.db, a.tenantId, (tx) =>
      deriveMetrics(tx, '2026-02-01', '2026-02-03', 'America/New_York'),
    );
    const after = (
      await ctx.inject({
        method: 'GET',
        url: '/v1/metrics/revenue/series?interval=month&from=2026-02-01&to=2026-03-01',
        headers: a.auth,
      })
    ).json();
    expect(after.points).toEqual(before.points);
    expect(after.points[0].value).toBe(63);
  });

  it('summary: last days vs the days before, with a sparkline', async () => {
    const res = await ctx.inject({
      method: 'GET',
      url: '/v1/metrics/summary?days=1',
      headers: a.auth,
    });
    expect(res.statusCode).toBe(200);
    const s = res.json();
    expect(s.asOf).toBe('2026-03-10'); // the latest day with data (foot_traffic ends 2026-03-10)
    const foot = s.items.find(
      (i: { metric: { name: string } }) => i.metric.name === 'foot_traffic',
    );
    expect(foot).toMatchObject({ value: 100, previous: 90 });
    expect(foot.change).toBeCloseTo(1 / 9, 10);
    expect(foot.sparkline).toHaveLength(30);
    expect(foot.sparkline.slice(-4)).toEqual([70, 80, 90, 100]);
    // revenue's data (Feb 1–3) is older than the 30-day window, so it is not summarised
    expect(s.items.map((i: { metric: { name: string } }) => i.metric.name)).not.toContain(
      'revenue',
    );
  });

  it('validates ranges', async () => {
    const bad = await ctx.inject({
      method: 'GET',
      url: '/v1/metrics/revenue/series?interval=hour&from=2020-01-01&to=2026-01-01',
      headers: a.auth,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().detail).toMatch(/at most 5000/);
    const inverted = await ctx.inject({
      method: 'GET',
      url: '/v1/metrics/revenue/series?from=2026-02-05&to=2026-02-01',
      headers: a.auth,
    });
    expect(inverted.statusCode).toBe(400);
    const unknown = await ctx.inject({
      method: 'GET',
      url: '/v1/metrics/no_such_metric/series',
      headers: a.auth,
    });
    expect(unknown.statusCode).toBe(404);
  });

  it('another tenant sees none of it', async () => {
    const b = await ctx.newTenant();
    const s = (
      await ctx.inject({
        method: 'GET',
        url: '/v1/metrics/revenue/series?interval=month&from=2026-02-01&to=2026-03-01',
        headers: b.auth,
      })
    ).json();
    expect(s.points[0].value).toBeNull();
    expect(
      (await ctx.inject({ method: 'GET', url: '/v1/metrics/foot_traffic/series', headers: b.auth }))
        .statusCode,
    ).toBe(404);
    expect(
      (await ctx.inject({ method: 'GET', url: '/v1/metrics/summary', headers: b.auth })).json()
        .items,
    ).toEqual([]);
  });
});
