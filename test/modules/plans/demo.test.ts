import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext, type TestTenant } from '../../helpers/app.js';
import type { DemoData } from '../../../src/demo/generator.js';
import { DEMO_PRODUCTS } from '../../../src/demo/catalogue.js';
import { curveValue } from '../../../src/engines/optimize/index.js';
import { addDays, weekdayName } from '../../../src/modules/plans/dates.js';
import { loadSmallDemo } from './helpers.js';

/**
 * The three plan kinds built from the demo café's own data (12 products with costs, lead
 * times and case packs, daily stock counts, 8 staff, google + instagram spend), with the
 * numbers checked against that data.
 */
let ctx: TestContext;
let a: TestTenant;
let demo: DemoData;
let unconstrainedCost: number;

beforeAll(async () => {
  ctx = await createTestContext();
  a = await ctx.newTenant('Demo café');
  demo = await loadSmallDemo(ctx, a);
});
afterAll(async () => {
  await ctx?.close();
});

const post = (kind: string, payload: object) =>
  ctx.inject({ method: 'POST', url: `/v1/plans/${kind}`, headers: a.auth, payload });

describe('inventory plan from the demo data', () => {
  it('orders whole cases, at least the MOQ, from the latest stock and a demand forecast', async () => {
    const res = await post('inventory', {});
    expect(res.statusCode).toBe(201);
    const { plan, job } = res.json();
    expect(job).toBeNull();
    expect(plan).toMatchObject({ kind: 'inventory', status: 'completed', solveStatus: 'optimal' });
    expect(plan.advisory).toMatch(/advice/);
    expect(plan.summary.skusPlanned).toBe(DEMO_PRODUCTS.length);
    // Stock is the latest snapshot per product.
    for (const p of DEMO_PRODUCTS) {
      const last = demo.inventory.filter((i) => i.sku === p.sku).at(-1)!;
      const sku = plan.input.skus.find((s: { id: string }) => s.id === p.sku);
      expect(sku.stock, p.sku).toBe(last.onHand);
      expect(sku).toMatchObject({ unitCost: p.cost, casePack: p.casePack, moq: p.minOrderQty });
      // Forecast demand: one step per day of lead time + review period + 14 days.
      expect(sku.demand).toHaveLength(p.leadTimeDays + 7 + 14);
      expect(sku.demand.every((d: { mean: number; sd: number }) => d.mean >= 0 && d.sd >= 0)).toBe(
        true,
      );
    }
    expect(plan.items.length).toBeGreaterThan(0);
    let total = 0;
    for (const item of plan.items) {
      const p = DEMO_PRODUCTS.find((x) => x.sku === item.ref)!;
      expect(item.kind).toBe('order');
      expect(item.quantity % p.casePack, item.ref).toBe(0);
      expect(item.quantity, item.ref).toBeGreaterThanOrEqual(Math.max(p.minOrderQty, 1));
      expect(item.amount).toBeCloseTo(item.quantity * p.cost, 2);
      expect(item.decision).toBe('pending');
      expect(item.details.orderDate >= plan.summary.asOf).toBe(true);
      total += item.amount;
    }
    expect(plan.summary.totalOrderCost).toBeCloseTo(total, 2);
    unconstrainedCost = total;
    // The forecast covers the window: the beans order covers most of its expected demand.
    const beans = plan.result.skus.find((s: { skuId: string }) => s.skuId === 'BNS-01');
    expect(beans.cycleServiceLevel).toBeGreaterThan(0.5);
  });

  it('respects a budget below what it would spend, and says the budget binds', async () => {
    const budget = Math.floor(unconstrainedCost / 2);
    const res = await post('inventory', { budget, storage: [{ id: 'backroom', capacity: 5000 }] });
    expect(res.statusCode).toBe(201);
    const { plan } = res.json();
    expect(plan.summary.totalOrderCost).toBeLessThanOrEqual(budget + 1e-6);
    expect(plan.summary.totalOrderCost).toBeGreaterThan(budget * 0.8);
    expect(
      plan.result.constraints.find((c: { name: string }) => c.name === 'budget'),
    ).toMatchObject({ binding: true, limit: budget });
    expect(plan.input.skus.every((s: { storageId: string }) => s.storageId === 'backroom')).toBe(
      true,
    );
  });
});

