import { CausalInputError, validateGraph } from '../../engines/causal/index.js';
import type { TenantTx } from '../../platform/tenancy/context.js';
import type { DailyLoader } from './daily-data.js';
import { evidenceError } from './errors.js';
import type { EvidenceEdge, EvidenceGraph, EvidenceNode, GraphInput } from './graph-types.js';
import { toEngineGraph } from './graph-rules.js';
import { isLatentName, parseNode } from './nodes.js';
import { existingAnalyses } from './repo.js';

export const MAX_NODES = 200;
export const MAX_EDGES = 1000;

/**
 * Validates a graph sent by the owner (PUT, or inline with a question) and returns it
 * canonical: node ids in canonical form, edges without provenance marked `assumed`.
 * Refuses (400, with the JSON path) unknown nodes — a node must be a catalogue metric with
 * a dimension it has, a custom metric with data, a calendar node, or declared `latent` —
 * edges between undeclared nodes, duplicates, self-loops, cycles (named) and analysis ids
 * that are not this business's.
 */
export async function checkGraph(
  tx: TenantTx,
  loader: DailyLoader,
  graph: GraphInput,
  at: string,
): Promise<EvidenceGraph> {
  if (graph.nodes.length > MAX_NODES || graph.edges.length > MAX_EDGES)
    throw evidenceError(
      'invalid_graph',
      `a graph has at most ${MAX_NODES} nodes and ${MAX_EDGES} edges`,
      at,
    );
  const nodes: EvidenceNode[] = [];
  const ids = new Set<string>();
  for (const [i, n] of graph.nodes.entries()) {
    const path = `${at}/nodes/${i}/id`;
    let id: string;
    if (n.latent) {
      if (!isLatentName(n.id))
        throw evidenceError(
          'invalid_graph',
          `latent node "${n.id}" needs a plain name (lower-case letters, digits, _ and .; not a calendar node)`,
          path,
          n.id,
        );
      id = n.id;
    } else {
      const parsed = parseNode(n.id);
      const problem = typeof parsed === 'string' ? parsed : await loader.problemWith(parsed.id);
      if (problem || typeof parsed === 'string')
        throw evidenceError(
          'unknown_node',
          `${problem ?? parsed}; mark it "latent": true if it is a cause you do not measure`,
          path,
          n.id,
        );
      id = parsed.id;
    }
    if (ids.has(id)) throw evidenceError('invalid_graph', `duplicate node "${id}"`, path, id);
    ids.add(id);
    nodes.push({ ...n, id });
  }
  const canonical = (text: string): string => {
    const p = parseNode(text);
    return typeof p === 'string' ? text : p.id;
  };
  const edges: EvidenceEdge[] = [];
  const pairs = new Set<string>();
  for (const [i, e] of graph.edges.entries()) {
    const from = canonical(e.from);
    const to = canonical(e.to);
    for (const [end, name] of [
      [from, 'from'],
      [to, 'to'],
    ] as const) {
      if (!ids.has(end))
        throw evidenceError(
          'unknown_node',
          `edge ${e.from} → ${e.to} refers to "${end}", which is not among the graph's nodes`,
          `${at}/edges/${i}/${name}`,
          end,
        );
    }
    if (from === to)
      throw evidenceError('cyclic_graph', `self-loop on node "${from}"`, `${at}/edges/${i}`, from);
    const key = `${from}\u0000${to}`;
    if (pairs.has(key))
      throw evidenceError('invalid_graph', `duplicate edge ${from} → ${to}`, `${at}/edges/${i}`);
    pairs.add(key);
    edges.push({ ...e, from, to, provenance: e.provenance ?? 'assumed' });
  }
  try {
    validateGraph(toEngineGraph({ nodes, edges }));
  } catch (err) {
    if (err instanceof CausalInputError)
      throw evidenceError(err.code, err.message, `${at}/edges`, err.field, err);
    throw err;
  }
  const cited = [...new Set(edges.flatMap((e) => (e.analysisId ? [e.analysisId] : [])))];
  const found = await existingAnalyses(tx, cited);
  const missing = edges.findIndex((e) => e.analysisId && !found.has(e.analysisId));
  if (missing >= 0)
    throw evidenceError(
      'invalid_argument',
      `analysis ${edges[missing]!.analysisId} does not exist`,
      `${at}/edges/${missing}/analysisId`,
    );
  return { nodes, edges };
}
