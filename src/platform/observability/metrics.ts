import { Counter, Gauge, Histogram } from 'prom-client';
import type { Queryable } from '../db/types.js';

/**
 * The metric catalogue: every Prometheus family Dyocense exports, declared once with its
 * help text and label names. Two kinds of family:
 *
 * - **event** families are process-wide instruments that code updates when something
 *   happens (`metrics.goalsCreated.inc({ category: 'revenue' })`). They are created here
 *   once and registered into every registry `createObservability()` builds, so tests that
 *   build several apps in one process never hit a duplicate registration.
 * - **scrape** families are gauges computed when Prometheus scrapes (pool statistics, queue
 *   depth, active tenants); `observability.ts` instantiates them per registry, bound to that
 *   process's database and queue.
 *
 * Naming follows Prometheus conventions: counters end in `_total`, durations are
 * `_seconds`, sizes `_bytes`. Labels are bounded: route templates (never raw URLs), task
 * names, providers, outcomes — never tenant, user or record ids.
 */

export type FamilyKind = 'counter' | 'gauge' | 'histogram';
/** `api` families are exported by HTTP processes only; the rest by every process. */
export type FamilyGroup = 'api' | 'db' | 'jobs' | 'scheduler' | 'runtime' | 'business';

export interface FamilyDef {
  name: string;
  help: string;
  kind: FamilyKind;
  labels: readonly string[];
  group: FamilyGroup;
  source: 'event' | 'scrape';
}

const families: FamilyDef[] = [];

function declare(def: FamilyDef): void {
  if (!/^[a-z][a-z0-9_]*$/.test(def.name)) throw new Error(`bad metric name ${def.name}`);
  if (families.some((f) => f.name === def.name))
    throw new Error(`metric ${def.name} declared twice`);
  families.push(def);
}

function counter<L extends string = never>(
  group: FamilyGroup,
  name: string,
  help: string,
  labels: readonly L[] = [],
): Counter<L> {
  declare({ name, help, kind: 'counter', labels, group, source: 'event' });
  return new Counter<L>({ name, help, labelNames: labels, registers: [] });
}

function gauge<L extends string = never>(
  group: FamilyGroup,
  name: string,
  help: string,
  labels: readonly L[] = [],
): Gauge<L> {
  declare({ name, help, kind: 'gauge', labels, group, source: 'event' });
  return new Gauge<L>({ name, help, labelNames: labels, registers: [] });
}

function histogram<L extends string = never>(
  group: FamilyGroup,
  name: string,
  help: string,
  labels: readonly L[],
  buckets: number[],
): Histogram<L> {
  declare({ name, help, kind: 'histogram', labels, group, source: 'event' });
  return new Histogram<L>({ name, help, labelNames: labels, buckets, registers: [] });
}

/** A gauge computed at scrape time; instantiated per registry by `observability.ts`. */
export interface ScrapeFamily<L extends string = string> {
  name: string;
  help: string;
  labels: readonly L[];
}

function scraped<L extends string = never>(
  group: FamilyGroup,
  name: string,
  help: string,
  labels: readonly L[] = [],
): ScrapeFamily<L> {
  declare({ name, help, kind: 'gauge', labels, group, source: 'scrape' });
  return { name, help, labels };
}

// ---------------------------------------------------------------------------------------
// Bounded label values. Feature modules use these unions so a label can never carry an id.

export const CONNECTOR_PROVIDERS = [
  'csv',
  'shopify',
  'stripe',
  'square',
  'quickbooks',
  'xero',
] as const;
export type ConnectorProvider = (typeof CONNECTOR_PROVIDERS)[number];
export type SyncOutcome = 'succeeded' | 'failed' | 'partial';
export const CONNECTOR_FAILURE_REASONS = [
  'auth',
  'rate_limited',
  'network',
  'upstream',
  'validation',
  'other',
] as const;
export type ConnectorFailureReason = (typeof CONNECTOR_FAILURE_REASONS)[number];
/** Canonical record kinds (tables) connectors and imports produce. */
export type RecordEntity =
  'orders' | 'payments' | 'invoices' | 'inventory' | 'customers' | 'products' | 'metrics' | 'other';
