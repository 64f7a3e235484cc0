import { adjacency, ancestorsOf, requireNodes } from './graph.js';
import type { CausalGraph } from './types.js';

/**
 * True when every path between `xs` and `ys` is blocked by `given` (d-separation),
 * i.e. the graph implies `xs ⫫ ys | given`. Uses the reachable-nodes ("Bayes ball")
 * algorithm, linear in the size of the graph.
 *
 * @example
 * // a → b → c: a and c are d-separated given b
 * dSeparated(graph, ['a'], ['c'], ['b']); // true
 */
export function dSeparated(
  graph: CausalGraph,
  xs: string[],
  ys: string[],
  given: string[] = [],
): boolean {
  requireNodes(graph, [...xs, ...ys, ...given]);
  const reachable = reachableFrom(graph, xs, given);
  return ys.every((y) => !reachable.has(y));
}

/**
 * Nodes reachable from `sources` by an active trail given `given` (Koller & Friedman, alg. 3.1).
 * @internal
 */
export function reachableFrom(graph: CausalGraph, sources: string[], given: string[]): Set<string> {
  const parents = adjacency(graph, 'parents');
  const children = adjacency(graph, 'children');
  const z = new Set(given);
  const zAndAncestors = new Set([...given, ...ancestorsOf(graph, given)]);
  // Direction: 'up' = arrived from a child (travelling against the edge), 'down' = from a parent.
  const toVisit: Array<[string, 'up' | 'down']> = sources.map((s) => [s, 'up']);
  const visited = new Set<string>();
  const reachable = new Set<string>();
  while (toVisit.length > 0) {
    const [node, dir] = toVisit.pop() as [string, 'up' | 'down'];
    const key = `${dir}:${node}`;
    if (visited.has(key)) continue;
    visited.add(key);
    if (!z.has(node)) reachable.add(node);
    if (dir === 'up' && !z.has(node)) {
      for (const p of parents.get(node) ?? []) toVisit.push([p, 'up']);
      for (const c of children.get(node) ?? []) toVisit.push([c, 'down']);
    } else if (dir === 'down') {
      if (!z.has(node)) for (const c of children.get(node) ?? []) toVisit.push([c, 'down']);
      if (zAndAncestors.has(node)) for (const p of parents.get(node) ?? []) toVisit.push([p, 'up']);
    }
  }
  for (const s of sources) reachable.delete(s);
  return reachable;
}
