import {
  Gauge,
  Registry,
  collectDefaultMetrics,
  type MetricObjectWithValues,
  type MetricValue,
} from 'prom-client';
import type { Database } from '../db/types.js';
import type { JobEvents, JobQueue } from '../jobs/queue.js';
import { detectCapabilities } from '../db/capabilities.js';
import { withSystem } from '../tenancy/context.js';
import { VERSION } from '../../version.js';
import { dbQueryObserver } from './db-observer.js';
import { jobEvents } from './job-events.js';
import {
  catalogue,
  metrics,
  scrapeFamilies,
  scrapeProvider,
  type ScrapeFamily,
} from './metrics.js';
import { tracingEnabled } from './tracing.js';

/** `api`: HTTP only; `worker`: jobs only; `all`: both in one process (embedded, demo). */
export type ProcessRole = 'api' | 'worker' | 'all';

export interface Observability {
  readonly role: ProcessRole;
  /** This process's Prometheus registry (not prom-client's global one). */
  readonly registry: Registry;
  /** Hooks to pass to `new JobQueue(…, { events })`. */
  readonly jobEvents: JobEvents;
  /** Reports this queue's depth at scrape time. */
  watchQueue(queue: JobQueue): void;
  /** The Prometheus text exposition of every family. */
  scrape(): Promise<string>;
  readonly contentType: string;
}

export interface ObservabilityOptions {
  role: ProcessRole;
  db: Database;
  /** DB_POOL_MAX, reported as `db_pool_max_connections` (the embedded database has 1). */
  poolMax?: number;
}

/** Caches an async value for `ttlMs`, sharing one in-flight computation among callers. */
function cached<T>(ttlMs: number, load: () => Promise<T>): () => Promise<T> {
  let at = 0;
  let value: Promise<T> | undefined;
  return () => {
    const now = Date.now();
    if (!value || now - at > ttlMs) {
      at = now;
      value = load().catch((err: unknown) => {
        at = 0; // retry on the next scrape
        throw err;
      });
    }
    return value;
  };
}

type Labels = Record<string, string>;
type Compute = (set: (labels: Labels, value: number) => void) => Promise<void> | void;

/**
 * A gauge whose samples are computed at scrape time. A failing source leaves the family
 * without samples (the scrape still succeeds), and a source that sets nothing exports no
 * sample rather than a misleading 0.
 */
class ScrapeGauge extends Gauge<string> {
  constructor(
    private readonly family: ScrapeFamily,
    private readonly compute: Compute,
  ) {
    super({ name: family.name, help: family.help, labelNames: family.labels, registers: [] });
  }

  override async get(): Promise<MetricObjectWithValues<MetricValue<string>>> {
    const values: MetricValue<string>[] = [];
    try {
      await this.compute((labels, value) => values.push({ labels, value }));
    } catch {
      values.length = 0;
    }
    const { name, help } = this.family;
    return { name, help, type: 'gauge' as never, values, aggregator: 'sum', collect: () => {} };
  }
}

/**
 * Builds a process's metrics: a fresh registry holding the catalogue's event families,
 * Node.js process/GC/event-loop defaults, and scrape-time gauges bound to this database
 * (pool, size, extensions, active tenants) and, once `watchQueue` is called, the queue.
 * Registers the query observer on `db` (metrics and spans for every SQL statement).
 * Scrape-time queries are cheap and cached, and a failing one drops its samples rather
 * than failing the scrape.
 */
