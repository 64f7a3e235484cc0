import type { EvidenceEdge, EvidenceGraph, EvidenceNode } from './graph-types.js';

/**
 * The graph a retail shop or café starts with (version 0) until the owner stores one:
 * marketing → orders → revenue, the calendar (weekday, season, holidays, trend) driving
 * demand, when the business markets and how it staffs (staff hours follow the expected
 * demand of the day, not the orders that then come), prices → orders and revenue. `price` is a
 * custom metric; while the business pushes no `price` data it is latent (known, unmeasured).
 */
export function defaultGraph(options: { priceMeasured: boolean }): EvidenceGraph {
  const nodes: EvidenceNode[] = [
    { id: 'weekday', kind: 'context', label: 'Day of the week' },
    { id: 'season', kind: 'context', label: 'Time of year' },
    { id: 'holiday', kind: 'context', label: 'Public holiday' },
    { id: 'holiday_eve', kind: 'context', label: 'Holiday eve / Black Friday' },
    { id: 'trend', kind: 'context', label: 'Growth over time' },
    { id: 'marketing_spend', kind: 'action', label: 'Marketing spend' },
    {
      id: 'price',
      kind: 'action',
      label: 'Prices',
      ...(options.priceMeasured ? {} : { latent: true }),
    },
    { id: 'orders', kind: 'metric', label: 'Orders' },
    { id: 'new_customers', kind: 'metric', label: 'New customers' },
    { id: 'revenue', kind: 'metric', label: 'Revenue' },
    { id: 'cogs', kind: 'metric', label: 'Cost of goods sold' },
    { id: 'gross_profit', kind: 'metric', label: 'Gross profit' },
    { id: 'labour_hours', kind: 'action', label: 'Staff hours' },
  ];
  const e = (from: string, to: string): EvidenceEdge => ({ from, to, provenance: 'template' });
  const edges: EvidenceEdge[] = [
    ...['weekday', 'season', 'trend'].flatMap((c) => [
      e(c, 'marketing_spend'),
      e(c, 'orders'),
      e(c, 'new_customers'),
      e(c, 'labour_hours'),
    ]),
    e('holiday', 'labour_hours'),
    e('holiday', 'orders'),
    e('holiday_eve', 'orders'),
    e('marketing_spend', 'orders'),
    e('marketing_spend', 'new_customers'),
    e('price', 'orders'),
    e('price', 'revenue'),
    e('orders', 'revenue'),
    e('orders', 'cogs'),
    e('revenue', 'gross_profit'),
    e('cogs', 'gross_profit'),
  ];
  return { nodes, edges };
}
