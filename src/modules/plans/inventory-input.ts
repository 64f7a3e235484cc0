import type {
  DemandStep,
  InventoryInput,
  InventorySku,
  PlanIssue,
} from '../../engines/optimize/index.js';
import { AppError, type FieldError } from '../../platform/errors/app-error.js';
import type { TenantTx } from '../../platform/tenancy/context.js';
import { countActiveProducts, listPlanningProducts } from '../records/read-repo.js';
import type { PlanningProductRow } from '../records/read-repo.js';
import {
  definedFields,
  duplicateIds,
  invalidRequest,
  type BuildContext,
  type Built,
} from './build-context.js';
import { addDays, daysBetween } from './dates.js';
import { forecastCounts } from './demand-forecast.js';
import type { InventoryRequest } from './schemas.js';

/** Defaults of an inventory plan (docs/plans.md). */
export const INVENTORY_DEFAULTS = { historyDays: 120, reviewPeriodDays: 7 } as const;
/** Days of demand kept beyond each SKU's window (lead time + review), for what-ifs. */
const DEMAND_MARGIN_DAYS = 14;
const MAX_DEMAND_DAYS = 400;
/** History older than this many days before the plan date is flagged. */
const STALE_DAYS = 14;
const SKUS_PER_TRANSACTION = 100;

type SkuOverride = NonNullable<InventoryRequest['skus']>[number];

/** Checks of an inventory request that need no data: 400 with paths. */
export function validateInventoryRequest(req: InventoryRequest): void {
  const errors: FieldError[] = duplicateIds(req.skus, 'skus', 'sku');
  errors.push(...duplicateIds(req.suppliers, 'suppliers', 'id'));
  errors.push(...duplicateIds(req.storage, 'storage', 'id'));
  const areas = new Set((req.storage ?? []).map((s) => s.id));
  req.skus?.forEach((s, i) => {
    if (s.storageId !== undefined && !areas.has(s.storageId))
      errors.push({
        path: `/body/skus/${i}/storageId`,
        message: `"${s.storageId}" is not one of the storage areas given in /body/storage`,
      });
    if (s.demand && s.dailyDemand !== undefined)
      errors.push({
        path: `/body/skus/${i}/dailyDemand`,
        message: 'give demand or dailyDemand, not both',
      });
  });
  if (errors.length) throw invalidRequest(errors);
}

/** How many SKUs a request would plan, without reading them (decides inline or job). */
export async function countInventorySkus(tx: TenantTx, req: InventoryRequest): Promise<number> {
  if (req.only) return req.only.length;
  return (await countActiveProducts(tx)) + (req.skus?.length ?? 0);
}

interface Draft {
  sku: string;
  productId: string | null;
  fields: Omit<InventorySku, 'id' | 'demand'> & { supplier?: string | null };
  override: SkuOverride | undefined;
  stockAt: Date | null;
  hasStockSnapshot: boolean;
}

function fromProduct(p: PlanningProductRow): Draft {
  return {
    sku: p.sku,
    productId: p.id,
    override: undefined,
    stockAt: p.stock_at,
    hasStockSnapshot: p.on_hand !== null,
    fields: {
      name: p.name,
      supplier: p.supplier,
      ...(p.unit_cost !== null ? { unitCost: p.unit_cost } : {}),
      ...(p.unit_price !== null ? { price: p.unit_price } : {}),
      stock: p.on_hand ?? 0,
      ...(p.lead_time_days !== null ? { leadTimeDays: p.lead_time_days } : {}),
      casePack: p.case_pack,
      moq: p.min_order_qty,
      ...(p.shelf_life_days !== null ? { shelfLifeDays: p.shelf_life_days } : {}),
      unitVolume: p.storage_units,
    },
  };
}

function applyOverride(d: Draft, o: SkuOverride): void {
  const { sku: _sku, exclude: _x, dailyDemand: _dd, demand: _d, supplier, ...rest } = o;
  d.override = o;
  const f = d.fields as Record<string, unknown>;
  for (const [k, v] of Object.entries(definedFields(rest))) {
    if (v === null) delete f[k];
    else f[k] = v;
  }
  if (supplier !== undefined) d.fields.supplier = supplier;
  if (o.stock !== undefined) d.hasStockSnapshot = true;
}

