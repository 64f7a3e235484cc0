import {
  explainChange,
  type CausalGraph,
  type Driver,
  type MetricTree,
  type WhyResult,
} from '../../engines/causal/index.js';
import {
  calendarNodes,
  checkRange,
  knownNode,
  metricNodes,
  need,
  questionGraph,
  requireObserved,
  windowOf,
  type Answer,
  type AskContext,
} from './ask-context.js';
import { addDays, columnsAt, columnsOf, completeRows, loadDaily } from './daily-data.js';
import { evidenceError, fromEngine } from './errors.js';
import { amount, signed } from './format.js';
import {
  ancestralGraph,
  expandCalendar,
  nodeOfColumn,
  projectOnto,
  substituteSlices,
} from './graph-rules.js';
import { formatNode, parseNode } from './nodes.js';
import type { AnalyzeInput, DayRange, TreeInput } from './question-types.js';

/** Days of history (before the later period ends) the graph's model is fitted on. */
export const WHY_FIT_DAYS = 365;

/**
 * "Why did Y change between period A and period B?": period totals split down a metric
 * tree (revenue = orders × average order value by default), the graph parents' shares
 * and the root causes (each upstream node's own unusual shift), fitted on up to a year of
 * days. Metrics that are not summed per day (levels, averages, ratios) are compared by
 * their daily mean and take no tree.
 */
export async function askWhy(ctx: AskContext, q: AnalyzeInput): Promise<Answer> {
  const warnings: string[] = [];
  const { loader } = ctx;
  const metric = await knownNode(loader, need(q.metric, 'metric', 'why'), '/body/metric');
  const M = metric.id;
  if (metric.kind === 'calendar')
    throw evidenceError(
      'invalid_argument',
      `why questions are about metrics; ${M} is a calendar node`,
      '/body/metric',
    );
  const A = checkRange(need(q.periodA, 'periodA', 'why'), '/body/periodA');
  const B = checkRange(need(q.periodB, 'periodB', 'why'), '/body/periodB');
  const flow = (await loader.aggregation(M)) === 'sum';
  if (q.tree && !flow)
    throw evidenceError(
      'invalid_argument',
      `a metric tree splits period totals, but ${M} is not summed per day (it is compared by its daily mean); leave tree out`,
      '/body/tree',
    );
  const tree = flow ? (q.tree ?? (await defaultTree(ctx, M))) : undefined;
  const treeNodes = tree ? await treeColumns(ctx, tree, M) : [];

  let graph: CausalGraph | null = null;
  let latent = new Set<string>();
  if (substituteSlices({ nodes: ctx.graph.nodes, edges: [] }, [M]).missing.length === 0) {
    const g = questionGraph(ctx, [{ id: M, path: '/body/metric' }], warnings);
    graph = ancestralGraph(g.graph, [M]);
    latent = g.latent;
  } else warnings.push(`${M} is not in ${ctx.graphName}: no causal drivers, only the metric tree`);

  const end = [A.to, B.to].sort().at(-1)!;
  const earliest = [A.from, B.from].sort()[0]!;
  const span = await loader.span(M);
  // Up to a year of fitting days, not before the metric's data, never after a period starts.
  let from = [earliest, addDays(end, -WHY_FIT_DAYS)].sort()[0]!;
  if (span && span.from > from) from = [span.from, earliest].sort()[0]!;
  const window = checkRange({ from, to: end }, '/body');
  const nodes = graph ? graph.nodes.map((n) => n.id) : [M];
  const data = await loadDaily(
    loader,
    [M, ...treeNodes, ...metricNodes(nodes, latent), ...calendarNodes(nodes)],
    window.from,
    window.to,
    q.gaps ?? 'auto',
  );
  requireObserved(data, M, '/body/metric');

  let engineGraph: CausalGraph | undefined;
  let used = [M, ...treeNodes];
  if (graph) {
    const observed = new Set(
      graph.nodes
        .map((n) => n.id)
        .filter(
          (id) =>
            !latent.has(id) &&
            (calendarNodes([id]).length > 0 ||
              data.reports.some((r) => r.node === id && r.observed)),
        ),
    );
    observed.add(M);
    const projected = projectOnto(graph, observed);
    for (const c of projected.confounders)
      warnings.push(
        `${c.node} (unmeasured) affects ${c.affects.join(' and ')}: the drivers assume it did not move`,
      );
    engineGraph = expandCalendar(projected.graph);
    used = [...new Set([...used, ...projected.graph.nodes.map((n) => n.id)])];
  }
  const rows = completeRows(data, used, 'this why question');
  const days = rows.map((i) => data.days[i]!);
  const periodA = indexRange(days, A, 'periodA');
  const periodB = indexRange(days, B, 'periodB');
  const dataset = columnsAt(data, used.flatMap(columnsOf), rows);
  let r: WhyResult;
  try {
    r = explainChange(dataset, {
      metric: M,
      periodA,
      periodB,
      ...(tree ? { tree: tree as MetricTree } : {}),
      ...(engineGraph ? { graph: engineGraph } : {}),
    });
  } catch (err) {
    fromEngine(err, nodeOfColumn);
  }
  const parentDrivers = collapse(r.parentDrivers);
  const rootCauses = collapse(r.rootCauses) as Array<DriverView & { anomalyScore: number }>;
  let { valueA, valueB, change, changePercent, summary } = r;
  if (!flow) {
    const col = dataset[M]!;
    const mean = ([s, e]: [number, number]) => col.slice(s, e).reduce((a, b) => a + b, 0) / (e - s);
    valueA = mean(periodA);
    valueB = mean(periodB);
    change = valueB - valueA;
    changePercent = valueA !== 0 ? (change / Math.abs(valueA)) * 100 : null;
    const top = rootCauses[0] ?? parentDrivers.find((d) => d.driver !== 'unexplained');
    summary =
      `${M} averaged ${amount(valueA)} a day in period A and ${amount(valueB)} in period B (${signed(change)}${changePercent === null ? '' : `, ${signed(changePercent)}%`}).` +
      (top ? ` Biggest driver: ${top.driver} (${signed(top.amount)} a day).` : '');
  } else summary = summary.replaceAll(' per row on average', ' a day on average');
  const period = (p: DayRange, [s, e]: [number, number]) => ({ ...p, days: e - s });
  return {
    summary,
    window: windowOf(data, rows.length, used),
    result: {
      kind: 'why',
      metric: M,
      aggregate: flow ? 'sum' : 'mean',
      periodA: period(A, periodA),
      periodB: period(B, periodB),
      valueA,
      valueB,
      change,
      changePercent,
      tree: tree ?? null,
      treeDrivers: r.treeDrivers.map(driverView),
      parentDrivers,
      rootCauses,
      warnings,
      summary,
    },
  };
}

