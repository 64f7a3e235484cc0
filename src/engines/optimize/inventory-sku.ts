import {
  cycleServiceLevel,
  expectedDemand,
  expectedSales,
  stepToNormal,
  stockForServiceLevel,
  windowDemand,
} from './demand.js';
import type { DemandNote, NormalDemand } from './demand.js';
import type { InventorySku } from './inventory-types.js';
import type { PlanIssue } from './plan-types.js';

/**
 * @internal One SKU after validation: everything the model needs, in units and money.
 * `value(y)` is the SKU's objective (expected profit, or minus expected cost) when `y` units
 * (on hand + on order + new order) cover the window; it is concave in `y`.
 */
export interface PreparedSku {
  index: number;
  sku: InventorySku;
  /** Units already covering the window (stock + on order). */
  startUnits: number;
  pack: number;
  moq: number;
  unitCost: number;
  unitVolume: number;
  leadTimeDays: number;
  /** Window demand (lead time + review period). */
  window: NormalDemand;
  /** Daily demand steps as normals, for order dates. */
  steps: NormalDemand[];
  /** Most cases worth considering. */
  maxCases: number;
  /** Units needed for the service-level target, if any. */
  serviceTarget?: { level: number; units: number };
  /** Most units on hand + on order before expiry losses dominate (shelf life). */
  shelfLifeCap?: number;
  value: (units: number) => number;
}

/** @internal Shared settings for preparing SKUs. */
export interface SkuContext {
  periodDays: number;
  reviewDays: number;
  holdingRate: number;
  objective: 'profit' | 'cost';
  defaultServiceLevel?: number;
}