/** Days of demand a SKU's input carries: its window plus a margin. */
function demandDays(d: Draft, reviewDays: number): number {
  return Math.min(MAX_DEMAND_DAYS, (d.fields.leadTimeDays ?? 0) + reviewDays + DEMAND_MARGIN_DAYS);
}

interface History {
  /** First day of the SKU histories (the first day with any sales of any SKU). */
  from: string;
  /** Last day with sales data (inclusive). */
  to: string;
}

/** The window of daily units_sold data before `asOf`, or null when there is none. */
async function historyWindow(
  tx: TenantTx,
  ctx: BuildContext,
  asOf: string,
  historyDays: number,
): Promise<History | null> {
  const from = addDays(asOf, -historyDays);
  const total = await ctx.metrics.series(tx, ctx.timeZone, 'units_sold', {
    interval: 'day',
    from,
    to: asOf,
    dims: {},
  });
  const first = total.points.findIndex((p) => p.value !== null);
  if (first < 0) return null;
  let last = total.points.length - 1;
  while (total.points[last]!.value === null) last--;
  return { from: addDays(from, first), to: addDays(from, last) };
}

/** Daily units sold of one SKU over the window: days without sales are 0, days before its first sale dropped. */
async function skuHistory(
  tx: TenantTx,
  ctx: BuildContext,
  sku: string,
  h: History,
): Promise<number[]> {
  const s = await ctx.metrics.series(tx, ctx.timeZone, 'units_sold', {
    interval: 'day',
    from: h.from,
    to: addDays(h.to, 1),
    dims: { sku },
  });
  const first = s.points.findIndex((p) => p.value !== null);
  return first < 0 ? [] : s.points.slice(first).map((p) => p.value ?? 0);
}

/**
 * Builds the reorder problem from the tenant's products, latest stock and a forecast of each
 * SKU's daily units sold, then applies the request's overrides. Reads run in transactions of
 * 100 SKUs, so a job can report progress between them.
 */