describe('staffing plan from the demo data', () => {
  it('covers the hours orders need with the staff table’s people, within their limits', async () => {
    // The counter staff serve the store; web orders (8:00–22:00, busier before the holidays)
    // would stretch the open hours with evenings the café does not open.
    const res = await post('staffing', { channel: 'store' });
    expect(res.statusCode).toBe(201);
    const { plan } = res.json();
    expect(['optimal', 'feasible']).toContain(plan.solveStatus);
    const input = plan.input;
    expect(input.staff).toHaveLength(8);
    expect(input.shiftStartStep).toBe(2);
    // Store orders run 7:00–18:00; the open hours come from them.
    expect(input.openHour).toBeGreaterThanOrEqual(6);
    expect(input.closeHour).toBeLessThanOrEqual(19);
    const staffById = new Map(input.staff.map((s: { id: string }) => [s.id, s]));
    const rates = new Map(demo.staff.map((s) => [s.name, s.hourlyRate]));
    for (const person of plan.result.people) {
      const member = staffById.get(person.staffId) as { name: string; minHours: number };
      expect(person.hours).toBeGreaterThanOrEqual(member.minHours - 1e-9);
      expect(person.hours).toBeLessThanOrEqual(38);
      expect(new Set(person.shifts.map((s: { day: number }) => s.day)).size).toBe(
        person.shifts.length,
      );
      for (const sh of person.shifts) {
        const weekend = ['sat', 'sun'].includes(weekdayName(addDays(input.startDate, sh.day)));
        expect(sh.start).toBeGreaterThanOrEqual(weekend ? 7 : 6);
        expect(sh.end).toBeLessThanOrEqual(weekend ? 18 : 19);
        expect([4, 6, 8]).toContain(sh.hours);
      }
      expect(person.cost).toBeCloseTo(person.hours * rates.get(member.name)!, 6);
    }
    // Coverage: what is required is scheduled or reported short, hour by hour.
    let required = 0;
    for (const c of plan.result.coverage) {
      expect(c.short).toBeCloseTo(Math.max(0, c.required - c.scheduled), 9);
      required += c.required;
    }
    expect(plan.summary.requiredStaffHours).toBe(required);
    expect(required).toBeGreaterThan(0);
    expect(plan.summary.underCoverageHours).toBeLessThanOrEqual(required * 0.1);
    // Items are the shifts, priced at the person's rate.
    const shifts = plan.result.people.reduce(
      (n: number, p: { shifts: unknown[] }) => n + p.shifts.length,
      0,
    );
    expect(plan.items).toHaveLength(shifts);
    const wages = plan.items.reduce((s: number, i: { amount: number }) => s + i.amount, 0);
    expect(wages).toBeCloseTo(plan.summary.laborCost, 1);
  });
});

describe('budget plan from the demo marketing history', () => {
  it('splits last month’s spend across google and instagram on fitted response curves', async () => {
    const res = await post('budget', {});
    expect(res.statusCode).toBe(201);
    const { plan } = res.json();
    expect(plan.solveStatus).toBe('optimal');
    const since = addDays(plan.summary.asOf, -30);
    const spent = demo.marketing
      .filter((m) => m.day >= since && m.day < plan.summary.asOf)
      .reduce((s, m) => s + m.spend, 0);
    expect(plan.input.budget).toBeCloseTo(spent, 1);
    expect(plan.items.map((i: { ref: string }) => i.ref).sort()).toEqual(['google', 'instagram']);
    const spend = plan.items.reduce((s: number, i: { amount: number }) => s + i.amount, 0);
    expect(spend).toBeLessThanOrEqual(plan.input.budget + 0.01);
    for (const c of plan.result.channels)
      expect(c.expectedReturn).toBeCloseTo(curveValue(c.curve, c.spend), 6);
  });

  it('a given budget is spent in full while the curves still return more than nothing', async () => {
    const res = await post('budget', { budget: 600, days: 14 });
    const { plan } = res.json();
    expect(plan.summary.totalSpend).toBeCloseTo(600, 1);
    expect(plan.summary.budgetShadowPrice).toBeGreaterThan(0);
    expect(plan.summary.days).toBe(14);
  });
});
