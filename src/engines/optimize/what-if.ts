import { allocateBudget } from './budget.js';
import type { BudgetInput, BudgetPlan } from './budget-types.js';
import { OptimizeInputError } from './errors.js';
import type { SolveOptions } from './highs-runtime.js';
import { solveInventory } from './inventory.js';
import type { InventoryInput, InventoryPlan } from './inventory-types.js';
import { solveStaffing } from './staffing.js';
import type { StaffingInput, StaffingPlan } from './staffing-types.js';

/** A problem to re-solve, tagged with its kind. */
export type OptimizationProblem =
  | { kind: 'inventory'; input: InventoryInput }
  | { kind: 'staffing'; input: StaffingInput }
  | { kind: 'budget'; input: BudgetInput };

/**
 * One parameter change. `path` is dotted; an array element is picked by index (`skus.3`) or
 * by id (`skus[id=beans]`). Give `value` to set it, or `multiplyBy` / `add` to adjust a number.
 */
export interface ParameterChange {
  path: string;
  value?: unknown;
  multiplyBy?: number;
  add?: number;
}

/** A numeric difference between the base and the scenario. */
export interface NumberDiff {
  base: number;
  scenario: number;
  change: number;
}

/** What changed in the plan, in business terms. */
export interface WhatIfDiff {
  statusChanged: boolean;
  objective?: NumberDiff;
  /** Per item (SKU, person, channel): the main decision before and after, only where it moved. */
  items: Array<{ id: string; quantity: string; base: number; scenario: number; change: number }>;
  /** Constraints binding in one plan and not the other. */
  bindingAdded: string[];
  bindingRemoved: string[];
  /** Extra totals per problem (spend, labour cost, under-coverage…). */
  totals: Record<string, NumberDiff>;
}

/** Result of {@link whatIf}. */
export interface WhatIfResult<P = InventoryPlan | StaffingPlan | BudgetPlan> {
  change: ParameterChange;
  base: P;
  scenario: P;
  diff: WhatIfDiff;
}

/**
 * Re-solves a problem with one parameter changed and reports the difference.
 *
 * @example
 * const r = await whatIf({ kind: 'budget', input }, { path: 'budget', multiplyBy: 1.2 });
 * r.diff.objective; // { base: 15200, scenario: 17150, change: 1950 }
 */
export async function whatIf(
  problem: OptimizationProblem,
  change: ParameterChange,
  options: SolveOptions = {},
): Promise<WhatIfResult> {
  const changed = applyChange(problem.input, change);
  const solve = (input: unknown): Promise<InventoryPlan | StaffingPlan | BudgetPlan> => {
    switch (problem.kind) {
      case 'inventory':
        return solveInventory(input as InventoryInput, options);
      case 'staffing':
        return solveStaffing(input as StaffingInput, options);
      case 'budget':
        return allocateBudget(input as BudgetInput, options);
      default:
        throw new OptimizeInputError(
          'kind',
          `unknown problem kind "${String((problem as { kind: unknown }).kind)}"`,
        );
    }
  };
  const base = await solve(problem.input);
  const scenario = await solve(changed);
  return { change, base, scenario, diff: diffPlans(problem.kind, base, scenario) };
}

/**
 * Returns a deep copy of `input` with one parameter changed (the input is not modified).
 *
 * @example
 * applyChange({ budget: 100, skus: [{ id: 'a', unitCost: 2 }] }, { path: 'skus[id=a].unitCost', value: 3 });
 */
export function applyChange<T>(input: T, change: ParameterChange): T {
  const copy = structuredClone(input) as unknown;
  const keys = parsePath(change.path);
  const last = keys.pop();
  if (last === undefined) throw new OptimizeInputError('change.path', 'is empty');
  let node: unknown = copy;
  for (const key of keys) node = step(node, key, change.path);
  const container = node as Record<string, unknown>;
  const target = resolveKey(container, last, change.path);
  const current = container[target];
  let next: unknown;
  if (change.value !== undefined) next = change.value;
  else if (change.multiplyBy !== undefined || change.add !== undefined) {
    if (typeof current !== 'number')
      throw new OptimizeInputError(
        'change.path',
        `"${change.path}" is not a number (it is ${typeof current})`,
      );
    next = current * (change.multiplyBy ?? 1) + (change.add ?? 0);
  } else throw new OptimizeInputError('change', 'give value, multiplyBy or add');
  container[target] = next;
  return copy as T;
}

