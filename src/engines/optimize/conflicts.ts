import { solveLpModel } from './highs-runtime.js';
import type { RawSolution, SolveOptions } from './highs-runtime.js';
import type { ConstraintDef, LpModel } from './lp-model.js';
import type { InfeasibilityExplanation } from './plan-types.js';

/** Plain-words description of one relaxable constraint group. */
export interface GroupDescription {
  /** E.g. "total spend of at most $500 (budget)". */
  text: string;
  /**
   * For a limit on a resource (budget, capacity, hours): how to print the amount the other
   * conflicting requirements would need, e.g. `(x) => '$' + x`.
   */
  resource?: { format: (amount: number) => string };
}

/** Options for {@link explainInfeasibility}. */
export interface ExplainOptions extends SolveOptions {
  /** Most feasibility solves to spend (default 60). */
  maxSolves?: number;
}

/**
 * Finds a minimal set of constraint groups that cannot hold together (QuickXplain over the
 * groups that `describe` knows; all other groups are structural and always kept), then
 * phrases it. For a conflicting resource limit it also solves "least amount of that
 * resource the other requirements need", so the summary reads
 * "budget $500 is below the $820 that … need".
 *
 * @example
 * const why = await explainInfeasibility(model, (g) => groupText.get(g));
 * why.summary; // 'No plan meets all of these together: …'
 */
export async function explainInfeasibility(
  model: LpModel,
  describe: (group: string) => GroupDescription | undefined,
  options: ExplainOptions = {},
): Promise<InfeasibilityExplanation & { solveSeconds: number }> {
  const relaxable = model.groups().filter((g) => describe(g) !== undefined);
  const perSolve: SolveOptions = {
    timeLimitSeconds: Math.min(options.timeLimitSeconds ?? 2, 2),
    mipRelGap: 1,
  };
  let solves = 0;
  let solveSeconds = 0;
  let exhausted = false;
  const maxSolves = options.maxSolves ?? 60;
  const consistent = async (active: ReadonlySet<string>): Promise<boolean> => {
    if (solves >= maxSolves) {
      exhausted = true;
      return true;
    }
    solves++;
    const omit = new Set(relaxable.filter((g) => !active.has(g)));
    const r = await solveLpModel(model, perSolve, { omitGroups: omit, feasibilityOnly: true });
    solveSeconds += r.solveSeconds;
    if (r.status === 'no_solution') exhausted = true;
    return r.status !== 'infeasible';
  };

  if (await consistent(new Set())) {
    // Fine with all business limits dropped: search for the conflicting ones.
  } else {
    return {
      summary:
        'The input contradicts itself before any business limit is applied (for example nobody is available when required, or a fixed quantity is impossible).',
      conflicts: [],
      minimal: false,
      solveSeconds,
    };
  }
  const conflict = await quickXplain(new Set(), relaxable, consistent, true);
  const conflicts = conflict.map((g) => ({ group: g, description: describe(g)?.text ?? g }));

  const needs: string[] = [];
  for (const g of conflict) {
    const d = describe(g);
    const rows = model.constraints.filter((c) => c.group === g);
    const row = rows[0];
    if (!d?.resource || rows.length !== 1 || !row || row.sense !== '<=') continue;
    const need = await leastResourceNeeded(
      model,
      row,
      relaxable,
      new Set(conflict.filter((x) => x !== g)),
      options,
    );
    solveSeconds += need.solveSeconds;
    if (need.amount !== undefined && need.amount > row.rhs) {
      needs.push(
        `${d.text} is below the ${d.resource.format(need.amount)} the other requirements need`,
      );
    }
  }
  const list = conflicts.map((c) => c.description).join('; ');
  const summary =
    conflicts.length === 0
      ? 'No plan exists, and the conflicting requirements could not be isolated within the analysis budget.'
      : needs.length > 0
        ? `No plan meets all of these together: ${list}. In short: ${needs.join('; ')}.`
        : `No plan meets all of these together: ${list}.`;
  return { summary, conflicts, minimal: !exhausted, solveSeconds };
}

/** QuickXplain (Junker 2004): minimal subset of `candidates` inconsistent together with `background`. */
async function quickXplain(
  background: ReadonlySet<string>,
  candidates: readonly string[],
  consistent: (active: ReadonlySet<string>) => Promise<boolean>,
  backgroundChanged: boolean,
): Promise<string[]> {
  if (backgroundChanged && !(await consistent(background))) return [];
  if (candidates.length <= 1) return [...candidates];
  const half = Math.ceil(candidates.length / 2);
  const first = candidates.slice(0, half);
  const second = candidates.slice(half);
  const withFirst = new Set([...background, ...first]);
  const d2 = await quickXplain(withFirst, second, consistent, first.length > 0);
  const withD2 = new Set([...background, ...d2]);
  const d1 = await quickXplain(withD2, first, consistent, d2.length > 0);
  return [...d1, ...d2];
}

async function leastResourceNeeded(
  model: LpModel,
  row: ConstraintDef,
  relaxable: readonly string[],
  keep: ReadonlySet<string>,
  options: SolveOptions,
): Promise<{ amount?: number; solveSeconds: number }> {
  const omit = new Set(relaxable.filter((g) => !keep.has(g)));
  const r = await solveLpModel(
    model,
    { timeLimitSeconds: Math.min(options.timeLimitSeconds ?? 2, 2), mipRelGap: 1e-4 },
    { omitGroups: omit, objective: { sense: 'minimize', terms: row.terms } },
  );
  if (r.status !== 'optimal' || r.values === undefined) return { solveSeconds: r.solveSeconds };
  return { amount: model.activity(row, r.values), solveSeconds: r.solveSeconds };
}

/**
 * @internal For a solve that returned no plan: the status, the total solver seconds and, when
 * infeasible, the explanation — the common head of every "no plan" report.
 */
export async function noPlanReport(
  model: LpModel,
  solved: RawSolution,
  describe: ReadonlyMap<string, GroupDescription>,
  options: SolveOptions,
): Promise<{
  status: RawSolution['status'];
  solveSeconds: number;
  infeasibility?: InfeasibilityExplanation;
}> {
  if (solved.status !== 'infeasible')
    return { status: solved.status, solveSeconds: solved.solveSeconds };
  const why = await explainInfeasibility(model, (g) => describe.get(g), options);
  return {
    status: solved.status,
    solveSeconds: solved.solveSeconds + why.solveSeconds,
    infeasibility: { summary: why.summary, conflicts: why.conflicts, minimal: why.minimal },
  };
}
