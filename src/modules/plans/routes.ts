import type { FastifyRequest } from 'fastify';
import type { ApiApp } from '../../platform/http/api-app.js';
import { requestMeta } from '../../platform/http/api-app.js';
import { IdParams } from '../../platform/http/schemas.js';
import type { Database } from '../../platform/db/types.js';
import type { JobQueue } from '../../platform/jobs/queue.js';
import type { MetricsService } from '../metrics/service.js';
import * as s from './schemas.js';
import { PlansService, type Actor } from './service.js';
import { itemView, planListItem, planResponse } from './views.js';

export interface PlansRouteDeps {
  db: Database;
  jobs: JobQueue;
  metrics: MetricsService;
}

function actor(req: FastifyRequest): Actor {
  const auth = req.requireAuth();
  return { userId: auth.userId, tokenId: auth.tokenId, role: auth.role, ip: requestMeta(req).ip };
}

const CREATED =
  '201 with the solved plan when it is small; 202 with the plan (status `queued`) and its job when it is large (more than 500 SKUs, or a staffing problem with more than 3,000 possible shifts) or `run: "job"` was asked. Follow GET /v1/plans/{id}. Every input can be overridden in the body (docs/plans.md). The plan is advice: nothing is executed.';

/** Plans: reorder, staffing and marketing-budget advice, decisions on its items, what-ifs. */
export function plansRoutes(app: ApiApp, deps: PlansRouteDeps): PlansService {
  const plans = new PlansService({ db: deps.db, jobs: deps.jobs, metrics: deps.metrics });
  const tags = ['plans'];
  const created = { 201: s.PlanResponse, 202: s.PlanResponse };

  const kinds = [
    {
      kind: 'inventory' as const,
      body: s.InventoryRequest,
      summary: 'Reorder plan: how many of each SKU to order, by when',
    },
    {
      kind: 'staffing' as const,
      body: s.StaffingRequest,
      summary: 'Staffing plan: who works which shift in the coming week',
    },
    {
      kind: 'budget' as const,
      body: s.BudgetRequest,
      summary: 'Marketing budget plan: how much to spend on each channel',
    },
  ];
  for (const k of kinds) {
    app.post(`/v1/plans/${k.kind}`, {
      config: { access: 'member' },
      schema: { tags, summary: k.summary, description: CREATED, body: k.body, response: created },
      handler: async (req, reply) => {
        const out = await plans.create(
          req.requireAuth().tenantId,
          k.kind,
          req.body as s.InventoryRequest,
          actor(req),
        );
        return reply.code(out.job ? 202 : 201).send(planResponse(out));
      },
    });
  }

  app.get('/v1/plans', {
    config: { access: 'viewer' },
    schema: {
      tags,
      summary: 'Plans, newest first (without their inputs and items)',
      querystring: s.ListQuery,
      response: { 200: s.PlanList },
    },
    handler: async (req) => {
      const q = req.query;
      const rows = await plans.list(req.requireAuth().tenantId, {
        kind: q.kind ?? null,
        limit: q.limit ?? 50,
        before: q.before ? new Date(q.before) : null,
      });
      return { items: rows.map(planListItem) };
    },
  });

  app.get('/v1/plans/:id', {
    config: { access: 'viewer' },
    schema: {
      tags,
      summary: 'One plan: status, optimizer result, issues, items with their decisions, job',
      params: IdParams,
      response: { 200: s.PlanResponse },
    },
    handler: async (req) =>
      planResponse(await plans.get(req.requireAuth().tenantId, req.params.id)),
  });

  app.post('/v1/plans/:id/what-if', {
    config: { access: 'member' },
    schema: {
      tags,
      summary: 'Re-solve a plan with one parameter changed; the scenario is stored as a child plan',
      description:
        'Body `{ change: { path, value | multiplyBy | add } }`, the path into the plan input (e.g. `skus[id=BNS-01].leadTimeDays`, `budget`, `staff[id=…].maxHours`). 201 with the child plan and `whatIf.diff` (objective, items that moved, constraints that became binding or not, totals); 202 with a job for large plans.',
      params: IdParams,
      body: s.WhatIfRequest,
      response: created,
    },
    handler: async (req, reply) => {
      const out = await plans.whatIf(
        req.requireAuth().tenantId,
        req.params.id,
        req.body,
        actor(req),
      );
      return reply.code(out.job ? 202 : 201).send(planResponse(out));
    },
  });

  app.post('/v1/plans/:id/items/:itemId/decision', {
    config: { access: 'member' },
    schema: {
      tags,
      summary: 'Approve or reject one item (recorded and audited; nothing is executed)',
      description:
        'Members decide inventory and staffing items; budget items need an owner or admin (403 otherwise). Decisions are final: deciding an item again is 409.',
      params: s.ItemParams,
      body: s.DecisionRequest,
      response: { 200: s.DecisionResponse },
    },
    handler: async (req) => {
      const [item] = await plans.decide(
        req.requireAuth().tenantId,
        req.params.id,
        [req.params.itemId],
        { decision: req.body.decision, note: req.body.note ?? null },
        actor(req),
      );
      return { item: itemView(item!) };
    },
  });

  app.post('/v1/plans/:id/decisions', {
    config: { access: 'member' },
    schema: {
      tags,
      summary: 'Approve or reject several items at once (default: every pending item)',
      description:
        'All or nothing: an unknown item is 404, an already decided one 409. Each item decided is one audit-log event.',
      params: IdParams,
      body: s.BatchDecisionRequest,
      response: { 200: s.BatchDecisionResponse },
    },
    handler: async (req) => {
      const items = await plans.decide(
        req.requireAuth().tenantId,
        req.params.id,
        req.body.itemIds ?? null,
        { decision: req.body.decision, note: req.body.note ?? null },
        actor(req),
      );
      return { decided: items.length, items: items.map(itemView) };
    },
  });

  return plans;
}
