import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext, type TestTenant } from '../../helpers/app.js';
import { metrics } from '../../../src/platform/observability/metrics.js';
import { BODY_CHANNELS, BODY_SKUS, TWO_DAYS, waitForPlan } from './helpers.js';

/** The current value of a counter's sample with these labels. */
async function sample(
  counter: { get(): Promise<{ values: { labels: object; value: number }[] }> },
  labels: object,
) {
  const v = (await counter.get()).values.find(
    (x) => JSON.stringify(x.labels) === JSON.stringify(labels),
  );
  return v?.value ?? 0;
}

/** What-ifs: a plan re-solved with one change, stored as a child plan with the difference. */
let ctx: TestContext;
let a: TestTenant;
let inventory: any;
let budget: any;

beforeAll(async () => {
  ctx = await createTestContext();
  a = await ctx.newTenant();
  const post = (kind: string, payload: object) =>
    ctx.inject({ method: 'POST', url: `/v1/plans/${kind}`, headers: a.auth, payload });
  inventory = (await post('inventory', { skus: BODY_SKUS })).json().plan;
  budget = (await post('budget', { channels: BODY_CHANNELS, budget: 1000 })).json().plan;
});
afterAll(async () => {
  await ctx?.close();
});

const whatIf = (id: string, payload: object) =>
  ctx.inject({ method: 'POST', url: `/v1/plans/${id}/what-if`, headers: a.auth, payload });

