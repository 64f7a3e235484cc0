import { randomUUID } from 'node:crypto';
import type { TestContext, TestTenant } from '../helpers/app.js';
import { withTenant } from '../../src/platform/tenancy/context.js';
import { insertJob } from '../../src/platform/jobs/repo.js';
import { TEST_PASSWORD } from '../helpers/app.js';
import { multipart as importMultipart } from '../modules/imports/helpers.js';

/**
 * What each module contributes to the cross-tenant harness:
 * - a seeder that gives tenant A objects of every kind the module's routes address by id,
 *   and marker strings that must never appear in another tenant's responses;
 * - for every route with path parameters, how to fill them with A's ids (and a valid body),
 *   so tenant B's request is refused for the right reason (404), not by validation.
 * A route with parameters and no entry here fails the harness: new routes cannot skip it.
 */
export interface Seeded {
  ids: Record<string, string>;
  markers: string[];
}

export type Seeder = (ctx: TestContext, a: TestTenant) => Promise<Seeded>;
export type RouteFixture = (seeded: Seeded) => { params: Record<string, string>; body?: unknown };

export const seeders: Seeder[] = [
  async function imports(ctx, a) {
    const send = async (name: string, csv: string) => {
      const { payload, headers } = importMultipart({ kind: 'orders' }, { name, content: csv });
      const res = await ctx.inject({
        method: 'POST',
        url: '/v1/imports',
        headers: { ...a.auth, ...headers },
        payload,
      });
      return res.json().import.id as string;
    };
    const bad = await send(
      'a-secret-import.csv',
      'Order ID,Date,SKU,Quantity,Unit Price\na-secret-order,not-a-date,A,1,1\n',
    );
    const good = await send(
      'a-secret-valid.csv',
      'Order ID,Date,SKU,Quantity,Unit Price\na-secret-valid-order,2026-01-05,A,1,1\n',
    );
    return {
      ids: { import: bad, validImport: good },
      markers: ['a-secret-import', 'a-secret-order', 'a-secret-valid-order'],
    };
  },
  async function accounts(ctx, a) {
    const auth = a.auth;
    const token = (
      await ctx.inject({
        method: 'POST',
        url: '/v1/api-tokens',
        headers: auth,
        payload: { name: 'a-secret-token-name', scopes: ['read'] },
      })
    ).json();
    const pending = (
      await ctx.inject({
        method: 'POST',
        url: '/v1/invitations',
        headers: auth,
        payload: { email: 'a-pending-invitee@example.com', role: 'viewer' },
      })
    ).json();
    const inv = (
      await ctx.inject({
        method: 'POST',
        url: '/v1/invitations',
        headers: auth,
        payload: { email: 'a-member@example.com', role: 'member' },
      })
    ).json();
    const member = (
      await ctx.inject({
        method: 'POST',
        url: '/v1/auth/accept-invitation',
        payload: { token: inv.token, password: TEST_PASSWORD, name: 'A Member' },
      })
    ).json();
    return {
      ids: {
        apiToken: token.apiToken.id,
        invitation: pending.invitation.id,
        memberUser: member.user.id,
        ownerUser: a.userId,
      },
      markers: [
        'a-secret-token-name',
        'a-pending-invitee@example.com',
        'a-member@example.com',
        a.email,
        token.apiToken.prefix,
      ],
    };
  },
  async function jobs(ctx, a) {
    const id = randomUUID();
    await withTenant(ctx.database.db, a.tenantId, (tx) =>
      insertJob(tx, {
        tenantId: a.tenantId,
        id,
        task: 'a-secret-task',
        dedupeKey: null,
        payload: { secret: 'a-job-payload' },
        maxAttempts: 1,
        traceParent: null,
        createdBy: null,
      }),
    );
    return { ids: { job: id }, markers: ['a-secret-task'] };
  },
  async function metrics(ctx, a) {
    await ctx.inject({
      method: 'POST',
      url: '/v1/metrics:batch',
      headers: a.auth,
      payload: {
        points: [
          {
            metric: 'a_secret_metric',
            time: '2026-01-05',
            value: 123456.789,
            channel: 'a-secret-channel',
          },
        ],
      },
    });
    return {
      ids: { metric: 'a_secret_metric' },
      markers: ['a_secret_metric', 'a-secret-channel', '123456.789'],
    };
  },
  async function forecasts(ctx, a) {
    const days = Array.from({ length: 21 }, (_, i) =>
      new Date(Date.now() - (21 - i) * 86_400_000).toISOString().slice(0, 10),
    );
    await ctx.inject({
      method: 'POST',
      url: '/v1/metrics:batch',
      headers: a.auth,
      payload: {
        points: days.map((d, i) => ({ metric: 'a_secret_forecast', time: d, value: 50 + (i % 7) })),
      },
    });
    const res = await ctx.inject({
      method: 'POST',
      url: '/v1/forecasts',
      headers: a.auth,
      payload: { metric: 'a_secret_forecast', horizon: 7 },
    });
    return {
      ids: { forecast: res.json().forecast.id, forecastMetric: 'a_secret_forecast' },
      markers: ['a_secret_forecast'],
    };
  },
  async function plans(ctx, a) {
    const res = await ctx.inject({
      method: 'POST',
      url: '/v1/plans/inventory',
      headers: a.auth,
      payload: {
        skus: [
          { sku: 'a-secret-sku', name: 'a-secret-product', unitCost: 2, price: 5, dailyDemand: 4 },
        ],
      },
    });
    const plan = res.json().plan;
    return {
      ids: { plan: plan.id, planItem: plan.items[0].id },
      markers: ['a-secret-sku', 'a-secret-product'],
    };
  },
  async function evidence(ctx, a) {
    const days = Array.from({ length: 21 }, (_, i) => `2026-01-${String(5 + i).padStart(2, '0')}`);
    await ctx.inject({
      method: 'POST',
      url: '/v1/metrics:batch',
      headers: a.auth,
      payload: {
        points: days.flatMap((d, i) => [
          { metric: 'a_secret_evidence_flag', time: `${d}T12:00:00`, value: i % 3 === 0 ? 1 : 0 },
          { metric: 'a_secret_evidence_sales', time: `${d}T12:00:00`, value: 100 + (i % 7) },
        ]),
      },
    });
    await ctx.inject({
      method: 'PUT',
      url: '/v1/evidence/graph',
      headers: a.auth,
      payload: {
        note: 'a-secret-graph-note',
        nodes: [{ id: 'a_secret_evidence_flag' }, { id: 'a_secret_evidence_sales' }],
        edges: [{ from: 'a_secret_evidence_flag', to: 'a_secret_evidence_sales' }],
      },
    });
    const res = await ctx.inject({
      method: 'POST',
      url: '/v1/evidence/analyze',
      headers: a.auth,
      payload: {
        kind: 'effect',
        treatment: 'a_secret_evidence_flag',
        outcome: 'a_secret_evidence_sales',
        from: '2026-01-05',
        to: '2026-01-26',
      },
    });
    return {
      ids: { evidenceAnalysis: res.json().id },
      markers: ['a-secret-graph-note', 'a_secret_evidence'],
    };
  },
];

