import type { SolveOptions } from './highs-runtime.js';
import type {
  ConstraintReport,
  InfeasibilityExplanation,
  PlanIssue,
  SolveReport,
} from './plan-types.js';
import type { FittedCurve, ResponseCurve } from './response-curve.js';

/** A marketing channel: its past (or a known curve) and spend limits. */
export interface BudgetChannel {
  id: string;
  name?: string;
  /** Past periods: spend and the return (revenue or conversions value) it brought. */
  history?: ReadonlyArray<{ spend: number; return: number }>;
  /** A known curve; takes precedence over `history`. */
  curve?: ResponseCurve;
  /** Least to spend on this channel (default 0). */
  min?: number;
  /** Most to spend on this channel (default: the whole budget). */
  max?: number;
}

/** The budget allocation problem. */
export interface BudgetInput {
  channels: readonly BudgetChannel[];
  /** Total budget to allocate. */
  budget: number;
  /** Spend in multiples of this amount (e.g. 50); omitted: any amount. */
  step?: number;
  /** `return` (default): maximise expected return; `profit`: maximise return − spend. */
  objective?: 'return' | 'profit';
  /**
   * Resolution of each curve's piecewise-linear approximation when `step` is not set (default
   * 24: 24 pieces dense near 0 plus 24 equal-return pieces).
   */
  segments?: number;
}

/** The allocation for one channel. */
export interface ChannelAllocation {
  channelId: string;
  name?: string;
  spend: number;
  /** Expected return on the fitted curve at this spend. */
  expectedReturn: number;
  /** Expected return per unit spent. */
  roi: number;
  /** Return of one more unit of spend here. */
  marginalReturn: number;
  curve: ResponseCurve;
  /** Fit quality, when the curve was fitted from history. */
  fit?: Omit<FittedCurve, 'curve'>;
  bindingConstraints: string[];
}

/** Result of {@link allocateBudget}. Plain JSON. */
export interface BudgetPlan extends SolveReport {
  objectiveKind: 'return' | 'profit';
  channels: ChannelAllocation[];
  totalSpend: number;
  expectedReturn: number;
  /** Expected extra return of one more unit of budget (0 when the budget is not binding). */
  budgetShadowPrice: number;
  constraints: ConstraintReport[];
  issues: PlanIssue[];
  infeasibility?: InfeasibilityExplanation;
}

/** Options for {@link allocateBudget}. */
export type BudgetOptions = SolveOptions;