export type ImportOutcome = 'succeeded' | 'failed' | 'partial';
/** Health rings; goals are categorised by the ring their KPI belongs to. */
export const GOAL_CATEGORIES = [
  'revenue',
  'cash_flow',
  'customers',
  'inventory',
  'operations',
  'other',
] as const;
export type GoalCategory = (typeof GOAL_CATEGORIES)[number];
export type GoalOutcome = 'completed' | 'missed' | 'abandoned';
export type OptimizerProblem = 'inventory' | 'staffing' | 'budget' | 'other';
export type OptimizerStatus =
  'optimal' | 'feasible' | 'no_solution' | 'infeasible' | 'unbounded' | 'error';
export type EvidenceKind =
  'effect' | 'why_changed' | 'counterfactual' | 'discovery' | 'intervention' | 'analyze';
export const COACH_AGENTS = [
  'router',
  'forecaster',
  'optimizer',
  'evidence_analyzer',
  'planner',
  'knowledge',
  'synthesizer',
] as const;
export type CoachAgent = (typeof COACH_AGENTS)[number];
export type LlmProvider = 'offline' | 'openai' | 'ollama';
export type Outcome = 'succeeded' | 'failed';

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const DB_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const JOB_BUCKETS = [0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];
const WORK_BUCKETS = [0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 300];
const SIZE_BUCKETS = [256, 1024, 4096, 16_384, 65_536, 262_144, 1_048_576, 4_194_304, 16_777_216];
const COUNT_BUCKETS = [1, 10, 100, 1000, 10_000, 100_000, 1_000_000];
const ERROR_BUCKETS = [0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5];
const RATIO_BUCKETS = [0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.99, 1];

// ---------------------------------------------------------------------------------------
// Event families (process-wide instruments).

