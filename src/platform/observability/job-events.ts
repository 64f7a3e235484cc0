import type { JobEvents } from '../jobs/queue.js';
import { metrics } from './metrics.js';
import { currentTraceParent, runJobSpan } from './tracing.js';

/**
 * The job queue's hooks: job metrics (`jobs_enqueued_total`, `job_duration_seconds` …) and
 * trace propagation (the enqueuing span's `traceparent` is stored with the job; the job's
 * span is its child and links to it).
 */
export function jobEvents(): JobEvents {
  return {
    onEnqueued(task) {
      metrics.jobsEnqueued.inc({ task });
    },
    onStarted(task) {
      metrics.jobsStarted.inc({ task });
      metrics.jobsInProgress.inc({ task });
    },
    onFinished(task, outcome, seconds) {
      metrics.jobsInProgress.dec({ task });
      metrics.jobsFinished.inc({ task, outcome });
      metrics.jobDuration.observe({ task, outcome }, seconds);
    },
    currentTraceParent,
    aroundRun: (task, traceParent, run) => runJobSpan(task, traceParent, run),
  };
}
