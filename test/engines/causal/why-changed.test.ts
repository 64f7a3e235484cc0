import { describe, expect, it } from 'vitest';
import { explainChange } from '../../../src/engines/causal/index.js';
import { shapleyProduct } from '../../../src/engines/causal/why-changed.js';
import { createRng } from '../../../src/engines/shared/random.js';

describe('why did it change', () => {
  it('splits a product exactly (Shapley), even with zeros', () => {
    const parts = shapleyProduct([10, 2], [12, 3]);
    expect(parts[0]! + parts[1]!).toBeCloseTo(36 - 20, 10);
    expect(parts[0]).toBeCloseTo(2 * 2.5, 10); // Δa × mean(b)
    expect(parts[1]).toBeCloseTo(1 * 11, 10); // Δb × mean(a)
    const withZero = shapleyProduct([0, 5], [4, 5]);
    expect(withZero[0]! + withZero[1]!).toBeCloseTo(20, 10);
  });

  it('decomposes revenue = visitors × conversion × aov down the tree, amounts adding up', () => {
    const visitors = [...Array(7).fill(100), ...Array(7).fill(120)];
    const conversion = [...Array(7).fill(0.05), ...Array(7).fill(0.04)];
    const orders = visitors.map((v, i) => v * (conversion[i] as number));
    const revenue = orders.map((o) => o * 30);
    const r = explainChange(
      { visitors, orders, revenue },
      {
        metric: 'revenue',
        periodA: [0, 7],
        periodB: [7, 14],
        tree: {
          metric: 'revenue',
          op: 'product',
          children: [
            {
              metric: 'orders',
              op: 'product',
              children: [{ metric: 'visitors' }, { metric: 'conversion' }],
            },
            { metric: 'aov' },
          ],
        },
      },
    );
    expect(r.valueA).toBeCloseTo(1050, 6);
    expect(r.valueB).toBeCloseTo(1008, 6);
    const sum = r.treeDrivers.reduce((s, d) => s + d.amount, 0);
    expect(sum).toBeCloseTo(r.change, 8);
    const byName = Object.fromEntries(r.treeDrivers.map((d) => [d.driver, d.amount]));
    expect(byName.conversion).toBeLessThan(0);
    expect(byName.visitors).toBeGreaterThan(0);
    expect(byName.aov).toBeCloseTo(0, 8);
    expect(r.treeDrivers[0]?.driver).toBe('conversion');
    expect(r.treeDrivers.find((d) => d.driver === 'conversion')?.path).toBe(
      'revenue › orders › conversion',
    );
  });

  it('attributes a change to the upstream node whose own shift caused it', () => {
    const rng = createRng(4);
    const n = 200;
    const ads = Array.from({ length: n }, (_, t) => 10 + (t >= 100 ? 5 : 0) + rng.normal());
    const weather = Array.from({ length: n }, () => 20 + rng.normal());
    const visits = ads.map((a, t) => 3 * a + 0.5 * (weather[t] as number) + rng.normal());
    const sales = visits.map((v) => 2 * v + rng.normal());
    const graph = {
      nodes: ['ads', 'weather', 'visits', 'sales'].map((id) => ({ id })),
      edges: [
        { from: 'ads', to: 'visits' },
        { from: 'weather', to: 'visits' },
        { from: 'visits', to: 'sales' },
      ],
    };
    const r = explainChange(
      { ads, weather, visits, sales },
      { metric: 'sales', periodA: [0, 100], periodB: [100, 200], graph },
    );
    expect(r.rootCauses[0]?.driver).toBe('ads');
    expect(r.rootCauses[0]?.amount).toBeCloseTo(30, -1);
    expect(Math.abs(r.rootCauses[0]?.anomalyScore ?? 0)).toBeGreaterThan(10);
    const rootSum = r.rootCauses.reduce((s, d) => s + d.amount, 0);
    expect(rootSum).toBeCloseTo(r.change / 100, 6); // per-row mean change
    expect(r.parentDrivers[0]?.driver).toBe('visits');
  });
});