describe('what-if', () => {
  it('a longer lead time orders more beans; the base plan stays as it was', async () => {
    const solves = await sample(metrics.optimizerSolves, {
      problem: 'inventory',
      status: 'optimal',
    });
    const plans = await sample(metrics.plansGenerated, {
      problem: 'inventory',
      outcome: 'succeeded',
    });
    const res = await whatIf(inventory.id, {
      change: { path: 'skus[id=BEANS].leadTimeDays', add: 7 },
    });
    expect(res.statusCode, res.body).toBe(201);
    const child = res.json().plan;
    expect(child).toMatchObject({ kind: 'inventory', status: 'completed', parentId: inventory.id });
    expect(child.whatIf.change).toEqual({ path: 'skus[id=BEANS].leadTimeDays', add: 7 });
    // Base and scenario are both solved (and counted); one plan is stored.
    expect(await sample(metrics.optimizerSolves, { problem: 'inventory', status: 'optimal' })).toBe(
      solves + 2,
    );
    expect(
      await sample(metrics.plansGenerated, { problem: 'inventory', outcome: 'succeeded' }),
    ).toBe(plans + 1);
    const beans = child.whatIf.diff.items.find((i: { id: string }) => i.id === 'BEANS');
    expect(beans.quantity).toBe('orderQuantity');
    const baseBeans = inventory.items.find((i: { ref: string }) => i.ref === 'BEANS');
    expect(beans.base).toBe(baseBeans.quantity);
    expect(beans.scenario).toBeGreaterThan(beans.base);
    // 7 more days of ~5 a day, in cases of 6.
    expect(beans.scenario - beans.base).toBeGreaterThanOrEqual(30);
    expect(beans.scenario % 6).toBe(0);
    expect(child.whatIf.diff.totals.totalOrderCost.change).toBeCloseTo(14 * beans.change, 6);
    expect(child.input.skus.find((s: { id: string }) => s.id === 'BEANS').leadTimeDays).toBe(10);
    expect(child.items.find((i: { ref: string }) => i.ref === 'BEANS').quantity).toBe(
      beans.scenario,
    );

    const base = (
      await ctx.inject({ method: 'GET', url: `/v1/plans/${inventory.id}`, headers: a.auth })
    ).json().plan;
    expect(base.input.skus.find((s: { id: string }) => s.id === 'BEANS').leadTimeDays).toBe(3);
    const list = (await ctx.inject({ method: 'GET', url: '/v1/plans', headers: a.auth })).json();
    expect(list.items.find((p: { id: string }) => p.id === child.id).parentId).toBe(inventory.id);
  });

  it('half as much again budget: the whole extra is spent, return grows less than spend', async () => {
    const res = await whatIf(budget.id, { change: { path: 'budget', multiplyBy: 1.5 } });
    expect(res.statusCode, res.body).toBe(201);
    const { diff } = res.json().plan.whatIf;
    expect(diff.totals.totalSpend.change).toBeCloseTo(500, 4);
    expect(diff.objective.change).toBeGreaterThan(0);
    expect(diff.objective.change).toBeLessThan(budget.summary.expectedReturn / 2);
    const spend = res
      .json()
      .plan.items.reduce((s: number, i: { amount: number }) => s + i.amount, 0);
    expect(spend).toBeCloseTo(1500, 2);
  });

  it('staffing: a person capped at 0 hours drops out and someone else covers', async () => {
    const staff = [
      { id: 'ann', hourlyCost: 15, maxHours: 40 },
      { id: 'ben', hourlyCost: 18, maxHours: 40 },
      { id: 'cat', hourlyCost: 20, maxHours: 40 },
    ];
    const req = {
      ...TWO_DAYS,
      requirements: [
        {
          required: [
            [1, 1, 2, 2, 2, 2, 1, 1],
            [1, 1, 1, 1, 1, 1, 1, 1],
          ],
        },
      ],
      staff,
    };
    const base = await ctx.inject({
      method: 'POST',
      url: '/v1/plans/staffing',
      headers: a.auth,
      payload: req,
    });
    expect(base.statusCode, base.body).toBe(201);
    const plan = base.json().plan;
    expect(plan.summary.underCoverageHours).toBe(0);
    const annBase = plan.result.people.find((p: { staffId: string }) => p.staffId === 'ann').hours;
    expect(annBase).toBeGreaterThan(0);
    const res = await whatIf(plan.id, { change: { path: 'staff[id=ann].maxHours', value: 0 } });
    expect(res.statusCode, res.body).toBe(201);
    const diff = res.json().plan.whatIf.diff;
    expect(diff.items.find((i: { id: string }) => i.id === 'ann')).toMatchObject({
      base: annBase,
      scenario: 0,
    });
    expect(diff.totals.laborCost.change).toBeGreaterThan(0);
    expect(diff.totals.underCoverageHours.scenario).toBe(0);
  });

  it('runs as a job when asked and stores the same kind of child', async () => {
    const res = await whatIf(budget.id, {
      change: { path: 'channels[id=social].max', value: 100 },
      run: 'job',
    });
    expect(res.statusCode).toBe(202);
    expect(res.json().job.task).toBe('plans.solve');
    const done = await waitForPlan(ctx, a, res.json().plan.id);
    expect(done.plan.status).toBe('completed');
    expect(done.job.status).toBe('succeeded');
    const social = done.plan.items.find((i: { ref: string }) => i.ref === 'social');
    expect(social.amount).toBeLessThanOrEqual(100 + 1e-6);
    expect(done.plan.whatIf.diff.bindingAdded.length).toBeGreaterThan(0);
  });

  it('bad changes are 400 with the path, a change that breaks the input is 422, never 500', async () => {
    const missing = await whatIf(inventory.id, {
      change: { path: 'skus[id=NOPE].price', value: 3 },
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors[0].path).toBe('/body/change/path');
    const nothing = await whatIf(inventory.id, { change: { path: 'budget' } });
    expect(nothing.statusCode).toBe(400);
    expect(nothing.json().errors[0].path).toBe('/body/change');
    const notNumber = await whatIf(inventory.id, {
      change: { path: 'skus[id=BEANS].name', multiplyBy: 2 },
    });
    expect(notNumber.statusCode).toBe(400);
    const broken = await whatIf(inventory.id, { change: { path: 'skus', value: 'none' } });
    expect(broken.statusCode).toBe(422);
    expect(broken.json()).toMatchObject({
      code: 'plan_input_invalid',
      errors: [{ path: 'input.skus' }],
    });
    const unknownField = await whatIf(inventory.id, {
      change: { path: 'budget', value: 1, to: 2 },
    });
    expect(unknownField.statusCode).toBe(400);
    expect((await whatIf(randomUUID(), { change: { path: 'budget', value: 1 } })).statusCode).toBe(
      404,
    );
  });
});
