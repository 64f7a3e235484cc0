import { randomUUID } from 'node:crypto';
import { getTenantProfile } from '../accounts/service.js';
import { formatWallTime, toLocalWallTime } from '../metrics/local-time.js';
import type { Interval } from '../metrics/read-repo.js';
import type { MetricsService } from '../metrics/service.js';
import { AppError, notFound } from '../../platform/errors/app-error.js';
import type { Database } from '../../platform/db/types.js';
import type { JobQueue } from '../../platform/jobs/queue.js';
import { getJob, type JobRow } from '../../platform/jobs/repo.js';
import { withTenant, type TenantTx } from '../../platform/tenancy/context.js';
import { historyFrom, historyWindow, INTERVAL_RULES, type History } from './history.js';
import * as repo from './repo.js';
import {
  checkForecastable,
  noHistory,
  runForecast,
  type ForecastKind,
  type ForecastSpec,
  type InputLocation,
} from './run.js';

export const FORECAST_RUN_TASK = 'forecasts.run';
export const FORECAST_REFRESH_TASK = 'forecasts.refresh';

/**
 * Requests whose size (history buckets + horizon) is above this run as a background job (202);
 * smaller ones are computed inline (200). Daily history of 2 years with a 28-day horizon is
 * inline; 8 weeks of hourly history is a job.
 */
export const INLINE_MAX_WORK = 1_000;

/** Metrics the nightly refresh always forecasts (daily, default horizon) when they have data. */
export const KEY_METRICS = ['revenue', 'orders'] as const;
/** The nightly refresh also re-runs every parameter set the business asked for in this window. */
export const REQUESTED_WITHIN_DAYS = 30;
/** Runs replaced by a newer one are deleted after this many days. */
export const KEEP_SUPERSEDED_DAYS = 90;

const DAY = 86_400_000;

export interface ForecastRequest {
  metric: string;
  interval?: Interval | undefined;
  horizon?: number | undefined;
  dimension?: repo.Dimension | undefined;
  kind?: ForecastKind | undefined;
  /** Run as a background job whatever the size. */
  background?: boolean | undefined;
}

export interface ForecastOutcome {
  forecast: repo.ForecastRow;
  /** The background job computing it (202), or null when it was computed inline or reused. */
  job: JobRow | null;
}

export interface RefreshResult {
  considered: number;
  refreshed: number;
  fresh: number;
  noData: number;
  failed: number;
  pruned: number;
}

export interface ForecastsServiceDeps {
  db: Database;
  /** Null where no queue exists (a job's own service): everything runs inline. */
  jobs: JobQueue | null;
  metrics: MetricsService;
  now?: () => Date;
  inlineMaxWork?: number;
}

interface Prepared {
  history: History;
  facts: repo.HistoryFacts;
  spec: ForecastSpec;
}

const LIVE_JOB = new Set(['queued', 'running', 'retrying']);
const ENQUEUE_GRACE_MS = 60_000;

/** Lets the event loop breathe between CPU-bound forecasts (progress writes, heartbeats). */
const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

const keyOf = (r: repo.ForecastRow): repo.ForecastKey => ({
  metric: r.metric,
  interval: r.interval,
  horizon: r.horizon,
  dimension: r.dimension,
  kind: r.kind,
});

/**
 * Forecasts of business metrics: computed from the metric's series (MetricsService), inline
 * when small and as a background job when big, stored per tenant, reused while the history
 * they were computed from is unchanged, and refreshed nightly.
 */
export class ForecastsService {
  private readonly now: () => Date;
  private readonly inlineMax: number;

  constructor(private readonly deps: ForecastsServiceDeps) {
    this.now = deps.now ?? (() => new Date());
    this.inlineMax = deps.inlineMaxWork ?? INLINE_MAX_WORK;
  }

  private tx<T>(tenantId: string, fn: (tx: TenantTx) => Promise<T>): Promise<T> {
    return withTenant(this.deps.db, tenantId, fn);
  }

  /** Fills in defaults and checks the horizon against the interval's limit. */
  resolveKey(req: ForecastRequest, where: InputLocation): repo.ForecastKey {
    const interval = req.interval ?? 'day';
    const rules = INTERVAL_RULES[interval];
    const horizon = req.horizon ?? rules.defaultHorizon;
    if (!Number.isInteger(horizon) || horizon < 1 || horizon > rules.maxHorizon) {
      const message = `must be a whole number of ${interval}s from 1 to ${rules.maxHorizon}`;
      throw new AppError('validation_failed', `horizon ${String(horizon)} ${message}`, {
        errors: [{ path: `/${where}/horizon`, message }],
      });
    }
    const def = this.deps.metrics.definition(req.metric);
    const dimension: repo.Dimension = {};
    for (const d of ['channel', 'location', 'sku'] as const) {
      const v = req.dimension?.[d];
      if (v !== undefined) dimension[d] = v;
    }
    return {
      metric: req.metric,
      interval,
      horizon,
      dimension,
      kind: req.kind ?? (def.derived && def.unit === 'count' ? 'count' : 'level'),
    };
  }

