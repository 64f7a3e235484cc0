import type { BudgetChannel, BudgetInput, PlanIssue } from '../../engines/optimize/index.js';
import { AppError } from '../../platform/errors/app-error.js';
import { listMarketingDays, type MarketingDayRow } from '../records/read-repo.js';
import {
  definedFields,
  duplicateIds,
  invalidRequest,
  type BuildContext,
  type Built,
} from './build-context.js';
import { addDays } from './dates.js';
import type { BudgetRequest } from './schemas.js';

/** Defaults of a budget plan (docs/plans.md). */
export const BUDGET_DEFAULTS = { days: 30, historyDays: 180 } as const;

const cents = (x: number) => Math.round(x * 100) / 100;

/** Checks of a budget request that need no data: 400 with paths. */
export function validateBudgetRequest(req: BudgetRequest): void {
  const errors = duplicateIds(req.channels, 'channels', 'id');
  req.channels?.forEach((c, i) => {
    if (c.min !== undefined && c.max !== undefined && c.min > c.max)
      errors.push({ path: `/body/channels/${i}/min`, message: `${c.min} is above max ${c.max}` });
  });
  if (errors.length) throw invalidRequest(errors);
}

/**
 * Builds the budget split for the next `days` days: one channel per marketing channel with
 * spend in the history window, its daily (spend, attributed revenue) points scaled to the
 * period (a day's response taken as holding on every day of the period), then the request's
 * overrides. The default budget is the spend of the last `days` days.
 */
export async function buildBudgetInput(
  ctx: BuildContext,
  req: BudgetRequest,
): Promise<Built<BudgetInput>> {
  const asOf = req.asOf ?? ctx.today;
  const days = req.days ?? BUDGET_DEFAULTS.days;
  const historyDays = req.historyDays ?? BUDGET_DEFAULTS.historyDays;
  const from = addDays(asOf, -historyDays);
  const rows = await ctx.run((tx) => listMarketingDays(tx, from, asOf));
  const issues: PlanIssue[] = [];
  const channels = new Map<
    string,
    BudgetChannel & { history: Array<{ spend: number; return: number }> }
  >();
  const unattributed = new Map<string, number>();
  for (const r of rows) {
    let c = channels.get(r.channel);
    if (!c) channels.set(r.channel, (c = { id: r.channel, history: [] }));
    if (r.attributed_revenue === null) {
      unattributed.set(r.channel, (unattributed.get(r.channel) ?? 0) + 1);
      continue;
    }
    c.history.push({ spend: cents(r.spend * days), return: cents(r.attributed_revenue * days) });
  }
  for (const [channel, n] of unattributed)
    issues.push({
      code: 'no_attributed_revenue',
      path: `channels[id=${channel}].history`,
      message: `${channel}: ${n} days without attributed revenue were left out of the response curve`,
      severity: 'warning',
    });
  const excluded = new Set<string>();
  for (const o of req.channels ?? []) {
    const { id, exclude, history, ...rest } = o;
    const c = channels.get(id) ?? { id, history: [] };
    Object.assign(c, definedFields(rest));
    if (history)
      c.history = history.map((p) => ({
        spend: cents(p.spend * days),
        return: cents(p.return * days),
      }));
    channels.set(id, c);
    if (exclude) excluded.add(id);
  }
  const planned = [...channels.values()].filter((c) => !excluded.has(c.id));
  if (planned.length === 0)
    throw new AppError(
      'unprocessable',
      `no marketing spend between ${from} and ${asOf}: give channels with history or a curve`,
      { errors: [{ path: '/body/channels', message: 'no channels to allocate to' }] },
    );
  const budget =
    req.budget ??
    recentSpend(rows, asOf, Math.min(days, historyDays)) * (days / Math.min(days, historyDays));
  if (req.budget === undefined && budget <= 0)
    throw new AppError(
      'unprocessable',
      `no spend in the last ${days} days to base the budget on: give budget`,
      {
        errors: [{ path: '/body/budget', message: 'is required when there is no recent spend' }],
      },
    );
  const input: BudgetInput = {
    channels: planned
      .map((c) => (c.history.length ? c : { ...c, history: undefined }))
      .map((c) => definedFields(c) as BudgetChannel),
    budget: cents(budget),
    ...definedFields({ objective: req.objective, step: req.step }),
  };
  return {
    input,
    issues,
    facts: {
      asOf,
      days,
      historyFrom: from,
      historyTo: addDays(asOf, -1),
      budgetFromHistory: req.budget === undefined,
    },
  };
}

function recentSpend(rows: MarketingDayRow[], asOf: string, days: number): number {
  const since = addDays(asOf, -days);
  return rows.filter((r) => r.day >= since).reduce((s, r) => s + r.spend, 0);
}
