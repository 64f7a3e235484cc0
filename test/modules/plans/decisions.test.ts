import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext, type TestTenant } from '../../helpers/app.js';
import { addMember, BODY_CHANNELS, BODY_SKUS, waitForPlan } from './helpers.js';

/**
 * Approving and rejecting plan items: who may, what is recorded on the item and in the
 * audit log, and that decisions are final and all-or-nothing.
 */
let ctx: TestContext;
let owner: TestTenant;
let member: Awaited<ReturnType<typeof addMember>>;
let viewer: { auth: { authorization: string } };
let admin: { auth: { authorization: string }; tokenId: string };

/** An API token acts with the role of its scope (read = viewer, admin = admin). */
async function token(scope: 'read' | 'write' | 'admin') {
  const res = await ctx.inject({
    method: 'POST',
    url: '/v1/api-tokens',
    headers: owner.auth,
    payload: { name: `${scope} bot`, scopes: [scope] },
  });
  const t = res.json();
  return { auth: { authorization: `Bearer ${t.token}` }, tokenId: t.apiToken.id as string };
}

beforeAll(async () => {
  ctx = await createTestContext();
  owner = await ctx.newTenant();
  member = await addMember(ctx, owner, 'member');
  viewer = await token('read');
  admin = await token('admin');
});
afterAll(async () => {
  await ctx?.close();
});

async function newPlan(kind: 'inventory' | 'budget', headers = owner.auth) {
  const payload =
    kind === 'inventory' ? { skus: BODY_SKUS } : { channels: BODY_CHANNELS, budget: 1000 };
  const res = await ctx.inject({ method: 'POST', url: `/v1/plans/${kind}`, headers, payload });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().plan;
}

const decide = (planId: string, itemId: string, headers: object, payload: object) =>
  ctx.inject({
    method: 'POST',
    url: `/v1/plans/${planId}/items/${itemId}/decision`,
    headers: headers as Record<string, string>,
    payload,
  });

async function audit(action: string) {
  const res = await ctx.inject({
    method: 'GET',
    url: '/v1/audit-log?limit=500',
    headers: owner.auth,
  });
  return res.json().items.filter((e: { action: string }) => e.action === action);
}

