/** How the overview groups metrics: by the part of the business they describe. */

export const GROUPS = [
  { id: 'sales', title: 'Sales' },
  { id: 'customers', title: 'Customers' },
  { id: 'cash', title: 'Cash' },
  { id: 'inventory', title: 'Inventory' },
  { id: 'labour', title: 'Labour' },
  { id: 'marketing', title: 'Marketing' },
  { id: 'custom', title: 'Your metrics' },
] as const;

export type GroupId = (typeof GROUPS)[number]['id'];

const BY_METRIC: Record<string, GroupId> = {
  revenue: 'sales',
  gross_sales: 'sales',
  discounts: 'sales',
  refunds: 'sales',
  orders: 'sales',
  units_sold: 'sales',
  average_order_value: 'sales',
  cogs: 'sales',
  gross_profit: 'sales',
  gross_margin: 'sales',
  refund_rate: 'sales',
  new_customers: 'customers',
  returning_customers: 'customers',
  active_customers: 'customers',
  active_customers_sum: 'customers',
  churned_customers: 'customers',
  churn_rate: 'customers',
  cash_balance: 'cash',
  cash_in: 'cash',
  cash_out: 'cash',
  accounts_receivable: 'cash',
  accounts_payable: 'cash',
  inventory_value: 'inventory',
  stockouts: 'inventory',
  days_of_inventory: 'inventory',
  labour_cost: 'labour',
  labour_hours: 'labour',
  labour_cost_pct: 'labour',
  marketing_spend: 'marketing',
  marketing_revenue: 'marketing',
  roas: 'marketing',
};

/** Catalogue metrics only useful as a denominator; not shown as cards. */
export const HIDDEN_ON_OVERVIEW = new Set(['active_customers_sum']);

export function groupOf(metric: { name: string; derived: boolean }): GroupId {
  return BY_METRIC[metric.name] ?? (metric.derived ? 'sales' : 'custom');
}

/** Items grouped in GROUPS order, each group in the order given; empty groups left out. */
export function groupItems<T extends { metric: { name: string; derived: boolean } }>(
  items: readonly T[],
): { id: GroupId; title: string; items: T[] }[] {
  return GROUPS.map((g) => ({
    ...g,
    items: items.filter(
      (i) => !HIDDEN_ON_OVERVIEW.has(i.metric.name) && groupOf(i.metric) === g.id,
    ),
  })).filter((g) => g.items.length > 0);
}