/** @internal Reads a SKU, pushing data problems to `issues`; undefined when excluded. */
export function prepareSku(
  sku: InventorySku,
  index: number,
  ctx: SkuContext,
  issues: PlanIssue[],
): PreparedSku | undefined {
  const path = `skus[${index}]`;
  const exclude = (code: string, field: string, message: string): undefined => {
    issues.push({
      code,
      path: `${path}.${field}`,
      message: `SKU ${sku.id}: ${message}; left out of the plan`,
      severity: 'excluded',
    });
    return undefined;
  };
  const warn = (code: string, field: string, message: string): void => {
    issues.push({
      code,
      path: `${path}.${field}`,
      message: `SKU ${sku.id}: ${message}`,
      severity: 'warning',
    });
  };
  const unitCost = sku.unitCost;
  if (unitCost === undefined || !Number.isFinite(unitCost))
    return exclude('missing_cost', 'unitCost', 'unit cost is missing');
  if (unitCost < 0)
    return exclude('negative_cost', 'unitCost', `unit cost ${unitCost} is negative`);
  const price = sku.price;
  if (ctx.objective === 'profit' && (price === undefined || !Number.isFinite(price))) {
    return exclude(
      'missing_price',
      'price',
      'selling price is missing (needed for expected profit)',
    );
  }
  if (price !== undefined && price < unitCost)
    warn('price_below_cost', 'price', `price ${price} is below cost ${unitCost}`);
  if (!Array.isArray(sku.demand) || sku.demand.length === 0)
    return exclude('missing_demand', 'demand', 'no demand forecast');

  const pack = num(sku.casePack, 1);
  if (!(pack > 0))
    return exclude('invalid_case_pack', 'casePack', `case pack ${sku.casePack} is not positive`);
  let lead = num(sku.leadTimeDays, 0);
  if (lead < 0)
    return exclude('negative_lead_time', 'leadTimeDays', `lead time ${lead} days is negative`);
  if (sku.leadTimeDays === undefined || lead === 0) {
    warn('zero_lead_time', 'leadTimeDays', 'lead time is 0: same-day delivery assumed');
    lead = 0;
  }
  let stock = num(sku.stock, 0);
  if (stock < 0) {
    warn('negative_stock', 'stock', `stock ${stock} is negative: treated as 0`);
    stock = 0;
  }
  const onOrder = Math.max(0, num(sku.onOrder, 0));
  let moq = num(sku.moq, 0);
  if (moq < 0) {
    warn('negative_moq', 'moq', `minimum order ${moq} is negative: ignored`);
    moq = 0;
  }
  const unitVolume = Math.max(0, num(sku.unitVolume, 1));

  const notes: DemandNote[] = [];
  const steps = sku.demand.map((s) => stepToNormal(s, notes));
  const windowDays = lead + ctx.reviewDays;
  const window = windowDemand(steps, ctx.periodDays, 0, windowDays, notes);
  for (const code of new Set(notes.map((n) => n.code))) {
    const n = notes.find((x) => x.code === code);
    if (n) warn(code, 'demand', n.message);
  }

  const holdingDay = sku.holdingCostPerUnitDay ?? (unitCost * ctx.holdingRate) / 365;
  const holdingWindow = Math.max(0, holdingDay) * windowDays;
  const penalty = Math.max(0, num(sku.stockoutPenalty, 0));
  const shelf = sku.shelfLifeDays;
  let shelfDemand: NormalDemand | undefined;
  let shelfLifeCap: number | undefined;
  if (shelf !== undefined && Number.isFinite(shelf)) {
    if (shelf <= 0)
      return exclude(
        'invalid_shelf_life',
        'shelfLifeDays',
        `shelf life ${shelf} days is not positive`,
      );
    if (shelf < windowDays) {
      shelfDemand = windowDemand(steps, ctx.periodDays, 0, shelf);
      shelfLifeCap = stockForServiceLevel(0.95, shelfDemand);
    }
  }
  const meanDemand = expectedDemand(window);
  const waste = (y: number): number => (shelfDemand ? y - expectedSales(y, shelfDemand) : 0);
  const margin = (price ?? unitCost) - unitCost;
  const start = stock + onOrder;
  const value =
    ctx.objective === 'profit'
      ? (y: number): number => {
          const s = expectedSales(y, window);
          return (
            (margin + penalty + holdingWindow / 2) * s -
            holdingWindow * y -
            penalty * meanDemand -
            unitCost * waste(y)
          );
        }
      : (y: number): number => {
          const s = expectedSales(y, window);
          const shortage = penalty + Math.max(0, margin);
          return -(
            unitCost * (y - start) +
            holdingWindow * (y - s / 2) +
            shortage * (meanDemand - s) +
            unitCost * waste(y)
          );
        };
  if (ctx.objective === 'cost' && penalty + Math.max(0, margin) <= 0) {
    warn(
      'no_stockout_cost',
      'stockoutPenalty',
      'no price or stock-out penalty: the cost objective sees no reason to stock it',
    );
  }

  let serviceTarget: PreparedSku['serviceTarget'];
  const level = sku.minServiceLevel ?? ctx.defaultServiceLevel;
  if (level !== undefined) {
    if (!(level > 0 && level < 1)) {
      warn(
        'invalid_service_level',
        'minServiceLevel',
        `service level ${level} is not between 0 and 1: ignored`,
      );
    } else {
      serviceTarget = { level, units: stockForServiceLevel(level, window) };
      // A target this SKU's own limits rule out (MOQ, case pack, shelf space, shelf life) is
      // a data contradiction, not a planning conflict: flag it and plan without it.
      const caps = [sku.maxStock, shelfLifeCap].filter(
        (c): c is number => c !== undefined && Number.isFinite(c),
      );
      const maxK = caps.length
        ? Math.floor(Math.max(0, Math.min(...caps) - start) / pack + 1e-9)
        : Infinity;
      const needK = Math.max(0, Math.ceil((serviceTarget.units - start) / pack - 1e-9));
      const minK = needK > 0 ? Math.max(needK, Math.ceil(moq / pack - 1e-9)) : 0;
      if (minK > maxK) {
        const why = [
          sku.maxStock !== undefined ? `max stock ${sku.maxStock}` : '',
          shelfLifeCap !== undefined ? `${shelf}-day shelf life` : '',
          moq > 0 ? `MOQ ${moq}` : '',
          pack > 1 ? `case pack ${pack}` : '',
        ].filter(Boolean);
        warn(
          'service_level_unreachable',
          'minServiceLevel',
          `a ${Math.round(level * 100)}% service level cannot be met within its own limits (${why.join(', ')}); target ignored`,
        );
        serviceTarget = undefined;
      }
    }
  }
  const usefulTop = Math.max(window.mean + 4 * window.sd, serviceTarget?.units ?? 0);
  let maxCases = usefulTop > start ? Math.ceil((usefulTop - start) / pack - 1e-9) : 0;
  if (maxCases > 0 && moq > 0) maxCases = Math.max(maxCases, Math.ceil(moq / pack - 1e-9));
  return {
    index,
    sku,
    startUnits: start,
    pack,
    moq,
    unitCost,
    unitVolume,
    leadTimeDays: lead,
    window,
    steps,
    maxCases,
    ...(serviceTarget ? { serviceTarget } : {}),
    ...(shelfLifeCap !== undefined ? { shelfLifeCap } : {}),
    value,
  };
}

