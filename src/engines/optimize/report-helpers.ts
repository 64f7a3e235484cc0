import type { GroupDescription } from './conflicts.js';
import { OptimizeInputError } from './errors.js';
import type { RawSolution } from './highs-runtime.js';
import type { ConstraintDef, LpModel } from './lp-model.js';
import type { ConstraintReport } from './plan-types.js';

/**
 * @internal Reports every business (non-`#`) constraint with activity, slack and whether it
 * binds. `blocks(row, slack)` decides binding for rows with slack (e.g. integer steps that
 * do not fit); rows at their limit always bind.
 */
export function constraintReports(
  model: LpModel,
  values: ArrayLike<number>,
  describe: ReadonlyMap<string, GroupDescription>,
  blocks: (row: ConstraintDef, slack: number) => boolean = () => false,
): ConstraintReport[] {
  const out: ConstraintReport[] = [];
  for (const row of model.constraints) {
    if (row.group.startsWith('#') || !row.report) continue;
    const activity = model.activity(row, values);
    const slack =
      row.sense === '<='
        ? row.rhs - activity
        : row.sense === '>='
          ? activity - row.rhs
          : -Math.abs(activity - row.rhs);
    const tight = Math.abs(slack) <= 1e-6 * Math.max(1, Math.abs(row.rhs));
    out.push({
      name: row.name,
      group: row.group,
      description: describe.get(row.group)?.text ?? row.name,
      sense: row.sense,
      activity: round6(activity),
      limit: row.rhs,
      slack: round6(slack),
      binding: tight || blocks(row, slack),
    });
  }
  return out;
}

/** @internal Rounds away solver noise (1e-9) for reports. */
export function round6(x: number): number {
  const r = Math.round(x * 1e6) / 1e6;
  return Object.is(r, -0) ? 0 : r;
}

/** @internal `$1,234.50`-style money for explanations. */
export function money(x: number): string {
  const abs = Math.abs(x);
  const s = abs >= 100 ? Math.round(abs).toLocaleString('en-US') : abs.toFixed(2);
  return `${x < 0 ? '-' : ''}$${s}`;
}

/** @internal The array at `path`, or an {@link OptimizeInputError}. */
export function requireArray<T>(x: readonly T[] | undefined, path: string): readonly T[] {
  if (!Array.isArray(x)) throw new OptimizeInputError(path, 'must be an array');
  return x;
}

/** @internal A non-empty string `id` of an object at `path`, or an {@link OptimizeInputError}. */
export function requireId(x: unknown, path: string): string {
  const id = typeof x === 'object' && x !== null ? (x as { id?: unknown }).id : undefined;
  if (typeof id !== 'string' || id.trim() === '')
    throw new OptimizeInputError(`${path}.id`, 'must be a non-empty string');
  return id;
}

/** @internal `2025-03-01` + 3 days → `2025-03-04` (pure date arithmetic, UTC). */
export function addDaysIso(iso: string, days: number): string | undefined {
  const t = Date.parse(`${iso.slice(0, 10)}T00:00:00Z`);
  if (!Number.isFinite(t)) return undefined;
  return new Date(t + days * 86_400_000).toISOString().slice(0, 10);
}

/** @internal Size of a model for reports. */
export function modelSize(model: LpModel): {
  variables: number;
  constraints: number;
  integers: number;
} {
  return {
    variables: model.variables.length,
    constraints: model.constraints.length,
    integers: model.variables.filter((v) => v.kind !== 'continuous').length,
  };
}

/** @internal The solver-settings part of every plan report. */
export function solveSettings(
  model: LpModel,
  opts: { timeLimitSeconds: number; mipRelGap: number },
): { timeLimitSeconds: number; mipRelGap: number; modelSize: ReturnType<typeof modelSize> } {
  return {
    timeLimitSeconds: opts.timeLimitSeconds,
    mipRelGap: opts.mipRelGap,
    modelSize: modelSize(model),
  };
}

/** @internal Status, objective, bound, gap and time of a solve that found a plan (`sign` −1 flips a maximised −cost back to cost). */
export function solvedFacts(
  solved: RawSolution,
  sign = 1,
): {
  status: RawSolution['status'];
  objective: number;
  bound?: number;
  gap?: number;
  solveSeconds: number;
} {
  return {
    status: solved.status,
    objective: sign * (solved.objective ?? 0),
    ...(solved.bound !== undefined ? { bound: sign * solved.bound } : {}),
    ...(solved.gap !== undefined ? { gap: solved.gap } : {}),
    solveSeconds: solved.solveSeconds,
  };
}
