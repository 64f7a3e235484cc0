import { buildInventoryModel } from '../../src/engines/optimize/inventory.js';
import { bestCasesAlone } from '../../src/engines/optimize/inventory-sku.js';
import type { InventoryInput } from '../../src/engines/optimize/index.js';

/**
 * A spreadsheet-style reorder rule to compare the optimizer against: order each SKU's own
 * best newsvendor quantity, scale every order down by one factor until budget and storage fit,
 * round down to cases, drop orders under their MOQ and suppliers under their minimum.
 * Returns its expected profit on the same model (supplier order costs included).
 */
export function proportionalCutProfit(input: InventoryInput): { profit: number; spend: number } {
  const built = buildInventoryModel(input);
  const want = new Map(built.skus.map((p) => [p.index, bestCasesAlone(p)]));
  const room = new Map((input.storage ?? []).map((s) => [s.id, s.capacity]));
  let lo = 0;
  let hi = 1;
  const plan = (f: number): Map<number, number> => {
    const k = new Map<number, number>();
    for (const p of built.skus) {
      let c = Math.floor((want.get(p.index) ?? 0) * f);
      if (c * p.pack < p.moq) c = 0;
      k.set(p.index, c);
    }
    return k;
  };
  const fits = (k: Map<number, number>): boolean => {
    let spend = 0;
    const used = new Map<string, number>();
    for (const p of built.skus) {
      const q = (k.get(p.index) ?? 0) * p.pack;
      spend += q * p.unitCost;
      if (p.sku.storageId)
        used.set(
          p.sku.storageId,
          (used.get(p.sku.storageId) ?? 0) + (p.startUnits + q) * p.unitVolume,
        );
    }
    if (input.budget !== undefined && spend > input.budget) return false;
    for (const [id, u] of used) if (u > (room.get(id) ?? Infinity)) return false;
    return true;
  };
  if (fits(plan(1))) lo = 1;
  else {
    for (let i = 0; i < 40; i++) {
      const mid = (lo + hi) / 2;
      if (fits(plan(mid))) lo = mid;
      else hi = mid;
    }
  }
  const k = plan(lo);
  const bySupplier = new Map<string, number>();
  for (const p of built.skus) {
    if (p.sku.supplierId)
      bySupplier.set(
        p.sku.supplierId,
        (bySupplier.get(p.sku.supplierId) ?? 0) + (k.get(p.index) ?? 0) * p.pack * p.unitCost,
      );
  }
  let profit = 0;
  let spend = 0;
  for (const p of built.skus) {
    const sup = (input.suppliers ?? []).find((s) => s.id === p.sku.supplierId);
    const open = !sup || (bySupplier.get(sup.id) ?? 0) >= (sup.minOrderValue ?? 0);
    const q = open ? (k.get(p.index) ?? 0) * p.pack : 0;
    profit += p.value(p.startUnits + q);
    spend += q * p.unitCost;
  }
  for (const s of input.suppliers ?? []) {
    const v = bySupplier.get(s.id) ?? 0;
    if (v > 0 && v >= (s.minOrderValue ?? 0)) profit -= s.orderCost ?? 0;
  }
  return { profit, spend };
}
