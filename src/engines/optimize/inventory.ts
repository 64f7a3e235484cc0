import { noPlanReport } from './conflicts.js';
import type { GroupDescription } from './conflicts.js';
import { OptimizeInputError } from './errors.js';
import { resolveOptions, solveLpModel } from './highs-runtime.js';
import { inventoryStart } from './inventory-start.js';
import {
  bestCasesAlone,
  breakpoints,
  latestOrderDay,
  prepareSku,
  skuOutcome,
} from './inventory-sku.js';
import type { PreparedSku } from './inventory-sku.js';
import type {
  InventoryInput,
  InventoryOptions,
  InventoryPlan,
  SkuPlan,
} from './inventory-types.js';
import { LpModel } from './lp-model.js';
import type { ConstraintDef, Variable } from './lp-model.js';
import type { PlanIssue } from './plan-types.js';
import {
  addDaysIso,
  constraintReports,
  solveSettings,
  money,
  requireArray,
  requireId,
  solvedFacts,
} from './report-helpers.js';

/** @internal The built reorder model and the handles needed to read a solution. */
export interface InventoryModel {
  model: LpModel;
  skus: PreparedSku[];
  cases: Map<number, Variable>;
  ordersFrom: Map<string, Variable>;
  describe: Map<string, GroupDescription>;
  budgetRow?: ConstraintDef;
  issues: PlanIssue[];
  objective: 'profit' | 'cost';
  periodDays: number;
  reviewDays: number;
}

/**
 * Plans one round of reorders: how many units (whole cases) of each SKU to order and by
 * when, maximising expected profit over lead time + review period (newsvendor with demand
 * from forecast quantiles), subject to MOQs, case packs, supplier minimum order values,
 * budget, storage capacity, shelf life and service-level targets.
 *
 * @example
 * const plan = await solveInventory({
 *   budget: 500,
 *   skus: [{ id: 'beans', unitCost: 4, price: 9, stock: 3, leadTimeDays: 2, casePack: 6,
 *            demand: [{ mean: 5, lower80: 3, upper80: 7 }] }],
 * });
 * plan.skus[0].orderQuantity; // e.g. 48
 */
export async function solveInventory(
  input: InventoryInput,
  options: InventoryOptions = {},
): Promise<InventoryPlan> {
  const opts = resolveOptions(options);
  const built = buildInventoryModel(input);
  const { model } = built;
  const base = {
    ...solveSettings(model, opts),
    objectiveKind: built.objective,
    issues: built.issues,
  };
  const solved = await solveLpModel(model, opts, {}, (relaxed, duals) =>
    inventoryStart(built, relaxed, duals),
  );
  if (solved.values === undefined) {
    return {
      ...base,
      ...(await noPlanReport(model, solved, built.describe, opts)),
      skus: [],
      totalOrderCost: 0,
      supplierOrders: [],
      constraints: [],
    };
  }
  const values = solved.values;
  const sign = built.objective === 'profit' ? 1 : -1;
  const alone = new Map(built.skus.map((p) => [p.index, bestCasesAlone(p)]));
  const skuOfVar = new Map<number, PreparedSku>();
  for (const p of built.skus) {
    const n = built.cases.get(p.index);
    if (n) skuOfVar.set(n.index, p);
  }
  const blocks = (row: ConstraintDef, slack: number): boolean => {
    if (row.sense !== '<=') return false;
    return row.terms.some(([i, coef]) => {
      const p = skuOfVar.get(i);
      return (
        p !== undefined && coef > slack && Math.round(values[i] ?? 0) < (alone.get(p.index) ?? 0)
      );
    });
  };
  const constraints = constraintReports(model, values, built.describe, blocks);
  const bindingByVar = new Map<number, string[]>();
  const businessRows = model.constraints.filter((x) => !x.group.startsWith('#') && x.report);
  constraints.forEach((c, r) => {
    const row = businessRows[r];
    if (!c.binding || !row) return;
    for (const [i] of row.terms) {
      if (skuOfVar.has(i)) bindingByVar.set(i, [...(bindingByVar.get(i) ?? []), c.name]);
    }
  });
  const skus = built.skus.map((p) =>
    skuPlan(built, p, values, (alone.get(p.index) ?? 0) * p.pack, bindingByVar, input.startDate),
  );
  const supplierOrders: InventoryPlan['supplierOrders'] = [];
  const bySupplier = new Map<string, { value: number; skus: number }>();
  for (const s of skus) {
    if (s.orderQuantity <= 0 || s.supplierId === undefined) continue;
    const e = bySupplier.get(s.supplierId) ?? { value: 0, skus: 0 };
    e.value += s.orderCost;
    e.skus += 1;
    bySupplier.set(s.supplierId, e);
  }
  for (const [supplierId, e] of bySupplier) supplierOrders.push({ supplierId, ...e });
  return {
    ...base,
    ...solvedFacts(solved, sign),
    skus,
    totalOrderCost: skus.reduce((s, x) => s + x.orderCost, 0),
    supplierOrders,
    constraints: constraints.filter(
      (c) =>
        c.binding ||
        !c.group.includes(':') ||
        c.group.startsWith('storage:') ||
        c.group.startsWith('supplier-minimum:'),
    ),
  };
}