export function createObservability(options: ObservabilityOptions): Observability {
  const { db, role } = options;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const wanted = new Set(
    catalogue()
      .filter((f) => f.source === 'event' && (f.group !== 'api' || role !== 'worker'))
      .map((f) => f.name),
  );
  for (const m of Object.values(metrics)) {
    const name = (m as unknown as { name: string }).name;
    if (wanted.has(name)) registry.registerMetric(m as never);
  }

  const queues: JobQueue[] = [];
  const scrapeGauge = (family: ScrapeFamily, compute: Compute) =>
    registry.registerMetric(new ScrapeGauge(family, compute));

  scrapeGauge(scrapeFamilies.dbPoolConnections, (set) => set({}, db.poolStats().total));
  scrapeGauge(scrapeFamilies.dbPoolIdle, (set) => set({}, db.poolStats().idle));
  scrapeGauge(scrapeFamilies.dbPoolWaiting, (set) => set({}, db.poolStats().waiting));
  scrapeGauge(scrapeFamilies.dbPoolMax, (set) =>
    set({}, db.kind === 'embedded' ? 1 : (options.poolMax ?? db.poolStats().total)),
  );
  scrapeGauge(scrapeFamilies.dbInfo, (set) => set({ kind: db.kind }, 1));

  const dbSize = cached(60_000, async () => {
    const { rows } = await db.query<{ bytes: number }>(
      'select pg_database_size(current_database())::float8 as bytes',
      [],
      'metrics.dbSize',
    );
    return rows[0]?.bytes ?? 0;
  });
  scrapeGauge(scrapeFamilies.dbSize, async (set) => set({}, await dbSize()));

  const capabilities = cached(300_000, () => detectCapabilities(db));
  scrapeGauge(scrapeFamilies.dbExtension, async (set) => {
    const c = await capabilities();
    for (const [extension, e] of Object.entries(c.extensions))
      set({ extension }, e.installed ? 1 : 0);
  });

  // One snapshot of every watched queue per scrape, shared by the five job gauges.
  const queueSnapshot = cached(1_000, async () => {
    const counts = (await Promise.all(queues.map((q) => q.queueCounts()))).flat();
    const tasks = queues.flatMap((q) => q.taskNames);
    const oldest = new Map<string, number>();
    if (tasks.length) {
      const { rows } = await withSystem(db, (sys) =>
        sys.query<{ name: string; age: number }>(
          `select name, extract(epoch from now() - min(start_after))::float8 as age
             from pgboss.job
            where name = any($1::text[]) and state in ('created', 'retry') and start_after <= now()
            group by name`,
          [tasks],
          'metrics.jobsOldestQueued',
        ),
      );
      for (const r of rows) oldest.set(r.name, Math.max(0, r.age));
    }
    return { counts, tasks, oldest };
  });
  const queueGauge = (family: ScrapeFamily, pick: (c: QueueCount) => number) =>
    scrapeGauge(family, async (set) => {
      for (const c of (await queueSnapshot()).counts) set({ task: c.task }, pick(c));
    });
  queueGauge(scrapeFamilies.jobsQueued, (c) => c.queued);
  queueGauge(scrapeFamilies.jobsRunning, (c) => c.active);
  queueGauge(scrapeFamilies.jobsFailed, (c) => c.failed);
  queueGauge(scrapeFamilies.jobsDeadLettered, (c) => c.deadLettered);
  scrapeGauge(scrapeFamilies.jobsOldestQueued, async (set) => {
    const s = await queueSnapshot();
    for (const task of s.tasks) set({ task }, s.oldest.get(task) ?? 0);
  });

  scrapeGauge(scrapeFamilies.buildInfo, (set) =>
    set({ version: VERSION, node_version: process.version, role }, 1),
  );
  scrapeGauge(scrapeFamilies.tracingEnabled, (set) => set({}, tracingEnabled() ? 1 : 0));

  // Activity: a login or token refresh (a refresh token issued) or an API token used.
  const tenantActivity = cached(60_000, async () => {
    const { rows } = await withSystem(db, (sys) =>
      sys.query<{ d1: number; d7: number; d30: number; total: number }>(
        `with activity as (
           select tenant_id, created_at as at from refresh_tokens
            where created_at > now() - interval '30 days'
           union all
           select tenant_id, last_used_at from api_tokens
            where last_used_at > now() - interval '30 days')
         select count(distinct tenant_id) filter (where at > now() - interval '1 day')::int as d1,
                count(distinct tenant_id) filter (where at > now() - interval '7 days')::int as d7,
                count(distinct tenant_id)::int as d30,
                (select count(*) from tenants)::int as total
           from activity`,
        [],
        'metrics.tenantActivity',
      ),
    );
    return rows[0] ?? { d1: 0, d7: 0, d30: 0, total: 0 };
  });
  scrapeGauge(scrapeFamilies.activeTenants, async (set) => {
    const a = await tenantActivity();
    set({ window: '1d' }, a.d1);
    set({ window: '7d' }, a.d7);
    set({ window: '30d' }, a.d30);
  });
  scrapeGauge(scrapeFamilies.tenantsRegistered, async (set) =>
    set({}, (await tenantActivity()).total),
  );

  // Families whose source a feature module registers (registerScrapeProvider).
  for (const family of [scrapeFamilies.goalCompletionRate]) {
    const load = cached(60_000, async () => {
      const provider = scrapeProvider(family);
      return provider ? withSystem(db, (sys) => provider(sys)) : null;
    });
    scrapeGauge(family, async (set) => {
      const v = await load();
      if (v !== null && Number.isFinite(v)) set({}, v);
    });
  }

  db.observe(dbQueryObserver());

  return {
    role,
    registry,
    jobEvents: jobEvents(),
    watchQueue(queue) {
      if (!queues.includes(queue)) queues.push(queue);
    },
    scrape: () => registry.metrics(),
    contentType: registry.contentType,
  };
}

type QueueCount = Awaited<ReturnType<JobQueue['queueCounts']>>[number];