export const routeFixtures: Record<string, RouteFixture> = {
  'PATCH /v1/members/:userId': (s) => ({
    params: { userId: s.ids.memberUser! },
    body: { role: 'viewer' },
  }),
  'DELETE /v1/members/:userId': (s) => ({ params: { userId: s.ids.memberUser! } }),
  'DELETE /v1/invitations/:id': (s) => ({ params: { id: s.ids.invitation! } }),
  'DELETE /v1/api-tokens/:id': (s) => ({ params: { id: s.ids.apiToken! } }),
  'GET /v1/jobs/:id': (s) => ({ params: { id: s.ids.job! } }),
  'GET /v1/metrics/:name/series': (s) => ({ params: { name: s.ids.metric! } }),
  'GET /v1/imports/:id': (s) => ({ params: { id: s.ids.import! } }),
  'GET /v1/forecasts/:id': (s) => ({ params: { id: s.ids.forecast! } }),
  'GET /v1/metrics/:name/forecast': (s) => ({ params: { name: s.ids.forecastMetric! } }),
  'GET /v1/imports/:id/errors.csv': (s) => ({ params: { id: s.ids.import! } }),
  'POST /v1/imports/:id/commit': (s) => ({ params: { id: s.ids.validImport! } }),
  'GET /v1/plans/:id': (s) => ({ params: { id: s.ids.plan! } }),
  'POST /v1/plans/:id/what-if': (s) => ({
    params: { id: s.ids.plan! },
    body: { change: { path: 'budget', value: 100 } },
  }),
  'POST /v1/plans/:id/items/:itemId/decision': (s) => ({
    params: { id: s.ids.plan!, itemId: s.ids.planItem! },
    body: { decision: 'approved' },
  }),
  'POST /v1/plans/:id/decisions': (s) => ({
    params: { id: s.ids.plan! },
    body: { decision: 'rejected' },
  }),
  'GET /v1/evidence/analyses/:id': (s) => ({ params: { id: s.ids.evidenceAnalysis! } }),
};
