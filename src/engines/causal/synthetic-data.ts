import { createRng } from '../shared/random.js';
import { topologicalOrder } from './graph.js';
import type { CausalGraph, Dataset } from './types.js';

/** A linear structural causal model with known coefficients (for tests and benchmarks). */
export interface LinearScmSpec {
  graph: CausalGraph;
  /** Coefficient of every edge, keyed "from→to". */
  weights: Record<string, number>;
  /** Noise standard deviation per node (default 1). */
  noise?: Record<string, number>;
  /** Nodes generated as 0/1 by thresholding their linear score through a logistic draw. */
  binary?: string[];
}

/**
 * Draws `n` rows from a linear SCM: each node = Σ weight·parent + noise, in topological
 * order; binary nodes are Bernoulli(logistic(score)). Seeded, so tests can assert exact
 * behaviour.
 *
 * @example
 * const data = simulateLinearScm({ graph, weights: { 'z→t': 1, 't→y': 2, 'z→y': 1 }, binary: ['t'] }, 1000, 1);
 */
export function simulateLinearScm(spec: LinearScmSpec, n: number, seed: number): Dataset {
  const rng = createRng(seed);
  const order = topologicalOrder(spec.graph);
  const data: Dataset = {};
  const binary = new Set(spec.binary ?? []);
  for (const node of order) {
    const parents = spec.graph.edges.filter((e) => e.to === node);
    const sd = spec.noise?.[node] ?? 1;
    const col = new Array<number>(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (const e of parents)
        s += (spec.weights[`${e.from}→${node}`] ?? 0) * (data[e.from] as number[])[i]!;
      col[i] = binary.has(node)
        ? rng.uniform() < 1 / (1 + Math.exp(-s))
          ? 1
          : 0
        : s + sd * rng.normal();
    }
    data[node] = col;
  }
  return data;
}

/**
 * A random DAG over `p` nodes named x1…xp (edges only from lower to higher index, so it
 * is acyclic) with about `expectedDegree` neighbours per node and weights of magnitude
 * 0.5–1.5 with random sign.
 *
 * @example
 * const { graph, weights } = randomLinearScm(15, 2, 42);
 */
export function randomLinearScm(p: number, expectedDegree: number, seed: number): LinearScmSpec {
  const rng = createRng(seed);
  const nodes = Array.from({ length: p }, (_, i) => ({ id: `x${i + 1}` }));
  const prob = Math.min(1, expectedDegree / Math.max(1, p - 1));
  const edges: CausalGraph['edges'] = [];
  const weights: Record<string, number> = {};
  for (let i = 0; i < p; i++) {
    for (let j = i + 1; j < p; j++) {
      if (rng.uniform() < prob) {
        const from = `x${i + 1}`;
        const to = `x${j + 1}`;
        edges.push({ from, to });
        weights[`${from}→${to}`] = (rng.uniform() < 0.5 ? -1 : 1) * (0.5 + rng.uniform());
      }
    }
  }
  // Standardise noise so variances do not explode down long chains.
  return { graph: { nodes, edges }, weights };
}
