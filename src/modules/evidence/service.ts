import { randomUUID } from 'node:crypto';
import { getTenantProfile } from '../accounts/service.js';
import type { MetricsService } from '../metrics/service.js';
import { AppError, notFound } from '../../platform/errors/app-error.js';
import { metrics as observed } from '../../platform/observability/metrics.js';
import type { TenantTx } from '../../platform/tenancy/context.js';
import type { Answer, AskContext } from './ask-context.js';
import { askDiscover } from './ask-discover.js';
import { askEffect } from './ask-effect.js';
import { askIntervention } from './ask-intervention.js';
import { askWhatIf } from './ask-what-if.js';
import { askWhy } from './ask-why.js';
import { DailyLoader, localDate } from './daily-data.js';
import { evidenceError } from './errors.js';
import { checkGraph } from './graph-check.js';
import type { EvidenceGraph, GraphInput, GraphVersion } from './graph-types.js';
import * as repo from './repo.js';
import { assertFinite } from './sanitize.js';
import { defaultGraph } from './template.js';
import type { AnalysisKind, AnalyzeInput, DiscoverInput } from './question-types.js';

/** Runs a function in a transaction scoped to the caller's tenant (a request's `withTenant`). */
export type RunInTenant = <T>(fn: (tx: TenantTx) => Promise<T>) => Promise<T>;

export interface EvidenceServiceDeps {
  metrics: MetricsService;
  /** The clock (tests pin it); default the system clock. */
  now?: () => Date;
}

/** The body of `PUT /v1/evidence/graph`: a graph, or a discover analysis to accept. */
export interface PutGraphInput {
  nodes?: GraphInput['nodes'];
  edges?: GraphInput['edges'];
  proposal?: string;
  note?: string;
  /** Refuse (409) unless the current version is this one (optimistic concurrency). */
  baseVersion?: number;
}

const METRIC_KIND = {
  effect: 'effect',
  why: 'why_changed',
  what_if: 'counterfactual',
  intervention: 'intervention',
  discover: 'discovery',
} as const satisfies Record<AnalysisKind, string>;

const ASK: Record<AnalyzeInput['kind'], (ctx: AskContext, q: AnalyzeInput) => Promise<Answer>> = {
  effect: askEffect,
  why: askWhy,
  what_if: askWhatIf,
  intervention: askIntervention,
};

/**
 * The evidence use-cases: the business's causal graph (versioned, the template until one
 * is stored), questions answered on its daily metrics by the causal engine, discovery
 * proposals, and the stored analyses.
 */
export class EvidenceService {
  private readonly now: () => Date;

