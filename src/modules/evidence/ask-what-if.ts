import {
  ancestorsOf,
  descendantsOf,
  parentsOf,
  whatIf,
  type CausalGraph,
  type WhatIfResult,
} from '../../engines/causal/index.js';
import {
  calendarNodes,
  checkRange,
  knownNode,
  metricNodes,
  need,
  questionGraph,
  requireObserved,
  resolveWindow,
  windowOf,
  type Answer,
  type AskContext,
} from './ask-context.js';
import { columnsAt, columnsOf, completeRows, loadDaily } from './daily-data.js';
import { evidenceError, fromEngine } from './errors.js';
import {
  ancestralGraph,
  expandCalendar,
  inducedGraph,
  nodeOfColumn,
  nodesOfColumns,
  projectOnto,
} from './graph-rules.js';
import { parseCondition, testCondition, type Condition } from './nodes.js';
import type { AnalyzeInput } from './question-types.js';

/**
 * "What would Y have been had X been v?" on the chosen days (`period`, `where`), by the
 * engine's structural model on the graph (projected onto the nodes with data): each day
 * keeps its own noise, X is set to v, and X's descendants are recomputed.
 */
export async function askWhatIf(ctx: AskContext, q: AnalyzeInput): Promise<Answer> {
  const warnings: string[] = [];
  const { loader } = ctx;
  const V = (await knownNode(loader, need(q.variable, 'variable', 'what_if'), '/body/variable')).id;
  const Y = (await knownNode(loader, need(q.outcome, 'outcome', 'what_if'), '/body/outcome')).id;
  const value = need(q.value, 'value', 'what_if');
  if (V === Y)
    throw evidenceError('invalid_argument', 'variable and outcome must differ', '/body/outcome');
  if (columnsOf(V).length > 1)
    throw evidenceError(
      'invalid_argument',
      `${V} has several categories and cannot be set to one value`,
      '/body/variable',
    );
  let where: Condition | null = null;
  if (q.where) {
    const c = parseCondition(q.where);
    if (typeof c === 'string') throw evidenceError('unknown_node', c, '/body/where', q.where);
    await knownNode(loader, c.node.id, '/body/where');
    if (columnsOf(c.node.id).length > 1)
      throw evidenceError(
        'invalid_argument',
        `${c.node.id} has several categories; a condition needs a single series (weekend, holiday, a metric)`,
        '/body/where',
      );
    where = c.condition ?? {
      node: c.node.id,
      op: '==',
      value: 1,
      text: `${c.node.id} == 1`,
    };
  }
  const period = q.period ? checkRange(q.period, '/body/period') : null;
  const g = questionGraph(
    ctx,
    [
      { id: V, path: '/body/variable' },
      { id: Y, path: '/body/outcome' },
    ],
    warnings,
  );
  const anc = ancestralGraph(g.graph, [V, Y]);
  const window = await resolveWindow(loader, q, [Y], warnings);
  const nodes = anc.nodes.map((n) => n.id);
  const data = await loadDaily(
    loader,
    [
      V,
      Y,
      ...(where ? [where.node] : []),
      ...metricNodes(nodes, g.latent),
      ...calendarNodes(nodes),
    ],
    window.from,
    window.to,
    q.gaps ?? 'auto',
  );
  requireObserved(data, V, '/body/variable');
  requireObserved(data, Y, '/body/outcome');
  const observed = new Set(
    nodes.filter(
      (id) =>
        id === V ||
        id === Y ||
        (!g.latent.has(id) &&
          (calendarNodes([id]).length > 0 ||
            data.reports.some((r) => r.node === id && r.observed))),
    ),
  );
  const projected = projectOnto(anc, observed);
  for (const c of projected.confounders)
    warnings.push(
      `${c.node} (unmeasured) affects ${c.affects.join(' and ')}: the model assumes it does not confound them`,
    );
  const model = pathModel(expandCalendar(projected.graph), V, Y);
  const used = [
    ...new Set([...nodesOfColumns(model.nodes.map((n) => n.id)), ...(where ? [where.node] : [])]),
  ];
  const rows = completeRows(data, used, 'this what-if question');
  const answerRows: number[] = [];
  rows.forEach((i, k) => {
    const day = data.days[i]!;
    if (period && (day < period.from || day >= period.to)) return;
    if (where && testCondition(where, data.values.get(where.node)![i]!) === 0) return;
    answerRows.push(k);
  });
  if (answerRows.length === 0)
    throw evidenceError(
      'too_few_rows',
      `no day with data matches${period ? ` the period ${period.from} to ${period.to}` : ''}${where ? ` and ${where.text}` : ''}`,
      '/body/where',
    );
  const dataset = columnsAt(
    data,
    model.nodes.map((n) => n.id),
    rows,
  );
  let r: WhatIfResult;
  try {
    r = whatIf(dataset, model, { variable: V, value, outcome: Y, rows: answerRows });
  } catch (err) {
    fromEngine(err, nodeOfColumn);
  }
  const y = dataset[Y]!;
  return {
    summary: r.summary,
    window: windowOf(data, rows.length, used),
    result: {
      kind: 'what_if',
      variable: V,
      value,
      outcome: Y,
      days: r.rows,
      on: { period: period ?? null, where: where?.text ?? null },
      actualTotal: r.actualTotal,
      counterfactualTotal: r.counterfactualTotal,
      difference: r.difference,
      interval: r.interval,
      actualMean: r.actualMean,
      counterfactualMean: r.counterfactualMean,
      perDay: answerRows.map((k, j) => ({
        day: data.days[rows[k]!]!,
        actual: y[k]!,
        counterfactual: r.counterfactual[j]!,
      })),
      warnings,
      summary: r.summary,
    },
  };
}

/**
 * The part of the graph a what-if needs: the nodes on causal paths variable → outcome,
 * their parents and the variable (the others keep their observed values anyway).
 */
function pathModel(graph: CausalGraph, variable: string, outcome: string): CausalGraph {
  const upstream = ancestorsOf(graph, [outcome]);
  const onPath = [...descendantsOf(graph, [variable])].filter(
    (v) => v === outcome || upstream.has(v),
  );
  if (onPath.length === 0) return { nodes: [{ id: variable }, { id: outcome }], edges: [] };
  const keep = new Set([variable, ...onPath, ...onPath.flatMap((v) => parentsOf(graph, v))]);
  const sub = inducedGraph(graph, keep);
  return { nodes: sub.nodes, edges: sub.edges.filter((e) => onPath.includes(e.to)) };
}
