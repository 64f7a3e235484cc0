import { runEmbeddedMaintenance } from '../platform/db/maintenance.js';
import { defineTask } from '../platform/jobs/types.js';
import { getTenantProfile } from '../modules/accounts/service.js';
import { generateDemo, type DemoFacts } from './generator.js';
import { loadDemoData } from './load.js';

export interface DemoLoadPayload {
  endDay: string;
  seed?: number;
  /** Smaller demos for tests: days of history and order volume (defaults: 760 and 0.8). */
  days?: number;
  volume?: number;
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
    const { endDay, seed, days, volume } = ctx.payload;
    const data = generateDemo({
      endDay,
      timeZone: profile.timezone,
      ...(seed ? { seed } : {}),
      ...(days ? { days } : {}),
      ...(volume ? { volume } : {}),
    });
    await loadDemoData(
      ctx.withTenant,
      data,
      profile.timezone,
      (f, step) => void ctx.progress(0.02 + f * 0.93, step),
    );
    await ctx.progress(0.96, 'materialising aggregates');
    // Aggregates, compression of old chunks and statistics (the planner needs them to use
    // the per-tenant indexes; PGlite has no autovacuum to gather them).
    await runEmbeddedMaintenance(ctx.database);
    return { orders: data.orders.length, facts: data.facts };
  },
});
