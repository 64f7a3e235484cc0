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
  /**
   * Most solver seconds for the whole analysis (default: `timeLimitSeconds`, at least 5), so
   * explaining never takes much longer than solving. Past it the set found so far is
   * returned with `minimal: false`.
   */
  budgetSeconds?: number;
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
  const budget = options.budgetSeconds ?? Math.max(5, options.timeLimitSeconds ?? 10);
  let solves = 0;
  let solveSeconds = 0;
  let exhausted = false;
  const maxSolves = options.maxSolves ?? 60;
  const consistent = async (active: ReadonlySet<string>): Promise<boolean> => {
    if (solves >= maxSolves || solveSeconds >= budget) {
      exhausted = true;
      return true;
    }
    solves++;
    const omit = new Set(relaxable.filter((g) => !active.has(g)));
    const perSolve: SolveOptions = {
      timeLimitSeconds: Math.min(2, Math.max(0.1, budget - solveSeconds)),
      mipRelGap: 1,
    };
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
  // Fast path for big models: one resource limit (budget, capacity) that alone blocks every
  // plan. Two solves say so and how much would be needed, where QuickXplain over hundreds of
  // service-level groups would spend its whole budget.
  if (relaxable.length > 12) {
    const resources = relaxable.filter((g) => {
      const rows = model.constraints.filter((c) => c.group === g);
      return describe(g)?.resource !== undefined && rows.length === 1 && rows[0]?.sense === '<=';
    });
    const others = relaxable.filter((g) => !resources.includes(g));
    if (resources.length > 0 && (await consistent(new Set(others)))) {
      const short: Array<{ group: string; text: string }> = [];
      for (const g of resources) {
        const row = model.constraints.find((c) => c.group === g);
        const d = describe(g);
        if (!row || !d?.resource) continue;
        const need = await leastResourceNeeded(model, row, relaxable, new Set(others), options);
        solveSeconds += need.solveSeconds;
        if (need.amount !== undefined && need.amount > row.rhs + 1e-6) {
          short.push({
            group: g,
            text: `${d.text} is below the ${d.resource.format(need.amount)} needed`,
          });
        }
      }
      const blamed = short.length > 0 ? short.map((x) => x.group) : resources;
      // Requirements that consume the resource: lower bounds with a positive amount.
      const demanding = others.filter((x) =>
        model.constraints.some((c) => c.group === x && c.sense === '>=' && c.rhs > 0),
      );
      const conflicts = [...blamed, ...demanding].map((x) => ({
        group: x,
        description: describe(x)?.text ?? x,
      }));
      const head =
        short.length > 0
          ? short.map((x) => capitalise(x.text)).join('; ')
          : `${resources.map((g) => describe(g)?.text ?? g).join(' and ')} together are too small`;
      return {
        summary: `${head} to meet the other requirements (${shortList(conflicts.slice(blamed.length))}); everything else fits.`,
        conflicts,
        minimal: false,
        solveSeconds,
      };
    }
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
  const list = shortList(conflicts);
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

/** Lists conflicts, folding a family with many members ("service-level:…") into one phrase. */
function shortList(conflicts: ReadonlyArray<{ group: string; description: string }>): string {
  const families = new Map<string, string[]>();
  for (const c of conflicts) {
    const family = c.group.split(':')[0] ?? c.group;
    families.set(family, [...(families.get(family) ?? []), c.description]);
  }
  const parts: string[] = [];
  for (const members of families.values()) {
    if (members.length <= 3) parts.push(...members);
    else parts.push(`${members.slice(0, 3).join('; ')} and ${members.length - 3} more like them`);
  }
  return parts.join('; ');
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