export async function buildInventoryInput(
  ctx: BuildContext,
  req: InventoryRequest,
): Promise<Built<InventoryInput>> {
  const asOf = req.asOf ?? ctx.today;
  const reviewDays = req.reviewPeriodDays ?? INVENTORY_DEFAULTS.reviewPeriodDays;
  const historyDays = req.historyDays ?? INVENTORY_DEFAULTS.historyDays;
  const issues: PlanIssue[] = [];
  const { products, history } = await ctx.run(async (tx) => ({
    products: await listPlanningProducts(tx),
    history: await historyWindow(tx, ctx, asOf, historyDays),
  }));

  const drafts = new Map<string, Draft>();
  for (const p of products) {
    if (drafts.has(p.sku)) {
      issues.push({
        code: 'duplicate_sku',
        path: `skus[id=${p.sku}]`,
        message: `two active products share SKU ${p.sku}; the older one is planned`,
        severity: 'warning',
      });
      continue;
    }
    drafts.set(p.sku, fromProduct(p));
  }
  const excluded = new Set<string>();
  for (const o of req.skus ?? []) {
    let d = drafts.get(o.sku);
    if (!d) {
      d = {
        sku: o.sku,
        productId: null,
        override: undefined,
        stockAt: null,
        hasStockSnapshot: false,
        fields: {},
      };
      drafts.set(o.sku, d);
    }
    applyOverride(d, o);
    if (o.exclude) excluded.add(o.sku);
  }
  const only = req.only ? new Set(req.only) : null;
  for (const sku of only ?? []) {
    if (!drafts.has(sku))
      issues.push({
        code: 'unknown_sku',
        path: `only`,
        message: `${sku}: no active product has this SKU; give its data in skus[] to plan it`,
        severity: 'excluded',
      });
  }
  const planned = [...drafts.values()].filter(
    (d) => !excluded.has(d.sku) && (!only || only.has(d.sku)),
  );
  if (planned.length === 0)
    throw new AppError(
      'unprocessable',
      'no SKUs to plan: the business has no active products (import them) and the request gives none in skus[]',
      { errors: [{ path: '/body/skus', message: 'no SKUs to plan' }] },
    );

  const skus: InventorySku[] = [];
  const gap = history ? Math.max(0, daysBetween(addDays(history.to, 1), asOf)) : 0;
  if (history && gap > STALE_DAYS)
    issues.push({
      code: 'stale_history',
      path: 'demand',
      message: `the latest sales data is from ${history.to}, ${gap} days before ${asOf}: forecasts start from there`,
      severity: 'warning',
    });
  for (let i = 0; i < planned.length; i += SKUS_PER_TRANSACTION) {
    const chunk = planned.slice(i, i + SKUS_PER_TRANSACTION);
    const needHistory = chunk.filter(
      (d) => !d.override?.demand && d.override?.dailyDemand === undefined,
    );
    const histories = history
      ? await ctx.run(async (tx) => {
          const out = new Map<string, number[]>();
          for (const d of needHistory) out.set(d.sku, await skuHistory(tx, ctx, d.sku, history));
          return out;
        })
      : new Map<string, number[]>();
    for (const d of chunk) {
      const days = demandDays(d, reviewDays);
      skus.push({
        id: d.sku,
        ...definedFields({ ...d.fields, supplier: undefined }),
        ...(d.fields.supplier ? { supplierId: d.fields.supplier } : {}),
        ...(req.storage && d.fields.storageId === undefined
          ? { storageId: req.storage[0]!.id }
          : {}),
        demand: demandOf(d, days, histories.get(d.sku), gap, req, issues),
      });
      if (!d.hasStockSnapshot && d.productId !== null)
        issues.push({
          code: 'no_stock_snapshot',
          path: `skus[id=${d.sku}].stock`,
          message: `${d.sku}: no stock count on record; assumed 0 on hand`,
          severity: 'warning',
        });
    }
    await ctx.progress(
      0.05 + (0.5 * Math.min(planned.length, i + chunk.length)) / Math.max(1, planned.length),
      `demand forecasts ${Math.min(planned.length, i + chunk.length)}/${planned.length}`,
    );
  }

  const supplierIds = [...new Set(skus.flatMap((s) => (s.supplierId ? [s.supplierId] : [])))];
  const given = new Map((req.suppliers ?? []).map((s) => [s.id, s]));
  const input: InventoryInput = {
    skus,
    suppliers: supplierIds.map((id) => given.get(id) ?? { id }),
    ...(req.storage ? { storage: req.storage } : {}),
    ...definedFields({
      budget: req.budget,
      holdingCostRate: req.holdingCostRate,
      minServiceLevel: req.minServiceLevel,
      objective: req.objective,
    }),
    reviewPeriodDays: reviewDays,
    periodDays: 1,
    startDate: asOf,
  };
  return {
    input,
    issues,
    facts: {
      asOf,
      historyFrom: history?.from ?? null,
      historyTo: history?.to ?? null,
      skusInData: products.length,
      forecastModels: req.forecastModels ?? 'fast',
    },
  };
}

function demandOf(
  d: Draft,
  days: number,
  history: number[] | undefined,
  gap: number,
  req: InventoryRequest,
  issues: PlanIssue[],
): DemandStep[] {
  if (d.override?.demand) return d.override.demand;
  if (d.override?.dailyDemand !== undefined)
    return Array.from({ length: days }, () => ({ mean: d.override!.dailyDemand! }));
  if (!history?.length || history.every((v) => v === 0)) {
    issues.push({
      code: 'no_demand_history',
      path: `skus[id=${d.sku}].demand`,
      message: `${d.sku}: no sales in the history window; demand assumed 0 (give dailyDemand to plan it)`,
      severity: 'warning',
    });
    return Array.from({ length: days }, () => ({ mean: 0, sd: 0 }));
  }
  const fc = forecastCounts(history, gap + days, {
    frequency: 'daily',
    seasonalPeriods: [7],
    pool: req.forecastModels ?? 'fast',
  });
  return fc.steps.slice(gap);
}
