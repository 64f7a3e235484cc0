import { refreshContinuousAggregates } from '../platform/db/aggregates.js';
import { defineTask } from '../platform/jobs/types.js';
import { getTenantProfile } from '../modules/accounts/service.js';
import { generateDemo, type DemoFacts } from './generator.js';
import { loadDemoData } from './load.js';

export interface DemoLoadPayload {
  endDay: string;
  seed?: number;
}

export const DEMO_LOAD_TASK = 'demo.load';

/** Generates the demo business and loads it into the job's tenant, reporting progress. */
export const demoLoadTask = defineTask<DemoLoadPayload, { orders: number; facts: DemoFacts }>({
  name: DEMO_LOAD_TASK,
  retryLimit: 1,
  retryDelaySeconds: 5,
  expireInSeconds: 1800,
  concurrency: 1,
  async run(ctx) {
    const profile = await ctx.withTenant((tx) => getTenantProfile(tx));
    await ctx.progress(0.01, 'generating two years of café data');
    const data = generateDemo({
      endDay: ctx.payload.endDay,
      timeZone: profile.timezone,
      ...(ctx.payload.seed ? { seed: ctx.payload.seed } : {}),
    });
    await loadDemoData(
      ctx.withTenant,
      data,
      profile.timezone,
      (f, step) => void ctx.progress(0.02 + f * 0.93, step),
    );
    await ctx.progress(0.96, 'materialising aggregates');
    await refreshContinuousAggregates(ctx.database);
    return { orders: data.orders.length, facts: data.facts };
  },
});
