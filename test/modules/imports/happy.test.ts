import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext, type TestTenant } from '../../helpers/app.js';
import { fixture, query, recordCounts, upload } from './helpers.js';

/** The four kinds end to end, with exact numbers; re-imports; mapping overrides; jobs; tenancy. */

let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx?.close();
});

async function tenantIn(timezone: string): Promise<TestTenant> {
  const t = await ctx.newTenant();
  const res = await ctx.inject({
    method: 'PATCH',
    url: '/v1/tenant',
    headers: t.auth,
    payload: { timezone },
  });
  expect(res.statusCode).toBe(200);
  return t;
}

async function commit(t: TestTenant, id: string) {
  const res = await ctx.inject({
    method: 'POST',
    url: `/v1/imports/${id}/commit`,
    headers: t.auth,
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().import;
}

const daily = (ctx2: TestContext, t: TestTenant, metric: string) =>
  query<{ day: string; value: number }>(
    ctx2,
    t,
    `select to_char(time, 'YYYY-MM-DD') as day, sum(value)::float8 as value from tenant_business_metrics
      where metric_name = $1 group by 1 order by 1`,
    [metric],
  );

describe('orders', () => {
  it('validates, previews, commits in one go and derives revenue and orders per local day', async () => {
    const t = await tenantIn('America/New_York');
    const up = await upload(ctx, t, { kind: 'orders' }, fixture('orders.csv'), 'orders.csv');
    expect(up.status, up.raw).toBe(201);
    const imp = up.body.import;
    expect(imp).toMatchObject({
      status: 'validated',
      rowCount: 4,
      recordCount: 3,
      errorCount: 0,
      encoding: 'utf-8',
      delimiter: ',',
      decimalSeparator: '.',
      mapping: {
        orderId: 'Order ID',
        orderedAt: 'Date',
        sku: 'SKU',
        productName: 'Product',
        quantity: 'Quantity',
        unitPrice: 'Unit Price',
        discount: 'Discount',
        email: 'Customer Email',
        channel: 'Channel',
      },
    });
    // Naive times are the business's local time: 08:00 in New York is 13:00Z.
    expect(imp.preview[0]).toEqual({
      row: 2,
      values: {
        id: '1001',
        o: { orderedAt: '2026-01-05T13:00:00.000Z', email: 'ann@example.com', channel: 'store' },
        l: { sku: 'CAF-1', productName: 'Latte', quantity: 2, unitPrice: 4.5 },
      },
    });
    expect(await recordCounts(ctx, t)).toMatchObject({ orders: 0, order_lines: 0, staged: 4 });

    const done = await commit(t, imp.id);
    expect(done.status).toBe('committed');
    expect(done.result).toMatchObject({
      inserted: 3,
      updated: 0,
      unchanged: 0,
      derivedDays: { from: '2026-01-05', to: '2026-01-06' },
    });
    expect(await recordCounts(ctx, t)).toMatchObject({
      orders: 3,
      order_lines: 4,
      customers: 2,
      products: 3,
      staged: 0,
    });
    const orders = await query<{
      external_id: string;
      ordered_at: Date;
      gross: number;
      discount: number;
      net: number;
      channel: string;
    }>(
      ctx,
      t,
      `select external_id, ordered_at, gross, discount, net, channel from orders order by external_id`,
    );
    expect(
      orders.map((o) => [
        o.external_id,
        o.ordered_at.toISOString(),
        o.gross,
        o.discount,
        o.net,
        o.channel,
      ]),
    ).toEqual([
      ['1001', '2026-01-05T13:00:00.000Z', 12, 0.5, 11.5, 'store'],
      ['1002', '2026-01-05T17:30:00.000Z', 4.5, 0, 4.5, 'web'],
      ['1003', '2026-01-07T04:30:00.000Z', 3015, 0, 3015, 'store'],
    ]);
    // Order 1003 is 23:30 on 6 January in New York.
    expect(await daily(ctx, t, 'revenue')).toEqual([
      { day: '2026-01-05', value: 16 },
      { day: '2026-01-06', value: 3015 },
    ]);
    expect(await daily(ctx, t, 'orders')).toEqual([
      { day: '2026-01-05', value: 2 },
      { day: '2026-01-06', value: 1 },
    ]);

    // The same file again: identical SHA-256 is pointed out, and committing changes nothing.
    const again = await upload(ctx, t, { kind: 'orders' }, fixture('orders.csv'), 'orders.csv');
    expect(again.body.import.duplicateOf).toBe(imp.id);
    expect(again.body.import.warnings.join(' ')).toMatch(
      /identical \(same SHA-256\) to import .* changes nothing/,
    );
    const before = await query<{ external_id: string; xmin: string }>(
      ctx,
      t,
      'select external_id, xmin::text from orders order by 1',
    );
    const second = await commit(t, again.body.import.id);
    expect(second.result).toMatchObject({
      inserted: 0,
      updated: 0,
      unchanged: 3,
      derivedPoints: 0,
    });
    expect(await query(ctx, t, 'select external_id, xmin::text from orders order by 1')).toEqual(
      before,
    );
    expect(await daily(ctx, t, 'revenue')).toEqual([
      { day: '2026-01-05', value: 16 },
      { day: '2026-01-06', value: 3015 },
    ]);

    // One changed line: that order is updated, the others are left alone.
    const changed = fixture('orders.csv')
      .toString()
      .replace('1002,2026-01-05 12:30,CAF-1,Latte,1,', '1002,2026-01-05 12:30,CAF-1,Latte,2,');
    const third = await upload(ctx, t, { kind: 'orders', dryRun: 'false' }, changed);
    expect(third.status).toBe(201);
    expect(third.body.import.status).toBe('committed');
    expect(third.body.import.result).toMatchObject({ inserted: 0, updated: 1, unchanged: 2 });
    expect(await daily(ctx, t, 'revenue')).toEqual([
      { day: '2026-01-05', value: 20.5 },
      { day: '2026-01-06', value: 3015 },
    ]);
    // Committing a committed import again is harmless.
    const repeat = await commit(t, imp.id);
    expect(repeat.result).toEqual(done.result);
  });

  it('explicit UTC offsets are honoured; a mapping overrides the detected columns', async () => {
    const t = await tenantIn('Europe/Paris');
    const csv = [
      'Bestellnummer,Zeitpunkt,Artikel,Menge,Einzelpreis,Name',
      'A-1,2026-03-02T08:00:00-05:00,K1,1,10.00,Kunde Eins',
      'A-2,2026-03-02 08:00,K1,2,10.00,Kunde Zwei',
    ].join('\n');
    const noMapping = await upload(ctx, t, { kind: 'orders' }, csv);
    expect(noMapping.body.import.status).toBe('invalid');
    const mapping = JSON.stringify({
      orderId: 'Bestellnummer',
      orderedAt: 'Zeitpunkt',
      sku: 'Artikel',
      quantity: 'Menge',
      unitPrice: 'Einzelpreis',
      productName: null,
    });
    const up = await upload(ctx, t, { kind: 'orders', mapping, dryRun: 'false' }, csv);
    expect(up.status, up.raw).toBe(201);
    expect(up.body.import.mapping).toEqual({
      orderId: 'Bestellnummer',
      orderedAt: 'Zeitpunkt',
      sku: 'Artikel',
      quantity: 'Menge',
      unitPrice: 'Einzelpreis',
    });
    expect(up.body.import.status).toBe('committed');
    const rows = await query<{ external_id: string; ordered_at: Date; gross: number }>(
      ctx,
      t,
      'select external_id, ordered_at, gross from orders order by 1',
    );
    expect(rows.map((r) => [r.external_id, r.ordered_at.toISOString(), r.gross])).toEqual([
      ['A-1', '2026-03-02T13:00:00.000Z', 10],
      ['A-2', '2026-03-02T07:00:00.000Z', 20],
    ]);
    // 13:00Z is 14:00 in Paris, 07:00Z is 08:00: both on 2 March.
    expect(await daily(ctx, t, 'revenue')).toEqual([{ day: '2026-03-02', value: 30 }]);
  });
});

describe('all or nothing', () => {
  it('a commit that fails part-way writes nothing and leaves the import committable', async () => {
    const t = await tenantIn('UTC');
    const lines = ['order,date,sku,qty,price'];
    for (let i = 0; i < 3000; i++) lines.push(`${i},2026-02-01 10:00,S1,1,2.00`);
    const up = await upload(ctx, t, { kind: 'orders' }, lines.join('\n'));
    expect(up.body.import.status).toBe('validated');
    // Corrupt the last staged order behind the validator's back: the database refuses it
    // (quantity must be > 0) after 2,999 orders were already sent.
    await query(
      ctx,
      t,
      `update import_rows set payload = jsonb_set(payload, '{l,quantity}', '-1')
        where import_id = $1::uuid and key = '999'`,
      [up.body.import.id],
    );
    const res = await ctx.inject({
      method: 'POST',
      url: `/v1/imports/${up.body.import.id}/commit`,
      headers: t.auth,
    });
    expect(res.statusCode).toBe(500);
    expect(await recordCounts(ctx, t)).toMatchObject({
      orders: 0,
      order_lines: 0,
      products: 0,
      customers: 0,
      metrics: 0,
      staged: 3000,
    });
    const after = (
      await ctx.inject({ method: 'GET', url: `/v1/imports/${up.body.import.id}`, headers: t.auth })
    ).json().import;
    expect(after.status).toBe('validated');
    expect(await query(ctx, t, 'select count(*)::int as n from import_fingerprints')).toEqual([
      { n: 0 },
    ]);
  });
});

describe('products, expenses, metrics', () => {
  it('products: the catalogue and a stock snapshot, then derived inventory value', async () => {
    const t = await tenantIn('UTC');
    const up = await upload(ctx, t, { kind: 'products', dryRun: 'false' }, fixture('products.csv'));
    expect(up.status, up.raw).toBe(201);
    expect(up.body.import.result).toMatchObject({
      inserted: 3,
      updated: 0,
      unchanged: 0,
      stockSnapshots: { inserted: 3, updated: 0 },
    });
    const products = await query<{
      sku: string;
      name: string;
      unit_cost: number;
      unit_price: number;
      lead_time_days: number;
    }>(
      ctx,
      t,
      'select sku, name, unit_cost, unit_price, lead_time_days from products order by sku',
    );
    expect(products).toEqual([
      { sku: 'BAK-1', name: 'Croissant', unit_cost: 0.8, unit_price: 3, lead_time_days: 1 },
      { sku: 'CAF-1', name: 'Latte', unit_cost: 1.2, unit_price: 4.5, lead_time_days: 2 },
      { sku: 'CAF-2', name: 'Mocha', unit_cost: 1.5, unit_price: 5, lead_time_days: 2 },
    ]);
    const stock = await query<{ sku: string; on_hand: number; location: string }>(
      ctx,
      t,
      'select p.sku, i.on_hand, i.location from inventory_levels i join products p on p.id = i.product_id order by 1',
    );
    expect(stock).toEqual([
      { sku: 'BAK-1', on_hand: 12, location: 'Main' },
      { sku: 'CAF-1', on_hand: 40, location: 'Main' },
      { sku: 'CAF-2', on_hand: 0, location: 'Main' },
    ]);
    // 40 × 1.20 + 0 × 1.50 + 12 × 0.80 = 57.60; one active product out of stock.
    const value = await daily(ctx, t, 'inventory_value');
    expect(value).toHaveLength(1);
    expect(value[0]!.value).toBeCloseTo(57.6, 6);
    expect((await daily(ctx, t, 'stockouts'))[0]!.value).toBe(1);
    const again = await upload(
      ctx,
      t,
      { kind: 'products', dryRun: 'false' },
      fixture('products.csv'),
    );
    expect(again.body.import.result).toMatchObject({ inserted: 0, updated: 0, unchanged: 3 });
  });

  it('expenses: ;-separated, euro amounts with decimal commas, D/M/Y dates detected', async () => {
    const t = await tenantIn('UTC');
    const up = await upload(ctx, t, { kind: 'expenses' }, fixture('expenses.csv'));
    expect(up.body.import).toMatchObject({
      status: 'validated',
      delimiter: ';',
      decimalSeparator: ',',
      dateFormat: 'DMY',
    });
    const done = await commit(t, up.body.import.id);
    expect(done.result).toMatchObject({ inserted: 3, unchanged: 0 });
    const rows = await query<{
      incurred_at: Date;
      vendor: string;
      category: string;
      amount: number;
    }>(ctx, t, 'select incurred_at, vendor, category, amount from expenses order by incurred_at');
    expect(
      rows.map((r) => [r.incurred_at.toISOString().slice(0, 10), r.vendor, r.category, r.amount]),
    ).toEqual([
      ['2026-01-05', 'Beans Ltd', 'cogs', 1200.5],
      ['2026-01-13', 'City Power', 'utilities', 310],
      ['2026-01-20', 'Landlord', 'rent', 2000],
    ]);
    const again = await upload(
      ctx,
      t,
      { kind: 'expenses', dryRun: 'false' },
      fixture('expenses.csv'),
    );
    expect(again.body.import.result).toMatchObject({ inserted: 0, updated: 0, unchanged: 3 });
    expect((await recordCounts(ctx, t)).expenses).toBe(3);
  });

  it('metrics: points in business-local wall time; offsets converted; rollups see them', async () => {
    const t = await tenantIn('America/New_York');
    const up = await upload(ctx, t, { kind: 'metrics', dryRun: 'false' }, fixture('metrics.csv'));
    expect(up.status, up.raw).toBe(201);
    expect(up.body.import.result).toMatchObject({ inserted: 3, updated: 0, unchanged: 0 });
    const points = await query<{ time: Date; value: number; channel: string }>(
      ctx,
      t,
      `select time, value, channel from tenant_business_metrics where metric_name = 'website_visitors' order by time`,
    );
    expect(points.map((p) => [p.time.toISOString(), p.value, p.channel])).toEqual([
      ['2026-01-05T08:00:00.000Z', 120, 'web'],
      ['2026-01-05T09:00:00.000Z', 80, 'web'],
      ['2026-01-06T00:00:00.000Z', 95.5, 'web'],
    ]);
    const changed = fixture('metrics.csv').toString().replace(',95.5,', ',96,');
    const again = await upload(ctx, t, { kind: 'metrics', dryRun: 'false' }, changed);
    expect(again.body.import.result).toMatchObject({ inserted: 0, updated: 1, unchanged: 2 });
  });
});

describe('large imports commit in a job', () => {
  it('202 with a job, progress and status at GET /v1/imports/{id}, then committed', async () => {
    const t = await tenantIn('UTC');
    const n = 6_000;
    const lines = ['order,date,sku,qty,price'];
    for (let i = 0; i < n; i++)
      lines.push(`${i},2026-02-${String((i % 28) + 1).padStart(2, '0')} 10:00,S${i % 50},1,2.00`);
    const up = await upload(ctx, t, { kind: 'orders' }, lines.join('\n'));
    expect(up.body.import).toMatchObject({ status: 'validated', rowCount: n, recordCount: n });
    const res = await ctx.inject({
      method: 'POST',
      url: `/v1/imports/${up.body.import.id}/commit`,
      headers: t.auth,
    });
    expect(res.statusCode, res.body).toBe(202);
    const job = res.json().job;
    expect(job.task).toBe('imports.commit');
    expect(res.json().import.status).toBe('committing');
    let imp = res.json().import;
    for (let i = 0; i < 240 && imp.status === 'committing'; i++) {
      await new Promise((r) => setTimeout(r, 500));
      imp = (
        await ctx.inject({ method: 'GET', url: `/v1/imports/${imp.id}`, headers: t.auth })
      ).json().import;
    }
    expect(imp.status).toBe('committed');
    expect(imp.progress).toBe(1);
    expect(imp.result).toMatchObject({ inserted: n, updated: 0, unchanged: 0 });
    console.log(
      `commit job: ${n} orders in ${imp.result.seconds} s (${Math.round(n / imp.result.seconds)} orders/s)`,
    );
    expect((await recordCounts(ctx, t)).orders).toBe(n);
    const total = await query<{ v: number }>(
      ctx,
      t,
      `select sum(value)::float8 as v from tenant_business_metrics where metric_name = 'revenue'`,
    );
    expect(total[0]!.v).toBe(2 * n);
    const j = (
      await ctx.inject({ method: 'GET', url: `/v1/jobs/${job.id}`, headers: t.auth })
    ).json();
    expect(j).toMatchObject({ status: 'succeeded', progress: 1 });
  }, 180_000);
});

describe('tenancy', () => {
  it('tenant B cannot see, commit or download tenant A’s imports', async () => {
    const a = await tenantIn('UTC');
    const b = await tenantIn('UTC');
    const up = await upload(
      ctx,
      a,
      { kind: 'orders' },
      'Order ID,Date,SKU,Quantity,Unit Price\nsecret-order,2026-01-05,A,1,1\n',
    );
    const id = up.body.import.id;
    for (const [method, url] of [
      ['GET', `/v1/imports/${id}`],
      ['GET', `/v1/imports/${id}/errors.csv`],
      ['POST', `/v1/imports/${id}/commit`],
    ] as const) {
      const res = await ctx.inject({ method, url, headers: b.auth });
      expect(res.statusCode, `${method} ${url}`).toBe(404);
    }
    const list = await ctx.inject({ method: 'GET', url: '/v1/imports', headers: b.auth });
    expect(list.json().items).toEqual([]);
    const mine = await ctx.inject({
      method: 'GET',
      url: '/v1/imports?kind=orders&status=validated',
      headers: a.auth,
    });
    expect(mine.json().items.map((i: { id: string }) => i.id)).toEqual([id]);
    expect(await recordCounts(ctx, b)).toMatchObject({ staged: 0 });
  });
});
