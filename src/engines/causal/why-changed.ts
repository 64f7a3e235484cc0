import { requireColumns } from './dataset.js';
import { CausalInputError } from './errors.js';
import { formatAmount, formatSigned } from './format.js';
import { ancestorsOf, requireNodes } from './graph.js';
import { abduceNoise, fitStructuralModel, totalEffects } from './structural-model.js';
import type { CausalGraph, Dataset } from './types.js';

/**
 * A metric tree: `revenue = orders × aov`, `orders = visitors × conversion`, or a sum
 * (`revenue = online + store`). In a product the first factor is a volume aggregated
 * like its parent; the other factors default to rates derived so the identity holds
 * exactly (aov = revenue / orders), so they need no column of their own.
 */
export interface MetricTree {
  metric: string;
  op?: 'product' | 'sum';
  children?: MetricTree[];
  /** How to aggregate the column over a period: 'sum' (default for volumes), 'mean', or 'ratio' (derived). */
  aggregate?: 'sum' | 'mean' | 'ratio';
}

/** A half-open row range `[start, end)`. */
export type Period = [number, number];

/** One driver of a change, with its amount. */
export interface Driver {
  driver: string;
  /** How much of the metric's change this driver accounts for (same unit as the change). */
  amount: number;
  /** amount / total change (signed). */
  share: number;
  /** Tree path or graph route, e.g. "revenue › orders › visitors". */
  path: string;
  valueA?: number;
  valueB?: number;
}

/** The decomposed change of a metric between two periods. */
export interface WhyResult {
  metric: string;
  valueA: number;
  valueB: number;
  change: number;
  changePercent: number | null;
  /** Leaf drivers of the metric tree (period totals); amounts add up to `change`. */
  treeDrivers: Driver[];
  /** Graph parents' contributions to the change of the per-row mean, plus 'unexplained'. */
  parentDrivers: Driver[];
  /** Root causes: each upstream node's own shift (noise) pushed through the graph, per-row mean. */
  rootCauses: Array<Driver & { anomalyScore: number }>;
  summary: string;
}

/**
 * Explains why `metric` changed from period A to period B: an exact decomposition down
 * a multiplicative/additive metric tree (Shapley split of each product, so amounts add
 * up), the graph parents' contributions (linear SCM), and an anomaly attribution that
 * credits each upstream node's own unusual shift, ranked by amount.
 *
 * @example
 * explainChange(data, {
 *   metric: 'revenue', periodA: [0, 28], periodB: [28, 56],
 *   tree: { metric: 'revenue', op: 'product', children: [
 *     { metric: 'orders', op: 'product', children: [{ metric: 'visitors' }, { metric: 'conversion' }] },
 *     { metric: 'aov' } ] },
 * }).treeDrivers; // [{ driver: 'conversion', amount: -3200, … }, …]
 */
export function explainChange(
  data: Dataset,
  question: {
    metric: string;
    periodA: Period;
    periodB: Period;
    tree?: MetricTree;
    graph?: CausalGraph;
  },
): WhyResult {
  const { metric, periodA, periodB } = question;
  const n = requireColumns(data, [metric]);
  for (const [name, p] of [
    ['periodA', periodA],
    ['periodB', periodB],
  ] as const) {
    if (
      !Array.isArray(p) ||
      p.length !== 2 ||
      !Number.isInteger(p[0]) ||
      !Number.isInteger(p[1]) ||
      p[0] < 0 ||
      p[1] > n ||
      p[0] >= p[1]
    ) {
      throw new CausalInputError(
        'invalid_argument',
        `${name} must be [start, end) row indices within 0…${n} with start < end`,
        { field: name },
      );
    }
  }
  if (question.tree && question.tree.metric !== metric) {
    throw new CausalInputError(
      'invalid_argument',
      `the tree's root is "${question.tree.metric}" but the question is about "${metric}"`,
    );
  }
  const tree = question.tree ?? { metric };
  const valuesA = treeValues(data, tree, periodA, 'sum');
  const valuesB = treeValues(data, tree, periodB, 'sum');
  const valueA = valuesA.get(tree) as number;
  const valueB = valuesB.get(tree) as number;
  const change = valueB - valueA;
  const treeDrivers: Driver[] = [];
  if (tree.children && tree.children.length > 0)
    splitTree(tree, change, valuesA, valuesB, metric, treeDrivers, change);
  let parentDrivers: Driver[] = [];
  let rootCauses: WhyResult['rootCauses'] = [];
  if (question.graph)
    ({ parentDrivers, rootCauses } = graphDrivers(data, question.graph, metric, periodA, periodB));
  treeDrivers.sort(byAmount);
  const top =
    treeDrivers[0] ?? rootCauses[0] ?? parentDrivers.find((d) => d.driver !== 'unexplained');
  const pct = valueA !== 0 ? (change / Math.abs(valueA)) * 100 : null;
  return {
    metric,
    valueA,
    valueB,
    change,
    changePercent: pct,
    treeDrivers,
    parentDrivers,
    rootCauses,
    summary:
      `${metric} went from ${formatAmount(valueA)} to ${formatAmount(valueB)} (${formatSigned(change)}${pct === null ? '' : `, ${formatSigned(pct)}%`}).` +
      (top
        ? ` Biggest driver: ${top.driver} (${formatSigned(top.amount)}${question.tree ? '' : ' per row on average'}).`
        : ''),
  };
}

