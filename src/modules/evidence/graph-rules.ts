import { ancestorsOf, type CausalGraph } from '../../engines/causal/index.js';
import { CALENDAR_COLUMNS, calendarNodeOf } from './calendar.js';
import type { EvidenceGraph } from './graph-types.js';
import { parseNode, type CalendarNode } from './nodes.js';

/**
 * Graph transformations between the business's graph (node ids the owner reads) and the
 * graph the engine gets (one node per data column). Pure functions.
 */

/** Plain engine graph of an evidence graph (no latent flags or notes). */
export function toEngineGraph(graph: EvidenceGraph): CausalGraph {
  return {
    nodes: graph.nodes.map((n) => ({ id: n.id })),
    edges: graph.edges.map((e) => ({ from: e.from, to: e.to })),
  };
}

/**
 * A question may name a slice of a metric the graph holds whole: `orders[channel=store]`
 * when the graph has `orders`. The slice then takes the metric's place (same causes, same
 * effects) for that question. Returns the graph with the replacements made and what was
 * replaced; names that are neither nodes nor slices of one are returned as `missing`.
 *
 * @example
 * substituteSlices(graph, ['orders[channel=store]']).replaced; // [{ node: 'orders', by: 'orders[channel=store]' }]
 */
export function substituteSlices(
  graph: CausalGraph,
  names: string[],
): { graph: CausalGraph; replaced: { node: string; by: string }[]; missing: string[] } {
  const ids = new Set(graph.nodes.map((n) => n.id));
  const rename = new Map<string, string>();
  const missing: string[] = [];
  for (const name of new Set(names)) {
    if (ids.has(name)) continue;
    const parsed = parseNode(name);
    const base = typeof parsed === 'object' && parsed.kind === 'metric' ? parsed.metric : null;
    if (base && ids.has(base) && !rename.has(base)) rename.set(base, name);
    else missing.push(name);
  }
  const to = (id: string) => rename.get(id) ?? id;
  return {
    graph: {
      nodes: graph.nodes.map((n) => ({ ...n, id: to(n.id) })),
      edges: graph.edges.map((e) => ({ ...e, from: to(e.from), to: to(e.to) })),
    },
    replaced: [...rename].map(([node, by]) => ({ node, by })),
    missing,
  };
}

/** The graph on `keep` and their ancestors (what identification of `keep` can depend on). */
export function ancestralGraph(graph: CausalGraph, keep: string[]): CausalGraph {
  const nodes = new Set([...keep, ...ancestorsOf(graph, keep)]);
  return inducedGraph(graph, nodes);
}

/** The subgraph on `nodes`. */
export function inducedGraph(graph: CausalGraph, nodes: Set<string>): CausalGraph {
  return {
    nodes: graph.nodes.filter((n) => nodes.has(n.id)),
    edges: graph.edges.filter((e) => nodes.has(e.from) && nodes.has(e.to)),
  };
}

/**
 * Replaces each categorical calendar node (weekday, month, season) by its indicator
 * columns, each with the node's edges: adjusting for all of them is adjusting for the node.
 */
export function expandCalendar(graph: CausalGraph): CausalGraph {
  const columns = (id: string): readonly string[] => {
    const cols = CALENDAR_COLUMNS[id as CalendarNode];
    return cols && cols.length > 1 ? cols : [id];
  };
  return {
    nodes: graph.nodes.flatMap((n) => columns(n.id).map((id) => ({ ...n, id }))),
    edges: graph.edges.flatMap((e) =>
      columns(e.from).flatMap((from) => columns(e.to).map((to) => ({ ...e, from, to }))),
    ),
  };
}

/** The node a data column stands for (`weekday[sat]` → `weekday`; a metric column is its node). */
export function nodeOfColumn(column: string): string {
  return calendarNodeOf(column) ?? column;
}

/** Column names mapped back to node ids, without repeats, in first-seen order. */
export function nodesOfColumns(columns: readonly string[]): string[] {
  return [...new Set(columns.map(nodeOfColumn))];
}

/**
 * Latent projection onto the observed nodes: `a → b` when a directed path from a to b runs
 * only through unobserved nodes. An unobserved node that reaches two observed nodes that
 * way confounds them, which a DAG on observed nodes cannot say: those are returned so the
 * answer can warn about them.
 *
 * @example
 * projectOnto({ nodes: [a, u, b], edges: [a→u, u→b] }, new Set(['a', 'b'])).graph.edges; // [a → b]
 */
export function projectOnto(
  graph: CausalGraph,
  observed: Set<string>,
): { graph: CausalGraph; confounders: { node: string; affects: string[] }[] } {
  const children = new Map<string, string[]>(graph.nodes.map((n) => [n.id, []]));
  for (const e of graph.edges) children.get(e.from)?.push(e.to);
  const firstObserved = (start: string): string[] => {
    const out = new Set<string>();
    const seen = new Set<string>();
    const stack = [...(children.get(start) ?? [])];
    while (stack.length) {
      const id = stack.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      if (observed.has(id)) out.add(id);
      else stack.push(...(children.get(id) ?? []));
    }
    return graph.nodes.map((n) => n.id).filter((id) => out.has(id));
  };
  const edges: CausalGraph['edges'] = [];
  const confounders: { node: string; affects: string[] }[] = [];
  for (const n of graph.nodes) {
    const reach = firstObserved(n.id);
    if (observed.has(n.id)) {
      for (const to of reach) edges.push({ from: n.id, to });
    } else if (reach.length >= 2) {
      confounders.push({ node: n.id, affects: reach });
    }
  }
  return {
    graph: { nodes: graph.nodes.filter((n) => observed.has(n.id)), edges },
    confounders,
  };
}

/** Engine text with indicator columns named by their node (`weekday[sat], weekday[sun]` → `weekday`). */
export function collapseColumnsInText(text: string): string {
  return text
    .replace(/\b(weekday|month|season)\[[a-z]+\]/g, '$1')
    .replace(/\b(weekday|month|season)(?:, \1\b)+/g, '$1');
}