  /** The history a key forecasts from (see docs/forecasts.md for the window rules). */
  private async prepare(tx: TenantTx, key: repo.ForecastKey): Promise<Prepared> {
    const { metrics } = this.deps;
    const { timezone } = await getTenantProfile(tx);
    const firstData =
      key.interval === 'month'
        ? ((await metrics.list(tx)).find((m) => m.name === key.metric)?.firstMonth ?? null)
        : null;
    const window = historyWindow(key.interval, toLocalWallTime(this.now(), timezone), firstData);
    const series = await metrics.series(tx, timezone, key.metric, {
      interval: key.interval,
      from: formatWallTime(window.from),
      to: formatWallTime(window.to),
      dims: key.dimension,
    });
    const history = historyFrom(key.interval, series.points);
    const def = metrics.definition(key.metric);
    const wall = (t: string | undefined, fallback: Date) => (t ? new Date(`${t}Z`) : fallback);
    return {
      history,
      facts: {
        from: wall(history.timestamps[0], window.from),
        to: wall(history.timestamps[history.timestamps.length - 1], window.to),
        buckets: history.values.length,
        observations: history.observations,
        hash: history.hash,
      },
      spec: {
        interval: key.interval,
        horizon: key.horizon,
        kind: key.kind,
        clipAtZero:
          def.derived && key.kind === 'level' && history.values.every((v) => v === null || v >= 0),
      },
    };
  }

  /** `POST /v1/forecasts`: a new forecast, inline (200) or as a job (202). */
  async create(
    tenantId: string,
    req: ForecastRequest,
    opts: { createdBy: string | null },
  ): Promise<ForecastOutcome> {
    const key = this.resolveKey(req, 'body');
    const prepared = await this.tx(tenantId, async (tx) => {
      if (!(await this.deps.metrics.exists(tx, key.metric))) throw notFound(`metric ${key.metric}`);
      return this.prepare(tx, key);
    });
    return this.compute(tenantId, key, prepared, {
      trigger: 'request',
      createdBy: opts.createdBy,
      background: req.background ?? false,
      where: 'body',
    });
  }

  /**
   * `GET /v1/metrics/{name}/forecast`: the stored forecast for these parameters while the data
   * it was computed from is unchanged; otherwise a new one (inline, or 202 with the job).
   */
  async current(
    tenantId: string,
    req: ForecastRequest,
    opts: { createdBy: string | null },
  ): Promise<ForecastOutcome> {
    const key = this.resolveKey(req, 'querystring');
    const found = await this.tx(tenantId, async (tx) => {
      if (!(await this.deps.metrics.exists(tx, key.metric))) return null;
      const prepared = await this.prepare(tx, key);
      if (prepared.history.observations === 0) throw noHistory();
      const stored = await repo.findCurrent(tx, key, prepared.facts.hash);
      const job = stored?.job_id ? await getJob(tx, stored.job_id) : null;
      return { prepared, stored, job };
    });
    if (!found) throw notFound(`metric ${key.metric}`);
    const { prepared, stored, job } = found;
    if (stored?.status === 'succeeded') return { forecast: stored, job: null };
    if (stored && job && LIVE_JOB.has(job.status)) return { forecast: stored, job };
    // Another request is between storing its running forecast and enqueueing the job.
    if (
      stored &&
      !stored.job_id &&
      this.now().getTime() - stored.created_at.getTime() < ENQUEUE_GRACE_MS
    )
      return { forecast: stored, job: null };
    if (stored) {
      // Its job ended without storing a result (it failed after its last attempt).
      await this.tx(tenantId, (tx) =>
        repo.failForecast(tx, stored.id, {
          code: 'job_failed',
          message: job?.error ?? 'the background job ended without a result',
        }),
      );
    }
    return this.compute(tenantId, key, prepared, {
      trigger: 'request',
      createdBy: opts.createdBy,
      background: false,
      where: 'querystring',
    });
  }

  private async compute(
    tenantId: string,
    key: repo.ForecastKey,
    p: Prepared,
    o: {
      trigger: repo.ForecastTrigger;
      createdBy: string | null;
      background: boolean;
      where: InputLocation;
    },
  ): Promise<ForecastOutcome> {
    const jobs = this.deps.jobs;
    const big = o.background || p.history.values.length + key.horizon > this.inlineMax;
    if (!big || !jobs) {
      const output = runForecast(p.history, p.spec, o.where);
      const forecast = await this.tx(tenantId, (tx) =>
        repo.insertForecast(tx, {
          id: randomUUID(),
          key,
          status: 'succeeded',
          trigger: o.trigger,
          history: p.facts,
          output,
          createdBy: o.createdBy,
        }),
      );
      return { forecast, job: null };
    }
    // Refuse bad input now (422), not minutes later in the job.
    checkForecastable(p.history, p.spec, o.where);
    const id = randomUUID();
    const row = await this.tx(tenantId, (tx) =>
      repo.insertForecast(tx, {
        id,
        key,
        status: 'running',
        trigger: o.trigger,
        history: p.facts,
        output: null,
        createdBy: o.createdBy,
      }),
    );
    let job: JobRow;
    try {
      job = await jobs.enqueue(
        tenantId,
        FORECAST_RUN_TASK,
        { forecastId: id },
        { createdBy: o.createdBy },
      );
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      await this.tx(tenantId, (tx) =>
        repo.failForecast(tx, id, { code: 'enqueue_failed', message }),
      );
      throw err;
    }
    await this.tx(tenantId, (tx) => repo.setJob(tx, id, job.id));
    return { forecast: { ...row, job_id: job.id }, job };
  }

