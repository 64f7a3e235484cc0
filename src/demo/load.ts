import type { TenantTx } from '../platform/tenancy/context.js';
import * as records from '../modules/records/repo.js';
import { deriveMetrics } from '../modules/metrics/write-repo.js';
import type { DemoData } from './generator.js';

const SOURCE = 'demo';
const ORDER_BATCH = 5_000;

/**
 * Writes a generated demo business (in transactions `run` scopes to its tenant) through the same record repositories the
 * connectors use, then derives its metrics. Each batch is its own transaction, so progress
 * can be reported; re-running it is harmless (records are keyed by source and external id).
 */
export async function loadDemoData(
  run: <T>(fn: (tx: TenantTx) => Promise<T>) => Promise<T>,
  data: DemoData,
  timeZone: string,
  onProgress: (fraction: number, step: string) => void = () => {},
): Promise<void> {
  onProgress(0, 'catalogue and staff');
  await run(async (tx) => {
    await records.upsertProducts(tx, SOURCE, data.products);
    await records.upsertStaff(tx, SOURCE, data.staff);
  });
  const total = data.orders.length;
  for (let i = 0; i < total; i += ORDER_BATCH) {
    await run((tx) => records.upsertOrders(tx, SOURCE, data.orders.slice(i, i + ORDER_BATCH)));
    onProgress(
      (0.7 * Math.min(i + ORDER_BATCH, total)) / total,
      `orders ${Math.min(i + ORDER_BATCH, total)}/${total}`,
    );
  }
  await run(async (tx) => {
    await records.upsertInventory(tx, SOURCE, data.inventory);
    await records.upsertPayments(tx, SOURCE, data.payments);
    await records.upsertInvoices(tx, SOURCE, data.invoices);
    await records.upsertExpenses(tx, SOURCE, data.expenses);
    await records.upsertCashBalances(tx, SOURCE, data.cashBalances);
    await records.upsertShifts(tx, SOURCE, data.shifts);
    await records.upsertMarketingSpend(tx, SOURCE, data.marketing);
  });
  onProgress(0.8, 'deriving metrics');
  await run((tx) => deriveMetrics(tx, data.facts.startDay, data.facts.endDay, timeZone));
  onProgress(1, 'done');
}
