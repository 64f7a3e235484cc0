/**
 * The metric catalogue. Stored metrics are derived from canonical records by SQL
 * (derive_business_metrics, migrations/0006) or pushed by the business; ratio metrics are
 * computed at query time as Σ numerator / Σ denominator over each bucket, which is the only
 * correct way to roll a ratio up from days to weeks or months.
 */
export type Unit = 'currency' | 'count' | 'ratio' | 'percent' | 'days' | 'hours';
export type Aggregation = 'sum' | 'avg' | 'last' | 'ratio';
export type Grain = 'hour' | 'day';

export interface MetricDefinition {
  name: string;
  title: string;
  unit: Unit;
  /** True when a higher value is better for the business. */
  higherIsBetter: boolean;
  aggregation: Aggregation;
  /** Finest time resolution stored. */
  grain: Grain;
  description: string;
  /** For ratio metrics. */
  numerator?: string;
  denominator?: string;
  /** Dimensions it is broken down by, when derived. */
  dimensions: ('channel' | 'location' | 'sku')[];
  derived: boolean;
}

const d = (
  m: Omit<MetricDefinition, 'derived' | 'dimensions'> & {
    dimensions?: MetricDefinition['dimensions'];
  },
): MetricDefinition => ({
  dimensions: [],
  ...m,
  derived: true,
});

