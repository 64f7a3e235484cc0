import type { TenantTx } from '../../platform/tenancy/context.js';
import type { EdgeEvidence, EvidenceEdge, EvidenceGraph, EvidenceNode } from './graph-types.js';
import type { AnalysisKind } from './question-types.js';

/** SQL of the evidence module: graph versions (nodes, edges) and stored analyses. */

export interface GraphHeaderRow {
  version: number;
  source: 'owner' | 'proposal';
  proposal_id: string | null;
  note: string;
  created_by: string | null;
  created_at: Date;
  node_count: number;
  edge_count: number;
}

const HEADER = `g.version, g.source, g.proposal_id, g.note, g.created_by, g.created_at,
  (select count(*)::int from evidence_graph_nodes n where n.tenant_id = g.tenant_id and n.version = g.version) as node_count,
  (select count(*)::int from evidence_graph_edges e where e.tenant_id = g.tenant_id and e.version = g.version) as edge_count`;

/** Every stored version, newest first (without nodes and edges). */
export async function listGraphVersions(tx: TenantTx): Promise<GraphHeaderRow[]> {
  const { rows } = await tx.query<GraphHeaderRow>(
    `select ${HEADER} from evidence_graphs g order by g.version desc`,
    [],
    'evidence.listGraphVersions',
  );
  return rows;
}

/** One stored version (the latest when `version` is null) with its nodes and edges, or null. */
export async function getGraph(
  tx: TenantTx,
  version: number | null,
): Promise<(GraphHeaderRow & EvidenceGraph) | null> {
  const { rows } = await tx.query<GraphHeaderRow>(
    `select ${HEADER} from evidence_graphs g
      where ($1::int is null or g.version = $1::int)
      order by g.version desc limit 1`,
    [version],
    'evidence.getGraph',
  );
  const header = rows[0];
  if (!header) return null;
  const nodes = await tx.query<{ node_id: string; attrs: Omit<EvidenceNode, 'id'> }>(
    'select node_id, attrs from evidence_graph_nodes where version = $1 order by position',
    [header.version],
    'evidence.graphNodes',
  );
  const edges = await tx.query<{ from_node: string; to_node: string; evidence: EdgeEvidence }>(
    'select from_node, to_node, evidence from evidence_graph_edges where version = $1 order by position',
    [header.version],
    'evidence.graphEdges',
  );
  return {
    ...header,
    nodes: nodes.rows.map((r) => ({ id: r.node_id, ...r.attrs })),
    edges: edges.rows.map((r): EvidenceEdge => ({
      from: r.from_node,
      to: r.to_node,
      ...r.evidence,
    })),
  };
}

/** Stores a graph as the next version and returns its number. */
export async function insertGraph(
  tx: TenantTx,
  g: {
    source: 'owner' | 'proposal';
    proposalId: string | null;
    note: string;
    createdBy: string | null;
    graph: EvidenceGraph;
  },
): Promise<number> {
  const { rows } = await tx.query<{ version: number }>(
    `insert into evidence_graphs (tenant_id, version, source, proposal_id, note, created_by)
     select $1::uuid, coalesce(max(version), 0) + 1, $2, $3::uuid, $4, $5::uuid
       from evidence_graphs
     returning version`,
    [tx.tenantId, g.source, g.proposalId, g.note, g.createdBy],
    'evidence.insertGraph',
  );
  const version = rows[0]!.version;
  await tx.query(
    `insert into evidence_graph_nodes (tenant_id, version, node_id, position, attrs)
     select $1::uuid, $2::int, e ->> 'id', (ord - 1)::int, e - 'id'
       from jsonb_array_elements($3::jsonb) with ordinality as t(e, ord)`,
    [tx.tenantId, version, JSON.stringify(g.graph.nodes)],
    'evidence.insertGraphNodes',
  );
  await tx.query(
    `insert into evidence_graph_edges (tenant_id, version, from_node, to_node, position, evidence)
     select $1::uuid, $2::int, e ->> 'from', e ->> 'to', (ord - 1)::int, e - 'from' - 'to'
       from jsonb_array_elements($3::jsonb) with ordinality as t(e, ord)`,
    [tx.tenantId, version, JSON.stringify(g.graph.edges)],
    'evidence.insertGraphEdges',
  );
  return version;
}

export interface AnalysisRow {
  id: string;
  kind: AnalysisKind;
  question: Record<string, unknown>;
  result: Record<string, unknown>;
  data_window: Record<string, unknown>;
  summary: string;
  graph_version: number | null;
  duration_ms: number;
  created_by: string | null;
  created_at: Date;
}

const ANALYSIS = `id, kind, question, result, data_window, summary, graph_version, duration_ms, created_by, created_at`;

export async function insertAnalysis(
  tx: TenantTx,
  a: Omit<AnalysisRow, 'created_at'>,
): Promise<AnalysisRow> {
  const { rows } = await tx.query<AnalysisRow>(
    `insert into evidence_analyses (tenant_id, id, kind, question, result, data_window, summary, graph_version, duration_ms, created_by)
     values ($1::uuid, $2::uuid, $3, $4::jsonb, $5::jsonb, $6::jsonb, $7, $8::int, $9::int, $10::uuid)
     returning ${ANALYSIS}`,
    [
      tx.tenantId,
      a.id,
      a.kind,
      JSON.stringify(a.question),
      JSON.stringify(a.result),
      JSON.stringify(a.data_window),
      a.summary,
      a.graph_version,
      a.duration_ms,
      a.created_by,
    ],
    'evidence.insertAnalysis',
  );
  return rows[0]!;
}

export async function getAnalysis(tx: TenantTx, id: string): Promise<AnalysisRow | null> {
  const { rows } = await tx.query<AnalysisRow>(
    `select ${ANALYSIS} from evidence_analyses where id = $1::uuid`,
    [id],
    'evidence.getAnalysis',
  );
  return rows[0] ?? null;
}

/** Ids among `ids` that are analyses of this tenant. */
export async function existingAnalyses(tx: TenantTx, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const { rows } = await tx.query<{ id: string }>(
    `select id from evidence_analyses
      where id in (select x::uuid from jsonb_array_elements_text($1::jsonb) as t(x))`,
    [JSON.stringify(ids)],
    'evidence.existingAnalyses',
  );
  return new Set(rows.map((r) => r.id));
}

/** Analyses newest first, without their (large) results. */
export async function listAnalyses(
  tx: TenantTx,
  q: { kind: AnalysisKind | null; limit: number; before: Date | null },
): Promise<Omit<AnalysisRow, 'result'>[]> {
  const { rows } = await tx.query<Omit<AnalysisRow, 'result'>>(
    `select id, kind, question, data_window, summary, graph_version, duration_ms, created_by, created_at
       from evidence_analyses
      where ($1::text is null or kind = $1) and ($2::timestamptz is null or created_at < $2)
      order by created_at desc, id
      limit $3`,
    [q.kind, q.before, q.limit],
    'evidence.listAnalyses',
  );
  return rows;
}