export const metrics = {
  // HTTP API
  httpRequestDuration: histogram(
    'api',
    'api_request_duration_seconds',
    'HTTP request latency by method, route template and status class.',
    ['method', 'route', 'status_class'],
    LATENCY_BUCKETS,
  ),
  httpInFlight: gauge('api', 'api_requests_in_flight', 'HTTP requests being served right now.'),
  httpRequestSize: histogram(
    'api',
    'api_request_size_bytes',
    'Size of HTTP request bodies (Content-Length) by method and route template.',
    ['method', 'route'],
    SIZE_BUCKETS,
  ),
  httpResponseSize: histogram(
    'api',
    'api_response_size_bytes',
    'Size of HTTP response bodies by method and route template.',
    ['method', 'route'],
    SIZE_BUCKETS,
  ),
  httpErrors: counter(
    'api',
    'api_errors_total',
    'Problem+json error responses by route template and error code.',
    ['route', 'code'],
  ),
  httpAborted: counter(
    'api',
    'api_requests_aborted_total',
    'Requests the client abandoned before the response was sent.',
    ['route'],
  ),
  authAttempts: counter(
    'api',
    'auth_attempts_total',
    'Signups, logins and token refreshes by outcome (success, failure, rate_limited).',
    ['kind', 'outcome'],
  ),

  // Database
  dbQueryDuration: histogram(
    'db',
    'db_query_duration_seconds',
    'Duration of SQL statements by query name (or leading SQL keyword) and outcome.',
    ['query', 'outcome'],
    DB_BUCKETS,
  ),
  dbQueryErrors: counter(
    'db',
    'db_query_errors_total',
    'SQL statements that failed, by query name.',
    ['query'],
  ),

  // Jobs (this process's view; queue-wide depth is a scrape family below)
  jobDuration: histogram(
    'jobs',
    'job_duration_seconds',
    'Run time of one job attempt by task and outcome (succeeded, retrying, failed).',
    ['task', 'outcome'],
    JOB_BUCKETS,
  ),
  jobsEnqueued: counter('jobs', 'jobs_enqueued_total', 'Jobs enqueued by task.', ['task']),
  jobsStarted: counter('jobs', 'jobs_started_total', 'Job attempts started by task.', ['task']),
  jobsFinished: counter(
    'jobs',
    'jobs_finished_total',
    'Job attempts finished by task and outcome (succeeded, retrying, failed).',
    ['task', 'outcome'],
  ),
  jobsInProgress: gauge(
    'jobs',
    'jobs_in_progress',
    'Job attempts running in this process, by task.',
    ['task'],
  ),

  // Scheduler (pg_cron or the in-process scheduler)
  schedulerTicks: counter(
    'scheduler',
    'scheduler_ticks_total',
    'Scheduler firings by schedule and outcome (fired, skipped_not_leader, failed).',
    ['schedule', 'outcome'],
  ),
  schedulerTickDuration: histogram(
    'scheduler',
    'scheduler_tick_duration_seconds',
    'Time spent handling one scheduler firing, by schedule.',
    ['schedule'],
    WORK_BUCKETS,
  ),
  schedulerLastTick: gauge(
    'scheduler',
    'scheduler_last_tick_timestamp_seconds',
    'Unix time of the last firing of each schedule seen by this process.',
    ['schedule'],
  ),

  // Business: goals
  goalsCreated: counter('business', 'goals_created_total', 'Goals created, by category.', [
    'category',
  ]),
  goalsClosed: counter(
    'business',
    'goals_closed_total',
    'Goals that reached their deadline or were closed, by category and outcome (completed, missed, abandoned).',
    ['category', 'outcome'],
  ),
  goalActionsCompleted: counter(
    'business',
    'goal_actions_completed_total',
    'Weekly action-plan items marked done.',
  ),

  // Business: connectors
  connectorSyncs: counter(
    'business',
    'connector_syncs_total',
    'Connector sync runs by provider and outcome (succeeded, failed, partial).',
    ['provider', 'outcome'],
  ),
  connectorSyncDuration: histogram(
    'business',
    'connector_sync_duration_seconds',
    'Duration of connector sync runs by provider.',
    ['provider'],
    JOB_BUCKETS,
  ),
  connectorRecords: counter(
    'business',
    'connector_records_total',
    'Records fetched by connectors, by provider and entity.',
    ['provider', 'entity'],
  ),
  connectorFailures: counter(
    'business',
    'connector_failures_total',
    'Connector errors by provider and reason (auth, rate_limited, network, upstream, validation, other).',
    ['provider', 'reason'],
  ),
  connectorApiRequests: counter(
    'business',
    'connector_api_requests_total',
    'HTTP requests connectors made to providers, by provider and status class.',
    ['provider', 'status_class'],
  ),
  connectorRetries: counter(
    'business',
    'connector_retries_total',
    'Provider requests retried (backoff, Retry-After), by provider.',
    ['provider'],
  ),

  // Business: imports and ETL
  imports: counter(
    'business',
    'imports_total',
    'Data imports (CSV uploads and connector batches) by entity kind and outcome.',
    ['kind', 'outcome'],
  ),
  importRows: counter(
    'business',
    'import_rows_total',
    'Imported rows by entity kind and outcome (accepted, rejected).',
    ['kind', 'outcome'],
  ),
  importRejectedRows: counter(
    'business',
    'import_rejected_rows_total',
    'Rows sent to the dead-letter table, by entity kind and reason.',
    ['kind', 'reason'],
  ),
  importDuration: histogram(
    'business',
    'import_duration_seconds',
    'Duration of imports by entity kind.',
    ['kind'],
    WORK_BUCKETS,
  ),
  importSize: histogram(
    'business',
    'import_size_bytes',
    'Size of uploaded import files by entity kind.',
    ['kind'],
    SIZE_BUCKETS,
  ),
  etlRuns: counter(
    'business',
    'etl_runs_total',
    'ETL transformation runs (raw records to canonical tables) by stage and outcome.',
    ['stage', 'outcome'],
  ),

  // Business: forecasts
  forecasts: counter(
    'business',
    'forecasts_total',
    'Forecast runs by outcome (succeeded, failed).',
    ['outcome'],
  ),
  forecastSeries: counter(
    'business',
    'forecast_series_total',
    'Series forecast, by the model selected for them.',
    ['model'],
  ),
  forecastDuration: histogram(
    'business',
    'forecast_duration_seconds',
    'Duration of forecast runs.',
    [],
    WORK_BUCKETS,
  ),
  forecastBacktestMase: histogram(
    'business',
    'forecast_backtest_mase',
    'Backtest error (MASE: mean absolute scaled error, < 1 beats the naive forecast) of selected models.',
    ['model'],
    ERROR_BUCKETS,
  ),
  forecastIntervalCoverage: histogram(
    'business',
    'forecast_interval_coverage_ratio',
    'Share of backtest actuals inside the nominal 80% prediction interval.',
    [],
    RATIO_BUCKETS,
  ),

  // Business: optimizer
  optimizerSolves: counter(
    'business',
    'optimizer_solves_total',
    'Optimizer solves by problem (inventory, staffing, budget) and solver status.',
    ['problem', 'status'],
  ),
  optimizerSolveDuration: histogram(
    'business',
    'optimizer_solve_duration_seconds',
    'Optimizer solve time by problem.',
    ['problem'],
    WORK_BUCKETS,
  ),
  optimizerModelVariables: histogram(
    'business',
    'optimizer_model_variables',
    'Number of decision variables in solved models, by problem.',
    ['problem'],
    COUNT_BUCKETS,
  ),
  plansGenerated: counter(
    'business',
    'plans_generated_total',
    'Plans produced for owners (reorder, staffing, budget), by problem and outcome.',
    ['problem', 'outcome'],
  ),

  // Business: evidence
  evidenceAnalyses: counter(
    'business',
    'evidence_analyses_total',
    'Evidence analyses by kind and outcome.',
    ['kind', 'outcome'],
  ),
  evidenceAnalysisDuration: histogram(
    'business',
    'evidence_analysis_duration_seconds',
    'Duration of evidence analyses by kind.',
    ['kind'],
    WORK_BUCKETS,
  ),
  evidenceRefutations: counter(
    'business',
    'evidence_refutations_total',
    'Refutation tests run on effect estimates, by refuter and outcome (passed, failed).',
    ['refuter', 'outcome'],
  ),

  // Business: health
  healthScoresComputed: counter(
    'business',
    'health_scores_computed_total',
    'Health scores computed (all rings of one business).',
  ),
  healthAlerts: counter(
    'business',
    'health_alerts_raised_total',
    'Alerts raised on abnormal moves, by ring and severity.',
    ['ring', 'severity'],
  ),

  // Business: coach
  coachQuestions: counter(
    'business',
    'coach_questions_total',
    'Questions asked to the coach, by language-model provider.',
    ['llm'],
  ),
  coachAnswers: counter(
    'business',
    'coach_answers_total',
    'Coach answers by outcome (answered, declined, failed).',
    ['outcome'],
  ),
  coachAnswerDuration: histogram(
    'business',
    'coach_answer_duration_seconds',
    'Time from question to answer.',
    [],
    WORK_BUCKETS,
  ),
  coachAgentInvocations: counter(
    'business',
    'coach_agent_invocations_total',
    'Specialist agents invoked by the coach, by agent.',
    ['agent'],
  ),
  coachToolCalls: counter(
    'business',
    'coach_tool_calls_total',
    'Tool calls made by coach agents, by agent and tool.',
    ['agent', 'tool'],
  ),
  coachLlmTokens: counter(
    'business',
    'coach_llm_tokens_total',
    'Language-model tokens by provider and direction (prompt, completion).',
    ['llm', 'direction'],
  ),
  coachLlmRequestDuration: histogram(
    'business',
    'coach_llm_request_duration_seconds',
    'Language-model request latency by provider.',
    ['llm'],
    WORK_BUCKETS,
  ),

  // Business: knowledge (RAG)
  knowledgeDocumentsIndexed: counter(
    'business',
    'knowledge_documents_indexed_total',
    'Documents and notes chunked and embedded for retrieval.',
  ),
  embeddingsComputed: counter(
    'business',
    'embeddings_computed_total',
    'Embedding vectors computed, by embedder (hashing, endpoint).',
    ['embedder'],
  ),
  knowledgeRetrievalDuration: histogram(
    'business',
    'knowledge_retrieval_duration_seconds',
    'Hybrid (vector + full-text) retrieval latency.',
    [],
    LATENCY_BUCKETS,
  ),
};

