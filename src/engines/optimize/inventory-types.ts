import type { DemandStep } from './demand.js';
import type { SolveOptions } from './highs-runtime.js';
import type {
  ConstraintReport,
  InfeasibilityExplanation,
  PlanIssue,
  SolveReport,
} from './plan-types.js';

/** One stock-keeping unit to plan a reorder for. */
export interface InventorySku {
  id: string;
  name?: string;
  /** Supplier id (see {@link InventoryInput.suppliers}); SKUs without one are ordered alone. */
  supplierId?: string;
  /** Purchase cost per unit. Missing or non-finite: the SKU is excluded and flagged. */
  unitCost?: number;
  /** Selling price per unit. Needed for the `profit` objective (missing: excluded, flagged). */
  price?: number;
  /** Units on hand now (default 0). */
  stock?: number;
  /** Units already ordered and not yet received (default 0). */
  onOrder?: number;
  /** Days from placing an order to receiving it (default 0 = same day, flagged). */
  leadTimeDays?: number;
  /** Demand forecast, one entry per step of `periodDays` days, starting today. */
  demand: readonly DemandStep[];
  /** Minimum order quantity in units (an order is either 0 or at least this). */
  moq?: number;
  /** Units per case; orders are whole cases (default 1). */
  casePack?: number;
  /** Holding cost per unit per day (default: unitCost × holdingCostRate / 365). */
  holdingCostPerUnitDay?: number;
  /** Extra cost per unit of unmet demand beyond the lost margin (goodwill; default 0). */
  stockoutPenalty?: number;
  /** Days a unit can be sold before it expires. */
  shelfLifeDays?: number;
  /** Storage area id (see {@link InventoryInput.storage}). */
  storageId?: string;
  /** Space one unit takes in its storage area (default 1). */
  unitVolume?: number;
  /** Most units this SKU may have on hand + on order (shelf facings). */
  maxStock?: number;
  /** Required probability that stock covers demand until the next order arrives (0–1). */
  minServiceLevel?: number;
}

/** A supplier: minimum order value and fixed cost per order. */
export interface InventorySupplier {
  id: string;
  name?: string;
  /** An order from this supplier is either empty or worth at least this much. */
  minOrderValue?: number;
  /** Fixed cost per order placed with this supplier (delivery fee). */
  orderCost?: number;
}

/** A storage area shared by several SKUs. */
export interface StorageArea {
  id: string;
  name?: string;
  /** Capacity in the same unit as SKUs' `unitVolume`. */
  capacity: number;
}

/** The reorder problem. */
export interface InventoryInput {
  skus: readonly InventorySku[];
  suppliers?: readonly InventorySupplier[];
  storage?: readonly StorageArea[];
  /** Most money to spend on this round of orders. */
  budget?: number;
  /** Length of one forecast step in days (default 1). */
  periodDays?: number;
  /** Days until the next ordering opportunity (default 7). Orders cover lead time + this. */
  reviewPeriodDays?: number;
  /** Annual holding cost as a fraction of unit cost (default 0.25). */
  holdingCostRate?: number;
  /** Default `minServiceLevel` for SKUs that do not set one. */
  minServiceLevel?: number;
  /** `profit` (default): maximise expected profit; `cost`: minimise expected total cost. */
  objective?: 'profit' | 'cost';
  /** ISO date of day 0; when given, order dates are reported as ISO dates too. */
  startDate?: string;
}

/** The plan for one SKU. */
export interface SkuPlan {
  skuId: string;
  name?: string;
  supplierId?: string;
  /** Units to order (a whole number of cases). */
  orderQuantity: number;
  cases: number;
  /** Day (0 = today) by which to place the order; undefined when nothing is ordered. */
  orderDay?: number;
  /** `startDate + orderDay` as an ISO date, when `startDate` was given. */
  orderDate?: string;
  /** Purchase cost of the order. */
  orderCost: number;
  /** Demand expected over the coverage window (lead time + review period). */
  expectedDemand: number;
  expectedSales: number;
  expectedLeftover: number;
  expectedShortage: number;
  /** P(stock covers all demand in the window). */
  cycleServiceLevel: number;
  /** Expected share of demand served. */
  fillRate: number;
  /** Expected profit contribution (profit objective) or expected cost (cost objective). */
  objectiveContribution: number;
  /** Best order for this SKU alone, ignoring budget, capacity and supplier minimums. */
  unconstrainedQuantity: number;
  /** Names of the constraints that hold this SKU's order where it is. */
  bindingConstraints: string[];
}

/** Result of {@link solveInventory}. Plain JSON. */
export interface InventoryPlan extends SolveReport {
  objectiveKind: 'profit' | 'cost';
  skus: SkuPlan[];
  totalOrderCost: number;
  /** Suppliers that receive an order, with order value. */
  supplierOrders: Array<{ supplierId: string; value: number; skus: number }>;
  constraints: ConstraintReport[];
  issues: PlanIssue[];
  infeasibility?: InfeasibilityExplanation;
}

/** Options for {@link solveInventory}. */
export type InventoryOptions = SolveOptions;
