import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext, type TestTenant } from '../../helpers/app.js';
import { BODY_CHANNELS, BODY_SKUS, TWO_DAYS, waitForPlan } from './helpers.js';

/**
 * Bad input never hangs or crashes a plan: it is a 4xx naming the field, or a plan that
 * flags the problem. The engine's own edge cases are tested in test/engines/optimize; here
 * each one arrives through the API.
 */
let ctx: TestContext;
let a: TestTenant;

beforeAll(async () => {
  ctx = await createTestContext();
  a = await ctx.newTenant();
});
afterAll(async () => {
  await ctx?.close();
});

const post = (kind: string, payload: object) =>
  ctx.inject({ method: 'POST', url: `/v1/plans/${kind}`, headers: a.auth, payload });
const codes = (plan: { issues: { code: string }[] }) => plan.issues.map((i) => i.code);

describe('requests refused with the path of the problem', () => {
  it.each([
    ['inventory', { nope: 1 }, '/body/nope'],
    ['inventory', { timeLimitSeconds: 0 }, '/body/timeLimitSeconds'],
    ['inventory', { timeLimitSeconds: 3600 }, '/body/timeLimitSeconds'],
    ['inventory', { skus: [{ sku: 'X', leadTimeDays: -1 }] }, '/body/skus/0/leadTimeDays'],
    ['inventory', { skus: [{ sku: 'X', unitCost: 1e12 }] }, '/body/skus/0/unitCost'],
    ['inventory', { skus: [{ sku: 'X', casePack: 0 }] }, '/body/skus/0/casePack'],
    ['inventory', { skus: [{ sku: 'X' }, { sku: 'X' }] }, '/body/skus/1/sku'],
    ['inventory', { skus: [{ sku: 'X', storageId: 'attic' }] }, '/body/skus/0/storageId'],
    ['inventory', { budget: -5 }, '/body/budget'],
    ['staffing', { openHour: 12, closeHour: 9 }, '/body/closeHour'],
    ['staffing', { openHour: 23, requirements: [{ required: [[1]] }] }, '/body/closeHour'],
    ['staffing', { staff: [{ id: 'a' }, { id: 'a' }] }, '/body/staff/1/id'],
    [
      'staffing',
      { staff: [{ id: 'a', availability: { someday: [[8, 9]] } }] },
      '/body/staff/0/availability/someday',
    ],
    ['budget', { channels: [{ id: 'tv', min: 50, max: 10 }] }, '/body/channels/0/min'],
    ['budget', { budget: '100' }, '/body/budget'],
  ])('%s %j → 400 at %s', async (kind, payload, path) => {
    const res = await post(kind, payload);
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().code).toBe('validation_failed');
    expect(res.json().errors.map((e: { path: string }) => e.path)).toContain(path);
  });

  it('a business without products, staff or marketing gets 422 saying what to give', async () => {
    for (const [kind, path] of [
      ['inventory', '/body/skus'],
      ['staffing', '/body/staff'],
      ['budget', '/body/channels'],
    ] as const) {
      const res = await post(kind, {});
      expect(res.statusCode, kind).toBe(422);
      expect(res.json().errors[0].path).toBe(path);
    }
  });

  it('an input the optimizer cannot model is 422 plan_input_invalid with its path', async () => {
    const res = await post('budget', {
      budget: 500,
      channels: [...BODY_CHANNELS, { id: 'tv', min: 100 }],
    });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({
      code: 'plan_input_invalid',
      errors: [{ path: 'input.channels[2]' }],
    });
  });
});

