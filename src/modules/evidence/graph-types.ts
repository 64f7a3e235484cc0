import type { EdgeProvenance, NodeKind } from '../../engines/causal/index.js';

/** A node of the business's causal graph (see nodes.ts for the id grammar). */
export interface EvidenceNode {
  id: string;
  kind?: NodeKind;
  label?: string;
  /** A cause the business knows of but does not measure: never read from the data. */
  latent?: boolean;
}

/** What supports an edge: who said so, how sure, and which analysis backed it. */
export interface EdgeEvidence {
  provenance: EdgeProvenance;
  /** 0…1 (discovery's bootstrap share, or the owner's own). */
  confidence?: number;
  /** The analysis (discover or effect) that supported the edge. */
  analysisId?: string;
  /** Lag in days (0 or absent: same day). */
  lag?: number;
  note?: string;
}

export interface EvidenceEdge extends EdgeEvidence {
  from: string;
  to: string;
}

export interface EvidenceGraph {
  nodes: EvidenceNode[];
  edges: EvidenceEdge[];
}

/** A graph as the owner sends it: an edge without provenance is `assumed`. */
export interface GraphInput {
  nodes: EvidenceNode[];
  edges: Array<Omit<EvidenceEdge, 'provenance'> & { provenance?: EdgeEvidence['provenance'] }>;
}

/** A stored (or template) version of the graph. */
export interface GraphVersion extends EvidenceGraph {
  /** 0 = the default template (nothing stored yet). */
  version: number;
  source: 'template' | 'owner' | 'proposal';
  proposalId: string | null;
  note: string;
  createdBy: string | null;
  createdAt: Date | null;
}
