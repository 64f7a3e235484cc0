import { describe, expect, it } from 'vitest';
import { applyChange, OptimizeInputError, whatIf } from '../../../src/engines/optimize/index.js';
import type { BudgetInput, InventoryInput } from '../../../src/engines/optimize/index.js';

describe('applyChange', () => {
  const input = {
    budget: 100,
    skus: [
      { id: 'a', unitCost: 2 },
      { id: 'b', unitCost: 3 },
    ],
  };
  it('sets, scales and adds by path without touching the original', () => {
    expect(applyChange(input, { path: 'skus[id=b].unitCost', value: 9 }).skus[1]!.unitCost).toBe(9);
    expect(applyChange(input, { path: 'budget', multiplyBy: 1.5 }).budget).toBe(150);
    expect(applyChange(input, { path: 'skus.0.unitCost', add: 1 }).skus[0]!.unitCost).toBe(3);
    expect(input.skus[1]!.unitCost).toBe(3);
  });
  it('names a bad path', () => {
    expect(() => applyChange(input, { path: 'skus[id=zz].unitCost', value: 1 })).toThrow(
      OptimizeInputError,
    );
    expect(() => applyChange(input, { path: 'nothing.here', value: 1 })).toThrow(/does not exist/);
    expect(() => applyChange(input, { path: 'skus', multiplyBy: 2 })).toThrow(/not a number/);
  });
});

describe('whatIf', () => {
  it('reports how a bigger budget changes the allocation', async () => {
    const input: BudgetInput = {
      budget: 1000,
      channels: [
        { id: 'search', curve: { kind: 'log', a: 3000, b: 400 } },
        { id: 'social', curve: { kind: 'saturation', a: 2000, b: 600 } },
      ],
    };
    const r = await whatIf({ kind: 'budget', input }, { path: 'budget', value: 2000 });
    expect(r.diff.totals.totalSpend).toMatchObject({ base: 1000, scenario: 2000, change: 1000 });
    expect(r.diff.objective!.change).toBeGreaterThan(0);
    expect(r.diff.items.map((i) => i.id).sort()).toEqual(['search', 'social']);
    expect(r.diff.items.every((i) => i.change > 0)).toBe(true);
  });

  it('shows a stock-out risk appear when the supplier gets slower', async () => {
    const input: InventoryInput = {
      budget: 200,
      skus: [
        {
          id: 'beans',
          unitCost: 4,
          price: 9,
          stock: 10,
          leadTimeDays: 1,
          casePack: 6,
          demand: [{ mean: 3, sd: 1 }],
        },
      ],
    };
    const r = await whatIf(
      { kind: 'inventory', input },
      { path: 'skus[id=beans].leadTimeDays', value: 6 },
    );
    expect(r.diff.items[0]).toMatchObject({ id: 'beans', quantity: 'orderQuantity' });
    expect(r.diff.items[0]!.change).toBeGreaterThan(0);
    expect(r.diff.totals.totalOrderCost!.change).toBeGreaterThan(0);
  });
});
