import {
  allocateBudget,
  applyChange,
  OptimizeInputError,
  OptimizeSolverError,
  solveInventory,
  solveStaffing,
  whatIf,
  type BudgetInput,
  type BudgetPlan,
  type InventoryInput,
  type InventoryPlan,
  type OptimizationProblem,
  type ParameterChange,
  type SolveOptions,
  type StaffingInput,
  type StaffingPlan,
  type WhatIfDiff,
} from '../../engines/optimize/index.js';
import { AppError } from '../../platform/errors/app-error.js';
import { registerErrorCodes } from '../../platform/errors/codes.js';
import { metrics } from '../../platform/observability/metrics.js';
import type { PlanKind } from './schemas.js';

registerErrorCodes({
  plan_input_invalid: {
    status: 422,
    title: 'The plan input cannot be turned into an optimization model',
  },
  optimizer_unavailable: { status: 503, title: 'The optimizer failed; try again' },
});

export type PlanInput = InventoryInput | StaffingInput | BudgetInput;
export type EnginePlan = InventoryPlan | StaffingPlan | BudgetPlan;

let warmedUp: Promise<number> | undefined;

/**
 * Runs one tiny solve so the optimizer's WebAssembly is compiled before a real plan needs it
 * (the first solve of a process is several times slower). Once per process; returns the
 * seconds it took. Worker processes may call it at start.
 *
 * @example
 * await warmUpOptimizer();
 */
export function warmUpOptimizer(): Promise<number> {
  warmedUp ??= (async () => {
    const started = performance.now();
    await solveInventory(
      {
        skus: [{ id: 'warm-up', unitCost: 1, price: 2, casePack: 2, demand: [{ mean: 5, sd: 1 }] }],
      },
      { timeLimitSeconds: 5 },
    );
    return (performance.now() - started) / 1000;
  })();
  return warmedUp;
}

/** The engine's message without the path it starts with. */
const reason = (err: OptimizeInputError) =>
  err.message.startsWith(`${err.path}: `) ? err.message.slice(err.path.length + 2) : err.message;

/** The engine error as the API answers it: input problems 422 with the path, solver failures 503. */
export function engineError(err: unknown): unknown {
  if (err instanceof OptimizeInputError) {
    const path = `input.${err.path}`;
    return new AppError(
      'plan_input_invalid',
      `${path}: ${reason(err)}`,
      { errors: [{ path, message: reason(err) }] },
      { cause: err },
    );
  }
  if (err instanceof OptimizeSolverError)
    return new AppError(
      'optimizer_unavailable',
      'the optimizer failed; try again',
      {},
      { cause: err },
    );
  return err;
}

function observe(kind: PlanKind, plan: EnginePlan): void {
  metrics.optimizerSolves.inc({ problem: kind, status: plan.status });
  metrics.optimizerSolveDuration.observe({ problem: kind }, plan.solveSeconds);
  metrics.optimizerModelVariables.observe({ problem: kind }, plan.modelSize.variables);
}

async function run<T>(kind: PlanKind, solve: () => Promise<T>): Promise<T> {
  await warmUpOptimizer();
  try {
    return await solve();
  } catch (err) {
    metrics.optimizerSolves.inc({ problem: kind, status: 'error' });
    throw engineError(err);
  }
}

const usable = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x) && x >= 0;

/**
 * 422 when the engine would leave every item out (every SKU without a cost, or a price under
 * the profit objective; every channel without a curve or two different positive spends): the
 * optimizer cannot solve an empty model, and the owner needs to hear what is missing.
 */
function requireSomethingToPlan(kind: PlanKind, input: PlanInput): void {
  let missing: { path: string; message: string }[] = [];
  if (kind === 'inventory') {
    const inv = input as InventoryInput;
    const needsPrice = (inv.objective ?? 'profit') === 'profit';
    if (inv.skus.some((s) => usable(s.unitCost) && (!needsPrice || usable(s.price)))) return;
    missing = inv.skus.map((s, i) => ({
      path: `input.skus[${i}]`,
      message: `${s.id}: ${usable(s.unitCost) ? 'no price' : 'no unit cost'}`,
    }));
  } else if (kind === 'budget') {
    const b = input as BudgetInput;
    const fits = (c: BudgetInput['channels'][number]) =>
      c.curve !== undefined ||
      new Set((c.history ?? []).filter((p) => p.spend > 0).map((p) => p.spend)).size >= 2;
    if (b.channels.some(fits)) return;
    missing = b.channels.map((c, i) => ({
      path: `input.channels[${i}].history`,
      message: `${c.id}: needs a curve or two days with different positive spend`,
    }));
  } else return;
  throw new AppError(
    'unprocessable',
    kind === 'inventory'
      ? `none of the ${missing.length} SKUs can be planned: each needs a unit cost${(input as InventoryInput).objective === 'cost' ? '' : ' and a price'}`
      : `none of the ${missing.length} channels has enough history to fit a response curve`,
    { errors: missing.slice(0, 200) },
  );
}

/** Solves a plan's input with the engine and records the optimizer metrics. */
export async function solvePlan(
  kind: PlanKind,
  input: PlanInput,
  options: SolveOptions,
): Promise<EnginePlan> {
  requireSomethingToPlan(kind, input);
  const plan = await run<EnginePlan>(kind, () => {
    switch (kind) {
      case 'inventory':
        return solveInventory(input as InventoryInput, options);
      case 'staffing':
        return solveStaffing(input as StaffingInput, options);
      case 'budget':
        return allocateBudget(input as BudgetInput, options);
    }
  });
  observe(kind, plan);
  return plan;
}

/**
 * Re-solves a plan's input with one change: the base and the scenario under the same
 * settings, and what moved. Change errors (a path that does not exist) are 400s on
 * `/body/change`; a change that breaks the input is a 422.
 */
export async function solveWhatIf(
  kind: PlanKind,
  input: PlanInput,
  change: ParameterChange,
  options: SolveOptions,
): Promise<{ base: EnginePlan; scenario: EnginePlan; scenarioInput: PlanInput; diff: WhatIfDiff }> {
  let scenarioInput: PlanInput;
  try {
    scenarioInput = applyChange(input, change);
  } catch (err) {
    if (!(err instanceof OptimizeInputError)) throw err;
    const path = `/body/${err.path.replaceAll('.', '/')}`;
    throw new AppError(
      'validation_failed',
      `${path} ${reason(err)}`,
      { errors: [{ path, message: reason(err) }] },
      { cause: err },
    );
  }
  const r = await run(kind, async () => {
    try {
      return await whatIf({ kind, input } as OptimizationProblem, change, options);
    } catch (err) {
      if (err instanceof OptimizeInputError || err instanceof OptimizeSolverError) throw err;
      // The base input solved before, so a crash comes from the changed value.
      throw new OptimizeInputError(
        change.path,
        `the change makes the input unusable (${String((err as Error)?.message ?? err)})`,
        { cause: err },
      );
    }
  });
  observe(kind, r.base as EnginePlan);
  observe(kind, r.scenario as EnginePlan);
  return {
    base: r.base as EnginePlan,
    scenario: r.scenario as EnginePlan,
    scenarioInput,
    diff: r.diff,
  };
}
