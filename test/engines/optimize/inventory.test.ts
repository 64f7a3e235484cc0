import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  OptimizeInputError,
  solveInventory,
  syntheticInventory,
} from '../../../src/engines/optimize/index.js';
import type { InventoryInput, InventoryPlan } from '../../../src/engines/optimize/index.js';
import { buildInventoryModel } from '../../../src/engines/optimize/inventory.js';

/** Enumerates every combination of case counts and returns the best feasible objective. */
function bruteForce(input: InventoryInput): number {
  const built = buildInventoryModel(input);
  const skus = built.skus;
  const suppliers = new Map((input.suppliers ?? []).map((s) => [s.id, s]));
  const storage = new Map((input.storage ?? []).map((s) => [s.id, s]));
  let best = -Infinity;
  const k = skus.map(() => 0);
  const visit = (i: number): void => {
    if (i === skus.length) {
      let value = 0;
      let spend = 0;
      const bySupplier = new Map<string, number>();
      const space = new Map<string, number>();
      for (let j = 0; j < skus.length; j++) {
        const p = skus[j]!;
        const q = k[j]! * p.pack;
        if (q > 0 && q < p.moq) return;
        if (p.sku.maxStock !== undefined && q > Math.max(0, p.sku.maxStock - p.startUnits)) return;
        if (p.shelfLifeCap !== undefined && q > Math.max(0, p.shelfLifeCap - p.startUnits)) return;
        if (p.serviceTarget && p.startUnits + q < p.serviceTarget.units - 1e-9) return;
        value += p.value(p.startUnits + q);
        spend += q * p.unitCost;
        if (p.sku.supplierId)
          bySupplier.set(
            p.sku.supplierId,
            (bySupplier.get(p.sku.supplierId) ?? 0) + q * p.unitCost,
          );
        if (p.sku.storageId)
          space.set(
            p.sku.storageId,
            (space.get(p.sku.storageId) ?? 0) + (p.startUnits + q) * p.unitVolume,
          );
      }
      if (input.budget !== undefined && spend > input.budget + 1e-9) return;
      for (const [id, used] of space) if (used > storage.get(id)!.capacity + 1e-9) return;
      for (const [id, v] of bySupplier) {
        const s = suppliers.get(id)!;
        if (v > 0 && v < (s.minOrderValue ?? 0) - 1e-9) return;
        if (v > 0) value -= s.orderCost ?? 0;
      }
      best = Math.max(best, value);
      return;
    }
    for (let c = 0; c <= skus[i]!.maxCases; c++) {
      k[i] = c;
      visit(i + 1);
    }
  };
  visit(0);
  return best;
}

const small: InventoryInput = {
  budget: 160,
  reviewPeriodDays: 7,
  suppliers: [
    { id: 'roaster', minOrderValue: 90, orderCost: 12 },
    { id: 'dairy', orderCost: 5 },
  ],
  storage: [{ id: 'shelf', capacity: 70 }],
  skus: [
    {
      id: 'beans',
      unitCost: 4,
      price: 9,
      stock: 3,
      leadTimeDays: 2,
      casePack: 6,
      supplierId: 'roaster',
      storageId: 'shelf',
      demand: [{ mean: 3, lower80: 1.7, upper80: 4.3 }],
    },
    {
      id: 'decaf',
      unitCost: 5,
      price: 10,
      stock: 0,
      leadTimeDays: 2,
      casePack: 4,
      moq: 8,
      supplierId: 'roaster',
      storageId: 'shelf',
      demand: [{ mean: 1, sd: 0.6 }],
    },
    {
      id: 'milk',
      unitCost: 1.2,
      price: 3,
      stock: 5,
      leadTimeDays: 1,
      casePack: 6,
      shelfLifeDays: 5,
      supplierId: 'dairy',
      storageId: 'shelf',
      unitVolume: 0.5,
      demand: [{ mean: 4, lower95: 1, upper95: 7 }],
    },
  ],
};

