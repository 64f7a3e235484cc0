import type { SolveStatus } from './highs-runtime.js';
import type { ConstraintSense } from './lp-model.js';

/**
 * Status of a plan, as {@link SolveStatus}. `infeasible` may also come from pre-validation
 * (a conflict plain enough to need no solver); `infeasibility` then explains it too.
 */
export type PlanStatus = SolveStatus;

/** A data problem found in the input. The plan is still computed where possible. */
export interface PlanIssue {
  /** Machine-readable code, e.g. `missing_cost`, `negative_demand`. */
  code: string;
  /** Where in the input, e.g. `skus[12].unitCost`. */
  path: string;
  message: string;
  /** `excluded`: the item was left out of the plan; `warning`: used with an assumption. */
  severity: 'warning' | 'excluded';
}

/** One business constraint of the solved model, with how tight it is in the plan. */
export interface ConstraintReport {
  /** Constraint name, e.g. `budget`, `storage capacity[backroom]`. */
  name: string;
  /** Relaxable family, e.g. `budget`, `storage:backroom`. */
  group: string;
  /** Plain-words description. */
  description: string;
  sense: ConstraintSense;
  /** Value of the constrained quantity in the plan. */
  activity: number;
  limit: number;
  /** Distance from the limit (≥ 0 when satisfied). */
  slack: number;
  /** The plan sits on this limit: loosening it could improve the objective. */
  binding: boolean;
}

/** Why no plan exists, in business words. */
export interface InfeasibilityExplanation {
  /** One or two sentences for the owner. */
  summary: string;
  /** The conflicting requirements (a minimal set when `minimal`). */
  conflicts: Array<{ group: string; description: string }>;
  /** Whether removing any one listed requirement was checked to make a plan possible. */
  minimal: boolean;
}

/** Solver facts common to every plan. */
export interface SolveReport {
  status: PlanStatus;
  /** Objective value (expected profit, cost or return — see each problem). */
  objective?: number;
  /** Best proven bound on the objective. */
  bound?: number;
  /** Relative optimality gap (0.001 = 0.1 %). */
  gap?: number;
  /** Seconds HiGHS spent, by its own clock (includes conflict analysis when infeasible). */
  solveSeconds: number;
  timeLimitSeconds: number;
  mipRelGap: number;
  /** Model size (rows include structural ones). */
  modelSize: { variables: number; constraints: number; integers: number };
}