/** Standard deviations around the mean where the value function is sampled (denser where it bends). */
const Z_GRID = [-2.5, -1.5, -1, -0.5, -0.25, 0, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2, 2.5, 3, 4];

/**
 * @internal Case counts at which the value function is sampled: every count for small
 * ranges, otherwise a grid in standard deviations around the mean (where the curvature is)
 * plus the ends and any special point (MOQ, service target).
 */
export function breakpoints(p: PreparedSku): number[] {
  const n = p.maxCases;
  if (n <= 40) return Array.from({ length: n + 1 }, (_, k) => k);
  const ks = new Set<number>([0, n]);
  const toCases = (y: number): number =>
    Math.min(n, Math.max(0, Math.round((y - p.startUnits) / p.pack)));
  for (const z of Z_GRID) ks.add(toCases(p.window.mean + z * p.window.sd));
  if (p.moq > 0) ks.add(Math.min(n, Math.ceil(p.moq / p.pack - 1e-9)));
  if (p.serviceTarget) ks.add(toCases(p.serviceTarget.units));
  if (p.shelfLifeCap !== undefined) ks.add(toCases(p.shelfLifeCap));
  return [...ks].sort((a, b) => a - b);
}

/**
 * @internal Best whole number of cases for one SKU alone (MOQ and case pack respected,
 * nothing shared): binary search on the concave value's increments.
 */
export function bestCasesAlone(p: PreparedSku, respectMoq = true): number {
  const f = (k: number): number => p.value(p.startUnits + k * p.pack);
  let lo = 0;
  let hi = p.maxCases;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (f(mid + 1) > f(mid) + 1e-9) lo = mid + 1;
    else hi = mid;
  }
  const minCases = Math.ceil(p.moq / p.pack - 1e-9);
  if (!respectMoq || lo === 0 || lo >= minCases) return lo;
  const k = Math.min(minCases, p.maxCases);
  return f(k) > f(0) + 1e-9 ? k : 0;
}

/**
 * @internal Latest day (0 … review period) on which the order can be placed so that the stock
 * already held still covers demand until it arrives, at the given service level.
 */
export function latestOrderDay(
  p: PreparedSku,
  level: number,
  periodDays: number,
  reviewDays: number,
): number {
  let day = 0;
  for (let d = 1; d <= reviewDays; d++) {
    const need = windowDemand(p.steps, periodDays, 0, d + p.leadTimeDays);
    if (stockForServiceLevel(level, need) <= p.startUnits) day = d;
    else break;
  }
  return day;
}

/** @internal Window statistics of one SKU at `units` on hand + on order + ordered. */
export function skuOutcome(p: PreparedSku, units: number) {
  const demand = expectedDemand(p.window);
  const sales = expectedSales(units, p.window);
  return {
    expectedDemand: demand,
    expectedSales: sales,
    expectedLeftover: units - sales,
    expectedShortage: Math.max(0, demand - sales),
    cycleServiceLevel: cycleServiceLevel(units, p.window),
    fillRate: demand > 0 ? sales / demand : 1,
  };
}

function num(x: number | undefined, fallback: number): number {
  return x !== undefined && Number.isFinite(x) ? x : fallback;
}
