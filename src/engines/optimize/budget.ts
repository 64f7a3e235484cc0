import type { BudgetInput, BudgetOptions, BudgetPlan, ChannelAllocation } from './budget-types.js';
import { noPlanReport } from './conflicts.js';
import type { GroupDescription } from './conflicts.js';
import { OptimizeInputError } from './errors.js';
import { resolveOptions, solveLpModel } from './highs-runtime.js';
import { LpModel } from './lp-model.js';
import type { Variable } from './lp-model.js';
import type { PlanIssue } from './plan-types.js';
import { curveSlope, curveValue, fitResponseCurve } from './response-curve.js';
import type { FittedCurve, ResponseCurve } from './response-curve.js';
import {
  constraintReports,
  modelSize,
  money,
  requireArray,
  requireId,
  round6,
  solvedFacts,
} from './report-helpers.js';

interface PreparedChannel {
  id: string;
  name?: string;
  curve: ResponseCurve;
  fit?: FittedCurve;
  min: number;
  max: number;
  spend?: Variable;
}

/**
 * Splits a marketing budget across channels with diminishing returns. Each channel's
 * concave response curve is fitted from its history (or given), approximated piecewise
 * linearly (exact at every breakpoint, and at every `step` multiple when `step` is set), and
 * the allocation maximises total expected return within the budget and per-channel limits.
 *
 * @example
 * const plan = await allocateBudget({
 *   budget: 5000,
 *   channels: [
 *     { id: 'search', history: [{ spend: 1000, return: 3100 }, { spend: 2000, return: 4800 }, { spend: 3000, return: 5900 }] },
 *     { id: 'social', curve: { kind: 'saturation', a: 4000, b: 1500 }, max: 2500 },
 *   ],
 * });
 * plan.channels.map((c) => c.spend); // e.g. [2900, 2100]
 */