function byAmount(a: Driver, b: Driver): number {
  return Math.abs(b.amount) - Math.abs(a.amount);
}

/** Period value of every tree node (a product's derived rate makes the identity exact). */
function treeValues(
  data: Dataset,
  node: MetricTree,
  period: Period,
  aggregate: 'sum' | 'mean',
  out = new Map<MetricTree, number>(),
): Map<MetricTree, number> {
  if (!out.has(node)) out.set(node, aggregateColumn(data, node.metric, period, aggregate));
  const children = node.children ?? [];
  const modes = children.map(
    (c, k) => c.aggregate ?? (node.op === 'product' && k > 0 ? 'ratio' : aggregate),
  );
  const ratios = children.filter((_, k) => modes[k] === 'ratio');
  if (ratios.length > 1 || (ratios.length === 1 && node.op !== 'product')) {
    throw new CausalInputError(
      'invalid_argument',
      `"${node.metric}": only one factor of a product can be a derived rate; give columns for the others`,
      { field: node.metric },
    );
  }
  children.forEach((child, k) => {
    const mode = modes[k];
    if (mode !== 'ratio') treeValues(data, child, period, mode === 'mean' ? 'mean' : 'sum', out);
  });
  const ratio = ratios[0];
  if (ratio) {
    const others = children
      .filter((c) => c !== ratio)
      .reduce((p, c) => p * (out.get(c) as number), 1);
    out.set(ratio, others !== 0 ? (out.get(node) as number) / others : 0);
    treeValues(data, ratio, period, 'mean', out);
  }
  return out;
}

function aggregateColumn(
  data: Dataset,
  column: string,
  [start, end]: Period,
  how: 'sum' | 'mean',
): number {
  const col = data[column];
  if (!col)
    throw new CausalInputError(
      'unknown_column',
      `metric tree node "${column}" has no column in the data (rates after the first factor of a product are derived automatically)`,
      { field: column },
    );
  let s = 0;
  for (let i = start; i < end; i++) {
    const v = col[i];
    if (typeof v !== 'number' || !Number.isFinite(v))
      throw new CausalInputError(
        'missing_values',
        `column "${column}" has a missing value at row ${i + 1}`,
        { field: column },
      );
    s += v;
  }
  return how === 'sum' ? s : s / (end - start);
}

/** Splits `amount` (this node's share of the root change) among the node's children. */
function splitTree(
  node: MetricTree,
  amount: number,
  A: Map<MetricTree, number>,
  B: Map<MetricTree, number>,
  path: string,
  out: Driver[],
  total: number,
): void {
  const children = node.children ?? [];
  if (children.length === 0) {
    out.push({
      driver: node.metric,
      amount,
      share: total !== 0 ? amount / total : 0,
      path,
      valueA: A.get(node) as number,
      valueB: B.get(node) as number,
    });
    return;
  }
  const a = children.map((c) => A.get(c) as number);
  const b = children.map((c) => B.get(c) as number);
  const parts =
    node.op === 'product' ? shapleyProduct(a, b) : b.map((v, k) => v - (a[k] as number));
  const own = parts.reduce((s, v) => s + v, 0);
  const scale = own !== 0 ? amount / own : 0;
  children.forEach((child, k) =>
    splitTree(child, (parts[k] as number) * scale, A, B, `${path} › ${child.metric}`, out, total),
  );
}

