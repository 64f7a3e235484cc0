import type { TenantTx } from '../../platform/tenancy/context.js';
import type { PlanKind } from './schemas.js';

/** SQL of the plans module: `plans` and `plan_items` (migrations/0010-plans.sql). */

export type PlanStatus = 'queued' | 'running' | 'completed' | 'failed';
export type Decision = 'pending' | 'approved' | 'rejected';

export interface PlanError {
  code: string;
  message: string;
  path?: string;
}

export interface ItemCounts {
  total: number;
  pending: number;
  approved: number;
  rejected: number;
}

/** A plan without its big JSON columns (lists). */
export interface PlanSummaryRow {
  id: string;
  kind: PlanKind;
  status: PlanStatus;
  parent_id: string | null;
  solve_status: string | null;
  objective: number | null;
  summary: Record<string, unknown>;
  error: PlanError | null;
  time_limit_seconds: number;
  job_id: string | null;
  created_by: string | null;
  created_at: Date;
  started_at: Date | null;
  completed_at: Date | null;
  item_counts: ItemCounts;
}

export interface PlanRow extends PlanSummaryRow {
  request: Record<string, unknown>;
  input: unknown;
  result: unknown;
  data_issues: unknown[];
  what_if: { change: unknown; diff: unknown } | null;
}

export interface PlanItemRow {
  id: string;
  plan_id: string;
  position: number;
  kind: 'order' | 'shift' | 'allocation';
  ref: string;
  label: string;
  quantity: number;
  unit: string;
  amount: number;
  details: Record<string, unknown>;
  decision: Decision;
  decided_by: string | null;
  decided_by_token: string | null;
  decided_at: Date | null;
  note: string | null;
}

/** A new item, before it has an id. */
export type NewPlanItem = Pick<
  PlanItemRow,
  'kind' | 'ref' | 'label' | 'quantity' | 'unit' | 'amount' | 'details'
>;

const SUMMARY_COLUMNS = `p.id, p.kind, p.status, p.parent_id, p.solve_status, p.objective, p.summary, p.error,
  p.time_limit_seconds::float8 as time_limit_seconds, p.job_id, p.created_by, p.created_at, p.started_at, p.completed_at,
  (select json_build_object(
            'total', count(*)::int,
            'pending', count(*) filter (where i.decision = 'pending')::int,
            'approved', count(*) filter (where i.decision = 'approved')::int,
            'rejected', count(*) filter (where i.decision = 'rejected')::int)
     from plan_items i where i.plan_id = p.id) as item_counts`;

const ITEM_COLUMNS = `id, plan_id, position, kind, ref, label, quantity, unit, amount, details, decision,
  decided_by, decided_by_token, decided_at, note`;

export interface NewPlan {
  kind: PlanKind;
  status: PlanStatus;
  parentId: string | null;
  request: unknown;
  input: unknown;
  whatIf: { change: unknown; diff: unknown } | null;
  timeLimitSeconds: number;
  createdBy: string | null;
}

export async function insertPlan(tx: TenantTx, plan: NewPlan): Promise<string> {
  const { rows } = await tx.query<{ id: string }>(
    `insert into plans (tenant_id, kind, status, parent_id, request, input, what_if, time_limit_seconds,
                        created_by, started_at)
     values ($1::uuid, $2, $3, $4::uuid, $5::jsonb, $6::jsonb, $7::jsonb, $8, $9::uuid,
             case when $3 = 'running' then now() end)
     returning id`,
    [
      tx.tenantId,
      plan.kind,
      plan.status,
      plan.parentId,
      JSON.stringify(plan.request ?? {}),
      plan.input === undefined || plan.input === null ? null : JSON.stringify(plan.input),
      plan.whatIf ? JSON.stringify(plan.whatIf) : null,
      plan.timeLimitSeconds,
      plan.createdBy,
    ],
    'plans.insertPlan',
  );
  return rows[0]!.id;
}

export async function setPlanJob(tx: TenantTx, id: string, jobId: string): Promise<void> {
  await tx.query(
    'update plans set job_id = $2::uuid where id = $1::uuid',
    [id, jobId],
    'plans.setJob',
  );
}

/** Moves a queued (or retried) plan to running; null when it is not there or already finished. */
export async function markPlanRunning(tx: TenantTx, id: string): Promise<PlanRow | null> {
  const { rows } = await tx.query<{ id: string }>(
    `update plans set status = 'running', started_at = now()
      where id = $1::uuid and status in ('queued', 'running') returning id`,
    [id],
    'plans.markRunning',
  );
  return rows.length ? getPlan(tx, id) : null;
}

export interface CompletedPlan {
  input: unknown;
  result: unknown;
  dataIssues: unknown[];
  whatIf?: { change: unknown; diff: unknown } | null;
  solveStatus: string;
  objective: number | null;
  summary: Record<string, unknown>;
}