// ---------------------------------------------------------------------------------------
// Scrape families (computed per registry when Prometheus scrapes).

export const scrapeFamilies = {
  dbPoolConnections: scraped('db', 'db_pool_connections', 'Connections open in the pool.'),
  dbPoolIdle: scraped('db', 'db_pool_idle_connections', 'Idle connections in the pool.'),
  dbPoolWaiting: scraped(
    'db',
    'db_pool_waiting_clients',
    'Callers waiting for a pool connection (saturation).',
  ),
  dbPoolMax: scraped('db', 'db_pool_max_connections', 'Configured pool size (DB_POOL_MAX).'),
  dbSize: scraped('db', 'db_size_bytes', 'Size of the database on disk.'),
  dbInfo: scraped('db', 'db_info', 'Database kind (server or embedded); always 1.', ['kind']),
  dbExtension: scraped(
    'db',
    'db_extension_installed',
    'Whether an optional extension is installed (1) or not (0).',
    ['extension'],
  ),
  jobsQueued: scraped('jobs', 'jobs_queued', 'Jobs waiting to run (queue-wide), by task.', [
    'task',
  ]),
  jobsRunning: scraped('jobs', 'jobs_running', 'Jobs running (queue-wide), by task.', ['task']),
  jobsFailed: scraped(
    'jobs',
    'jobs_failed',
    'Jobs in the failed state still retained (queue-wide), by task.',
    ['task'],
  ),
  jobsDeadLettered: scraped(
    'jobs',
    'jobs_dead_lettered',
    'Jobs in the dead-letter queue awaiting inspection or redrive, by task.',
    ['task'],
  ),
  jobsOldestQueued: scraped(
    'jobs',
    'jobs_oldest_queued_age_seconds',
    'Age of the oldest job waiting to run, by task (0 when none).',
    ['task'],
  ),
  buildInfo: scraped(
    'runtime',
    'dyocense_build_info',
    'Version, Node.js version and role of this process; always 1.',
    ['version', 'node_version', 'role'],
  ),
  tracingEnabled: scraped(
    'runtime',
    'tracing_enabled',
    'Whether OpenTelemetry traces are exported from this process (1) or not (0).',
  ),
  activeTenants: scraped(
    'business',
    'active_tenants',
    'Businesses with a login, token refresh or API-token use within the window (1d, 7d, 30d).',
    ['window'],
  ),
  tenantsRegistered: scraped('business', 'tenants_registered', 'Businesses on this deployment.'),
  goalCompletionRate: scraped(
    'business',
    'goal_completion_rate',
    'Share of closed goals that were completed (0–1), from the goals module; absent until it reports.',
  ),
};