function checkPlan(input: InventoryInput, plan: InventoryPlan): void {
  const built = buildInventoryModel(input);
  let spend = 0;
  for (const s of plan.skus) {
    const p = built.skus.find((x) => x.sku.id === s.skuId)!;
    expect(Number.isInteger(s.cases)).toBe(true);
    expect(s.orderQuantity).toBeCloseTo(s.cases * p.pack, 9);
    if (s.orderQuantity > 0) expect(s.orderQuantity).toBeGreaterThanOrEqual(p.moq - 1e-9);
    if (p.sku.maxStock !== undefined)
      expect(p.startUnits + s.orderQuantity).toBeLessThanOrEqual(
        Math.max(p.sku.maxStock, p.startUnits) + 1e-9,
      );
    if (p.shelfLifeCap !== undefined)
      expect(s.orderQuantity).toBeLessThanOrEqual(
        Math.max(0, p.shelfLifeCap - p.startUnits) + 1e-9,
      );
    if (p.serviceTarget)
      expect(p.startUnits + s.orderQuantity).toBeGreaterThanOrEqual(p.serviceTarget.units - 1e-6);
    spend += s.orderCost;
  }
  if (input.budget !== undefined) expect(spend).toBeLessThanOrEqual(input.budget + 1e-6);
  for (const area of input.storage ?? []) {
    const used = built.skus
      .filter((p) => p.sku.storageId === area.id)
      .reduce(
        (sum, p) =>
          sum +
          p.unitVolume *
            (p.startUnits + (plan.skus.find((s) => s.skuId === p.sku.id)?.orderQuantity ?? 0)),
        0,
      );
    const before = built.skus
      .filter((p) => p.sku.storageId === area.id)
      .reduce((sum, p) => sum + p.unitVolume * p.startUnits, 0);
    expect(used).toBeLessThanOrEqual(Math.max(area.capacity, before) + 1e-6);
  }
  for (const sup of input.suppliers ?? []) {
    const value = plan.supplierOrders.find((o) => o.supplierId === sup.id)?.value ?? 0;
    if (value > 0) expect(value).toBeGreaterThanOrEqual((sup.minOrderValue ?? 0) - 1e-6);
  }
}

