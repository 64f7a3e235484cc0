import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext, type TestTenant } from '../../helpers/app.js';
import { generateDemo, type DemoFacts } from '../../../src/demo/generator.js';
import { loadDemoData } from '../../../src/demo/load.js';
import { withTenant } from '../../../src/platform/tenancy/context.js';
import { post, weekdayOf } from './helpers.js';

/**
 * The demo café (src/demo) has an Instagram campaign with a planted effect on store
 * orders, run more often on weekends (busier days). Asked through the API with the default
 * graph, the adjusted estimate's interval must hold the planted effect; the plain
 * difference between campaign and other days is biased by the weekend mix — shown on
 * store orders and, unmistakably, on staff hours, which the campaign cannot change (shifts
 * are planned from the weekday) yet differ between campaign and other days.
 *
 * 320 days (the campaign window is days 192–311) at half volume, loaded the way the
 * demo.load job does it; TimescaleDB's aggregates are real-time, so the test reads them
 * without the job's final refresh.
 */
const TZ = 'America/New_York';
let ctx: TestContext;
let a: TestTenant;
let facts: DemoFacts;
let loadSeconds = 0;

beforeAll(async () => {
  ctx = await createTestContext();
  a = await ctx.newTenant('Demo Café');
  await ctx.inject({
    method: 'PATCH',
    url: '/v1/tenant',
    headers: a.auth,
    payload: { timezone: TZ },
  });
  const started = performance.now();
  const demo = generateDemo({ endDay: '2025-12-31', days: 320, volume: 0.5, timeZone: TZ });
  facts = demo.facts;
  await loadDemoData((fn) => withTenant(ctx.database.db, a.tenantId, fn), demo, TZ);
  loadSeconds = (performance.now() - started) / 1000;
});
afterAll(async () => {
  await ctx?.close();
});

const campaign = 'marketing_spend[channel=instagram] > 0';
const fmt = (x: number) => x.toFixed(2);
const span = (i: number[]) => `[${i.map(fmt).join(', ')}]`;

describe('the demo business: the planted Instagram campaign effect', () => {
  it('is recovered on store orders, with weekday adjusted for; the naive difference is biased', async () => {
    const res = await post(ctx, a, '/v1/evidence/analyze', {
      kind: 'effect',
      treatment: campaign,
      outcome: 'orders[channel=store]',
    });
    expect(res.statusCode, res.body).toBe(201);
    const { result: r, data, graphVersion } = res.json();
    const truth = facts.campaign.extraOrdersPerDay;
    console.log(
      `demo (loaded in ${loadSeconds.toFixed(1)} s): store orders +${truth}/day planted; estimate ${fmt(r.estimate)} ${span(r.interval)}, naive ${fmt(r.naive.estimate)} ${span(r.naive.interval)}; ${data.days} days`,
    );
    expect(graphVersion).toBe(0);
    expect(r.nTreated + r.details.dropped_treated).toBe(facts.campaign.days.length);
    expect(r.adjustmentSet).toEqual(['weekday', 'season', 'trend']);
    expect(r.interval[0]).toBeLessThan(truth);
    expect(r.interval[1]).toBeGreaterThan(truth);
    // Campaign days are weekend-heavy…
    const weekend = facts.campaign.days.filter((d) => weekdayOf(d) >= 5).length;
    expect(weekend / facts.campaign.days.length).toBeGreaterThan(0.35);
    const sat = r.balance.find((b: { column: string }) => b.column === 'weekday[sat]');
    expect(sat.treatedMean).toBeGreaterThan(1.5 * sat.untreatedMean);
    // …so the plain comparison credits the campaign with the weekend rush.
    expect(r.naive.estimate).toBeGreaterThan(r.estimate);
    expect(r.naive.interval[0]).toBeGreaterThan(truth);
  });

  it('the naive comparison "finds" an effect on staff hours, which the campaign cannot have; adjusted, none', async () => {
    const res = await post(ctx, a, '/v1/evidence/analyze', {
      kind: 'effect',
      treatment: campaign,
      outcome: 'labour_hours',
    });
    expect(res.statusCode, res.body).toBe(201);
    const r = res.json().result;
    console.log(
      `demo: staff hours (no effect possible): estimate ${fmt(r.estimate)} ${span(r.interval)}, naive ${fmt(r.naive.estimate)} ${span(r.naive.interval)}`,
    );
    expect(r.warnings.join(' ')).toMatch(/no directed path .* tests that/);
    expect(r.adjustmentSet).toContain('weekday');
    expect(r.interval[0]).toBeLessThan(0);
    expect(r.interval[1]).toBeGreaterThan(0);
    expect(r.naive.interval[0]).toBeGreaterThan(0);
  });

  it('is recovered on store revenue', async () => {
    const res = await post(ctx, a, '/v1/evidence/analyze', {
      kind: 'effect',
      treatment: campaign,
      outcome: 'revenue[channel=store]',
    });
    expect(res.statusCode, res.body).toBe(201);
    const r = res.json().result;
    const truth = facts.campaign.revenueEffectPerDay;
    console.log(
      `demo: store revenue +${truth}/day planted; estimate ${fmt(r.estimate)} ${span(r.interval)}, naive ${fmt(r.naive.estimate)} ${span(r.naive.interval)}`,
    );
    expect(r.interval[0]).toBeLessThan(truth);
    expect(r.interval[1]).toBeGreaterThan(truth);
  });

  it('what if there had been no campaign: about that many fewer store orders on campaign days', async () => {
    const res = await post(ctx, a, '/v1/evidence/analyze', {
      kind: 'what_if',
      variable: 'marketing_spend[channel=instagram]',
      value: 0,
      outcome: 'orders[channel=store]',
      where: campaign,
    });
    expect(res.statusCode, res.body).toBe(201);
    const r = res.json().result;
    const planted = -facts.campaign.extraOrdersPerDay * facts.campaign.days.length;
    console.log(
      `demo: no campaign: ${fmt(r.difference)} store orders over ${r.days} days ${span(r.interval)}, planted ${planted}`,
    );
    expect(r.days).toBe(facts.campaign.days.length);
    expect(r.interval[0]).toBeLessThan(planted);
    expect(r.interval[1]).toBeGreaterThan(planted);
  });

  it('why revenue changed from November to December: tree drivers that add up exactly', async () => {
    const res = await post(ctx, a, '/v1/evidence/analyze', {
      kind: 'why',
      metric: 'revenue',
      periodA: { from: '2025-11-01', to: '2025-12-01' },
      periodB: { from: '2025-12-01', to: '2026-01-01' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const r = res.json().result;
    const series = (
      await ctx.inject({
        method: 'GET',
        url: '/v1/metrics/revenue/series?interval=month&from=2025-11-01&to=2026-01-01',
        headers: a.auth,
      })
    ).json();
    expect(r.aggregate).toBe('sum');
    expect(r.valueA).toBeCloseTo(series.points[0].value, 6);
    expect(r.valueB).toBeCloseTo(series.points[1].value, 6);
    expect(r.treeDrivers.map((d: { driver: string }) => d.driver).sort()).toEqual([
      'average_order_value',
      'orders',
    ]);
    const sum = r.treeDrivers.reduce((s: number, d: { amount: number }) => s + d.amount, 0);
    expect(sum).toBeCloseTo(r.change, 6);
  });
});