/**
 * A scrape-time value a feature module contributes, computed with a system query (e.g. the
 * goals module registers `goal_completion_rate`). Return null for "no data" (no sample).
 */
export type ScrapeProvider = (sys: Queryable) => Promise<number | null>;
const providers = new Map<string, ScrapeProvider>();

/** Registers how a scrape family without a built-in source is computed. */
export function registerScrapeProvider(family: ScrapeFamily, provider: ScrapeProvider): void {
  providers.set(family.name, provider);
}

/** @internal */
export function scrapeProvider(family: ScrapeFamily): ScrapeProvider | undefined {
  return providers.get(family.name);
}

/** Every family in the catalogue, in declaration order (the count test reads this). */
export function catalogue(): readonly FamilyDef[] {
  return families;
}

// Zero-initialise bounded label combinations, so rates and alerts see 0 rather than no data.
for (const provider of CONNECTOR_PROVIDERS) {
  for (const outcome of ['succeeded', 'failed', 'partial'] satisfies SyncOutcome[])
    metrics.connectorSyncs.inc({ provider, outcome }, 0);
  for (const reason of CONNECTOR_FAILURE_REASONS)
    metrics.connectorFailures.inc({ provider, reason }, 0);
}
for (const category of GOAL_CATEGORIES) metrics.goalsCreated.inc({ category }, 0);
for (const kind of ['signup', 'login', 'refresh'])
  for (const outcome of ['success', 'failure', 'rate_limited'])
    metrics.authAttempts.inc({ kind, outcome }, 0);
for (const outcome of ['answered', 'declined', 'failed']) metrics.coachAnswers.inc({ outcome }, 0);
for (const outcome of ['succeeded', 'failed'] satisfies Outcome[])
  metrics.forecasts.inc({ outcome }, 0);
