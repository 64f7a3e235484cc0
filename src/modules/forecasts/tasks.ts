import type { Database } from '../../platform/db/types.js';
import { defineSchedule, type SystemSchedule } from '../../platform/jobs/schedule.js';
import { defineTask } from '../../platform/jobs/types.js';
import { withSystem } from '../../platform/tenancy/context.js';
import { MetricsService } from '../metrics/service.js';
import { tenantsWithDataBetween } from '../metrics/system-repo.js';
import {
  FORECAST_REFRESH_TASK,
  FORECAST_RUN_TASK,
  ForecastsService,
  type RefreshResult,
} from './service.js';

export const FORECAST_NIGHTLY_SCHEDULE = 'forecasts.nightly';
/** A tenant is refreshed when it has metric data within this many days. */
export const RECENT_DATA_DAYS = 35;

const RUN_RETRY_LIMIT = 2;
const DAY = 86_400_000;

/** The service as a job uses it: everything inline (a job never enqueues another forecast job). */
const jobService = (db: Database) =>
  new ForecastsService({ db, jobs: null, metrics: new MetricsService() });

/** Computes one stored forecast that was too big to compute inline (`POST /v1/forecasts` → 202). */
export const forecastRunTask = defineTask<
  { forecastId: string },
  { forecastId: string; status: string }
>({
  name: FORECAST_RUN_TASK,
  retryLimit: RUN_RETRY_LIMIT,
  retryDelaySeconds: 10,
  expireInSeconds: 15 * 60,
  concurrency: 1,
  async run(ctx) {
    const service = jobService(ctx.database);
    try {
      return await service.runStored(ctx.tenantId, ctx.payload.forecastId, (f, m) =>
        ctx.progress(f, m),
      );
    } catch (err) {
      if (ctx.attempt > RUN_RETRY_LIMIT) {
        const message = err instanceof Error ? err.message : String(err);
        await service.markFailed(ctx.tenantId, ctx.payload.forecastId, message);
      }
      throw err;
    }
  },
});

/** The nightly refresh of one tenant's key forecasts (fanned out by the nightly schedule). */
export const forecastRefreshTask = defineTask<{ day: string }, RefreshResult>({
  name: FORECAST_REFRESH_TASK,
  retryLimit: 2,
  retryDelaySeconds: 60,
  expireInSeconds: 60 * 60,
  concurrency: 1,
  async run(ctx) {
    return jobService(ctx.database).refresh(ctx.tenantId, (f, m) => ctx.progress(f, m));
  },
});

/**
 * The nightly refresh: at `cron` (default 02:30, server's local time; null = off) one
 * occurrence across all workers enqueues a `forecasts.refresh` job for every tenant with metric
 * data in the last 35 days, deduplicated per tenant and day.
 */
export function forecastNightlySchedule(cron: string | null): SystemSchedule {
  return defineSchedule({
    name: FORECAST_NIGHTLY_SCHEDULE,
    cron,
    retryLimit: 2,
    expireInSeconds: 30 * 60,
    async run(ctx) {
      const now = Date.now();
      // Metric times are local wall times written as UTC: allow a day either side.
      const tenants = await withSystem(ctx.database, (sys) =>
        tenantsWithDataBetween(
          sys,
          new Date(now - RECENT_DATA_DAYS * DAY),
          new Date(now + 2 * DAY),
        ),
      );
      const day = new Date(now).toISOString().slice(0, 10);
      for (const tenantId of tenants)
        await ctx.enqueue(
          tenantId,
          FORECAST_REFRESH_TASK,
          { day },
          { dedupeKey: `nightly:${day}` },
        );
      ctx.log.info({ tenants: tenants.length, day }, 'nightly forecast refresh enqueued');
    },
  });
}