export async function allocateBudget(
  input: BudgetInput,
  options: BudgetOptions = {},
): Promise<BudgetPlan> {
  const opts = resolveOptions(options);
  const issues: PlanIssue[] = [];
  const objectiveKind = input?.objective ?? 'return';
  if (objectiveKind !== 'return' && objectiveKind !== 'profit') {
    throw new OptimizeInputError(
      'objective',
      `must be "return" or "profit", got ${String(objectiveKind)}`,
    );
  }
  const budget = input.budget;
  if (typeof budget !== 'number' || !Number.isFinite(budget))
    throw new OptimizeInputError('budget', `must be a finite number, got ${String(budget)}`);
  if (budget < 0) throw new OptimizeInputError('budget', `must not be negative, got ${budget}`);
  if (budget === 0)
    issues.push({
      code: 'zero_budget',
      path: 'budget',
      message: 'budget is 0: nothing to allocate',
      severity: 'warning',
    });
  const step = input.step;
  if (step !== undefined && !(Number.isFinite(step) && step > 0))
    throw new OptimizeInputError('step', `must be a positive number, got ${step}`);
  const channels = prepareChannels(input, budget, issues);

  const base = {
    objectiveKind,
    issues,
    timeLimitSeconds: opts.timeLimitSeconds,
    mipRelGap: opts.mipRelGap,
  };
  // Obvious conflict, explained without a solver.
  const minSum = channels.reduce((s, c) => s + c.min, 0);
  if (minSum > budget + 1e-9) {
    const parts = channels.filter((c) => c.min > 0).map((c) => `${c.name ?? c.id} ${money(c.min)}`);
    return {
      ...base,
      status: 'infeasible',
      solveSeconds: 0,
      modelSize: { variables: 0, constraints: 0, integers: 0 },
      channels: [],
      totalSpend: 0,
      expectedReturn: 0,
      budgetShadowPrice: 0,
      constraints: [],
      infeasibility: {
        summary: `Budget ${money(budget)} is below the sum of the channel minimums, ${money(minSum)} (${parts.join(', ')}).`,
        conflicts: [
          { group: 'budget', description: `budget of ${money(budget)}` },
          ...channels
            .filter((c) => c.min > 0)
            .map((c) => ({
              group: `min:${c.id}`,
              description: `minimum spend of ${money(c.min)} on ${c.name ?? c.id}`,
            })),
        ],
        minimal: true,
      },
    };
  }

  const model = new LpModel('maximize');
  const describe = new Map<string, GroupDescription>();
  const segmentCount = Math.max(2, Math.min(200, Math.round(input.segments ?? 24)));
  for (const c of channels) {
    const label = c.name ?? c.id;
    const points = breakpointsFor(c, segmentCount, step, objectiveKind === 'profit');
    const spend = step
      ? model.variable(`spend_steps[${c.id}]`, {
          kind: 'integer',
          upper: Math.floor(c.max / step + 1e-9),
        })
      : model.variable(`spend[${c.id}]`, { upper: c.max });
    c.spend = spend;
    const unit = step ?? 1;
    const segs: Array<readonly [Variable, number]> = [];
    for (let k = 1; k < points.length; k++) {
      const x0 = points[k - 1] ?? 0;
      const x1 = points[k] ?? 0;
      if (x1 <= x0) continue;
      const slope =
        (curveValue(c.curve, x1) - curveValue(c.curve, x0)) / (x1 - x0) -
        (objectiveKind === 'profit' ? 1 : 0);
      segs.push([
        model.variable(`return_piece[${c.id}][${round6(x0)}-${round6(x1)}]`, {
          upper: x1 - x0,
          objective: slope,
        }),
        1,
      ]);
    }
    model.constrain(
      `pieces add up to spend[${c.id}]`,
      [...segs, [spend, -unit]],
      '=',
      0,
      '#structure',
    );
    if (c.min > 0) {
      model.constrain(`min spend[${c.id}]`, [[spend, unit]], '>=', c.min, `min:${c.id}`);
      describe.set(`min:${c.id}`, { text: `minimum spend of ${money(c.min)} on ${label}` });
    }
    if (c.max < budget) {
      model.constrain(`max spend[${c.id}]`, [[spend, unit]], '<=', c.max, `max:${c.id}`);
      describe.set(`max:${c.id}`, { text: `maximum spend of ${money(c.max)} on ${label}` });
    }
  }
  const budgetRow = model.constrain(
    'budget',
    channels.flatMap((c) => (c.spend ? [[c.spend, step ?? 1] as const] : [])),
    '<=',
    budget,
    'budget',
  );
  describe.set('budget', { text: `budget of ${money(budget)}`, resource: { format: money } });

  const solved = await solveLpModel(model, opts);
  const size = modelSize(model);
  if (solved.values === undefined) {
    return {
      ...base,
      ...(await noPlanReport(model, solved, describe, opts)),
      modelSize: size,
      channels: [],
      totalSpend: 0,
      expectedReturn: 0,
      budgetShadowPrice: 0,
      constraints: [],
    };
  }
  const v = solved.values;
  const constraints = constraintReports(
    model,
    v,
    describe,
    (row, slack) => row === budgetRow && step !== undefined && slack < step,
  );
  const allocations: ChannelAllocation[] = channels.map((c) => {
    const spend = round6((v[c.spend?.index ?? -1] ?? 0) * (step ?? 1));
    const expectedReturn = curveValue(c.curve, spend);
    return {
      channelId: c.id,
      ...(c.name !== undefined ? { name: c.name } : {}),
      spend,
      expectedReturn,
      roi: spend > 0 ? expectedReturn / spend : 0,
      marginalReturn: curveSlope(c.curve, spend),
      curve: c.curve,
      ...(c.fit ? { fit: { rmse: c.fit.rmse, r2: c.fit.r2, points: c.fit.points } } : {}),
      bindingConstraints: constraints
        .filter((r) => r.binding && r.group.endsWith(`:${c.id}`))
        .map((r) => r.name),
    };
  });
  const budgetBinding = constraints.find((r) => r.group === 'budget')?.binding ?? false;
  // Exact for the continuous model (the LP's budget dual); for steps, the best free channel's slope.
  const dual = solved.rowDuals?.[budgetRow.index];
  const free = allocations.filter((a) => a.bindingConstraints.length === 0 && a.spend > 0);
  const fallback = Math.max(
    0,
    ...free.map((a) => a.marginalReturn - (objectiveKind === 'profit' ? 1 : 0)),
  );
  const shadow = !budgetBinding ? 0 : dual !== undefined ? Math.abs(dual) : fallback;
  return {
    ...base,
    ...solvedFacts(solved),
    modelSize: size,
    channels: allocations,
    totalSpend: round6(allocations.reduce((s, a) => s + a.spend, 0)),
    expectedReturn: allocations.reduce((s, a) => s + a.expectedReturn, 0),
    budgetShadowPrice: shadow,
    constraints,
  };
}

