import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '../platform/runtime/bootstrap.js';
import { withTenant } from '../platform/tenancy/context.js';
import { getJob } from '../platform/jobs/repo.js';
import type { Database } from '../platform/db/types.js';
import { startApi } from '../start.js';
import { ensureDemoBusiness } from '../demo/seed.js';

/** Prints the demo load job's progress until it ends (the server keeps running meanwhile). */
async function followLoad(db: Database, tenantId: string, jobId: string): Promise<void> {
  let last = '';
  const started = Date.now();
  for (;;) {
    const job = await withTenant(db, tenantId, (tx) => getJob(tx, jobId));
    if (!job) return;
    const line = `  demo data: ${Math.round(job.progress * 100)}% ${job.progress_message ?? ''}`;
    if (line !== last) console.log(line);
    last = line;
    if (job.status === 'succeeded') {
      console.log(`  demo data loaded in ${((Date.now() - started) / 1000).toFixed(0)} s`);
      return;
    }
    if (job.status === 'failed') {
      console.error(
        `  demo data failed to load: ${job.error ?? 'unknown error'} (see GET /v1/jobs/${jobId})`,
      );
      return;
    }
    await new Promise((r) => setTimeout(r, 2000));
  }
}

/**
 * `dyocense demo` (= `npm start`): the embedded database, a demo business with its owner,
 * the API and the worker in one process. Prints the URL and the demo login at once; the
 * first start then loads two years of demo data in a background job, with progress.
 */
export async function run(args: string[]): Promise<number> {
  parseArgs({ args, options: {}, strict: true });
  const t0 = Date.now();
  const config = loadConfigOrExit();
  let demo: Awaited<ReturnType<typeof ensureDemoBusiness>> | undefined;
  const started = await startApi(config, {
    name: 'demo',
    beforeListen: async (rt, built) => {
      demo = await ensureDemoBusiness(rt, built.services, {
        email: config.demoEmail,
        password: config.demoPassword,
      });
    },
  });
  const seconds = ((Date.now() - t0) / 1000).toFixed(1);
  console.log(
    [
      '',
      `  Dyocense is running at ${started.url}  (started in ${seconds} s, ${started.db.description})`,
      `  Demo login: ${config.demoEmail} / ${config.demoPassword}   business: ${demo?.tenantName}`,
      `  API docs:   ${started.url}/docs`,
      demo?.job
        ? '  Loading two years of demo data in the background (about a minute):'
        : '  Demo data: loaded.',
      '  Stop with Ctrl+C.',
      '',
    ].join('\n'),
  );
  if (demo?.job) await followLoad(started.db, demo.tenantId, demo.job.id).catch(() => {});
  return new Promise(() => {});
}
