export { allocateBudget } from './budget.js';
export type {
  BudgetChannel,
  BudgetInput,
  BudgetOptions,
  BudgetPlan,
  ChannelAllocation,
} from './budget-types.js';
export { explainInfeasibility } from './conflicts.js';
export type { ExplainOptions, GroupDescription } from './conflicts.js';
export {
  cycleServiceLevel,
  expectedDemand,
  expectedSales,
  stepToNormal,
  stockForServiceLevel,
  windowDemand,
} from './demand.js';
export type { DemandStep, NormalDemand } from './demand.js';
export { OptimizeInputError, OptimizeSolverError } from './errors.js';
export { DEFAULT_SOLVE_OPTIONS, resetRuntime } from './highs-runtime.js';
export type { SolveOptions, SolveStatus } from './highs-runtime.js';
export { solveInventory } from './inventory.js';
export type {
  InventoryInput,
  InventoryOptions,
  InventoryPlan,
  InventorySku,
  InventorySupplier,
  SkuPlan,
  StorageArea,
} from './inventory-types.js';
export { formatLpNumber, LpModel, sanitizeLpName } from './lp-model.js';
export type {
  ConstraintSense,
  LpTextOptions,
  Terms,
  Variable,
  VariableKind,
  VariableOptions,
} from './lp-model.js';
export type {
  ConstraintReport,
  InfeasibilityExplanation,
  PlanIssue,
  PlanStatus,
  SolveReport,
} from './plan-types.js';
export { curveSlope, curveValue, fitResponseCurve } from './response-curve.js';
export type { FittedCurve, ResponseCurve } from './response-curve.js';
export { solveStaffing } from './staffing.js';
export type {
  HourCoverage,
  PersonSchedule,
  ScheduledShift,
  ShiftPattern,
  StaffingInput,
  StaffingOptions,
  StaffingPlan,
  StaffMember,
  StaffRequirement,
} from './staffing-types.js';
export {
  CAFE_SHIFT_PATTERNS,
  syntheticInventory,
  syntheticStaffing,
} from './synthetic-instances.js';
export type { SyntheticInventoryOptions, SyntheticStaffingOptions } from './synthetic-instances.js';
export { applyChange, whatIf } from './what-if.js';
export type {
  NumberDiff,
  OptimizationProblem,
  ParameterChange,
  WhatIfDiff,
  WhatIfResult,
} from './what-if.js';