export async function completePlan(tx: TenantTx, id: string, done: CompletedPlan): Promise<void> {
  await tx.query(
    `update plans set status = 'completed', input = $2::jsonb, result = $3::jsonb,
            what_if = coalesce($4::jsonb, what_if), solve_status = $5, objective = $6,
            summary = $7::jsonb, data_issues = $8::jsonb, error = null, completed_at = now(),
            started_at = coalesce(started_at, now())
      where id = $1::uuid`,
    [
      id,
      JSON.stringify(done.input),
      JSON.stringify(done.result),
      done.whatIf ? JSON.stringify(done.whatIf) : null,
      done.solveStatus,
      done.objective !== null && Number.isFinite(done.objective) ? done.objective : null,
      JSON.stringify(done.summary),
      JSON.stringify(done.dataIssues),
    ],
    'plans.complete',
  );
}

/** Marks an unfinished plan failed; returns its kind (null when there was nothing to fail). */
export async function failPlan(
  tx: TenantTx,
  id: string,
  error: PlanError,
): Promise<PlanKind | null> {
  const { rows } = await tx.query<{ kind: PlanKind }>(
    `update plans set status = 'failed', error = $2::jsonb, completed_at = now()
      where id = $1::uuid and status <> 'completed' returning kind`,
    [id, JSON.stringify(error)],
    'plans.fail',
  );
  return rows[0]?.kind ?? null;
}

export async function getPlan(tx: TenantTx, id: string): Promise<PlanRow | null> {
  const { rows } = await tx.query<PlanRow>(
    `select ${SUMMARY_COLUMNS}, p.request, p.input, p.result, p.data_issues, p.what_if
       from plans p where p.id = $1::uuid`,
    [id],
    'plans.get',
  );
  return rows[0] ?? null;
}

export async function listPlans(
  tx: TenantTx,
  q: { kind: PlanKind | null; limit: number; before: Date | null },
): Promise<PlanSummaryRow[]> {
  const { rows } = await tx.query<PlanSummaryRow>(
    `select ${SUMMARY_COLUMNS}
       from plans p
      where ($1::text is null or p.kind = $1) and ($2::timestamptz is null or p.created_at < $2)
      order by p.created_at desc, p.id
      limit $3`,
    [q.kind, q.before, q.limit],
    'plans.list',
  );
  return rows;
}

/** Stores a plan's items in one statement, numbered in the given order. */
export async function insertItems(
  tx: TenantTx,
  planId: string,
  items: readonly NewPlanItem[],
): Promise<void> {
  if (!items.length) return;
  await tx.query(
    `insert into plan_items (tenant_id, plan_id, position, kind, ref, label, quantity, unit, amount, details)
     select $1::uuid, $2::uuid, (x.ord - 1)::int, x.kind, x.ref, x.label, x.quantity, x.unit, x.amount,
            coalesce(x.details, '{}'::jsonb)
       from rows from (jsonb_to_recordset($3::jsonb) as (kind text, ref text, label text, quantity float8,
            unit text, amount float8, details jsonb))
            with ordinality as x(kind, ref, label, quantity, unit, amount, details, ord)`,
    [tx.tenantId, planId, JSON.stringify(items)],
    'plans.insertItems',
  );
}

export async function listItems(tx: TenantTx, planId: string): Promise<PlanItemRow[]> {
  const { rows } = await tx.query<PlanItemRow>(
    `select ${ITEM_COLUMNS} from plan_items where plan_id = $1::uuid order by position`,
    [planId],
    'plans.listItems',
  );
  return rows;
}

/** Items of a plan by id, locked for a decision (ids not in the plan are simply absent). */
export async function lockItems(
  tx: TenantTx,
  planId: string,
  itemIds: readonly string[] | null,
): Promise<PlanItemRow[]> {
  const { rows } = await tx.query<PlanItemRow>(
    `select ${ITEM_COLUMNS} from plan_items
      where plan_id = $1::uuid and ($2::uuid[] is null or id = any($2::uuid[]))
        and ($2::uuid[] is not null or decision = 'pending')
      order by position
      for update`,
    [planId, itemIds],
    'plans.lockItems',
  );
  return rows;
}

export async function decideItems(
  tx: TenantTx,
  itemIds: readonly string[],
  d: {
    decision: Exclude<Decision, 'pending'>;
    userId: string | null;
    tokenId: string | null;
    note: string | null;
  },
): Promise<PlanItemRow[]> {
  if (!itemIds.length) return [];
  const { rows } = await tx.query<PlanItemRow>(
    `update plan_items set decision = $2, decided_by = $3::uuid, decided_by_token = $4::uuid,
            decided_at = now(), note = $5
      where id = any($1::uuid[]) and decision = 'pending'
      returning ${ITEM_COLUMNS}`,
    [itemIds, d.decision, d.userId, d.tokenId, d.note],
    'plans.decideItems',
  );
  return rows.sort((a, b) => a.position - b.position);
}
