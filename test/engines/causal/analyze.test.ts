import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/engines/causal/index.js';
import type { CausalGraph, EvidenceAnswer } from '../../../src/engines/causal/index.js';
import { createRng } from '../../../src/engines/shared/random.js';

function business(): { data: Record<string, number[]>; graph: CausalGraph } {
  const rng = createRng(31);
  const n = 240;
  const weekday = Array.from({ length: n }, (_, t) => (t % 7 < 5 ? 1 : 0));
  const promo = weekday.map((w) => (rng.uniform() < (w ? 0.4 : 0.15) ? 1 : 0));
  const visitors = weekday.map(
    (w, t) => 200 + 50 * w + 30 * (promo[t] as number) + 10 * rng.normal(),
  );
  const orders = visitors.map((v, t) => 0.05 * v + 4 * (promo[t] as number) + rng.normal());
  const graph: CausalGraph = {
    nodes: [
      { id: 'weekday', kind: 'context' },
      { id: 'promo', kind: 'action' },
      { id: 'visitors', kind: 'metric' },
      { id: 'orders', kind: 'metric' },
    ],
    edges: [
      { from: 'weekday', to: 'promo', provenance: 'assumed' },
      { from: 'weekday', to: 'visitors', provenance: 'template' },
      { from: 'promo', to: 'visitors', provenance: 'assumed' },
      { from: 'visitors', to: 'orders', provenance: 'template' },
      { from: 'promo', to: 'orders', provenance: 'assumed' },
    ],
  };
  return { data: { weekday, promo, visitors, orders }, graph };
}

const roundTrip = (x: EvidenceAnswer): unknown => JSON.parse(JSON.stringify(x));

describe('analyze (the API entry)', () => {
  const { data, graph } = business();

  it('effect: identifies {weekday}, estimates promo → orders (truth 4 + 0.05×30 = 5.5)', () => {
    const r = analyze(
      { kind: 'effect', treatment: 'promo', outcome: 'orders', estimand: 'att' },
      data,
      graph,
    );
    if (r.kind !== 'effect') throw new Error('wrong kind');
    expect(r.adjustmentSet).toEqual(['weekday']);
    expect(r.estimate).toBeGreaterThan(5);
    expect(r.estimate).toBeLessThan(6);
    expect(r.refutations).toHaveLength(4);
    expect(roundTrip(r)).toEqual(r);
  });

  it('effect without a graph adjusts for every other column and says so', () => {
    const r = analyze(
      { kind: 'effect', treatment: 'promo', outcome: 'orders', method: 'ols' },
      { weekday: data.weekday!, promo: data.promo!, orders: data.orders! },
    );
    expect(r.warnings[0]).toMatch(/adjusted for every other column \(weekday\)/);
  });

  it('why, what_if, intervention and discover answer in plain JSON with a summary', () => {
    const answers: EvidenceAnswer[] = [
      analyze(
        { kind: 'why', metric: 'orders', periodA: [0, 120], periodB: [120, 240] },
        data,
        graph,
      ),
      analyze(
        { kind: 'what_if', variable: 'promo', value: 0, outcome: 'orders', rows: [1, 2, 3] },
        data,
        graph,
      ),
      analyze({ kind: 'intervention', series: 'orders', eventIndex: 200 }, data),
      analyze({ kind: 'discover', variables: ['visitors', 'orders', 'promo'] }, data),
      analyze({ kind: 'discover', lagged: true, maxLag: 2 }, data),
    ];
    for (const a of answers) {
      expect(typeof a.summary).toBe('string');
      expect(a.summary.length).toBeGreaterThan(20);
      expect(roundTrip(a)).toEqual(a);
    }
  });
});
