import { describe, expect, it } from 'vitest';
import {
  eValue,
  estimateEffect,
  intervalEValue,
  simulateLinearScm,
} from '../../../src/engines/causal/index.js';
import { createRng } from '../../../src/engines/shared/random.js';

const graph = {
  nodes: ['z', 't', 'y'].map((id) => ({ id })),
  edges: [
    { from: 'z', to: 't' },
    { from: 'z', to: 'y' },
    { from: 't', to: 'y' },
  ],
};

describe('refuters', () => {
  it('all four pass on a true effect, with their numbers', () => {
    const data = simulateLinearScm(
      { graph, weights: { 'z→t': 1, 'z→y': 2, 't→y': 2 }, binary: ['t'] },
      2000,
      8,
    );
    const r = estimateEffect(data, { treatment: 't', outcome: 'y', graph, method: 'aipw' });
    expect(r.refutations.map((x) => x.name)).toEqual([
      'placebo_treatment',
      'random_common_cause',
      'data_subset',
      'unobserved_confounder',
    ]);
    for (const x of r.refutations) expect(x.passed, `${x.name}: ${x.summary}`).toBe(true);
    const placebo = r.refutations[0]!;
    expect(Math.abs(placebo.newEffect ?? 99)).toBeLessThan(0.3);
    expect(placebo.details.p_value).toBeLessThan(0.001);
    expect(r.refutations[3]!.details.e_value).toBeGreaterThan(2);
  });

  it('a planted fake effect (no effect, chance in a small sample) fails placebo and sensitivity', () => {
    const rng = createRng(99);
    const z = Array.from({ length: 300 }, () => rng.normal());
    const t = z.map((v) => (rng.uniform() < 1 / (1 + Math.exp(-v)) ? 1 : 0));
    const y = z.map((v) => v + 3 * rng.normal());
    const r = estimateEffect({ t, y, z }, { treatment: 't', outcome: 'y', covariates: ['z'] });
    const failed = r.refutations.filter((x) => !x.passed).map((x) => x.name);
    expect(failed).toContain('placebo_treatment');
    expect(failed).toContain('unobserved_confounder');
  });

  it('a fake effect made by three extreme rows is flagged as fragile', () => {
    const rng = createRng(5);
    const n = 600;
    const z = Array.from({ length: n }, () => rng.normal());
    const t = z.map(() => (rng.uniform() < 0.5 ? 1 : 0));
    const y = z.map((v) => v + rng.normal());
    let planted = 0;
    for (let i = 0; i < n && planted < 3; i++) {
      if (t[i] === 1) {
        y[i] = (y[i] as number) + 80;
        planted++;
      }
    }
    const r = estimateEffect(
      { t, y, z },
      { treatment: 't', outcome: 'y', covariates: ['z'], method: 'ols' },
    );
    expect(r.estimate).toBeGreaterThan(0.5);
    expect(r.refutations.some((x) => !x.passed)).toBe(true);
  });

  it('E-values follow VanderWeele–Ding', () => {
    // d = 0.5 → RR = exp(0.455) = 1.576 → E = RR + sqrt(RR(RR − 1)) = 2.529
    expect(eValue(0.5, 1)).toBeCloseTo(2.529, 2);
    expect(eValue(-0.5, 1)).toBeCloseTo(2.529, 2);
    expect(intervalEValue([-0.1, 0.4], 1)).toBe(1);
    expect(intervalEValue([0.2, 0.8], 1)).toBeCloseTo(eValue(0.2, 1), 10);
  });
});