describe('bad data gives a plan with the problem flagged', () => {
  it('negative demand is clipped (nothing ordered), zero lead time is same-day', async () => {
    const res = await post('inventory', {
      skus: [
        { sku: 'NEG', unitCost: 2, price: 5, dailyDemand: -5, casePack: 1 },
        { sku: 'NOW', unitCost: 2, price: 5, dailyDemand: 10, leadTimeDays: 0 },
      ],
    });
    expect(res.statusCode).toBe(201);
    const { plan } = res.json();
    expect(codes(plan)).toEqual(expect.arrayContaining(['negative_demand', 'zero_lead_time']));
    expect(plan.items.map((i: { ref: string }) => i.ref)).toEqual(['NOW']);
    // Same-day delivery: the window is the 7-day review period, ~70 units.
    expect(plan.items[0].quantity).toBeGreaterThanOrEqual(70);
    expect(plan.items[0].quantity).toBeLessThan(100);
  });

  it('a storage area smaller than one case: that SKU is flagged and not ordered', async () => {
    const res = await post('inventory', {
      storage: [{ id: 'shelf', capacity: 10 }],
      skus: [
        { sku: 'BIG', unitCost: 2, price: 5, dailyDemand: 10, casePack: 24 },
        { sku: 'SMALL', unitCost: 2, price: 5, dailyDemand: 1, casePack: 2 },
      ],
    });
    const { plan } = res.json();
    expect(codes(plan)).toContain('order_exceeds_capacity');
    expect(plan.items.map((i: { ref: string }) => i.ref)).toEqual(['SMALL']);
    expect(plan.items[0].quantity).toBeLessThanOrEqual(10);
  });

  it('a budget of 0 orders nothing, spends nothing; a labour budget of 0 against contracted hours is explained', async () => {
    const inv = (await post('inventory', { budget: 0, skus: BODY_SKUS })).json().plan;
    expect(codes(inv)).toContain('zero_budget');
    expect(inv.items).toEqual([]);
    expect(inv.summary.totalOrderCost).toBe(0);

    const mkt = (await post('budget', { budget: 0, channels: BODY_CHANNELS })).json().plan;
    expect(codes(mkt)).toContain('zero_budget');
    expect(mkt.items.every((i: { amount: number }) => i.amount === 0)).toBe(true);

    const res = await post('staffing', {
      weekStart: '2030-01-07',
      days: 1,
      openHour: 8,
      closeHour: 12,
      requirements: [{ required: [[1, 1, 1, 1]] }],
      staff: [{ id: 'ann', hourlyCost: 15, minHours: 4 }],
      laborBudget: 0,
    });
    expect(res.statusCode).toBe(201);
    const staffing = res.json().plan;
    expect(staffing).toMatchObject({ status: 'completed', solveStatus: 'infeasible', items: [] });
    expect(codes(staffing)).toContain('zero_budget');
    expect(staffing.infeasibility.summary).toMatch(
      /labour budget of \$0\.00 is below the \$60\.00 the other requirements need/,
    );
  });

  it('contradictory availability is ignored and flagged; a minimum it rules out is lowered', async () => {
    const res = await post('staffing', {
      ...TWO_DAYS,
      requirements: [
        {
          required: [
            [1, 1, 1, 1, 1, 1, 1, 1],
            [1, 1, 1, 1, 1, 1, 1, 1],
          ],
        },
      ],
      staff: [
        {
          id: 'ann',
          hourlyCost: 15,
          minHours: 10,
          availability: { mon: [[19, 6]], tue: [[8, 12]] },
        },
        { id: 'ben', hourlyCost: 18 },
      ],
      shiftPatterns: [
        { start: 8, hours: 4 },
        { start: 12, hours: 4 },
        { start: 8, hours: 8 },
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
    const { plan } = res.json();
    expect(codes(plan)).toEqual(
      expect.arrayContaining(['invalid_availability', 'availability_below_min_hours']),
    );
    const ann = plan.result.people.find((p: { staffId: string }) => p.staffId === 'ann');
    expect(ann.shifts).toEqual([expect.objectContaining({ day: 1, start: 8, end: 12 })]);
    expect(plan.summary.underCoverageHours).toBe(0);
  });

  it('thousands of SKUs without a cost: a background job flags them all and plans the rest', async () => {
    const skus = [
      ...Array.from({ length: 3000 }, (_, i) => ({ sku: `NOCOST-${i}`, price: 5, dailyDemand: 3 })),
      { sku: 'PRICED', unitCost: 2, price: 5, dailyDemand: 3 },
    ];
    const started = Date.now();
    const res = await post('inventory', { skus });
    expect(res.statusCode).toBe(202);
    const done = await waitForPlan(ctx, a, res.json().plan.id);
    const seconds = (Date.now() - started) / 1000;
    expect(done.plan.error).toBeNull();
    expect(done.plan.status).toBe('completed');
    expect(done.plan.items.map((i: { ref: string }) => i.ref)).toEqual(['PRICED']);
    expect(
      done.plan.issues.filter((i: { code: string }) => i.code === 'missing_cost'),
    ).toHaveLength(3000);
    expect(done.job).toMatchObject({ status: 'succeeded', progress: 1 });
    expect(seconds).toBeLessThan(30);
  });

  it('when no SKU has a cost at all the answer is a clear 422, not an empty plan', async () => {
    const res = await post('inventory', {
      skus: Array.from({ length: 50 }, (_, i) => ({
        sku: `NOCOST-${i}`,
        price: 5,
        dailyDemand: 3,
      })),
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().detail).toMatch(/none of the 50 SKUs can be planned: each needs a unit cost/);
    expect(res.json().errors[0]).toEqual({
      path: 'input.skus[0]',
      message: 'NOCOST-0: no unit cost',
    });
    const mkt = await post('budget', {
      budget: 100,
      channels: [{ id: 'tv', history: [{ spend: 10, return: 20 }] }],
    });
    expect(mkt.statusCode).toBe(422);
    expect(mkt.json().errors[0].path).toBe('input.channels[0].history');
  });
});

describe('never a hang', () => {
  it('staffing with any-hour shift starts runs as a job and stops at its time limit', async () => {
    const staff = Array.from({ length: 12 }, (_, i) => ({
      id: `p${i}`,
      hourlyCost: 15 + (i % 5),
      minHours: 8,
    }));
    const day = [1, 2, 3, 3, 2, 2, 3, 4, 4, 3, 2, 2, 3, 3, 2, 1];
    const res = await post('staffing', {
      weekStart: '2030-01-07',
      openHour: 6,
      closeHour: 22,
      shiftStartStep: 1,
      requirements: [
        { required: Array.from({ length: 7 }, (_, d) => day.map((n) => n + (d % 3))) },
      ],
      staff,
      timeLimitSeconds: 2,
    });
    expect(res.statusCode).toBe(202);
    const started = Date.now();
    const done = await waitForPlan(ctx, a, res.json().plan.id);
    expect(done.plan.status).toBe('completed');
    expect(['optimal', 'feasible']).toContain(done.plan.solveStatus);
    expect(done.plan.result.timeLimitSeconds).toBe(2);
    expect(done.plan.result.modelSize.integers).toBeGreaterThan(2000);
    expect(done.plan.timeLimitSeconds).toBe(2);
    expect((Date.now() - started) / 1000).toBeLessThan(30);
  });
});
