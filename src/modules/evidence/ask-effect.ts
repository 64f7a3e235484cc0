import {
  descendantsOf,
  estimateEffect,
  identifyEffect,
  type CausalGraph,
  type EffectResult,
} from '../../engines/causal/index.js';
import {
  calendarNodes,
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
import {
  addDays,
  columnsAt,
  columnsOf,
  completeRows,
  loadDaily,
  type DailyData,
} from './daily-data.js';
import { evidenceError, fromEngine } from './errors.js';
import { amount, signed } from './format.js';
import {
  ancestralGraph,
  collapseColumnsInText,
  expandCalendar,
  nodeOfColumn,
  nodesOfColumns,
} from './graph-rules.js';
import { parseCondition, testCondition, type Condition } from './nodes.js';
import type { AnalyzeInput } from './question-types.js';
import { finiteDetails, refutationView } from './sanitize.js';

/** Untreated days kept on each side of the treatment's first and last day by default. */
export const COMPARISON_MARGIN_DAYS = 28;

/**
 * "What did X do to Y?": X is a node that is 0/1 itself or a condition on a node
 * (`marketing_spend[channel=instagram] > 0`); Y a node. The adjustment set comes from the
 * graph (the slices in the question standing in for their metrics), or from `adjustFor`.
 * Without `from`/`to` the untreated days compared are those of the treatment's own period
 * ± 28 days, so both groups share season and trend. Besides the adjusted estimate the
 * answer carries the naive difference between treated and untreated days and the balance
 * of every adjustment column, so the owner sees what adjusting changed.
 */
export async function askEffect(ctx: AskContext, q: AnalyzeInput): Promise<Answer> {
  const warnings: string[] = [];
  const { loader } = ctx;
  const parsed = parseCondition(need(q.treatment, 'treatment', 'effect'));
  if (typeof parsed === 'string')
    throw evidenceError('unknown_node', parsed, '/body/treatment', q.treatment);
  const T = (await knownNode(loader, parsed.node.id, '/body/treatment')).id;
  const Y = (await knownNode(loader, need(q.outcome, 'outcome', 'effect'), '/body/outcome')).id;
  if (T === Y)
    throw evidenceError(
      'invalid_argument',
      'treatment and outcome are the same node',
      '/body/outcome',
    );
  if (columnsOf(T).length > 1)
    throw evidenceError(
      'invalid_argument',
      `${T} has several categories and cannot be a 0/1 treatment; use weekend, holiday or a condition on a metric`,
      '/body/treatment',
    );

  let graph: CausalGraph | null = null;
  let latent = new Set<string>();
  let adjust: string[] = [];
  if (q.adjustFor) {
    for (const [i, id] of q.adjustFor.entries()) {
      const node = (await knownNode(loader, id, `/body/adjustFor/${i}`)).id;
      if (node === T || node === Y)
        throw evidenceError(
          'invalid_argument',
          `adjustFor cannot hold the treatment or the outcome (${node})`,
          `/body/adjustFor/${i}`,
        );
      adjust.push(node);
    }
    adjust = [...new Set(adjust)];
  } else {
    const g = questionGraph(
      ctx,
      [
        { id: T, path: '/body/treatment' },
        { id: Y, path: '/body/outcome' },
      ],
      warnings,
    );
    graph = ancestralGraph(g.graph, [T, Y]);
    latent = g.latent;
  }
  const window = await resolveWindow(loader, q, [Y], warnings);
  const gaps = q.gaps ?? 'auto';

  // The treatment column (0/1), then the comparison period around it.
  const first = await loadDaily(loader, [T], window.from, window.to, gaps);
  requireObserved(first, T, '/body/treatment');
  const treated = treatmentColumn(first, T, parsed.condition);
  if (!q.from && !q.to) {
    const lo = treated.indexOf(1);
    const hi = treated.lastIndexOf(1);
    if (lo >= 0) {
      const from = first.days[Math.max(0, lo - COMPARISON_MARGIN_DAYS)]!;
      const to = addDays(first.days[Math.min(treated.length - 1, hi + COMPARISON_MARGIN_DAYS)]!, 1);
      if (from > window.from || to < window.to) {
        warnings.push(
          `compared with untreated days from ${from} to ${addDays(to, -1)} (the treatment's period ± ${COMPARISON_MARGIN_DAYS} days, so both share season and trend); pass from/to to compare over another period`,
        );
        window.from = from;
        window.to = to;
      }
    }
  }
  // Identification: from the graph (expanded to data columns) or the nodes given. Only the
  // nodes it needs are read; a node found without data is then hidden and it runs again.
  const load = (ids: string[]) =>
    loadDaily(
      loader,
      [T, Y, ...metricNodes(ids, latent), ...calendarNodes(ids)],
      window.from,
      window.to,
      gaps,
    );
  let data = await load(adjust);
  let covariates = adjust.flatMap(columnsOf);
  let identification = adjust.length
    ? `adjusting for the nodes given: ${adjust.join(', ')}`
    : 'no adjustment (adjustFor is empty: treatment assumed randomised)';
  let frontdoor: { graph: CausalGraph; mediators: string[] } | null = null;
  if (graph) {
    const hidden = new Set([...latent].filter((id) => id !== T && id !== Y));
    const expanded = expandCalendar(graph);
    // With no directed path T → Y the graph says the effect is zero; the estimate tests that
    // claim, which needs the backdoor paths blocked as if T could affect Y.
    const zero = !descendantsOf(graph, [T]).has(Y);
    const testable = zero && !descendantsOf(graph, [Y]).has(T);
    const question = testable
      ? { ...expanded, edges: [...expanded.edges, { from: T, to: Y }] }
      : expanded;
    for (;;) {
      const id = identifyEffect(question, T, Y, [...hidden].flatMap(columnsOf));
      identification = collapseColumnsInText(id.explanation);
      if (id.kind === 'not_identifiable')
        throw evidenceError('not_identifiable', identification, '/body/treatment', T);
      frontdoor = id.kind === 'frontdoor' ? { graph: expanded, mediators: id.mediators } : null;
      const order = expanded.nodes.map((n) => n.id);
      covariates =
        id.kind === 'frontdoor'
          ? []
          : [...id.adjustmentSet].sort((x, y) => order.indexOf(x) - order.indexOf(y));
      data = await load(nodesOfColumns([...covariates, ...(frontdoor?.mediators ?? [])]));
      const missing = data.reports.filter((r) => !r.observed && r.node !== T && r.node !== Y);
      if (missing.every((r) => hidden.has(r.node))) break;
      for (const r of missing) hidden.add(r.node);
    }
    if (zero)
      warnings.push(
        testable
          ? `the graph has no directed path from ${T} to ${Y}: it says the effect is zero, and the estimate (adjusted as if ${T} could affect ${Y}) tests that`
          : `the graph says ${Y} is a cause of ${T}, not the other way round: the estimate is not an effect of ${T}`,
      );
    const unmeasured = [...hidden].filter((h) => !latent.has(h));
    if (unmeasured.length)
      warnings.push(`no data in the window for ${unmeasured.join(', ')}: treated as unmeasured`);
  }
  requireObserved(data, Y, '/body/outcome');
  data.values.set(T, treatmentColumn(data, T, parsed.condition));
  const used = [T, Y, ...nodesOfColumns([...covariates, ...(frontdoor?.mediators ?? [])])];
  const rows = completeRows(data, used, 'this effect question');
  const columns = [T, Y, ...covariates, ...(frontdoor?.mediators ?? [])];
  const dataset = columnsAt(data, columns, rows);
  const estimand = q.estimand ?? 'att';
  let result: EffectResult;
  let naive: EffectResult;
  try {
    result = estimateEffect(dataset, {
      treatment: T,
      outcome: Y,
      ...(frontdoor ? { graph: frontdoor.graph } : { covariates }),
      estimand,
      method: q.method ?? 'auto',
      ...(q.seed !== undefined ? { seed: q.seed } : {}),
    });
    naive = estimateEffect(dataset, {
      treatment: T,
      outcome: Y,
      covariates: [],
      estimand,
      method: 'difference',
      refute: false,
    });
  } catch (err) {
    fromEngine(err, nodeOfColumn);
  }
  const t = dataset[T]!;
  const balance = covariates.map((c) => {
    const col = dataset[c]!;
    let s1 = 0;
    let s0 = 0;
    for (let i = 0; i < t.length; i++) {
      if (t[i] === 1) s1 += col[i]!;
      else s0 += col[i]!;
    }
    return {
      node: nodeOfColumn(c),
      column: c,
      treatedMean: s1 / result.nTreated,
      untreatedMean: s0 / result.nControl,
    };
  });
  const condition = parsed.condition?.text ?? `${T} = 1`;
  const details = finiteDetails(result.details);
  const adjustmentSet = nodesOfColumns(result.adjustmentSet);
  const pct = Math.round(result.confidence * 100);
  const summary =
    `Effect of ${condition} on ${Y} (${estimand.toUpperCase()}, per day): ${signed(result.estimate)} (${pct}% interval ${amount(result.interval[0])} to ${amount(result.interval[1])}), ` +
    `adjusted for ${adjustmentSet.length ? adjustmentSet.join(', ') : 'nothing'}. ` +
    `${result.refutations.filter((r) => r.passed).length} of ${result.refutations.length} refutation checks passed. ` +
    `The plain difference between treated and untreated days is ${signed(naive.estimate)}.`;
  return {
    summary,
    window: windowOf(data, rows.length, used),
    result: {
      kind: 'effect',
      treatment: T,
      treatedWhen: condition,
      outcome: Y,
      estimand,
      estimate: result.estimate,
      interval: result.interval,
      confidence: result.confidence,
      se: result.se,
      method: result.method,
      methodUsed: result.methodUsed,
      adjustmentSet,
      adjustmentColumns: result.adjustmentSet,
      identification,
      n: result.n,
      nTreated: result.nTreated,
      nControl: result.nControl,
      naive: { estimate: naive.estimate, interval: naive.interval, se: naive.se },
      balance,
      refutations: result.refutations.map(refutationView),
      details: details.details,
      warnings: [
        ...warnings,
        ...result.warnings.map(collapseColumnsInText),
        ...(details.dropped
          ? [`${details.dropped} detail value(s) were not finite and are left out`]
          : []),
      ],
      summary,
    },
  };
}

/** The 0/1 treatment per day (null where the node has no value). */
function treatmentColumn(
  data: DailyData,
  id: string,
  condition: Condition | null,
): (number | null)[] {
  const raw = data.values.get(id) ?? [];
  return raw.map((v, i) => {
    if (v === null) return null;
    if (condition) return testCondition(condition, v);
    if (v !== 0 && v !== 1)
      throw evidenceError(
        'not_binary',
        `treatment ${id} is ${v} on ${data.days[i]}, not 0 or 1; give a condition such as "${id} > 0"`,
        '/body/treatment',
        id,
      );
    return v;
  });
}
