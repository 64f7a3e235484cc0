import { describe, expect, it } from 'vitest';
import {
  discoverLagged,
  discoverPc,
  simulateLinearScm,
} from '../../../src/engines/causal/index.js';
import { createRng } from '../../../src/engines/shared/random.js';

describe('PC discovery', () => {
  it('recovers a collider and orients its child by Meek rule 1', () => {
    const graph = {
      nodes: ['a', 'b', 'c', 'd'].map((id) => ({ id })),
      edges: [
        { from: 'a', to: 'c' },
        { from: 'b', to: 'c' },
        { from: 'c', to: 'd' },
      ],
    };
    const data = simulateLinearScm(
      { graph, weights: { 'a→c': 1, 'b→c': -1, 'c→d': 0.8 } },
      3000,
      2,
    );
    const r = discoverPc(data, { bootstrap: 10 });
    const edges = r.edges.map((e) => `${e.from}${e.directed ? '→' : '—'}${e.to}`).sort();
    expect(edges).toEqual(['a→c', 'b→c', 'c→d']);
    for (const e of r.edges) expect(e.confidence).toBeGreaterThanOrEqual(0.9);
    expect(r.graph.edges.every((e) => e.provenance === 'learned')).toBe(true);
  });

  it('leaves a chain undirected (its direction is not in the data)', () => {
    const graph = {
      nodes: ['x', 'y', 'z'].map((id) => ({ id })),
      edges: [
        { from: 'x', to: 'y' },
        { from: 'y', to: 'z' },
      ],
    };
    const data = simulateLinearScm({ graph, weights: { 'x→y': 1, 'y→z': 1 } }, 2000, 4);
    const r = discoverPc(data, { bootstrap: 0 });
    expect(r.edges).toHaveLength(2);
    expect(r.edges.every((e) => !e.directed)).toBe(true);
    expect(r.graph.edges).toHaveLength(0);
  });
});

describe('lagged discovery', () => {
  it('finds x(t−2) → y(t) and no reverse link, despite autocorrelation', () => {
    const rng = createRng(12);
    const T = 800;
    const x = [0, 0];
    const y = [0, 0];
    for (let t = 2; t < T; t++) {
      x.push(0.6 * (x[t - 1] as number) + rng.normal());
      y.push(0.3 * (y[t - 1] as number) + 0.5 * (x[t - 2] as number) + rng.normal());
    }
    const r = discoverLagged({ x, y }, { maxLag: 4 });
    expect(r.graph.edges).toEqual([expect.objectContaining({ from: 'x', to: 'y', lag: 2 })]);
    expect(r.edges.find((e) => e.from === 'x' && e.to === 'x')?.lag).toBe(1);
  });
});