function prepareChannels(
  input: BudgetInput,
  budget: number,
  issues: PlanIssue[],
): PreparedChannel[] {
  const list = requireArray(input.channels, 'channels');
  const seen = new Set<string>();
  const out: PreparedChannel[] = [];
  list.forEach((ch, i) => {
    const id = requireId(ch, `channels[${i}]`);
    if (seen.has(id))
      throw new OptimizeInputError(`channels[${i}].id`, `duplicate channel id "${id}"`);
    seen.add(id);
    const min = ch.min ?? 0;
    const max = Math.min(ch.max ?? budget, budget);
    if (!Number.isFinite(min) || min < 0)
      throw new OptimizeInputError(
        `channels[${i}].min`,
        `must be a non-negative number, got ${min}`,
      );
    if (!Number.isFinite(max) || max < 0)
      throw new OptimizeInputError(
        `channels[${i}].max`,
        `must be a non-negative number, got ${ch.max}`,
      );
    if (min > (ch.max ?? Infinity)) {
      throw new OptimizeInputError(
        `channels[${i}]`,
        `minimum spend ${min} is above maximum ${ch.max} for channel "${id}"`,
      );
    }
    let curve = ch.curve;
    let fit: FittedCurve | undefined;
    if (!curve) {
      try {
        fit = fitResponseCurve(ch.history ?? [], `channels[${i}].history`);
        curve = fit.curve;
      } catch (err) {
        if (!(err instanceof OptimizeInputError)) throw err;
        issues.push({
          code: 'insufficient_history',
          path: err.path,
          message: `channel ${id}: ${err.message}; left out of the allocation`,
          severity: 'excluded',
        });
        if (min > 0)
          throw new OptimizeInputError(
            `channels[${i}]`,
            `channel "${id}" has a minimum spend but no usable history or curve`,
            { cause: err },
          );
        return;
      }
      if (fit.r2 < 0.5) {
        issues.push({
          code: 'poor_fit',
          path: `channels[${i}].history`,
          message: `channel ${id}: response curve explains only ${Math.round(fit.r2 * 100)}% of past variation`,
          severity: 'warning',
        });
      }
    }
    out.push({
      id,
      ...(ch.name !== undefined ? { name: ch.name } : {}),
      curve,
      ...(fit ? { fit } : {}),
      min,
      max: Math.max(max, 0),
    });
  });
  return out;
}

/**
 * Spend levels where the curve is sampled: multiples of `step`; or the union of a grid
 * dense near 0 (where curves bend most), a grid of equal return increments, and — for the
 * profit objective — the spend where one more unit returns exactly one unit.
 */
function breakpointsFor(
  c: PreparedChannel,
  segments: number,
  step: number | undefined,
  profit: boolean,
): number[] {
  if (c.max <= 0) return [0, 0];
  if (step !== undefined) {
    const n = Math.floor(c.max / step + 1e-9);
    if (n <= 400) return Array.from({ length: n + 1 }, (_, k) => k * step);
    return [
      ...new Set(
        Array.from({ length: segments + 1 }, (_, k) => Math.round(n * (k / segments) ** 2) * step),
      ),
    ];
  }
  const pts = Array.from({ length: segments + 1 }, (_, k) => c.max * (k / segments) ** 2);
  const top = curveValue(c.curve, c.max);
  for (let k = 1; k < segments; k++) {
    pts.push(bisect((x) => curveValue(c.curve, x) - (top * k) / segments, 0, c.max));
  }
  if (profit && curveSlope(c.curve, 0) > 1 && curveSlope(c.curve, c.max) < 1) {
    pts.push(bisect((x) => 1 - curveSlope(c.curve, x), 0, c.max));
  }
  if (c.min > 0) pts.push(c.min);
  return [...new Set(pts)].sort((a, b) => a - b);
}

/** Root of an increasing function on [lo, hi] by bisection. */
function bisect(f: (x: number) => number, lo: number, hi: number): number {
  let a = lo;
  let b = hi;
  for (let i = 0; i < 80; i++) {
    const m = (a + b) / 2;
    if (f(m) < 0) a = m;
    else b = m;
  }
  return (a + b) / 2;
}