  async get(tenantId: string, id: string): Promise<repo.ForecastRow> {
    const row = await this.tx(tenantId, (tx) => repo.getForecast(tx, id));
    if (!row) throw notFound(`forecast ${id}`);
    return row;
  }

  list(tenantId: string, filter: repo.ListFilter): Promise<repo.ForecastRow[]> {
    return this.tx(tenantId, (tx) => repo.listForecasts(tx, filter));
  }

  /**
   * The work of a `forecasts.run` job: reads the history again (it may have grown since the
   * request), forecasts and stores the result on the running forecast. Input the engine
   * refuses marks the forecast failed with the reason (retrying would not help).
   */
  async runStored(
    tenantId: string,
    forecastId: string,
    progress: (fraction: number, message: string) => Promise<void>,
  ): Promise<{ forecastId: string; status: repo.ForecastStatus | 'missing' }> {
    const row = await this.tx(tenantId, (tx) => repo.getForecast(tx, forecastId));
    if (!row || row.status !== 'running') return { forecastId, status: row?.status ?? 'missing' };
    const key = keyOf(row);
    const p = await this.tx(tenantId, (tx) => this.prepare(tx, key));
    // One progress write before the engine's single (synchronous) call; the queue throttles
    // writes closer than 0.5 s, so there is no separate "reading" step.
    await progress(
      0.1,
      `forecasting ${p.history.values.length} ${INTERVAL_RULES[key.interval].frequency} buckets ${key.horizon} steps ahead`,
    );
    await breathe();
    let output;
    try {
      output = runForecast(p.history, p.spec, 'body');
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      await this.tx(tenantId, (tx) =>
        repo.failForecast(tx, forecastId, { code: err.code, message: err.message }),
      );
      await progress(1, `failed: ${err.message}`);
      return { forecastId, status: 'failed' };
    }
    await progress(0.9, 'storing the forecast');
    await this.tx(tenantId, (tx) => repo.completeForecast(tx, forecastId, p.facts, output));
    await progress(1, `done: ${output.model}`);
    return { forecastId, status: 'succeeded' };
  }

  /** Marks a running forecast failed (its job's last attempt failed). */
  async markFailed(tenantId: string, forecastId: string, message: string): Promise<void> {
    await this.tx(tenantId, (tx) =>
      repo.failForecast(tx, forecastId, { code: 'job_failed', message }),
    );
  }

  /**
   * The work of a `forecasts.refresh` job (nightly, one per tenant): forecasts revenue and
   * orders and every parameter set the business asked for in the last 30 days, skipping those
   * whose stored forecast is still current, then deletes superseded runs older than 90 days.
   */
  async refresh(
    tenantId: string,
    progress: (fraction: number, message: string) => Promise<void>,
  ): Promise<RefreshResult> {
    const since = new Date(this.now().getTime() - REQUESTED_WITHIN_DAYS * DAY);
    const requested = await this.tx(tenantId, (tx) => repo.requestedKeys(tx, since));
    const keys = new Map<string, repo.ForecastKey>();
    for (const metric of KEY_METRICS) {
      const k = this.resolveKey({ metric }, 'body');
      keys.set(JSON.stringify(k), k);
    }
    for (const k of requested) {
      const resolved = this.resolveKey(k, 'body');
      keys.set(JSON.stringify(resolved), resolved);
    }
    const result: RefreshResult = {
      considered: keys.size,
      refreshed: 0,
      fresh: 0,
      noData: 0,
      failed: 0,
      pruned: 0,
    };
    let done = 0;
    for (const key of keys.values()) {
      await progress(done++ / (keys.size + 1), `${key.metric} by ${key.interval}`);
      const { p, stored } = await this.tx(tenantId, async (tx) => {
        const prepared = await this.prepare(tx, key);
        return { p: prepared, stored: await repo.findCurrent(tx, key, prepared.facts.hash) };
      });
      if (p.history.observations === 0) result.noData++;
      else if (stored) result.fresh++;
      else {
        await breathe();
        try {
          const output = runForecast(p.history, p.spec, 'body');
          await this.tx(tenantId, (tx) =>
            repo.insertForecast(tx, {
              id: randomUUID(),
              key,
              status: 'succeeded',
              trigger: 'refresh',
              history: p.facts,
              output,
              createdBy: null,
            }),
          );
          result.refreshed++;
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
          result.failed++;
        }
      }
    }
    const before = new Date(this.now().getTime() - KEEP_SUPERSEDED_DAYS * DAY);
    result.pruned = await this.tx(tenantId, (tx) => repo.pruneSuperseded(tx, before));
    await progress(1, `refreshed ${result.refreshed} of ${result.considered}`);
    return result;
  }
}
