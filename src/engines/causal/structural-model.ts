import { requireColumns, requireRows } from './dataset.js';
import { validateGraph } from './graph.js';
import { fitLinear } from './linear-model.js';
import type { CausalGraph, Dataset } from './types.js';

/** One node's fitted mechanism: value = intercept + Σ coef·parent + noise. */
export interface NodeMechanism {
  node: string;
  parents: string[];
  intercept: number;
  coefficients: Record<string, number>;
  /** Residual standard deviation. */
  noiseSd: number;
  r2: number;
}

/** A linear additive-noise structural causal model fitted on a graph. */
export interface StructuralModel {
  order: string[];
  mechanisms: Record<string, NodeMechanism>;
}

/**
 * Fits a linear additive-noise SCM: one least-squares regression of every node on its
 * parents, in topological order. Every node of the graph must be a column of the data.
 *
 * @example
 * const scm = fitStructuralModel(data, graph);
 * scm.mechanisms.revenue.coefficients.visits; // revenue per extra visit
 */
export function fitStructuralModel(data: Dataset, graph: CausalGraph): StructuralModel {
  const order = validateGraph(graph);
  const n = requireColumns(data, order);
  const mechanisms: Record<string, NodeMechanism> = {};
  for (const node of order) {
    const parents = [...new Set(graph.edges.filter((e) => e.to === node).map((e) => e.from))];
    requireRows(n, parents.length + 1, `fitting "${node}" on its ${parents.length} parent(s)`);
    const fit = fitLinear(
      parents.map((p) => data[p] as number[]),
      data[node] as number[],
    );
    const coefficients: Record<string, number> = {};
    parents.forEach((p, k) => (coefficients[p] = fit.coef[k + 1] as number));
    mechanisms[node] = { node, parents, intercept: fit.coef[0] as number, coefficients, noiseSd: Math.sqrt(fit.sigma2), r2: fit.r2 };
  }
  return { order, mechanisms };
}

/**
 * Noise (residual) of every node in every row: observed minus what its parents predict.
 * @internal
 */
export function abduceNoise(model: StructuralModel, data: Dataset): Record<string, Float64Array> {
  const noise: Record<string, Float64Array> = {};
  for (const node of model.order) {
    const m = model.mechanisms[node] as NodeMechanism;
    const col = data[node] as number[];
    noise[node] = Float64Array.from(col, (v, i) => v - predictRow(m, (p) => (data[p] as number[])[i] as number));
  }
  return noise;
}

/**
 * Propagates values through the model in topological order: nodes in `fixed` keep the
 * given value (an intervention), others = mechanism(parents) + their noise.
 * @internal
 */
export function propagate(model: StructuralModel, noise: Record<string, ArrayLike<number>>, rows: number[], fixed: Record<string, number>): Record<string, Float64Array> {
  const out: Record<string, Float64Array> = {};
  for (const node of model.order) {
    const m = model.mechanisms[node] as NodeMechanism;
    const nz = noise[node] as ArrayLike<number>;
    const value = fixed[node];
    out[node] = Float64Array.from(rows, (row, k) => (value !== undefined ? value : predictRow(m, (p) => (out[p] as Float64Array)[k]!) + (nz[row] as number)));
  }
  return out;
}

/**
 * Total linear effect of every node on `target` (sum over directed paths of coefficient products).
 * @internal
 */
export function totalEffects(model: StructuralModel, target: string): Record<string, number> {
  const effect: Record<string, number> = { [target]: 1 };
  for (const node of [...model.order].reverse()) {
    if (node === target) continue;
    let s = 0;
    for (const child of model.order) {
      const c = (model.mechanisms[child] as NodeMechanism).coefficients[node];
      if (c !== undefined && effect[child] !== undefined) s += c * (effect[child] as number);
    }
    effect[node] = s;
  }
  return effect;
}

function predictRow(m: NodeMechanism, value: (parent: string) => number): number {
  let s = m.intercept;
  for (const p of m.parents) s += (m.coefficients[p] as number) * value(p);
  return s;
}
