import type {
  InventoryInput,
  ParameterChange,
  PlanIssue,
  SolveOptions,
  StaffingInput,
} from '../../engines/optimize/index.js';
import { roleAtLeast, type Role } from '../../platform/auth/roles.js';
import type { Database } from '../../platform/db/types.js';
import { AppError, notFound } from '../../platform/errors/app-error.js';
import type { JobQueue } from '../../platform/jobs/queue.js';
import { getJob, type JobRow } from '../../platform/jobs/repo.js';
import { metrics as prometheus } from '../../platform/observability/metrics.js';
import { withTenant, type TenantTx } from '../../platform/tenancy/context.js';
import { getTenantProfile, recordAuditEvents } from '../accounts/service.js';
import type { MetricsService } from '../metrics/service.js';
import type { BuildContext, Built, TenantRunner } from './build-context.js';
import { buildBudgetInput, validateBudgetRequest } from './budget-input.js';
import { localToday } from './dates.js';
import {
  buildInventoryInput,
  countInventorySkus,
  validateInventoryRequest,
} from './inventory-input.js';
import { planItems, planSummary } from './items.js';
import * as repo from './repo.js';
import type {
  BudgetRequest,
  InventoryRequest,
  PlanKind,
  StaffingRequest,
  WhatIfRequest,
} from './schemas.js';
import { solvePlan, solveWhatIf, type EnginePlan, type PlanInput } from './solve.js';
import {
  buildStaffingInput,
  STAFFING_DEFAULTS,
  staffingShiftCount,
  validateStaffingRequest,
} from './staffing-input.js';

/** Inventory plans with more SKUs than this run as a background job. */
export const INLINE_MAX_SKUS = 500;
/** Staffing plans with more possible shifts (people × days × shift shapes) run as a job. */
export const INLINE_MAX_SHIFTS = 3_000;
export const DEFAULT_TIME_LIMIT_SECONDS = 10;
export const PLAN_SOLVE_TASK = 'plans.solve';

/** Printed on every plan: the optimizer advises, it never acts. */
export const ADVISORY =
  'This plan is advice. Nothing is ordered, scheduled or spent by Dyocense; approving an item records the decision only.';

export type PlanRequest = InventoryRequest | StaffingRequest | BudgetRequest;

/** Who acts on a plan. */
export interface Actor {
  userId: string | null;
  tokenId: string | null;
  role: Role;
  ip: string | null;
}

export interface PlanOutcome {
  plan: repo.PlanRow;
  items: repo.PlanItemRow[];
  job: JobRow | null;
}

export interface PlansServiceDeps {
  db: Database;
  /** Absent where plans are only solved inline (scripts); large plans then fail with 503. */
  jobs: JobQueue | null;
  metrics: MetricsService;
  now?: () => Date;
}

interface Settings {
  timeLimitSeconds?: number | undefined;
  mipRelGap?: number | undefined;
  run?: 'auto' | 'job' | undefined;
}

function solveOptions(plan: {
  time_limit_seconds: number;
  request: Record<string, unknown>;
}): SolveOptions {
  const gap = plan.request.mipRelGap;
  return {
    timeLimitSeconds: plan.time_limit_seconds,
    ...(typeof gap === 'number' ? { mipRelGap: gap } : {}),
  };
}

function validate(kind: PlanKind, request: PlanRequest): void {
  if (kind === 'inventory') validateInventoryRequest(request as InventoryRequest);
  else if (kind === 'staffing') validateStaffingRequest(request as StaffingRequest);
  else validateBudgetRequest(request as BudgetRequest);
}

function build(kind: PlanKind, ctx: BuildContext, request: PlanRequest): Promise<Built<PlanInput>> {
  if (kind === 'inventory') return buildInventoryInput(ctx, request as InventoryRequest);
  if (kind === 'staffing') return buildStaffingInput(ctx, request as StaffingRequest);
  return buildBudgetInput(ctx, request as BudgetRequest);
}

/** Whether solving this input inline could keep a request waiting too long. */
function isLarge(kind: PlanKind, input: PlanInput): boolean {
  if (kind === 'inventory') return (input as InventoryInput).skus.length > INLINE_MAX_SKUS;
  if (kind === 'staffing') {
    const s = input as StaffingInput;
    const unbounded =
      !s.shiftPatterns && (s.shiftStartStep ?? 1) < STAFFING_DEFAULTS.shiftStartStep;
    return unbounded || staffingShiftCount(s) > INLINE_MAX_SHIFTS;
  }
  return false;
}

