import type { Static } from '@sinclair/typebox';
import { jobView } from '../jobs/routes.js';
import type { PlanItemRow, PlanRow, PlanSummaryRow } from './repo.js';
import type { PlanItemView, PlanListItem, PlanResponse, PlanView } from './schemas.js';
import { ADVISORY, type PlanOutcome } from './service.js';

/** Rows → API views of the plans routes. @internal */

export function itemView(i: PlanItemRow): Static<typeof PlanItemView> {
  return {
    id: i.id,
    position: i.position,
    kind: i.kind,
    ref: i.ref,
    label: i.label,
    quantity: i.quantity,
    unit: i.unit,
    amount: i.amount,
    details: i.details,
    decision: i.decision,
    decidedBy: i.decided_by,
    decidedByToken: i.decided_by_token,
    decidedAt: i.decided_at?.toISOString() ?? null,
    note: i.note,
  };
}

export function planListItem(p: PlanSummaryRow): Static<typeof PlanListItem> {
  return {
    id: p.id,
    kind: p.kind,
    status: p.status,
    parentId: p.parent_id,
    solveStatus: p.solve_status,
    objective: p.objective,
    summary: p.summary,
    itemCounts: p.item_counts,
    timeLimitSeconds: p.time_limit_seconds,
    jobId: p.job_id,
    error: p.error,
    createdBy: p.created_by,
    createdAt: p.created_at.toISOString(),
    startedAt: p.started_at?.toISOString() ?? null,
    completedAt: p.completed_at?.toISOString() ?? null,
  };
}

export function planView(p: PlanRow, items: PlanItemRow[]): Static<typeof PlanView> {
  const result = p.result as { issues?: unknown[]; infeasibility?: unknown } | null;
  return {
    ...planListItem(p),
    advisory: ADVISORY,
    issues: [...p.data_issues, ...(result?.issues ?? [])] as Static<typeof PlanView>['issues'],
    infeasibility: result?.infeasibility ?? null,
    whatIf: p.what_if,
    request: p.request,
    input: p.input,
    result: p.result,
    items: items.map(itemView),
  };
}

export function planResponse(o: PlanOutcome): Static<typeof PlanResponse> {
  return { plan: planView(o.plan, o.items), job: o.job ? jobView(o.job) : null };
}
