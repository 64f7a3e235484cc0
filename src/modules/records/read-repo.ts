import type { TenantTx } from '../../platform/tenancy/context.js';

/**
 * Reads of canonical records for other modules (the plans module builds optimizer inputs from
 * them). Numbers arrive as JavaScript numbers (numeric is parsed as a number, see
 * platform/db/type-parsers.ts); dates as `YYYY-MM-DD` strings.
 */

/** An active product with what reordering needs and its current stock. */
export interface PlanningProductRow {
  id: string;
  sku: string;
  name: string;
  supplier: string | null;
  unit_cost: number | null;
  unit_price: number | null;
  lead_time_days: number | null;
  case_pack: number;
  min_order_qty: number;
  shelf_life_days: number | null;
  storage_units: number;
  /** Units on hand: the latest snapshot of each location, summed; null without any snapshot. */
  on_hand: number | null;
  /** Time of the newest snapshot counted in `on_hand`. */
  stock_at: Date | null;
}

/** Active products, by SKU, with the latest inventory snapshot per location summed. */
export async function listPlanningProducts(tx: TenantTx): Promise<PlanningProductRow[]> {
  const { rows } = await tx.query<PlanningProductRow>(
    `select p.id, p.sku, p.name, p.supplier, p.unit_cost, p.unit_price, p.lead_time_days, p.case_pack,
            p.min_order_qty, p.shelf_life_days, p.storage_units, s.on_hand, s.stock_at
       from products p
       left join lateral (
         select sum(l.on_hand) as on_hand, max(l.time) as stock_at
           from (select distinct on (il.location) il.on_hand, il.time
                   from inventory_levels il
                  where il.product_id = p.id
                  order by il.location, il.time desc) l
       ) s on true
      where p.active
      order by p.sku, p.created_at`,
    [],
    'records.listPlanningProducts',
  );
  return rows;
}

/** How many active products the business has (sizes a plan before reading them all). */
export async function countActiveProducts(tx: TenantTx): Promise<number> {
  const { rows } = await tx.query<{ n: number }>(
    'select count(*)::int as n from products where active',
    [],
    'records.countActiveProducts',
  );
  return rows[0]?.n ?? 0;
}

/** A person who can be scheduled; `availability` is `{ mon: [[6, 19]], … }` in local hours. */
export interface StaffRow {
  id: string;
  name: string;
  skills: string[];
  hourly_rate: number;
  min_hours_per_week: number;
  max_hours_per_week: number;
  availability: Record<string, unknown>;
}

/** Active staff, by name. */
export async function listActiveStaff(tx: TenantTx): Promise<StaffRow[]> {
  const { rows } = await tx.query<StaffRow>(
    `select id, name, skills, hourly_rate, min_hours_per_week, max_hours_per_week, availability
       from staff where active order by name, id`,
    [],
    'records.listActiveStaff',
  );
  return rows;
}

/** One channel's marketing on one day: spend and the revenue the platform attributed to it. */
export interface MarketingDayRow {
  channel: string;
  day: string;
  spend: number;
  /** Null when no campaign of the day reported attributed revenue. */
  attributed_revenue: number | null;
}

/** Daily marketing spend per channel (campaigns summed) over days `[from, to)`. */
export async function listMarketingDays(
  tx: TenantTx,
  from: string,
  to: string,
): Promise<MarketingDayRow[]> {
  const { rows } = await tx.query<MarketingDayRow>(
    `select channel, day, sum(spend) as spend, sum(attributed_revenue) as attributed_revenue
       from marketing_spend
      where day >= $1::date and day < $2::date
      group by channel, day
      order by channel, day`,
    [from, to],
    'records.listMarketingDays',
  );
  return rows;
}