/** Stores a solved plan: its result, summary and items, in the caller's transaction. */
async function storeSolved(
  tx: TenantTx,
  planId: string,
  kind: PlanKind,
  solved: {
    input: PlanInput;
    result: EnginePlan;
    dataIssues: PlanIssue[];
    facts: Record<string, unknown>;
    whatIf?: { change: unknown; diff: unknown };
  },
  currency: string,
): Promise<void> {
  const { input, result } = solved;
  await repo.completePlan(tx, planId, {
    input,
    result,
    dataIssues: solved.dataIssues,
    ...(solved.whatIf ? { whatIf: solved.whatIf } : {}),
    solveStatus: result.status,
    objective: result.objective ?? null,
    summary: { currency, ...planSummary(kind, result, input, solved.facts) },
  });
  await repo.insertItems(tx, planId, planItems(kind, result, input, currency));
  prometheus.plansGenerated.inc({
    problem: kind,
    outcome:
      result.status === 'optimal' || result.status === 'feasible' ? 'succeeded' : 'infeasible',
  });
}

/**
 * Plans: builds an optimizer input from the tenant's data with the request's overrides,
 * solves it inline (small) or in a background job (large), stores the plan and its items,
 * records owners' decisions on items (audited; nothing is executed), and answers what-ifs
 * as child plans.
 */
export class PlansService {
  private readonly now: () => Date;

