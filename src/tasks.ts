import type { JobQueue } from './platform/jobs/queue.js';
import { importCommitTask } from './modules/imports/task.js';
import { demoLoadTask } from './demo/task.js';
import { planSolveTask } from './modules/plans/task.js';
import type { Config } from './platform/config/config.js';
import { embeddedMaintenanceSchedule } from './platform/db/maintenance.js';
import {
  forecastNightlySchedule,
  forecastRefreshTask,
  forecastRunTask,
} from './modules/forecasts/tasks.js';

/**
 * Every background task the product runs, registered on a queue before it starts. API
 * processes register them too (to enqueue); worker processes (and the embedded demo) run them.
 */
export function registerTasks(
  queue: JobQueue,
  config: Pick<Config, 'forecastRefreshCron'>,
  options: { embedded: boolean } = { embedded: false },
): void {
  // Modules add their tasks here (imports, connector syncs, forecasts, plans …).
  queue.define(importCommitTask);
  queue.define(demoLoadTask);
  queue.define(planSolveTask);
  queue.define(forecastRunTask);
  queue.define(forecastRefreshTask);
  queue.defineSchedule(forecastNightlySchedule(config.forecastRefreshCron));
  // PGlite has no background workers or autovacuum: aggregates, compression, statistics.
  if (options.embedded) queue.defineSchedule(embeddedMaintenanceSchedule());
}
