import type { Static } from '@sinclair/typebox';
import type { ApiApp } from '../../platform/http/api-app.js';
import { IdParams } from '../../platform/http/schemas.js';
import type { MetricsService } from '../metrics/service.js';
import type { GraphVersion } from './graph-types.js';
import type { AnalysisRow } from './repo.js';
import * as s from './schemas.js';
import { EvidenceService } from './service.js';

export interface EvidenceRouteDeps {
  metrics: MetricsService;
}

const graphView = (g: GraphVersion) => ({
  ...g,
  createdAt: g.createdAt?.toISOString() ?? null,
});

type AnalysisView = Static<typeof s.AnalysisView>;

const listItemView = (a: Omit<AnalysisRow, 'result'>): Omit<AnalysisView, 'result'> => ({
  id: a.id,
  kind: a.kind,
  question: a.question,
  graphVersion: a.graph_version,
  data: a.data_window as unknown as AnalysisView['data'],
  summary: a.summary,
  durationMs: a.duration_ms,
  createdBy: a.created_by,
  createdAt: a.created_at.toISOString(),
});

const analysisView = (a: AnalysisRow): AnalysisView => ({
  ...listItemView(a),
  result: a.result as unknown as AnalysisView['result'],
});

/**
 * Analyses are serialised with JSON.stringify: their views are built field by field (and
 * checked finite), and fast-json-stringify's `anyOf` matching of the five result shapes
 * cost about a second per answer. The schemas still document every field.
 */
const plainJson = { serializerCompiler: () => (data: unknown) => JSON.stringify(data) };

/**
 * Evidence: the causal graph (versioned), questions answered on the business's daily
 * metrics (effect, why, what-if, intervention), discovery proposals, stored analyses.
 */
export function evidenceRoutes(app: ApiApp, deps: EvidenceRouteDeps): void {
  const evidence = new EvidenceService({ metrics: deps.metrics });
  const tags = ['evidence'];

  app.get('/v1/evidence/graph', {
    config: { access: 'viewer' },
    schema: {
      tags,
      summary:
        'The causal graph: the latest version, a given one (?version=N), or the template (0)',
      querystring: s.GraphQuery,
      response: { 200: s.GraphVersionView },
    },
    handler: async (req) =>
      graphView(await req.withTenant((tx) => evidence.getGraph(tx, req.query.version))),
  });

  app.get('/v1/evidence/graph/versions', {
    config: { access: 'viewer' },
    schema: {
      tags,
      summary: 'Every stored version of the graph, newest first, then the template (version 0)',
      response: { 200: s.GraphVersionList },
    },
    handler: async (req) => {
      const items = await req.withTenant((tx) => evidence.listGraphVersions(tx));
      return { items: items.map((i) => ({ ...i, createdAt: i.createdAt?.toISOString() ?? null })) };
    },
  });

  app.put('/v1/evidence/graph', {
    config: { access: 'member' },
    schema: {
      tags,
      summary:
        'Store a new version of the graph (validated: known nodes, no cycles), or accept a discovery proposal',
      description:
        'Body: `{nodes, edges, note?, baseVersion?}` or `{proposal: "<discover analysis id>", note?, baseVersion?}`. Earlier versions are kept. 400 `evidence_invalid` names the node, edge or cycle at fault; 409 when `baseVersion` (or the proposal’s) is not the current version.',
      body: s.PutGraphBody,
      response: { 201: s.GraphVersionView },
    },
    handler: async (req, reply) => {
      const auth = req.requireAuth();
      const g = await req.withTenant((tx) => evidence.putGraph(tx, auth.userId, req.body));
      return reply.code(201).send(graphView(g));
    },
  });

  app.post('/v1/evidence/analyze', {
    ...plainJson,
    config: { access: 'member' },
    schema: {
      tags,
      summary:
        'Answer an evidence question (effect, why, what_if, intervention) and store the answer',
      description:
        'Reads the daily metrics the question and the graph need, answers with the causal engine (estimate, interval, method, adjustment set, refutations, plain-language summary) and stores the analysis. 400 `evidence_invalid` / 422 `evidence_unanswerable` carry `reason` (cyclic_graph, unknown_node, no_variation, perfect_separation, too_few_rows, missing_values, not_identifiable, …). See docs/evidence.md.',
      body: s.AnalyzeBody,
      response: { 201: s.AnalysisView },
    },
    handler: async (req, reply) =>
      reply
        .code(201)
        .send(
          analysisView(
            await evidence.analyze((fn) => req.withTenant(fn), req.requireAuth().userId, req.body),
          ),
        ),
  });

  app.post('/v1/evidence/discover', {
    ...plainJson,
    config: { access: 'member' },
    schema: {
      tags,
      summary: 'Discover candidate causal links between metrics: a proposal to accept with PUT',
      description:
        'PC (or, with `lagged`, PCMCI-style lagged) discovery on daily metrics after removing the calendar; per-edge confidence from a seeded bootstrap. The links are merged into the current graph as a proposal, stored with the analysis; `PUT /v1/evidence/graph {"proposal": id}` accepts it.',
      body: s.DiscoverBody,
      response: { 201: s.AnalysisView },
    },
    handler: async (req, reply) =>
      reply
        .code(201)
        .send(
          analysisView(
            await evidence.discover((fn) => req.withTenant(fn), req.requireAuth().userId, req.body),
          ),
        ),
  });

  app.get('/v1/evidence/analyses', {
    config: { access: 'viewer' },
    schema: {
      tags,
      summary: 'Stored analyses, newest first (without results)',
      querystring: s.AnalysisListQuery,
      response: { 200: s.AnalysisList },
    },
    handler: async (req) => {
      const q = req.query;
      const rows = await req.withTenant((tx) =>
        evidence.listAnalyses(tx, {
          kind: q.kind ?? null,
          limit: q.limit ?? 50,
          before: q.before ? new Date(q.before) : null,
        }),
      );
      return { items: rows.map(listItemView) };
    },
  });

  app.get('/v1/evidence/analyses/:id', {
    ...plainJson,
    config: { access: 'viewer' },
    schema: {
      tags,
      summary: 'One stored analysis with its question, data window, graph version and result',
      params: IdParams,
      response: { 200: s.AnalysisView },
    },
    handler: async (req) =>
      analysisView(await req.withTenant((tx) => evidence.getAnalysis(tx, req.params.id))),
  });
}