  constructor(private readonly deps: PlansServiceDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  private runner(tenantId: string): TenantRunner {
    return (fn) => withTenant(this.deps.db, tenantId, fn);
  }

  /** What building an input needs: the tenant's time zone and today, read once. */
  private async context(
    run: TenantRunner,
    progress: BuildContext['progress'] = async () => {},
  ): Promise<{ ctx: BuildContext; currency: string }> {
    const profile = await run((tx) => getTenantProfile(tx));
    return {
      currency: profile.currency,
      ctx: {
        run,
        metrics: this.deps.metrics,
        timeZone: profile.timezone,
        today: localToday(profile.timezone, this.now()),
        progress,
      },
    };
  }

  /** Creates a plan: 201 inline with the result, or queued with a job (202) when large. */
  async create(
    tenantId: string,
    kind: PlanKind,
    request: PlanRequest & Settings,
    actor: Actor,
  ): Promise<PlanOutcome> {
    validate(kind, request);
    const run = this.runner(tenantId);
    const timeLimitSeconds = request.timeLimitSeconds ?? DEFAULT_TIME_LIMIT_SECONDS;
    const base = {
      kind,
      parentId: null,
      request,
      whatIf: null,
      timeLimitSeconds,
      createdBy: actor.userId,
    };
    let large = request.run === 'job';
    if (!large && kind === 'inventory')
      large =
        (await run((tx) => countInventorySkus(tx, request as InventoryRequest))) > INLINE_MAX_SKUS;
    if (large) return this.enqueue(tenantId, base);
    const { ctx, currency } = await this.context(run);
    let built: Built<PlanInput>;
    let result: EnginePlan;
    try {
      built = await build(kind, ctx, request);
      if (isLarge(kind, built.input)) return this.enqueue(tenantId, base);
      result = await solvePlan(kind, built.input, {
        timeLimitSeconds,
        ...(request.mipRelGap !== undefined ? { mipRelGap: request.mipRelGap } : {}),
      });
    } catch (err) {
      prometheus.plansGenerated.inc({ problem: kind, outcome: 'failed' });
      throw err;
    }
    const id = await run(async (tx) => {
      const planId = await repo.insertPlan(tx, { ...base, status: 'running', input: null });
      await storeSolved(
        tx,
        planId,
        kind,
        { input: built.input, result, dataIssues: built.issues, facts: built.facts },
        currency,
      );
      return planId;
    });
    return this.get(tenantId, id);
  }

  private async enqueue(
    tenantId: string,
    plan: Omit<repo.NewPlan, 'status' | 'input'>,
  ): Promise<PlanOutcome> {
    const jobs = this.deps.jobs;
    if (!jobs)
      throw new AppError('service_unavailable', 'this plan is large and needs a background worker');
    const run = this.runner(tenantId);
    const id = await run((tx) => repo.insertPlan(tx, { ...plan, status: 'queued', input: null }));
    try {
      const job = await jobs.enqueue(
        tenantId,
        PLAN_SOLVE_TASK,
        { planId: id } satisfies PlanJobPayload,
        {
          createdBy: plan.createdBy,
        },
      );
      await run((tx) => repo.setPlanJob(tx, id, job.id));
    } catch (err) {
      await run((tx) =>
        repo.failPlan(tx, id, { code: 'internal_error', message: 'the plan could not be queued' }),
      );
      throw err;
    }
    return this.get(tenantId, id);
  }

  async get(tenantId: string, id: string): Promise<PlanOutcome> {
    const out = await this.runner(tenantId)(async (tx) => {
      const plan = await repo.getPlan(tx, id);
      if (!plan) return null;
      const [items, job] = await Promise.all([
        repo.listItems(tx, id),
        plan.job_id ? getJob(tx, plan.job_id) : Promise.resolve(null),
      ]);
      return { plan, items, job };
    });
    if (!out) throw notFound(`plan ${id}`);
    return out;
  }

  list(tenantId: string, q: { kind: PlanKind | null; limit: number; before: Date | null }) {
    return this.runner(tenantId)((tx) => repo.listPlans(tx, q));
  }

  /** Re-solves a plan with one change and stores the scenario as a child plan. */
  async whatIf(
    tenantId: string,
    parentId: string,
    req: WhatIfRequest,
    actor: Actor,
  ): Promise<PlanOutcome> {
    const run = this.runner(tenantId);
    const parent = await run((tx) => repo.getPlan(tx, parentId));
    if (!parent) throw notFound(`plan ${parentId}`);
    if (parent.status !== 'completed' || parent.input === null)
      throw new AppError(
        'conflict',
        `plan ${parentId} is ${parent.status}: a what-if needs a solved plan`,
      );
    const change = req.change as ParameterChange;
    const timeLimitSeconds = req.timeLimitSeconds ?? parent.time_limit_seconds;
    const base = {
      kind: parent.kind,
      parentId,
      request: req,
      whatIf: { change, diff: null },
      timeLimitSeconds,
      createdBy: actor.userId,
    };
    if (req.run === 'job' || isLarge(parent.kind, parent.input as PlanInput))
      return this.enqueue(tenantId, base);
    const { currency } = await this.context(run);
    const r = await solveWhatIf(parent.kind, parent.input as PlanInput, change, {
      ...solveOptions(parent),
      timeLimitSeconds,
    });
    const id = await run(async (tx) => {
      const planId = await repo.insertPlan(tx, { ...base, status: 'running', input: null });
      await storeSolved(
        tx,
        planId,
        parent.kind,
        {
          input: r.scenarioInput,
          result: r.scenario,
          dataIssues: parent.data_issues as PlanIssue[],
          facts: whatIfFacts(parent),
          whatIf: { change, diff: r.diff },
        },
        currency,
      );
      return planId;
    });
    return this.get(tenantId, id);
  }

  /**
   * Approves or rejects items (all pending ones when `itemIds` is null). Every decision is
   * stored on the item and written to the audit log; nothing is executed. Budget plans need
   * an owner or admin, the others a member. A decided item cannot be decided again (409).
   */
  async decide(
    tenantId: string,
    planId: string,
    itemIds: readonly string[] | null,
    d: { decision: 'approved' | 'rejected'; note: string | null },
    actor: Actor,
  ): Promise<repo.PlanItemRow[]> {
    return this.runner(tenantId)(async (tx) => {
      const plan = await repo.getPlan(tx, planId);
      if (!plan) throw notFound(`plan ${planId}`);
      if (plan.kind === 'budget' && !roleAtLeast(actor.role, 'admin'))
        throw new AppError(
          'forbidden',
          'budget plans are approved or rejected by an owner or an admin',
        );
      if (plan.status !== 'completed')
        throw new AppError('conflict', `plan ${planId} is ${plan.status}: nothing to decide yet`);
      const items = await repo.lockItems(tx, planId, itemIds);
      if (itemIds) {
        const found = new Set(items.map((i) => i.id));
        const missing = itemIds.filter((id) => !found.has(id));
        if (missing.length) throw notFound(`item ${missing[0]} of plan ${planId}`);
        const decided = items.filter((i) => i.decision !== 'pending');
        if (decided.length)
          throw new AppError(
            'conflict',
            `item ${decided[0]!.id} was already ${decided[0]!.decision}; decisions are final (make a new plan to revisit)`,
            {
              errors: decided
                .slice(0, 50)
                .map((i) => ({ path: `/items/${i.id}`, message: `already ${i.decision}` })),
            },
          );
      }
      const updated = await repo.decideItems(
        tx,
        items.map((i) => i.id),
        { decision: d.decision, userId: actor.userId, tokenId: actor.tokenId, note: d.note },
      );
      await recordAuditEvents(
        tx,
        updated.map((i) => ({
          action: `plan_item_${d.decision}`,
          actorUserId: actor.userId,
          actorTokenId: actor.tokenId,
          target: `plan_item:${i.id}`,
          ip: actor.ip,
          details: {
            planId,
            planKind: plan.kind,
            ref: i.ref,
            label: i.label,
            quantity: i.quantity,
            unit: i.unit,
            amount: i.amount,
            ...(d.note ? { note: d.note } : {}),
          },
        })),
      );
      return updated;
    });
  }

  /** The background half of `create` and `whatIf` (the `plans.solve` task). */
  async runJob(job: {
    tenantId: string;
    planId: string;
    run: TenantRunner;
    progress: BuildContext['progress'];
  }): Promise<{ planId: string; status: string; solveStatus: string | null }> {
    const { run, planId } = job;
    const plan = await run((tx) => repo.markPlanRunning(tx, planId));
    if (!plan) return { planId, status: 'missing', solveStatus: null };
    const { ctx, currency } = await this.context(run, job.progress);
    try {
      let stored: Parameters<typeof storeSolved>[3];
      if (plan.parent_id && plan.what_if) {
        const parent = await run((tx) => repo.getPlan(tx, plan.parent_id!));
        if (!parent?.input)
          throw new AppError('conflict', 'the base plan is gone or was never solved');
        await job.progress(0.1, 'solving the base plan and the scenario');
        const r = await solveWhatIf(
          plan.kind,
          parent.input as PlanInput,
          plan.what_if.change as ParameterChange,
          {
            ...solveOptions(parent),
            timeLimitSeconds: plan.time_limit_seconds,
          },
        );
        stored = {
          input: r.scenarioInput,
          result: r.scenario,
          dataIssues: parent.data_issues as PlanIssue[],
          facts: whatIfFacts(parent),
          whatIf: { change: plan.what_if.change, diff: r.diff },
        };
      } else {
        await job.progress(0.02, 'reading the business data');
        const built = await build(plan.kind, ctx, plan.request as PlanRequest);
        await job.progress(0.6, 'solving');
        const result = await solvePlan(plan.kind, built.input, solveOptions(plan));
        stored = { input: built.input, result, dataIssues: built.issues, facts: built.facts };
      }
      await run((tx) => storeSolved(tx, planId, plan.kind, stored, currency));
      await job.progress(1, `plan ${stored.result.status}`);
      return { planId, status: 'completed', solveStatus: stored.result.status };
    } catch (err) {
      if (err instanceof AppError && err.status < 500) {
        // The same input would fail again: the plan failed, the job did its work.
        const field = err.extra.errors?.[0]?.path;
        await run((tx) =>
          repo.failPlan(tx, planId, {
            code: err.code,
            message: err.message,
            ...(field ? { path: field } : {}),
          }),
        );
        prometheus.plansGenerated.inc({ problem: plan.kind, outcome: 'failed' });
        return { planId, status: 'failed', solveStatus: null };
      }
      throw err;
    }
  }

  /** Marks a plan failed when its job gave up (last attempt). */
  async failJob(run: TenantRunner, planId: string, message: string): Promise<void> {
    const kind = await run((tx) => repo.failPlan(tx, planId, { code: 'internal_error', message }));
    if (kind) prometheus.plansGenerated.inc({ problem: kind, outcome: 'failed' });
  }
}

function whatIfFacts(parent: repo.PlanRow): Record<string, unknown> {
  const { solveSeconds: _s, gap: _g, issues: _i, currency: _c, ...facts } = parent.summary;
  return { ...facts, baseObjective: parent.objective };
}

export interface PlanJobPayload {
  planId: string;
}
