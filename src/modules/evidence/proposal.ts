import { descendantsOf } from '../../engines/causal/index.js';
import type { EvidenceEdge, EvidenceGraph } from './graph-types.js';

/** An edge discovery found, with how sure it is. */
export interface FoundEdge {
  from: string;
  to: string;
  /** False when the data cannot tell the direction. */
  directed: boolean;
  confidence: number;
  pValue: number;
  orientationConfidence?: number;
  lag?: number;
  strength?: number;
}

export interface Proposal {
  /** The current graph with the discovered evidence merged in: ready to PUT. */
  graph: EvidenceGraph;
  /** Directed edges added (provenance learned). */
  added: EvidenceEdge[];
  /** Edges of the graph the data supports (their confidence and analysis id updated). */
  supported: EvidenceEdge[];
  /** Links found whose direction the data cannot tell: for the owner to decide. */
  undecided: FoundEdge[];
  /** Directed links not added: they would reverse an edge or close a cycle. */
  conflicts: Array<FoundEdge & { reason: string }>;
  /** Edges of the graph between tested variables that the data did not show. */
  unsupported: EvidenceEdge[];
}

const key = (a: string, b: string) => `${a}\u0000${b}`;

/**
 * Merges discovered links into the current graph as a proposal: the owner's and the
 * template's edges stay (with the discovery's confidence and analysis id where the data
 * supports them); new directed links are added as `learned` unless they would reverse an
 * existing edge or close a cycle.
 *
 * @example
 * mergeProposal(graph, [{ from: 'ads', to: 'visits', directed: true, confidence: 0.9, pValue: 0.001 }], id, ['ads', 'visits']);
 */
export function mergeProposal(
  base: EvidenceGraph,
  found: FoundEdge[],
  analysisId: string,
  variables: string[],
): Proposal {
  const nodes = [...base.nodes];
  for (const v of variables)
    if (!nodes.some((n) => n.id === v)) nodes.push({ id: v, kind: 'metric' });
  const edges = base.edges.map((e) => ({ ...e }));
  const index = new Map(edges.map((e) => [key(e.from, e.to), e]));
  const out: Proposal = {
    graph: { nodes, edges },
    added: [],
    supported: [],
    undecided: [],
    conflicts: [],
    unsupported: [],
  };
  const support = (e: EvidenceEdge, f: FoundEdge) => {
    e.confidence = round(f.confidence);
    e.analysisId = analysisId;
    out.supported.push(e);
  };
  const ordered = [...found].sort((a, b) => b.confidence - a.confidence);
  for (const f of ordered) {
    const same = index.get(key(f.from, f.to));
    const reverse = index.get(key(f.to, f.from));
    if (same) support(same, f);
    else if (reverse && !f.directed) support(reverse, f);
    else if (!f.directed) out.undecided.push(f);
    else if (reverse)
      out.conflicts.push({
        ...f,
        reason: `the graph has ${f.to} → ${f.from}; the data orient it the other way`,
      });
    else if (descendantsOf({ nodes, edges }, [f.to]).has(f.from))
      out.conflicts.push({
        ...f,
        reason: `adding it would close a cycle through ${f.to} … ${f.from}`,
      });
    else {
      const e: EvidenceEdge = {
        from: f.from,
        to: f.to,
        provenance: 'learned',
        confidence: round(f.confidence),
        analysisId,
        ...(f.lag ? { lag: f.lag } : {}),
      };
      edges.push(e);
      index.set(key(e.from, e.to), e);
      out.added.push(e);
    }
  }
  const tested = new Set(variables);
  const linked = new Set(found.flatMap((f) => [key(f.from, f.to), key(f.to, f.from)]));
  out.unsupported = base.edges.filter(
    (e) => tested.has(e.from) && tested.has(e.to) && !linked.has(key(e.from, e.to)),
  );
  return out;
}

const round = (x: number) => Math.round(x * 1000) / 1000;
