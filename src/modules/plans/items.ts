import type {
  BudgetInput,
  BudgetPlan,
  InventoryInput,
  InventoryPlan,
  StaffingInput,
  StaffingPlan,
} from '../../engines/optimize/index.js';
import type { NewPlanItem } from './repo.js';
import type { PlanKind } from './schemas.js';
import type { EnginePlan, PlanInput } from './solve.js';

/** Plan items (what an owner approves or rejects) and headline numbers from a solved plan. @internal */

const cents = (x: number) => (Number.isFinite(x) ? Math.round(x * 100) / 100 : 0);
const clock = (h: number) =>
  `${String(Math.floor(h)).padStart(2, '0')}:${String(Math.round((h % 1) * 60)).padStart(2, '0')}`;

function orderItems(plan: InventoryPlan, input: InventoryInput): NewPlanItem[] {
  const packs = new Map(input.skus.map((s) => [s.id, s.casePack ?? 1]));
  return plan.skus
    .filter((s) => s.orderQuantity > 0)
    .map((s) => {
      const pack = packs.get(s.skuId) ?? 1;
      return {
        kind: 'order',
        ref: s.skuId,
        label: `Order ${s.orderQuantity} × ${s.name ?? s.skuId}${
          pack > 1 ? ` (${s.cases} cases of ${pack})` : ''
        }${s.orderDate ? ` by ${s.orderDate}` : ''}`,
        quantity: s.orderQuantity,
        unit: 'units',
        amount: cents(s.orderCost),
        details: {
          name: s.name ?? null,
          supplierId: s.supplierId ?? null,
          cases: s.cases,
          casePack: pack,
          orderDay: s.orderDay ?? null,
          orderDate: s.orderDate ?? null,
          expectedDemand: s.expectedDemand,
          expectedSales: s.expectedSales,
          cycleServiceLevel: s.cycleServiceLevel,
          fillRate: s.fillRate,
          unconstrainedQuantity: s.unconstrainedQuantity,
          bindingConstraints: s.bindingConstraints,
        },
      };
    });
}

function shiftItems(plan: StaffingPlan, input: StaffingInput): NewPlanItem[] {
  const rates = new Map(input.staff.map((m) => [m.id, m.hourlyCost ?? 0]));
  return plan.people.flatMap((p) =>
    p.shifts.map((sh) => ({
      kind: 'shift' as const,
      ref: p.staffId,
      label: `${p.name ?? p.staffId}: ${sh.date ?? `day ${sh.day + 1}`} ${clock(sh.start)}–${clock(sh.end)}`,
      quantity: sh.hours,
      unit: 'hours',
      amount: cents(sh.hours * (rates.get(p.staffId) ?? 0)),
      details: {
        name: p.name ?? null,
        day: sh.day,
        date: sh.date ?? null,
        start: sh.start,
        end: sh.end,
      },
    })),
  );
}

function allocationItems(plan: BudgetPlan, currency: string): NewPlanItem[] {
  return plan.channels.map((c) => ({
    kind: 'allocation',
    ref: c.channelId,
    label: `Spend ${cents(c.spend).toFixed(2)} ${currency} on ${c.name ?? c.channelId}`,
    quantity: cents(c.spend),
    unit: currency,
    amount: cents(c.spend),
    details: {
      name: c.name ?? null,
      expectedReturn: c.expectedReturn,
      roi: c.roi,
      marginalReturn: c.marginalReturn,
      bindingConstraints: c.bindingConstraints,
    },
  }));
}

/** The decisions a plan asks for: orders (quantity > 0), shifts, channel spends. */
export function planItems(
  kind: PlanKind,
  plan: EnginePlan,
  input: PlanInput,
  currency: string,
): NewPlanItem[] {
  if (plan.status !== 'optimal' && plan.status !== 'feasible') return [];
  switch (kind) {
    case 'inventory':
      return orderItems(plan as InventoryPlan, input as InventoryInput);
    case 'staffing':
      return shiftItems(plan as StaffingPlan, input as StaffingInput);
    case 'budget':
      return allocationItems(plan as BudgetPlan, currency);
  }
}

/** Headline numbers of a plan, for lists and the dashboard. */
export function planSummary(
  kind: PlanKind,
  plan: EnginePlan,
  input: PlanInput,
  facts: Record<string, unknown>,
): Record<string, unknown> {
  const common = {
    ...facts,
    solveSeconds: Math.round(plan.solveSeconds * 1000) / 1000,
    gap: plan.gap !== undefined && Number.isFinite(plan.gap) ? plan.gap : null,
    issues: plan.issues.length,
  };
  switch (kind) {
    case 'inventory': {
      const p = plan as InventoryPlan;
      return {
        ...common,
        objectiveKind: p.objectiveKind,
        skusPlanned: p.skus.length,
        skusOrdered: p.skus.filter((s) => s.orderQuantity > 0).length,
        unitsOrdered: p.skus.reduce((s, x) => s + x.orderQuantity, 0),
        totalOrderCost: cents(p.totalOrderCost),
        budget: (input as InventoryInput).budget ?? null,
      };
    }
    case 'staffing': {
      const p = plan as StaffingPlan;
      return {
        ...common,
        peopleScheduled: p.people.filter((x) => x.shifts.length > 0).length,
        shifts: p.people.reduce((s, x) => s + x.shifts.length, 0),
        hoursScheduled: p.people.reduce((s, x) => s + x.hours, 0),
        laborCost: cents(p.laborCost),
        requiredStaffHours: p.coverage.reduce((s, c) => s + c.required, 0),
        underCoverageHours: p.underCoverageHours,
      };
    }
    case 'budget': {
      const p = plan as BudgetPlan;
      return {
        ...common,
        budget: (input as BudgetInput).budget,
        totalSpend: cents(p.totalSpend),
        expectedReturn: cents(p.expectedReturn),
        budgetShadowPrice: Number.isFinite(p.budgetShadowPrice) ? p.budgetShadowPrice : null,
      };
    }
  }
}
