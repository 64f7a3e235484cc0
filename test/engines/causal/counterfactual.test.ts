import { describe, expect, it } from 'vitest';
import {
  fitStructuralModel,
  simulateLinearScm,
  whatIf,
} from '../../../src/engines/causal/index.js';

const graph = {
  nodes: ['season', 'price', 'visits', 'sales'].map((id) => ({ id })),
  edges: [
    { from: 'season', to: 'price' },
    { from: 'season', to: 'sales' },
    { from: 'price', to: 'visits' },
    { from: 'visits', to: 'sales' },
    { from: 'price', to: 'sales' },
  ],
};
const weights = {
  'season→price': 0.5,
  'season→sales': 2,
  'price→visits': -1.5,
  'visits→sales': 2,
  'price→sales': -1,
};

describe('structural model and counterfactuals', () => {
  const data = simulateLinearScm({ graph, weights }, 2000, 21);

  it('fits each mechanism on its parents', () => {
    const scm = fitStructuralModel(data, graph);
    expect(scm.mechanisms.sales?.coefficients.visits).toBeCloseTo(2, 1);
    expect(scm.mechanisms.visits?.coefficients.price).toBeCloseTo(-1.5, 1);
    expect(scm.mechanisms.sales?.noiseSd).toBeCloseTo(1, 1);
  });

  it('answers "what if price had been 0" with the total effect through visits, and an interval', () => {
    const rows = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    const r = whatIf(data, graph, {
      variable: 'price',
      value: 0,
      outcome: 'sales',
      rows,
      bootstrap: 100,
    });
    // Total effect of price on sales: −1 + (−1.5 × 2) = −4 per unit, applied to (0 − price).
    const truth = rows.reduce((s, i) => s + -4 * (0 - (data.price?.[i] as number)), 0);
    expect(r.difference).toBeCloseTo(truth, -0.5);
    expect(r.interval[0]).toBeLessThanOrEqual(truth);
    expect(r.interval[1]).toBeGreaterThanOrEqual(truth);
    expect(r.counterfactual).toHaveLength(10);
    expect(r.summary).toMatch(/If price had been 0, sales would have totalled/);
  });

  it('setting a variable with no path to the outcome changes nothing', () => {
    const r = whatIf(data, graph, { variable: 'sales', value: 5, outcome: 'price', rows: [0, 1] });
    expect(r.difference).toBe(0);
    expect(r.summary).toMatch(/no causal path/);
  });
});
