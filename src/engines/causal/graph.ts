import { CausalInputError } from './errors.js';
import type { CausalGraph } from './types.js';

/**
 * Checks a graph and returns its nodes in topological order (causes before effects).
 * Throws `CausalInputError` for duplicate or unknown nodes, self-loops and cycles
 * (the message names the cycle).
 *
 * @example
 * validateGraph({ nodes: [{ id: 'price' }, { id: 'sales' }], edges: [{ from: 'price', to: 'sales' }] });
 * // → ['price', 'sales']
 */
export function validateGraph(graph: CausalGraph): string[] {
  if (!graph || !Array.isArray(graph.nodes) || !Array.isArray(graph.edges)) {
    throw new CausalInputError(
      'invalid_graph',
      'graph must be an object with "nodes" and "edges" arrays',
    );
  }
  const ids = new Set<string>();
  for (const node of graph.nodes) {
    if (!node || typeof node.id !== 'string' || node.id === '') {
      throw new CausalInputError('invalid_graph', 'every graph node needs a non-empty string "id"');
    }
    if (ids.has(node.id))
      throw new CausalInputError('invalid_graph', `duplicate graph node "${node.id}"`, {
        field: node.id,
      });
    ids.add(node.id);
  }
  for (const edge of graph.edges) {
    for (const end of [edge?.from, edge?.to]) {
      if (typeof end !== 'string' || !ids.has(end)) {
        throw new CausalInputError(
          'unknown_node',
          `edge ${String(edge?.from)} → ${String(edge?.to)} refers to unknown node "${String(end)}"`,
          {
            field: String(end),
          },
        );
      }
    }
    if (edge.from === edge.to)
      throw new CausalInputError('cyclic_graph', `self-loop on node "${edge.from}"`, {
        field: edge.from,
      });
  }
  const order = topologicalOrder(graph);
  if (order.length < ids.size) {
    const cycle = findCycle(graph);
    throw new CausalInputError('cyclic_graph', `graph has a cycle: ${cycle.join(' → ')}`, {
      field: cycle[0],
    });
  }
  return order;
}

/**
 * Kahn's algorithm; returns fewer nodes than the graph has when there is a cycle.
 * @internal
 */
export function topologicalOrder(graph: CausalGraph): string[] {
  const indegree = new Map<string, number>(graph.nodes.map((n) => [n.id, 0]));
  for (const e of graph.edges) indegree.set(e.to, (indegree.get(e.to) ?? 0) + 1);
  const children = adjacency(graph, 'children');
  const queue = graph.nodes.map((n) => n.id).filter((id) => indegree.get(id) === 0);
  const order: string[] = [];
  while (queue.length > 0) {
    const id = queue.shift() as string;
    order.push(id);
    for (const c of children.get(id) ?? []) {
      const d = (indegree.get(c) ?? 0) - 1;
      indegree.set(c, d);
      if (d === 0) queue.push(c);
    }
  }
  return order;
}

function findCycle(graph: CausalGraph): string[] {
  const children = adjacency(graph, 'children');
  const state = new Map<string, 1 | 2>();
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    state.set(id, 1);
    stack.push(id);
    for (const c of children.get(id) ?? []) {
      if (state.get(c) === 1) return [...stack.slice(stack.indexOf(c)), c];
      if (!state.has(c)) {
        const found = visit(c);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(id, 2);
    return undefined;
  };
  for (const n of graph.nodes) {
    if (!state.has(n.id)) {
      const found = visit(n.id);
      if (found) return found;
    }
  }
  return [];
}

/**
 * Parent or child lists of every node.
 * @internal
 */
export function adjacency(
  graph: CausalGraph,
  direction: 'parents' | 'children',
): Map<string, string[]> {
  const map = new Map<string, string[]>(graph.nodes.map((n) => [n.id, []]));
  for (const e of graph.edges) {
    const [key, value] = direction === 'children' ? [e.from, e.to] : [e.to, e.from];
    const list = map.get(key);
    if (list && !list.includes(value)) list.push(value);
  }
  return map;
}

/**
 * Direct causes of `node`.
 *
 * @example
 * parentsOf(graph, 'sales'); // ['price', 'season']
 */
export function parentsOf(graph: CausalGraph, node: string): string[] {
  return adjacency(graph, 'parents').get(node) ?? [];
}

/**
 * All nodes with a directed path into any of `nodes` (excluding `nodes` themselves).
 *
 * @example
 * ancestorsOf(graph, ['sales']); // Set {'price', 'season', …}
 */
export function ancestorsOf(graph: CausalGraph, nodes: string[]): Set<string> {
  return reach(adjacency(graph, 'parents'), nodes);
}

/**
 * All nodes reachable by a directed path from any of `nodes` (excluding `nodes` themselves).
 *
 * @example
 * descendantsOf(graph, ['price']); // Set {'sales', 'revenue'}
 */
export function descendantsOf(graph: CausalGraph, nodes: string[]): Set<string> {
  return reach(adjacency(graph, 'children'), nodes);
}

function reach(next: Map<string, string[]>, start: string[]): Set<string> {
  const seen = new Set<string>();
  const stack = [...start];
  while (stack.length > 0) {
    const id = stack.pop() as string;
    for (const n of next.get(id) ?? []) {
      if (!seen.has(n)) {
        seen.add(n);
        stack.push(n);
      }
    }
  }
  for (const s of start) seen.delete(s);
  return seen;
}

/**
 * Throws `unknown_node` unless every name is a node of the graph.
 * @internal
 */
export function requireNodes(graph: CausalGraph, names: string[]): void {
  const ids = new Set(graph.nodes.map((n) => n.id));
  for (const name of names) {
    if (!ids.has(name))
      throw new CausalInputError('unknown_node', `"${name}" is not a node of the graph`, {
        field: name,
      });
  }
}