  constructor(private readonly deps: EvidenceServiceDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  private async loader(tx: TenantTx): Promise<DailyLoader> {
    const { timezone } = await getTenantProfile(tx);
    return new DailyLoader(tx, this.deps.metrics, timezone, localDate(this.now(), timezone));
  }

  private async template(tx: TenantTx): Promise<GraphVersion> {
    return {
      ...defaultGraph({ priceMeasured: await this.deps.metrics.exists(tx, 'price') }),
      version: 0,
      source: 'template',
      proposalId: null,
      note: 'the default graph for a retail shop or café',
      createdBy: null,
      createdAt: null,
    };
  }

  /** A version of the graph: the latest when `version` is absent, the template for 0. */
  async getGraph(tx: TenantTx, version?: number): Promise<GraphVersion> {
    if (version === 0) return this.template(tx);
    const row = await repo.getGraph(tx, version ?? null);
    if (!row) {
      if (version === undefined) return this.template(tx);
      throw notFound(`graph version ${version}`);
    }
    return {
      version: row.version,
      source: row.source,
      proposalId: row.proposal_id,
      note: row.note,
      createdBy: row.created_by,
      createdAt: row.created_at,
      nodes: row.nodes,
      edges: row.edges,
    };
  }

  /** Stored versions, newest first, then the template (version 0). */
  async listGraphVersions(tx: TenantTx) {
    const rows = await repo.listGraphVersions(tx);
    const t = await this.template(tx);
    return [
      ...rows.map((r) => ({
        version: r.version,
        source: r.source,
        proposalId: r.proposal_id,
        note: r.note,
        createdBy: r.created_by,
        createdAt: r.created_at,
        nodeCount: r.node_count,
        edgeCount: r.edge_count,
      })),
      {
        version: 0,
        source: 'template' as const,
        proposalId: null,
        note: t.note,
        createdBy: null,
        createdAt: null,
        nodeCount: t.nodes.length,
        edgeCount: t.edges.length,
      },
    ];
  }

  /** Stores a new version: the graph given, or a discovery proposal accepted as it was. */
  async putGraph(tx: TenantTx, userId: string | null, input: PutGraphInput): Promise<GraphVersion> {
    const hasGraph = input.nodes !== undefined || input.edges !== undefined;
    if (hasGraph === (input.proposal !== undefined))
      throw evidenceError(
        'invalid_argument',
        'send either a graph (nodes and edges) or {"proposal": "<discover analysis id>"}',
      );
    const current = await this.getGraph(tx);
    if (input.baseVersion !== undefined && input.baseVersion !== current.version)
      throw new AppError(
        'conflict',
        `the graph is at version ${current.version}, not ${input.baseVersion}; reload it and apply your change again`,
      );
    let graph: GraphInput;
    let proposalId: string | null = null;
    if (input.proposal !== undefined) {
      const a = await repo.getAnalysis(tx, input.proposal);
      if (!a || a.kind !== 'discover') throw notFound(`discover analysis ${input.proposal}`);
      if (a.graph_version !== current.version)
        throw new AppError(
          'conflict',
          `the proposal was made on graph version ${a.graph_version ?? 'sent inline'}, but the graph is now at version ${current.version}; run discover again`,
        );
      graph = a.result.proposal as EvidenceGraph;
      proposalId = a.id;
    } else {
      graph = { nodes: input.nodes ?? [], edges: input.edges ?? [] };
    }
    const checked = await checkGraph(tx, await this.loader(tx), graph, '/body');
    let version: number;
    try {
      version = await repo.insertGraph(tx, {
        source: proposalId ? 'proposal' : 'owner',
        proposalId,
        note: input.note ?? '',
        createdBy: userId,
        graph: checked,
      });
    } catch (err) {
      if ((err as { code?: string }).code !== '23505') throw err;
      throw new AppError(
        'conflict',
        'another change to the graph was stored at the same moment; reload it and apply yours again',
        {},
        { cause: err },
      );
    }
    return this.getGraph(tx, version);
  }

  /** Answers an effect, why, what-if or intervention question and stores the answer. */
  analyze(run: RunInTenant, userId: string | null, input: AnalyzeInput) {
    return this.answer(run, userId, input.kind, input, (ctx) => ASK[input.kind](ctx, input));
  }

  /** Discovers candidate links and stores them as a proposal the owner can accept. */
  discover(run: RunInTenant, userId: string | null, input: DiscoverInput) {
    const id = randomUUID();
    return this.answer(run, userId, 'discover', input, (ctx) => askDiscover(ctx, input, id), id);
  }

  private async answer(
    run: RunInTenant,
    userId: string | null,
    kind: AnalysisKind,
    input: AnalyzeInput | DiscoverInput,
    ask: (ctx: AskContext) => Promise<Answer>,
    id: string = randomUUID(),
  ): Promise<repo.AnalysisRow> {
    const started = performance.now();
    const label = METRIC_KIND[kind];
    try {
      const row = await run(async (tx) => {
        const loader = await this.loader(tx);
        let graph: EvidenceGraph;
        let version: number | null;
        let graphName: string;
        if (input.graph) {
          graph = await checkGraph(tx, loader, input.graph, '/body/graph');
          version = null;
          graphName = 'the graph sent with the question';
        } else {
          const g = await this.getGraph(tx);
          graph = g;
          version = g.version;
          graphName = g.version === 0 ? 'the default graph' : `graph version ${g.version}`;
        }
        const answer = await ask({ loader, graph, graphName });
        assertFinite(answer.result, 'result');
        return repo.insertAnalysis(tx, {
          id,
          kind,
          question: input as unknown as Record<string, unknown>,
          result: answer.result,
          data_window: answer.window as unknown as Record<string, unknown>,
          summary: answer.summary,
          graph_version: version,
          duration_ms: Math.round(performance.now() - started),
          created_by: userId,
        });
      });
      observed.evidenceAnalyses.inc({ kind: label, outcome: 'succeeded' });
      for (const r of (row.result.refutations ?? []) as { name: string; passed: boolean }[])
        observed.evidenceRefutations.inc({
          refuter: r.name,
          outcome: r.passed ? 'passed' : 'failed',
        });
      return row;
    } catch (err) {
      const rejected = err instanceof AppError && err.status < 500;
      observed.evidenceAnalyses.inc({ kind: label, outcome: rejected ? 'rejected' : 'failed' });
      throw err;
    } finally {
      observed.evidenceAnalysisDuration.observe(
        { kind: label },
        (performance.now() - started) / 1000,
      );
    }
  }

  listAnalyses(tx: TenantTx, q: { kind: AnalysisKind | null; limit: number; before: Date | null }) {
    return repo.listAnalyses(tx, q);
  }

  async getAnalysis(tx: TenantTx, id: string): Promise<repo.AnalysisRow> {
    const row = await repo.getAnalysis(tx, id);
    if (!row) throw notFound(`analysis ${id}`);
    return row;
  }
}