describe('deciding plan items', () => {
  it('a member approves an order: recorded on the item and in the audit log; nothing else changes', async () => {
    const plan = await newPlan('inventory', member.auth);
    expect(plan.createdBy).toBe(member.userId);
    expect(plan.items.map((i: { ref: string }) => i.ref).sort()).toEqual(['BEANS', 'CUPS', 'MILK']);
    const item = plan.items.find((i: { ref: string }) => i.ref === 'BEANS');
    const res = await decide(plan.id, item.id, member.auth, {
      decision: 'approved',
      note: 'call the roaster',
    });
    expect(res.statusCode, res.body).toBe(200);
    const decided = res.json().item;
    expect(decided).toMatchObject({
      id: item.id,
      decision: 'approved',
      decidedBy: member.userId,
      decidedByToken: null,
      note: 'call the roaster',
      quantity: item.quantity,
    });
    expect(Date.parse(decided.decidedAt)).toBeGreaterThan(Date.now() - 60_000);

    const after = (
      await ctx.inject({ method: 'GET', url: `/v1/plans/${plan.id}`, headers: viewer.auth })
    ).json().plan;
    expect(after.itemCounts).toEqual({ total: 3, pending: 2, approved: 1, rejected: 0 });
    expect(after.result).toEqual(plan.result);

    const events = await audit('plan_item_approved');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actorUserId: member.userId,
      target: `plan_item:${item.id}`,
      details: {
        planId: plan.id,
        planKind: 'inventory',
        ref: 'BEANS',
        quantity: item.quantity,
        note: 'call the roaster',
      },
    });

    // Decisions are final.
    const again = await decide(plan.id, item.id, owner.auth, { decision: 'rejected' });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('conflict');
    expect(await audit('plan_item_rejected')).toHaveLength(0);
  });

  it('a viewer can read a plan but not decide', async () => {
    const plan = await newPlan('inventory');
    const res = await decide(plan.id, plan.items[0].id, viewer.auth, { decision: 'approved' });
    expect(res.statusCode).toBe(403);
    const batch = await ctx.inject({
      method: 'POST',
      url: `/v1/plans/${plan.id}/decisions`,
      headers: viewer.auth,
      payload: { decision: 'approved' },
    });
    expect(batch.statusCode).toBe(403);
  });

  it('batch: every pending item at once, one audit event each; unknown ids change nothing', async () => {
    const plan = await newPlan('inventory');
    const [first, ...rest] = plan.items;
    const bad = await ctx.inject({
      method: 'POST',
      url: `/v1/plans/${plan.id}/decisions`,
      headers: member.auth,
      payload: { decision: 'approved', itemIds: [first.id, randomUUID()] },
    });
    expect(bad.statusCode).toBe(404);
    const before = (await audit('plan_item_rejected')).length;
    expect(
      (await decide(plan.id, first.id, member.auth, { decision: 'approved' })).statusCode,
    ).toBe(200);
    const res = await ctx.inject({
      method: 'POST',
      url: `/v1/plans/${plan.id}/decisions`,
      headers: member.auth,
      payload: { decision: 'rejected', note: 'too early' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().decided).toBe(rest.length);
    expect(res.json().items.map((i: { id: string }) => i.id)).toEqual(
      rest.map((i: { id: string }) => i.id),
    );
    expect(
      res
        .json()
        .items.every(
          (i: { decision: string; note: string }) =>
            i.decision === 'rejected' && i.note === 'too early',
        ),
    ).toBe(true);
    expect((await audit('plan_item_rejected')).length - before).toBe(rest.length);
    // Nothing pending is left; naming a decided item is a conflict.
    const none = await ctx.inject({
      method: 'POST',
      url: `/v1/plans/${plan.id}/decisions`,
      headers: member.auth,
      payload: { decision: 'approved' },
    });
    expect(none.json().decided).toBe(0);
    const decided = await ctx.inject({
      method: 'POST',
      url: `/v1/plans/${plan.id}/decisions`,
      headers: member.auth,
      payload: { decision: 'approved', itemIds: [first.id] },
    });
    expect(decided.statusCode).toBe(409);
  });

  it('budget items need an owner or admin', async () => {
    const plan = await newPlan('budget');
    expect(plan.items.map((i: { ref: string }) => i.ref).sort()).toEqual(['search', 'social']);
    expect(plan.items.reduce((s: number, i: { amount: number }) => s + i.amount, 0)).toBeCloseTo(
      1000,
      2,
    );
    const byMember = await decide(plan.id, plan.items[0].id, member.auth, { decision: 'approved' });
    expect(byMember.statusCode).toBe(403);
    expect(byMember.json().detail).toMatch(/owner or an admin/);
    const byAdmin = await decide(plan.id, plan.items[0].id, admin.auth, { decision: 'approved' });
    expect(byAdmin.statusCode).toBe(200);
    expect(byAdmin.json().item).toMatchObject({ decidedBy: null, decidedByToken: admin.tokenId });
    const byOwner = await decide(plan.id, plan.items[1].id, owner.auth, { decision: 'rejected' });
    expect(byOwner.json().item).toMatchObject({ decidedBy: owner.userId, decision: 'rejected' });
  });

  it('a write-scoped API token decides as a member, recorded against the token', async () => {
    const bot = await token('write');
    const plan = await newPlan('inventory');
    const res = await decide(plan.id, plan.items[0].id, bot.auth, { decision: 'rejected' });
    expect(res.statusCode).toBe(200);
    expect(res.json().item).toMatchObject({ decidedBy: null, decidedByToken: bot.tokenId });
    const events = await audit('plan_item_rejected');
    expect(
      events.find((e: { target: string }) => e.target === `plan_item:${plan.items[0].id}`),
    ).toMatchObject({
      actorTokenId: bot.tokenId,
    });
  });

  it('a plan that failed has nothing to decide (409)', async () => {
    // A minimum spend on a channel without history or curve: the optimizer refuses the input.
    const res = await ctx.inject({
      method: 'POST',
      url: '/v1/plans/budget',
      headers: owner.auth,
      payload: { budget: 500, run: 'job', channels: [...BODY_CHANNELS, { id: 'tv', min: 100 }] },
    });
    expect(res.statusCode).toBe(202);
    expect(res.json().plan.status).toBe('queued');
    const done = await waitForPlan(ctx, owner, res.json().plan.id);
    expect(done.plan).toMatchObject({ status: 'failed', error: { code: 'plan_input_invalid' } });
    expect(done.plan.error.message).toMatch(/tv/);
    expect(done.job.status).toBe('succeeded');
    const batch = await ctx.inject({
      method: 'POST',
      url: `/v1/plans/${done.plan.id}/decisions`,
      headers: owner.auth,
      payload: { decision: 'approved' },
    });
    expect(batch.statusCode).toBe(409);
  });
});
