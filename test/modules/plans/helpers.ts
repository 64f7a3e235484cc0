import { TEST_PASSWORD, type TestContext, type TestTenant } from '../../helpers/app.js';
import { generateDemo, type DemoData } from '../../../src/demo/generator.js';
import { loadDemoData } from '../../../src/demo/load.js';
import { refreshContinuousAggregates } from '../../../src/platform/db/aggregates.js';
import { withTenant } from '../../../src/platform/tenancy/context.js';
import { getTenantProfile } from '../../../src/modules/accounts/service.js';
import { toLocalWallTime } from '../../../src/modules/metrics/local-time.js';

/** Yesterday in `timeZone`, as YYYY-MM-DD. */
export function yesterday(timeZone: string): string {
  const today = toLocalWallTime(new Date(), timeZone);
  return new Date(today.getTime() - 86_400_000).toISOString().slice(0, 10);
}

/** Loads a small demo café (12 products, 8 staff, google + instagram) into the tenant, ending yesterday. */
export async function loadSmallDemo(
  ctx: TestContext,
  t: TestTenant,
  days = 120,
): Promise<DemoData> {
  const db = ctx.database.db;
  const { timezone } = await withTenant(db, t.tenantId, (tx) => getTenantProfile(tx));
  const data = generateDemo({ endDay: yesterday(timezone), days, volume: 0.3, timeZone: timezone });
  await loadDemoData((fn) => withTenant(db, t.tenantId, fn), data, timezone);
  await refreshContinuousAggregates(db);
  return data;
}

/**
 * Polls a plan until it leaves `queued`/`running` and its job has finished too (the job is
 * marked done just after the plan is stored; jobs run in the test's own worker).
 */
export async function waitForPlan(
  ctx: TestContext,
  t: TestTenant,
  id: string,
  timeoutMs = 60_000,
): Promise<any> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const res = await ctx.inject({ method: 'GET', url: `/v1/plans/${id}`, headers: t.auth });
    const body = res.json();
    const jobDone = !body.job || ['succeeded', 'failed'].includes(body.job.status);
    if (!['queued', 'running'].includes(body.plan?.status) && jobDone) return body;
    if (Date.now() > until) throw new Error(`plan ${id} still ${body.plan.status}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A person with `role` in the owner's business (invited and accepted), with their auth header. */
export async function addMember(
  ctx: TestContext,
  owner: TestTenant,
  role: 'viewer' | 'member' | 'admin',
): Promise<{ userId: string; auth: { authorization: string } }> {
  const email = `${role}-${Math.random().toString(36).slice(2, 10)}@example.com`;
  const inv = await ctx.inject({
    method: 'POST',
    url: '/v1/invitations',
    headers: owner.auth,
    payload: { email, role },
  });
  const accept = await ctx.inject({
    method: 'POST',
    url: '/v1/auth/accept-invitation',
    payload: { token: inv.json().token, password: TEST_PASSWORD, name: role },
  });
  if (accept.statusCode !== 200) throw new Error(`accept failed: ${accept.body}`);
  const s = accept.json();
  return { userId: s.user.id, auth: { authorization: `Bearer ${s.accessToken}` } };
}

/** Three SKUs given entirely in the request (no tenant data needed). */
export const BODY_SKUS = [
  {
    sku: 'BEANS',
    name: 'Beans 1 kg',
    unitCost: 14,
    price: 32,
    stock: 6,
    leadTimeDays: 3,
    casePack: 6,
    moq: 12,
    dailyDemand: 5,
  },
  {
    sku: 'MILK',
    name: 'Oat milk',
    unitCost: 1.8,
    price: 4,
    stock: 10,
    leadTimeDays: 1,
    casePack: 12,
    dailyDemand: 14,
    shelfLifeDays: 20,
  },
  {
    sku: 'CUPS',
    name: 'Cups (100)',
    unitCost: 6,
    price: 9,
    stock: 2,
    leadTimeDays: 5,
    casePack: 10,
    moq: 20,
    dailyDemand: 3,
  },
];

/** Two channels with known response curves (no history needed). */
export const BODY_CHANNELS = [
  { id: 'search', curve: { kind: 'log', a: 3000, b: 500 } },
  { id: 'social', curve: { kind: 'saturation', a: 2000, b: 800 } },
];

/** A two-day week of 8 open hours (staffing plans given entirely in the request). */
export const TWO_DAYS = { weekStart: '2030-01-07', days: 2, openHour: 8, closeHour: 16 };