/**
 * @internal Builds the reorder MILP. Variables: `order_cases[sku]` (integer), value segments
 * `cover[sku][k]`, `orders_moq[sku]` and `orders_from[supplier]` (binary).
 */
export function buildInventoryModel(input: InventoryInput): InventoryModel {
  const skusIn = requireArray(input?.skus, 'skus');
  const issues: PlanIssue[] = [];
  const objective = input.objective ?? 'profit';
  if (objective !== 'profit' && objective !== 'cost')
    throw new OptimizeInputError(
      'objective',
      `must be "profit" or "cost", got ${String(objective)}`,
    );
  const periodDays = positive(input.periodDays, 1, 'periodDays');
  const reviewDays = positive(input.reviewPeriodDays, 7, 'reviewPeriodDays');
  const suppliers = new Map(
    (input.suppliers ?? []).map((s, i) => [requireId(s, `suppliers[${i}]`), s]),
  );
  const storage = new Map((input.storage ?? []).map((s, i) => [requireId(s, `storage[${i}]`), s]));
  const seen = new Set<string>();
  skusIn.forEach((s, i) => {
    const id = requireId(s, `skus[${i}]`);
    if (seen.has(id)) throw new OptimizeInputError(`skus[${i}].id`, `duplicate SKU id "${id}"`);
    seen.add(id);
    if (s.supplierId !== undefined && !suppliers.has(s.supplierId)) {
      throw new OptimizeInputError(`skus[${i}].supplierId`, `unknown supplier "${s.supplierId}"`);
    }
    if (s.storageId !== undefined && !storage.has(s.storageId)) {
      throw new OptimizeInputError(`skus[${i}].storageId`, `unknown storage area "${s.storageId}"`);
    }
  });
  const ctx = {
    periodDays,
    reviewDays,
    holdingRate: input.holdingCostRate ?? 0.25,
    objective,
    ...(input.minServiceLevel !== undefined ? { defaultServiceLevel: input.minServiceLevel } : {}),
  };
  const skus = skusIn.flatMap((s, i) => prepareSku(s, i, ctx, issues) ?? []);

  const model = new LpModel('maximize');
  const describe = new Map<string, GroupDescription>();
  const cases = new Map<number, Variable>();
  const ordersMoq = new Map<number, Variable>();
  const ordersFrom = new Map<string, Variable>();

  for (const [id, s] of suppliers) {
    const needsSwitch = (s.minOrderValue ?? 0) > 0 || (s.orderCost ?? 0) > 0;
    if (!needsSwitch || !skus.some((p) => p.sku.supplierId === id)) continue;
    ordersFrom.set(
      id,
      model.variable(`orders_from[${id}]`, { kind: 'binary', objective: -(s.orderCost ?? 0) }),
    );
  }

  for (const p of skus) {
    const id = p.sku.id;
    const n = model.variable(`order_cases[${id}]`, { kind: 'integer', upper: p.maxCases });
    cases.set(p.index, n);
    // Expected value of the stock level, piecewise linear through exact breakpoints.
    const ks = breakpoints(p);
    const segs: Array<readonly [Variable, number]> = [];
    model.objectiveConstant += p.value(p.startUnits);
    for (let j = 1; j < ks.length; j++) {
      const k0 = ks[j - 1] ?? 0;
      const k1 = ks[j] ?? 0;
      const slope =
        (p.value(p.startUnits + k1 * p.pack) - p.value(p.startUnits + k0 * p.pack)) / (k1 - k0);
      segs.push([
        model.variable(`cover[${id}][${k0}-${k1}]`, { upper: k1 - k0, objective: slope }),
        1,
      ]);
    }
    model.constrain(`cover adds up to order[${id}]`, [...segs, [n, -1]], '=', 0, '#structure');

    const supplierSwitch =
      p.sku.supplierId !== undefined ? ordersFrom.get(p.sku.supplierId) : undefined;
    const supplierGroup = supplierSwitch
      ? supplierGroupOf(p.sku.supplierId ?? '', suppliers)
      : undefined;
    if (p.moq > p.pack && p.maxCases > 0) {
      const z = model.variable(`orders_moq[${id}]`, { kind: 'binary' });
      ordersMoq.set(p.index, z);
      const group = `moq:${id}`;
      model.constrain(
        `minimum order quantity[${id}]`,
        [
          [n, p.pack],
          [z, -p.moq],
        ],
        '>=',
        0,
        group,
      );
      model.constrain(
        `order only if above minimum[${id}]`,
        [
          [n, 1],
          [z, -p.maxCases],
        ],
        '<=',
        0,
        group,
        false,
      );
      describe.set(group, { text: `minimum order of ${fmt(p.moq)} units of ${id}` });
      if (supplierSwitch)
        model.constrain(
          `order ${id} only with supplier order`,
          [
            [z, 1],
            [supplierSwitch, -1],
          ],
          '<=',
          0,
          supplierGroup,
          false,
        );
    } else if (supplierSwitch) {
      model.constrain(
        `order ${id} only with supplier order`,
        [
          [n, 1],
          [supplierSwitch, -p.maxCases],
        ],
        '<=',
        0,
        supplierGroup,
        false,
      );
    }
    if (p.sku.maxStock !== undefined && Number.isFinite(p.sku.maxStock)) {
      const room = Math.max(0, p.sku.maxStock - p.startUnits);
      const group = `max-stock:${id}`;
      model.constrain(`max stock[${id}]`, [[n, p.pack]], '<=', room, group);
      describe.set(group, {
        text: `at most ${fmt(p.sku.maxStock)} units of ${id} on hand and on order (shelf space)`,
      });
    }
    if (p.shelfLifeCap !== undefined) {
      const room = Math.max(0, p.shelfLifeCap - p.startUnits);
      const group = `shelf-life:${id}`;
      model.constrain(`sellable before expiry[${id}]`, [[n, p.pack]], '<=', room, group);
      describe.set(group, {
        text: `at most ${fmt(p.shelfLifeCap)} units of ${id} can be sold within its ${fmt(p.sku.shelfLifeDays ?? 0)}-day shelf life`,
      });
    }
    if (p.serviceTarget && p.serviceTarget.units > p.startUnits + 1e-9) {
      const group = `service-level:${id}`;
      model.constrain(
        `service level[${id}]`,
        [[n, p.pack]],
        '>=',
        p.serviceTarget.units - p.startUnits,
        group,
      );
      describe.set(group, {
        text: `${pct(p.serviceTarget.level)} service level for ${id} (needs ${fmt(Math.ceil(p.serviceTarget.units - p.startUnits))} more units)`,
      });
    }
  }

  for (const [id, s] of suppliers) {
    const u = ordersFrom.get(id);
    const mov = s.minOrderValue ?? 0;
    if (!u || mov <= 0) continue;
    const terms: Array<readonly [Variable, number]> = [];
    for (const p of skus) {
      const n = cases.get(p.index);
      if (n && p.sku.supplierId === id) terms.push([n, p.unitCost * p.pack]);
    }
    const group = `supplier-minimum:${id}`;
    model.constrain(`supplier minimum order value[${id}]`, [...terms, [u, -mov]], '>=', 0, group);
    describe.set(group, {
      text: `minimum order value of supplier ${s.name ?? id} (${money(mov)})`,
    });
  }

  let budgetRow: ConstraintDef | undefined;
  if (input.budget !== undefined) {
    if (!Number.isFinite(input.budget))
      throw new OptimizeInputError('budget', `must be a finite number, got ${input.budget}`);
    let budget = input.budget;
    if (budget < 0) {
      issues.push({
        code: 'negative_budget',
        path: 'budget',
        message: `budget ${budget} is negative: treated as 0`,
        severity: 'warning',
      });
      budget = 0;
    }
    if (budget === 0)
      issues.push({
        code: 'zero_budget',
        path: 'budget',
        message: 'budget is 0: nothing can be ordered',
        severity: 'warning',
      });
    const terms = skus.flatMap((p) => {
      const n = cases.get(p.index);
      return n ? [[n, p.unitCost * p.pack] as const] : [];
    });
    budgetRow = model.constrain('budget', terms, '<=', budget, 'budget');
    describe.set('budget', { text: `budget of ${money(budget)}`, resource: { format: money } });
  }

  for (const [id, area] of storage) {
    const members = skus.filter((p) => p.sku.storageId === id);
    if (members.length === 0) continue;
    if (!Number.isFinite(area.capacity))
      throw new OptimizeInputError(`storage.${id}.capacity`, 'capacity must be a finite number');
    const used = members.reduce((s, p) => s + p.unitVolume * p.startUnits, 0);
    const free = Math.max(0, area.capacity - used);
    if (used > area.capacity) {
      issues.push({
        code: 'storage_over_capacity',
        path: `storage.${id}`,
        message: `storage ${area.name ?? id} already holds ${fmt(used)} of ${fmt(area.capacity)}: nothing more can be stored there`,
        severity: 'warning',
      });
    }
    for (const p of members) {
      const smallest = Math.max(p.pack, Math.ceil(p.moq / p.pack - 1e-9) * p.pack) * p.unitVolume;
      if (smallest > free + 1e-9 && p.maxCases > 0) {
        issues.push({
          code: 'order_exceeds_capacity',
          path: `skus[${p.index}]`,
          message: `SKU ${p.sku.id}: smallest possible order (${fmt(smallest)} space) exceeds the free space in ${area.name ?? id} (${fmt(free)})`,
          severity: 'warning',
        });
      }
    }
    const group = `storage:${id}`;
    const terms = members.flatMap((p) => {
      const n = cases.get(p.index);
      return n ? [[n, p.unitVolume * p.pack] as const] : [];
    });
    model.constrain(`storage capacity[${id}]`, terms, '<=', free, group);
    describe.set(group, {
      text: `storage ${area.name ?? id} (${fmt(free)} free of ${fmt(area.capacity)})`,
      resource: { format: (x) => `${fmt(x)} space` },
    });
  }
  return {
    model,
    skus,
    cases,
    ordersFrom,
    describe,
    ...(budgetRow ? { budgetRow } : {}),
    issues,
    objective,
    periodDays,
    reviewDays,
  };
}