/** revenue (or a slice of it) = orders × average order value, when orders has data. */
async function defaultTree(ctx: AskContext, metric: string): Promise<TreeInput | undefined> {
  const node = parseNode(metric);
  if (typeof node === 'string' || node.kind !== 'metric' || node.metric !== 'revenue')
    return undefined;
  const orders = formatNode('orders', node.dims);
  if (!(await ctx.loader.span(orders))) return undefined;
  return {
    metric,
    op: 'product',
    children: [{ metric: orders }, { metric: formatNode('average_order_value', node.dims) }],
  };
}

/** Tree nodes that need data (derived rates — product factors after the first — need none). */
async function treeColumns(ctx: AskContext, tree: TreeInput, metric: string): Promise<string[]> {
  if (tree.metric !== metric)
    throw evidenceError(
      'invalid_argument',
      `the tree's root is "${tree.metric}" but the question is about "${metric}"`,
      '/body/tree/metric',
    );
  const out: string[] = [];
  const walk = async (t: TreeInput, path: string, derived: boolean): Promise<void> => {
    const parsed = parseNode(t.metric);
    if (typeof parsed === 'string')
      throw evidenceError('unknown_node', parsed, `${path}/metric`, t.metric);
    if (!derived) out.push((await knownNode(ctx.loader, t.metric, `${path}/metric`)).id);
    for (const [k, c] of (t.children ?? []).entries())
      await walk(
        c,
        `${path}/children/${k}`,
        t.op === 'product' && k > 0 && (c.aggregate === undefined || c.aggregate === 'ratio'),
      );
  };
  await walk(tree, '/body/tree', false);
  return out;
}

/** [start, end) of a period among the kept days; refuses a period without data. */
function indexRange(days: string[], p: DayRange, name: string): [number, number] {
  const start = days.findIndex((d) => d >= p.from);
  const end = days.findIndex((d) => d >= p.to);
  const s = start < 0 ? days.length : start;
  const e = end < 0 ? days.length : end;
  if (e <= s)
    throw evidenceError(
      'too_few_rows',
      `${name} (${p.from} to ${addDays(p.to, -1)}) has no day with data for every node used`,
      `/body/${name}`,
    );
  return [s, e];
}

interface DriverView {
  driver: string;
  amount: number;
  share: number;
  path: string;
  valueA: number | null;
  valueB: number | null;
  anomalyScore?: number;
}

function driverView(d: Driver & { anomalyScore?: number }): DriverView {
  return {
    driver: d.driver,
    amount: d.amount,
    share: d.share,
    path: d.path,
    valueA: d.valueA ?? null,
    valueB: d.valueB ?? null,
    ...(d.anomalyScore !== undefined ? { anomalyScore: d.anomalyScore } : {}),
  };
}

/** Drivers named by node: a calendar node's indicator columns add up into one driver. */
function collapse(drivers: Array<Driver & { anomalyScore?: number }>): DriverView[] {
  const out = new Map<string, DriverView>();
  for (const d of drivers) {
    const node = nodeOfColumn(d.driver);
    const seen = out.get(node);
    if (!seen) {
      out.set(node, {
        ...driverView(d),
        driver: node,
        ...(node !== d.driver
          ? { path: d.path.replace(d.driver, node), valueA: null, valueB: null }
          : {}),
      });
      continue;
    }
    seen.amount += d.amount;
    seen.share += d.share;
    if (d.anomalyScore !== undefined && Math.abs(d.anomalyScore) > Math.abs(seen.anomalyScore ?? 0))
      seen.anomalyScore = d.anomalyScore;
  }
  return [...out.values()].sort((a, b) =>
    a.driver === 'unexplained'
      ? 1
      : b.driver === 'unexplained'
        ? -1
        : Math.abs(b.amount) - Math.abs(a.amount),
  );
}
