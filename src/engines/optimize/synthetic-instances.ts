import { createRng } from '../shared/random.js';
import type { InventoryInput, InventorySku } from './inventory-types.js';
import type { ShiftPattern, StaffingInput, StaffMember } from './staffing-types.js';

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

/** Options for {@link syntheticStaffing}. */
export interface SyntheticStaffingOptions {
  staff: number;
  days?: number;
  openHour?: number;
  closeHour?: number;
  seed?: number;
  /** Let shifts start at any hour (4/6/8 h long) instead of the café's fixed patterns. */
  hourlyStarts?: boolean;
}

/** Eleven shift patterns of a café open 6:00–22:00 (openers, mids, closers, short peaks). */
export const CAFE_SHIFT_PATTERNS: readonly ShiftPattern[] = [
  [6, 8],
  [14, 8],
  [10, 8],
  [6, 4],
  [10, 4],
  [14, 4],
  [18, 4],
  [11, 4],
  [16, 6],
  [8, 6],
  [12, 6],
].map(([start, hours]) => ({ start: start ?? 0, hours: hours ?? 0 }));

/**
 * A seeded café-like week: hourly customer demand with morning, lunch and evening peaks →
 * required staff (any role) plus baristas at peaks; staff with mixed skills, wages,
 * contracts (part-time / full-time) and some unavailable days.
 *
 * @example
 * const input = syntheticStaffing({ staff: 40 }); // 7 days × 16 hours
 */
export function syntheticStaffing(options: SyntheticStaffingOptions): StaffingInput {
  const rng = createRng(options.seed ?? 7);
  const days = options.days ?? 7;
  const openHour = options.openHour ?? 6;
  const closeHour = options.closeHour ?? 22;
  const hours = closeHour - openHour;
  const scale = options.staff / 10;
  const any: number[][] = [];
  const barista: number[][] = [];
  for (let d = 0; d < days; d++) {
    const weekend = d >= 5 ? 1.3 : 1;
    any.push([]);
    barista.push([]);
    for (let h = 0; h < hours; h++) {
      const t = openHour + h;
      const load =
        0.6 +
        Math.exp(-((t - 8) ** 2) / 2) +
        1.2 * Math.exp(-((t - 12.5) ** 2) / 3) +
        0.8 * Math.exp(-((t - 18) ** 2) / 4);
      const need = load * weekend * scale * (0.9 + 0.2 * rng.uniform());
      any[d]?.push(Math.max(1, Math.round(need)));
      barista[d]?.push(Math.max(1, Math.round(need * 0.35)));
    }
  }
  const staff: StaffMember[] = Array.from({ length: options.staff }, (_, i) => {
    const fullTime = rng.uniform() < 0.4;
    const off = rng.int(days);
    const skills = rng.uniform() < 0.45 ? ['barista'] : [];
    return {
      id: `staff-${String(i + 1).padStart(3, '0')}`,
      skills,
      hourlyCost: Math.round((14 + 8 * rng.uniform() + (skills.length > 0 ? 2 : 0)) * 100) / 100,
      minHours: fullTime ? 30 : 0,
      maxHours: fullTime ? 40 : 24,
      maxDays: 5,
      availability: Array.from({ length: days }, (_, d) => d)
        .filter((d) => d !== off)
        .map((d) => ({ day: d, from: openHour, to: closeHour })),
    };
  });
  return {
    days,
    openHour,
    closeHour,
    staff,
    requirements: [
      { skill: 'barista', required: barista },
      {
        skill: 'any',
        required: any.map((row, d) => row.map((x, h) => Math.max(0, x - (barista[d]?.[h] ?? 0)))),
      },
    ],
    minRestHours: 11,
    ...(options.hourlyStarts ? {} : { shiftPatterns: CAFE_SHIFT_PATTERNS }),
  };
}
