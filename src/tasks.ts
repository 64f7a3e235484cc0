import type { JobQueue } from './platform/jobs/queue.js';
import { importCommitTask } from './modules/imports/task.js';
import { demoLoadTask } from './demo/task.js';

/**
 * Every background task the product runs, registered on a queue before it starts. API
 * processes register them too (to enqueue); worker processes (and the embedded demo) run them.
 */
export function registerTasks(queue: JobQueue): void {
  // Modules add their tasks here (imports, connector syncs, forecasts, plans …).
  queue.define(importCommitTask);
  queue.define(demoLoadTask);
}