function parsePath(path: string): string[] {
  if (typeof path !== 'string' || path.trim() === '')
    throw new OptimizeInputError('change.path', 'must be a non-empty string');
  return path.match(/[^.[\]]+|\[[^\]]*\]/g)?.map((k) => k.replace(/^\[|\]$/g, '')) ?? [];
}

function resolveKey(node: Record<string, unknown>, key: string, path: string): string {
  if (Array.isArray(node)) {
    const byId = /^id=(.*)$/.exec(key);
    const index = byId ? node.findIndex((x: { id?: unknown }) => x?.id === byId[1]) : Number(key);
    if (!Number.isInteger(index) || index < 0 || index >= node.length) {
      throw new OptimizeInputError('change.path', `"${path}": no element ${key}`);
    }
    return String(index);
  }
  if (typeof node !== 'object' || node === null)
    throw new OptimizeInputError('change.path', `"${path}" goes through a non-object`);
  return key;
}

function step(node: unknown, key: string, path: string): unknown {
  if (typeof node !== 'object' || node === null)
    throw new OptimizeInputError('change.path', `"${path}" goes through a non-object`);
  const k = resolveKey(node as Record<string, unknown>, key, path);
  const next = (node as Record<string, unknown>)[k];
  if (next === undefined)
    throw new OptimizeInputError('change.path', `"${path}": "${key}" does not exist`);
  return next;
}

function num(base: number, scenario: number): NumberDiff {
  return { base, scenario, change: scenario - base };
}

function diffPlans(
  kind: OptimizationProblem['kind'],
  base: InventoryPlan | StaffingPlan | BudgetPlan,
  scenario: InventoryPlan | StaffingPlan | BudgetPlan,
): WhatIfDiff {
  const items: WhatIfDiff['items'] = [];
  const totals: Record<string, NumberDiff> = {};
  const pairUp = <T>(
    a: readonly T[],
    b: readonly T[],
    id: (x: T) => string,
    value: (x: T) => number,
    quantity: string,
  ): void => {
    const before = new Map(a.map((x) => [id(x), value(x)]));
    const after = new Map(b.map((x) => [id(x), value(x)]));
    for (const key of new Set([...before.keys(), ...after.keys()])) {
      const x = before.get(key) ?? 0;
      const y = after.get(key) ?? 0;
      if (Math.abs(x - y) > 1e-9)
        items.push({ id: key, quantity, base: x, scenario: y, change: y - x });
    }
  };
  if (kind === 'inventory') {
    const a = base as InventoryPlan;
    const b = scenario as InventoryPlan;
    pairUp(
      a.skus,
      b.skus,
      (s) => s.skuId,
      (s) => s.orderQuantity,
      'orderQuantity',
    );
    totals.totalOrderCost = num(a.totalOrderCost, b.totalOrderCost);
  } else if (kind === 'staffing') {
    const a = base as StaffingPlan;
    const b = scenario as StaffingPlan;
    pairUp(
      a.people,
      b.people,
      (p) => p.staffId,
      (p) => p.hours,
      'hours',
    );
    totals.laborCost = num(a.laborCost, b.laborCost);
    totals.underCoverageHours = num(a.underCoverageHours, b.underCoverageHours);
  } else {
    const a = base as BudgetPlan;
    const b = scenario as BudgetPlan;
    pairUp(
      a.channels,
      b.channels,
      (c) => c.channelId,
      (c) => c.spend,
      'spend',
    );
    totals.totalSpend = num(a.totalSpend, b.totalSpend);
    totals.expectedReturn = num(a.expectedReturn, b.expectedReturn);
  }
  const bindingOf = (p: {
    constraints: ReadonlyArray<{ name: string; binding: boolean }>;
  }): Set<string> => new Set(p.constraints.filter((c) => c.binding).map((c) => c.name));
  const bb = bindingOf(base);
  const sb = bindingOf(scenario);
  return {
    statusChanged: base.status !== scenario.status,
    ...(base.objective !== undefined && scenario.objective !== undefined
      ? { objective: num(base.objective, scenario.objective) }
      : {}),
    items,
    bindingAdded: [...sb].filter((n) => !bb.has(n)),
    bindingRemoved: [...bb].filter((n) => !sb.has(n)),
    totals,
  };
}