/**
 * Shapley split of Π b − Π a among the factors: each factor's average marginal effect over
 * all orders of switching factors from period A to period B. Exact (sums to the change)
 * and defined for zeros and negatives.
 * @internal
 */
export function shapleyProduct(a: number[], b: number[]): number[] {
  const k = a.length;
  if (k > 12)
    throw new CausalInputError('invalid_argument', 'a product node may have at most 12 factors');
  const fact = [1];
  for (let i = 1; i <= k; i++) fact.push((fact[i - 1] as number) * i);
  const value = (mask: number): number => {
    let p = 1;
    for (let j = 0; j < k; j++) p *= mask & (1 << j) ? (b[j] as number) : (a[j] as number);
    return p;
  };
  const out = new Array<number>(k).fill(0);
  for (let mask = 0; mask < 1 << k; mask++) {
    const size = popcount(mask);
    const v = value(mask);
    for (let j = 0; j < k; j++) {
      if (mask & (1 << j)) continue;
      const weight =
        ((fact[size] as number) * (fact[k - size - 1] as number)) / (fact[k] as number);
      out[j] = (out[j] as number) + weight * (value(mask | (1 << j)) - v);
    }
  }
  return out;
}

function popcount(x: number): number {
  let c = 0;
  for (let v = x; v; v &= v - 1) c++;
  return c;
}

function graphDrivers(
  data: Dataset,
  graph: CausalGraph,
  metric: string,
  periodA: Period,
  periodB: Period,
): Pick<WhyResult, 'parentDrivers' | 'rootCauses'> {
  requireNodes(graph, [metric]);
  const upstream = [...ancestorsOf(graph, [metric]), metric];
  const sub: CausalGraph = {
    nodes: upstream.map((id) => ({ id })),
    edges: graph.edges.filter((e) => upstream.includes(e.from) && upstream.includes(e.to)),
  };
  const model = fitStructuralModel(data, sub);
  const mean = (col: ArrayLike<number>, [s, e]: Period): number => {
    let t = 0;
    for (let i = s; i < e; i++) t += col[i] as number;
    return t / (e - s);
  };
  const metricCol = data[metric] as number[];
  const delta = mean(metricCol, periodB) - mean(metricCol, periodA);
  const mech = model.mechanisms[metric];
  const parentDrivers: Driver[] = [];
  let explained = 0;
  for (const p of mech?.parents ?? []) {
    const col = data[p] as number[];
    const va = mean(col, periodA);
    const vb = mean(col, periodB);
    const amount = (mech?.coefficients[p] as number) * (vb - va);
    explained += amount;
    parentDrivers.push({
      driver: p,
      amount,
      share: delta !== 0 ? amount / delta : 0,
      path: `${p} → ${metric}`,
      valueA: va,
      valueB: vb,
    });
  }
  parentDrivers.sort(byAmount);
  parentDrivers.push({
    driver: 'unexplained',
    amount: delta - explained,
    share: delta !== 0 ? (delta - explained) / delta : 0,
    path: `${metric} (own variation)`,
  });
  const noise = abduceNoise(model, data);
  const effects = totalEffects(model, metric);
  const rootCauses = upstream.map((node) => {
    const eps = noise[node] as Float64Array;
    const ma = mean(eps, periodA);
    const mb = mean(eps, periodB);
    let v = 0;
    for (let i = periodA[0]; i < periodA[1]; i++) v += ((eps[i] as number) - ma) ** 2;
    const sdA = Math.sqrt(v / Math.max(1, periodA[1] - periodA[0] - 1));
    const se = sdA * Math.sqrt(1 / (periodA[1] - periodA[0]) + 1 / (periodB[1] - periodB[0]));
    const amount = (effects[node] ?? 0) * (mb - ma);
    return {
      driver: node,
      amount,
      share: delta !== 0 ? amount / delta : 0,
      path: node === metric ? `${metric} (own shift)` : `${node} ⇒ ${metric}`,
      anomalyScore: se > 0 ? (mb - ma) / se : 0,
    };
  });
  rootCauses.sort(byAmount);
  return { parentDrivers, rootCauses };
}
