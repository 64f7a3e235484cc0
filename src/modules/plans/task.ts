import { defineTask } from '../../platform/jobs/types.js';
import { MetricsService } from '../metrics/service.js';
import { PLAN_SOLVE_TASK, PlansService, type PlanJobPayload } from './service.js';

const RETRY_LIMIT = 1;

/**
 * Builds and solves a large plan (or a what-if of one) in the background. An input the
 * optimizer refuses fails the plan at once (the same input would fail again); anything else
 * is retried once, then the plan is marked failed.
 */
export const planSolveTask = defineTask<
  PlanJobPayload,
  Awaited<ReturnType<PlansService['runJob']>>
>({
  name: PLAN_SOLVE_TASK,
  retryLimit: RETRY_LIMIT,
  retryDelaySeconds: 10,
  expireInSeconds: 900,
  concurrency: 1,
  async run(ctx) {
    const plans = new PlansService({ db: ctx.database, jobs: null, metrics: new MetricsService() });
    try {
      return await plans.runJob({
        tenantId: ctx.tenantId,
        planId: ctx.payload.planId,
        run: ctx.withTenant,
        progress: (fraction, message) => ctx.progress(fraction, message),
      });
    } catch (err) {
      if (ctx.attempt > RETRY_LIMIT) {
        const message = err instanceof Error ? err.message : String(err);
        await plans.failJob(ctx.withTenant, ctx.payload.planId, `the plan job failed: ${message}`);
      }
      throw err;
    }
  },
});