describe('solveInventory', () => {
  it('finds the brute-force optimum on a small instance (budget, MOQ, supplier minimum, storage, shelf life)', async () => {
    const plan = await solveInventory(small, { mipRelGap: 0 });
    expect(plan.status).toBe('optimal');
    const best = bruteForce(small);
    expect(plan.objective).toBeCloseTo(best, 6);
    checkPlan(small, plan);
    // Each SKU line is self-consistent and JSON-serialisable.
    expect(JSON.parse(JSON.stringify(plan))).toEqual(plan);
    const beans = plan.skus.find((s) => s.skuId === 'beans')!;
    expect(beans.expectedSales + beans.expectedShortage).toBeCloseTo(beans.expectedDemand, 9);
    expect(beans.cycleServiceLevel).toBeGreaterThan(0);
    expect(beans.cycleServiceLevel).toBeLessThanOrEqual(1);
  });

  it('matches brute force when the budget is tight and names the budget as binding', async () => {
    const tight = { ...small, budget: 130 };
    const plan = await solveInventory(tight, { mipRelGap: 0 });
    expect(plan.objective).toBeCloseTo(bruteForce(tight), 6);
    expect(plan.totalOrderCost).toBeLessThanOrEqual(130);
    const budget = plan.constraints.find((c) => c.name === 'budget')!;
    expect(budget.binding).toBe(true);
    expect(plan.skus.some((s) => s.bindingConstraints.includes('budget'))).toBe(true);
  });

  it('every returned plan satisfies every constraint (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          budget: fc.integer({ min: 0, max: 300 }),
          capacity: fc.integer({ min: 0, max: 120 }),
          mov: fc.integer({ min: 0, max: 150 }),
          skus: fc.array(
            fc.record({
              mean: fc.double({ min: 0, max: 6, noNaN: true }),
              cv: fc.double({ min: 0.05, max: 1, noNaN: true }),
              cost: fc.double({ min: 0.5, max: 8, noNaN: true }),
              markup: fc.double({ min: 0.8, max: 3, noNaN: true }),
              pack: fc.integer({ min: 1, max: 12 }),
              moq: fc.integer({ min: 0, max: 30 }),
              stock: fc.integer({ min: 0, max: 20 }),
              lead: fc.integer({ min: 0, max: 5 }),
              maxStock: fc.option(fc.integer({ min: 0, max: 80 }), { nil: undefined }),
              shelf: fc.option(fc.integer({ min: 1, max: 10 }), { nil: undefined }),
              sl: fc.option(fc.double({ min: 0.5, max: 0.98, noNaN: true }), { nil: undefined }),
            }),
            { minLength: 1, maxLength: 5 },
          ),
        }),
        async (g) => {
          const input: InventoryInput = {
            budget: g.budget,
            suppliers: [{ id: 's1', minOrderValue: g.mov, orderCost: 3 }],
            storage: [{ id: 'room', capacity: g.capacity }],
            skus: g.skus.map((s, i) => ({
              id: `sku${i}`,
              unitCost: s.cost,
              price: s.cost * s.markup,
              stock: s.stock,
              leadTimeDays: s.lead,
              casePack: s.pack,
              moq: s.moq,
              supplierId: i % 2 === 0 ? 's1' : undefined,
              storageId: 'room',
              maxStock: s.maxStock,
              shelfLifeDays: s.shelf,
              minServiceLevel: s.sl,
              demand: [{ mean: s.mean, sd: s.mean * s.cv }],
            })),
          };
          const plan = await solveInventory(input, { timeLimitSeconds: 5 });
          expect(['optimal', 'feasible', 'infeasible']).toContain(plan.status);
          if (plan.status === 'infeasible') {
            expect(plan.infeasibility?.conflicts.length ?? 0).toBeGreaterThan(0);
            expect(plan.infeasibility?.summary).toMatch(
              /service level|budget|storage|shelf|minimum|stock/,
            );
          } else checkPlan(input, plan);
        },
      ),
      { numRuns: 12, seed: 42 },
    );
  });

  it('explains an infeasible plan in business words', async () => {
    const plan = await solveInventory({
      budget: 50,
      skus: [
        {
          id: 'beans',
          unitCost: 4,
          price: 9,
          leadTimeDays: 2,
          casePack: 6,
          minServiceLevel: 0.95,
          demand: [{ mean: 5, lower80: 3, upper80: 7 }],
        },
      ],
    });
    expect(plan.status).toBe('infeasible');
    expect(plan.infeasibility?.conflicts.map((c) => c.group).sort()).toEqual([
      'budget',
      'service-level:beans',
    ]);
    expect(plan.infeasibility?.summary).toContain('budget of $50.00 is below the $216');
    expect(plan.infeasibility?.minimal).toBe(true);
  });

  it('names the resource that blocks a large plan and how much would be needed', async () => {
    const input = syntheticInventory({ skus: 150, seed: 4, capacityShare: 10 });
    const plan = await solveInventory({ ...input, minServiceLevel: 0.9, budget: 100 });
    expect(plan.status).toBe('infeasible');
    expect(plan.infeasibility?.summary).toMatch(
      /^Budget of \$100 is below the \$[\d,]+ needed to meet the other requirements \(90% service level for SKU-/,
    );
    expect(plan.infeasibility?.conflicts[0]?.group).toBe('budget');
    expect(
      plan.infeasibility?.conflicts.slice(1).every((c) => c.group.startsWith('service-level:')),
    ).toBe(true);
  });

  it('flags bad data instead of failing', async () => {
    const plan = await solveInventory({
      budget: 0,
      storage: [{ id: 'tiny', capacity: 2 }],
      skus: [
        { id: 'neg', unitCost: 2, price: 5, leadTimeDays: 0, demand: [{ mean: -4, sd: 1 }] },
        { id: 'nocost', price: 5, demand: [{ mean: 4 }] },
        {
          id: 'big',
          unitCost: 2,
          price: 5,
          leadTimeDays: 1,
          casePack: 12,
          storageId: 'tiny',
          demand: [{ mean: 4, sd: 1 }],
        },
      ],
    });
    expect(plan.status).toBe('optimal');
    const codes = plan.issues.map((i) => i.code);
    expect(codes).toEqual(
      expect.arrayContaining([
        'negative_demand',
        'zero_lead_time',
        'missing_cost',
        'zero_budget',
        'order_exceeds_capacity',
      ]),
    );
    expect(plan.issues.find((i) => i.code === 'missing_cost')?.severity).toBe('excluded');
    expect(plan.skus.map((s) => s.skuId)).toEqual(['neg', 'big']);
    expect(plan.skus.every((s) => s.orderQuantity === 0)).toBe(true);
  });

  it('handles thousands of SKUs with missing cost quickly', async () => {
    const skus = Array.from({ length: 3000 }, (_, i) => ({
      id: `s${i}`,
      price: 5,
      ...(i % 500 === 0 ? { unitCost: 2 } : {}),
      leadTimeDays: 2,
      demand: [{ mean: 3, sd: 1 }],
    }));
    const plan = await solveInventory({ skus, budget: 1000 });
    expect(plan.status).toBe('optimal');
    expect(plan.skus).toHaveLength(6);
    expect(plan.issues.filter((i) => i.code === 'missing_cost')).toHaveLength(2994);
  });

  it('rejects structurally wrong input with a typed error naming the place', async () => {
    await expect(
      solveInventory({
        skus: [
          { id: 'a', demand: [] },
          { id: 'a', demand: [] },
        ],
      }),
    ).rejects.toMatchObject({
      code: 'OPTIMIZE_INVALID_INPUT',
      path: 'skus[1].id',
    });
    await expect(
      solveInventory({ skus: [{ id: 'a', supplierId: 'x', demand: [] }] }),
    ).rejects.toBeInstanceOf(OptimizeInputError);
    await expect(solveInventory({ skus: 'nope' } as unknown as InventoryInput)).rejects.toThrow(
      /skus: must be an array/,
    );
  });

  it('reports order dates from the start date and lead time', async () => {
    const plan = await solveInventory({
      startDate: '2025-03-01',
      reviewPeriodDays: 7,
      skus: [
        {
          id: 'jam',
          unitCost: 2,
          price: 6,
          stock: 20,
          leadTimeDays: 2,
          demand: [{ mean: 4, sd: 0.5 }],
        },
      ],
    });
    const jam = plan.skus[0]!;
    expect(jam.orderQuantity).toBeGreaterThan(0);
    // 20 units last ~5 days at 4/day with high confidence only ~3 days, minus 2 days lead time.
    expect(jam.orderDay).toBeGreaterThanOrEqual(1);
    expect(jam.orderDay).toBeLessThanOrEqual(3);
    expect(jam.orderDate).toBe(`2025-03-0${1 + jam.orderDay!}`);
  });
});