function skuPlan(
  built: InventoryModel,
  p: PreparedSku,
  values: Float64Array,
  alone: number,
  bindingByVar: ReadonlyMap<number, string[]>,
  startDate: string | undefined,
): SkuPlan {
  const n = built.cases.get(p.index);
  const k = n ? Math.round(values[n.index] ?? 0) : 0;
  const qty = k * p.pack;
  const units = p.startUnits + qty;
  const out = skuOutcome(p, units);
  const binding: string[] = [];
  const id = p.sku.id;
  for (const name of n ? (bindingByVar.get(n.index) ?? []) : []) {
    const pushesUp =
      name.startsWith('service level[') || name.startsWith('minimum order quantity[');
    if (pushesUp ? qty > alone : qty < alone) binding.push(name);
  }
  if (p.moq > p.pack && qty === 0 && bestCasesAlone(p, false) > 0)
    binding.push(`minimum order quantity[${id}]`);
  const sup = p.sku.supplierId;
  if (sup !== undefined && qty === 0 && alone > 0) {
    const u = built.ordersFrom.get(sup);
    const hasMinimum = built.model.constraints.some(
      (r) => r.group === `supplier-minimum:${sup}` && r.report,
    );
    if (u && hasMinimum && (values[u.index] ?? 0) < 0.5)
      binding.push(`supplier minimum order value[${sup}]`);
  }
  let orderDay: number | undefined;
  if (qty > 0) {
    const level = Math.min(0.99, Math.max(0.5, out.cycleServiceLevel));
    orderDay = latestOrderDay(p, level, built.periodDays, built.reviewDays);
  }
  const contribution = p.value(units);
  return {
    skuId: id,
    ...(p.sku.name !== undefined ? { name: p.sku.name } : {}),
    ...(sup !== undefined ? { supplierId: sup } : {}),
    orderQuantity: qty,
    cases: k,
    ...(orderDay !== undefined ? { orderDay } : {}),
    ...(orderDay !== undefined && startDate ? { orderDate: addDaysIso(startDate, orderDay) } : {}),
    orderCost: qty * p.unitCost,
    ...out,
    objectiveContribution: built.objective === 'profit' ? contribution : -contribution,
    unconstrainedQuantity: alone,
    bindingConstraints: [...new Set(binding)],
  };
}

function supplierGroupOf(id: string, suppliers: Map<string, { minOrderValue?: number }>): string {
  return (suppliers.get(id)?.minOrderValue ?? 0) > 0 ? `supplier-minimum:${id}` : '#supplier-link';
}

function positive(x: number | undefined, fallback: number, path: string): number {
  if (x === undefined) return fallback;
  if (!Number.isFinite(x) || x <= 0)
    throw new OptimizeInputError(path, `must be a positive number, got ${x}`);
  return x;
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(1);
}

function pct(x: number): string {
  return `${Math.round(x * 1000) / 10}%`;
}
