import { createRng } from '../shared/random.js';
import type { InventoryInput, InventorySku } from './inventory-types.js';

/** Options for {@link syntheticInventory}. */
export interface SyntheticInventoryOptions {
  skus: number;
  seed?: number;
  /** Number of suppliers (default max(1, skus / 50)). */
  suppliers?: number;
  /** Budget as a share of the spend the SKUs would want unconstrained (default 0.6). */
  budgetShare?: number;
  /** Storage capacity as a share of the space the SKUs would want (default 0.7). */
  capacityShare?: number;
}

/**
 * A seeded, realistic-looking reorder instance for tests and benchmarks: daily demand
 * forecasts with 80 % / 95 % intervals, case packs, MOQs, supplier minimums, one shared
 * storage area, a budget that binds.
 *
 * @example
 * const input = syntheticInventory({ skus: 1000, seed: 1 });
 */
export function syntheticInventory(options: SyntheticInventoryOptions): InventoryInput {
  const rng = createRng(options.seed ?? 1);
  const nSup = options.suppliers ?? Math.max(1, Math.floor(options.skus / 50));
  const reviewDays = 7;
  const skus: InventorySku[] = [];
  let wantSpend = 0;
  let wantSpace = 0;
  for (let i = 0; i < options.skus; i++) {
    const daily = Math.exp(rng.normal() * 1.0 + 1.5); // ~4.5/day median, long tail
    const cv = 0.2 + 0.4 * rng.uniform();
    const unitCost = Math.round(Math.exp(rng.normal() * 0.8 + 2) * 100) / 100;
    const price = Math.round(unitCost * (1.3 + rng.uniform()) * 100) / 100;
    const lead = 1 + rng.int(6);
    const casePack = [1, 4, 6, 12, 24][rng.int(5)] ?? 1;
    const demand = Array.from({ length: 14 }, () => {
      const mean = daily * (0.8 + 0.4 * rng.uniform());
      const sd = mean * cv;
      return {
        mean,
        lower80: mean - 1.2816 * sd,
        upper80: mean + 1.2816 * sd,
        lower95: mean - 1.96 * sd,
        upper95: mean + 1.96 * sd,
      };
    });
    const stock = Math.floor(daily * rng.uniform() * 6);
    const unitVolume = Math.round((0.5 + 2 * rng.uniform()) * 10) / 10;
    const need = Math.max(0, daily * (lead + reviewDays) * 1.15 - stock);
    wantSpend += need * unitCost;
    wantSpace += (need + stock) * unitVolume;
    skus.push({
      id: `SKU-${String(i + 1).padStart(5, '0')}`,
      supplierId: `SUP-${(i % nSup) + 1}`,
      unitCost,
      price,
      stock,
      leadTimeDays: lead,
      casePack,
      moq: rng.uniform() < 0.3 ? casePack * (2 + rng.int(4)) : 0,
      unitVolume,
      storageId: 'store',
      ...(rng.uniform() < 0.1 ? { shelfLifeDays: 5 + rng.int(10) } : {}),
      demand,
    });
  }
  const suppliers = Array.from({ length: nSup }, (_, j) => ({
    id: `SUP-${j + 1}`,
    minOrderValue: Math.round((wantSpend / nSup) * 0.15),
    orderCost: 15,
  }));
  return {
    skus,
    suppliers,
    storage: [
      {
        id: 'store',
        name: 'Stock room',
        capacity: Math.round(wantSpace * (options.capacityShare ?? 0.7)),
      },
    ],
    budget: Math.round(wantSpend * (options.budgetShare ?? 0.6)),
    reviewPeriodDays: reviewDays,
  };
}