export const CATALOGUE: readonly MetricDefinition[] = [
  d({
    name: 'revenue',
    title: 'Revenue',
    unit: 'currency',
    higherIsBetter: true,
    aggregation: 'sum',
    grain: 'hour',
    dimensions: ['channel', 'location'],
    description:
      'Net sales: line prices minus discounts and refunds, excluding tax and shipping, of completed orders.',
  }),
  d({
    name: 'gross_sales',
    title: 'Gross sales',
    unit: 'currency',
    higherIsBetter: true,
    aggregation: 'sum',
    grain: 'hour',
    dimensions: ['channel', 'location'],
    description: 'Line prices before discounts and refunds.',
  }),
  d({
    name: 'discounts',
    title: 'Discounts',
    unit: 'currency',
    higherIsBetter: false,
    aggregation: 'sum',
    grain: 'day',
    dimensions: ['channel', 'location'],
    description: 'Discounts given on orders.',
  }),
  d({
    name: 'refunds',
    title: 'Refunds',
    unit: 'currency',
    higherIsBetter: false,
    aggregation: 'sum',
    grain: 'day',
    dimensions: ['channel', 'location'],
    description: 'Amount refunded on orders placed that day.',
  }),
  d({
    name: 'orders',
    title: 'Orders',
    unit: 'count',
    higherIsBetter: true,
    aggregation: 'sum',
    grain: 'hour',
    dimensions: ['channel', 'location'],
    description: 'Completed orders.',
  }),
  d({
    name: 'units_sold',
    title: 'Units sold',
    unit: 'count',
    higherIsBetter: true,
    aggregation: 'sum',
    grain: 'day',
    dimensions: ['sku'],
    description: 'Units sold per SKU (demand), net of refunded units.',
  }),
  d({
    name: 'average_order_value',
    title: 'Average order value',
    unit: 'currency',
    higherIsBetter: true,
    aggregation: 'ratio',
    grain: 'hour',
    numerator: 'revenue',
    denominator: 'orders',
    description: 'Revenue per order.',
  }),
  d({
    name: 'cogs',
    title: 'Cost of goods sold',
    unit: 'currency',
    higherIsBetter: false,
    aggregation: 'sum',
    grain: 'day',
    dimensions: ['channel', 'location'],
    description: 'Units sold × unit cost.',
  }),
  d({
    name: 'gross_profit',
    title: 'Gross profit',
    unit: 'currency',
    higherIsBetter: true,
    aggregation: 'sum',
    grain: 'day',
    dimensions: ['channel', 'location'],
    description: 'Revenue minus cost of goods sold.',
  }),
  d({
    name: 'gross_margin',
    title: 'Gross margin',
    unit: 'ratio',
    higherIsBetter: true,
    aggregation: 'ratio',
    grain: 'day',
    numerator: 'gross_profit',
    denominator: 'revenue',
    description: 'Gross profit as a share of revenue.',
  }),
  d({
    name: 'refund_rate',
    title: 'Refund rate',
    unit: 'ratio',
    higherIsBetter: false,
    aggregation: 'ratio',
    grain: 'day',
    numerator: 'refunds',
    denominator: 'gross_sales',
    description: 'Refunds as a share of gross sales.',
  }),
  d({
    name: 'new_customers',
    title: 'New customers',
    unit: 'count',
    higherIsBetter: true,
    aggregation: 'sum',
    grain: 'day',
    description: 'Customers whose first order was that day.',
  }),
  d({
    name: 'returning_customers',
    title: 'Returning customers',
    unit: 'count',
    higherIsBetter: true,
    aggregation: 'sum',
    grain: 'day',
    description: 'Customers who ordered that day and had ordered before.',
  }),
  d({
    name: 'active_customers',
    title: 'Active customers',
    unit: 'count',
    higherIsBetter: true,
    aggregation: 'last',
    grain: 'day',
    description: 'Customers with an order in the last 90 days.',
  }),
  d({
    name: 'churned_customers',
    title: 'Churned customers',
    unit: 'count',
    higherIsBetter: false,
    aggregation: 'sum',
    grain: 'day',
    description: 'Customers whose last order turned 90 days old that day.',
  }),
  d({
    name: 'churn_rate',
    title: 'Customer churn rate',
    unit: 'ratio',
    higherIsBetter: false,
    aggregation: 'ratio',
    grain: 'day',
    numerator: 'churned_customers',
    denominator: 'active_customers_sum',
    description: 'Churned customers per active customer-day in the period (a daily churn hazard).',
  }),
  d({
    name: 'active_customers_sum',
    title: 'Active customer-days',
    unit: 'count',
    higherIsBetter: true,
    aggregation: 'sum',
    grain: 'day',
    description: 'Active customers summed over days (denominator of churn rate).',
  }),
  d({
    name: 'cash_balance',
    title: 'Cash balance',
    unit: 'currency',
    higherIsBetter: true,
    aggregation: 'last',
    grain: 'day',
    dimensions: ['location'],
    description: 'Latest observed balance, summed over accounts (the dimension is the account).',
  }),
  d({
    name: 'cash_in',
    title: 'Cash in',
    unit: 'currency',
    higherIsBetter: true,
    aggregation: 'sum',
    grain: 'day',
    description: 'Successful charges and invoice payments received.',
  }),
  d({
    name: 'cash_out',
    title: 'Cash out',
    unit: 'currency',
    higherIsBetter: false,
    aggregation: 'sum',
    grain: 'day',
    description: 'Expenses paid, refunds and fees paid out, and labour cost.',
  }),
  d({
    name: 'accounts_receivable',
    title: 'Accounts receivable',
    unit: 'currency',
    higherIsBetter: false,
    aggregation: 'last',
    grain: 'day',
    description: 'Invoices issued and not yet paid, at the end of the day.',
  }),
  d({
    name: 'accounts_payable',
    title: 'Accounts payable',
    unit: 'currency',
    higherIsBetter: false,
    aggregation: 'last',
    grain: 'day',
    description: 'Bills incurred and not yet paid, at the end of the day.',
  }),
  d({
    name: 'inventory_value',
    title: 'Inventory value',
    unit: 'currency',
    higherIsBetter: false,
    aggregation: 'last',
    grain: 'day',
    description: 'Stock on hand × unit cost, at the latest snapshot of the day.',
  }),
  d({
    name: 'stockouts',
    title: 'Stock-outs',
    unit: 'count',
    higherIsBetter: false,
    aggregation: 'last',
    grain: 'day',
    description: 'Active products with nothing on hand at the latest snapshot of the day.',
  }),
  d({
    name: 'days_of_inventory',
    title: 'Days of inventory',
    unit: 'days',
    higherIsBetter: false,
    aggregation: 'last',
    grain: 'day',
    description: 'Inventory value ÷ average daily cost of goods sold over the previous 30 days.',
  }),
  d({
    name: 'labour_cost',
    title: 'Labour cost',
    unit: 'currency',
    higherIsBetter: false,
    aggregation: 'sum',
    grain: 'day',
    dimensions: ['location'],
    description: 'Cost of shifts worked.',
  }),
  d({
    name: 'labour_hours',
    title: 'Labour hours',
    unit: 'hours',
    higherIsBetter: false,
    aggregation: 'sum',
    grain: 'day',
    dimensions: ['location'],
    description: 'Hours of shifts worked.',
  }),
  d({
    name: 'labour_cost_pct',
    title: 'Labour cost %',
    unit: 'ratio',
    higherIsBetter: false,
    aggregation: 'ratio',
    grain: 'day',
    numerator: 'labour_cost',
    denominator: 'revenue',
    description: 'Labour cost as a share of revenue.',
  }),
  d({
    name: 'marketing_spend',
    title: 'Marketing spend',
    unit: 'currency',
    higherIsBetter: false,
    aggregation: 'sum',
    grain: 'day',
    dimensions: ['channel'],
    description: 'Spend on marketing, by channel.',
  }),
  d({
    name: 'marketing_revenue',
    title: 'Attributed revenue',
    unit: 'currency',
    higherIsBetter: true,
    aggregation: 'sum',
    grain: 'day',
    dimensions: ['channel'],
    description: 'Revenue the ad platforms attribute to marketing, by channel.',
  }),
  d({
    name: 'roas',
    title: 'Return on ad spend',
    unit: 'ratio',
    higherIsBetter: true,
    aggregation: 'ratio',
    grain: 'day',
    numerator: 'marketing_revenue',
    denominator: 'marketing_spend',
    description: 'Attributed revenue per unit of marketing spend.',
  }),
];

export const CATALOGUE_BY_NAME: ReadonlyMap<string, MetricDefinition> = new Map(
  CATALOGUE.map((m) => [m.name, m]),
);

/** Stored (not ratio) metrics the derivation SQL writes; pushing these names is refused. */
export const DERIVED_STORED = CATALOGUE.filter((m) => m.aggregation !== 'ratio').map((m) => m.name);

/** How a metric pushed by the business (not in the catalogue) is described. */
export function customDefinition(name: string): MetricDefinition {
  return {
    name,
    title: name,
    unit: 'count',
    higherIsBetter: true,
    aggregation: 'avg',
    grain: 'hour',
    description: 'A metric pushed by the business (POST /v1/metrics:batch or CSV import).',
    dimensions: [],
    derived: false,
  };
}
