import { requireColumns, requireRows } from './dataset.js';
import { validateGraph } from './graph.js';
import { fitLinear } from './linear-model.js';
import type { CausalGraph, Dataset } from './types.js';

/**
 * One node's fitted mechanism: value = intercept + Σ coef·term + noise, where a term is
 * a parent or (when interactions are allowed and the BIC prefers them) a product of two
 * parents, keyed "a*b".
 */
export interface NodeMechanism {
  node: string;
  parents: string[];
  intercept: number;
  /** Coefficient per term: parent names, and "a*b" for interaction terms. */
  coefficients: Record<string, number>;
  /** Residual standard deviation. */
  noiseSd: number;
  r2: number;
}

/** A linear additive-noise structural causal model fitted on a graph. */
export interface StructuralModel {
  /** All graph nodes in topological order (only some may have a mechanism). */
  order: string[];
  mechanisms: Record<string, NodeMechanism>;
}

/**
 * Fits an additive-noise SCM: one least-squares regression of every node on its parents,
 * in topological order. Every node of the graph must be a column of the data. With
 * `interactions: true`, a node with two or more parents also gets pairwise products of
 * its parents (e.g. orders ≈ visitors × conversion) when that lowers the BIC and there
 * are at least 10 rows per term. `only` limits the fit to some nodes (the others keep
 * their observed values when the model is used).
 *
 * @example
 * const scm = fitStructuralModel(data, graph);
 * scm.mechanisms.revenue.coefficients.visits; // revenue per extra visit
 */
export function fitStructuralModel(
  data: Dataset,
  graph: CausalGraph,
  options: { interactions?: boolean; only?: string[] } = {},
): StructuralModel {
  const order = validateGraph(graph);
  const n = requireColumns(data, order);
  const mechanisms: Record<string, NodeMechanism> = {};
  const only = options.only ? new Set(options.only) : undefined;
  for (const node of order) {
    if (only && !only.has(node)) continue;
    const parents = [...new Set(graph.edges.filter((e) => e.to === node).map((e) => e.from))];
    requireRows(n, parents.length + 1, `fitting "${node}" on its ${parents.length} parent(s)`);
    const y = data[node] as number[];
    const linearTerms = parents.map((p) => [p]);
    let terms = linearTerms;
    let fit = fitLinear(termColumns(data, terms, n), y, undefined, { covariance: false });
    const pairs = parents.flatMap((a, i) => parents.slice(i + 1).map((b) => [a, b]));
    if (options.interactions && pairs.length > 0 && n >= 10 * (parents.length + pairs.length + 1)) {
      const richer = [...linearTerms, ...pairs];
      const alt = fitLinear(termColumns(data, richer, n), y, undefined, { covariance: false });
      if (bic(alt.residuals, richer.length + 1) < bic(fit.residuals, terms.length + 1)) {
        terms = richer;
        fit = alt;
      }
    }
    const coefficients: Record<string, number> = {};
    terms.forEach((term, k) => (coefficients[term.join('*')] = fit.coef[k + 1] as number));
    mechanisms[node] = {
      node,
      parents,
      intercept: fit.coef[0] as number,
      coefficients,
      noiseSd: Math.sqrt(fit.sigma2),
      r2: fit.r2,
    };
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
    const m = model.mechanisms[node];
    if (!m) continue;
    const col = data[node] as number[];
    const out = Float64Array.from(col).map((v) => v - m.intercept);
    for (const { coef, a, b } of compiledTerms(m)) {
      const ca = data[a] as number[];
      const cb = b === undefined ? undefined : (data[b] as number[]);
      for (let i = 0; i < out.length; i++)
        out[i] = out[i]! - coef * (ca[i] as number) * (cb ? (cb[i] as number) : 1);
    }
    noise[node] = out;
  }
  return noise;
}

/**
 * Propagates values through the model in topological order: nodes in `fixed` keep the
 * given value (an intervention), nodes with a mechanism = mechanism(parents) + their
 * noise, nodes without one keep their observed values.
 * @internal
 */
export function propagate(
  model: StructuralModel,
  noise: Record<string, ArrayLike<number>>,
  rows: number[],
  fixed: Record<string, number>,
  data: Dataset,
): Record<string, Float64Array> {
  const out: Record<string, Float64Array> = {};
  for (const node of model.order) {
    const m = model.mechanisms[node];
    const nz = noise[node];
    const value = fixed[node];
    const observed = data[node] as number[];
    out[node] = Float64Array.from(rows, (row, k) => {
      if (value !== undefined) return value;
      if (!m || !nz) return observed[row] as number;
      return predictRow(m, (p) => (out[p] as Float64Array)[k]!) + (nz[row] as number);
    });
  }
  return out;
}

/**
 * Total linear effect of every node on `target` (sum over directed paths of coefficient
 * products). Meant for linear models (interaction terms are ignored).
 * @internal
 */
export function totalEffects(model: StructuralModel, target: string): Record<string, number> {
  const effect: Record<string, number> = { [target]: 1 };
  for (const node of [...model.order].reverse()) {
    if (node === target) continue;
    let s = 0;
    for (const child of model.order) {
      const c = model.mechanisms[child]?.coefficients[node];
      if (c !== undefined && effect[child] !== undefined) s += c * (effect[child] as number);
    }
    effect[node] = s;
  }
  return effect;
}

interface Term {
  coef: number;
  a: string;
  b: string | undefined;
}

const termCache = new WeakMap<NodeMechanism, Term[]>();

/** The mechanism's terms parsed once ("a*b" → a, b). */
function compiledTerms(m: NodeMechanism): Term[] {
  let terms = termCache.get(m);
  if (!terms) {
    terms = Object.entries(m.coefficients).map(([term, coef]) => {
      const [a, b] = term.split('*') as [string, string | undefined];
      return { coef, a, b };
    });
    termCache.set(m, terms);
  }
  return terms;
}

function predictRow(m: NodeMechanism, value: (parent: string) => number): number {
  let s = m.intercept;
  for (const { coef, a, b } of compiledTerms(m))
    s += coef * value(a) * (b === undefined ? 1 : value(b));
  return s;
}

function termColumns(data: Dataset, terms: string[][], n: number): Float64Array[] {
  return terms.map((term) => {
    const cols = term.map((p) => data[p] as number[]);
    return Float64Array.from({ length: n }, (_, i) =>
      cols.reduce((prod, c) => prod * (c[i] as number), 1),
    );
  });
}

function bic(residuals: Float64Array, parameters: number): number {
  let rss = 0;
  for (const r of residuals) rss += r * r;
  const n = residuals.length;
  return n * Math.log(Math.max(rss, 1e-300) / n) + parameters * Math.log(n);
}
