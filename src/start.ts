import type { Config } from './platform/config/config.js';
import { ensureSchema, openRuntime, type Runtime } from './platform/runtime/bootstrap.js';
import { resolveJwtSecret } from './platform/runtime/secrets.js';
import { JobQueue, type JobEvents } from './platform/jobs/queue.js';
import { createObservability } from './platform/observability/observability.js';
import { startTracing } from './platform/observability/tracing.js';
import { buildApp, type BuiltApp } from './app.js';
import { listen } from './server.js';
import { registerTasks } from './tasks.js';

export interface StartedApi extends Runtime {
  url: string;
  built: BuiltApp;
  jobs: JobQueue;
  shutdown: () => Promise<void>;
}

/** The job queue with every task registered; `work` makes this process run them too. */
export async function startJobQueue(
  rt: Runtime,
  work: boolean,
  events?: JobEvents,
): Promise<JobQueue> {
  const jobs = new JobQueue(rt.db, rt.logger, { databaseUrl: rt.config.databaseUrl, events });
  registerTasks(jobs, rt.config, { embedded: rt.db.kind === 'embedded' });
  await jobs.start({ work });
  return jobs;
}

/**
 * Opens the database, checks (embedded: applies) migrations, builds the app and listens.
 * With the embedded database this process also runs the background jobs (PGlite is
 * single-process). Shared by `serve` and `demo`; `beforeListen` lets `demo` seed first.
 */
export async function startApi(
  config: Config,
  options: { name: string; beforeListen?: (rt: Runtime, built: BuiltApp) => Promise<void> },
): Promise<StartedApi> {
  const tracing = await startTracing({
    serviceName: `dyocense-${options.name}`,
    endpoint: config.otelEndpoint,
  });
  const rt = await openRuntime(config, options.name);
  let jobs: JobQueue | undefined;
  try {
    await ensureSchema(rt);
    const jwtSecret = await resolveJwtSecret(config);
    const embedded = rt.db.kind === 'embedded';
    const observability = createObservability({
      role: embedded ? 'all' : 'api',
      db: rt.db,
      poolMax: config.dbPoolMax,
    });
    jobs = await startJobQueue(rt, embedded, observability.jobEvents);
    const built = await buildApp({
      config,
      db: rt.db,
      logger: rt.logger,
      jwtSecret,
      jobs,
      observability,
    });
    await options.beforeListen?.(rt, built);
    const queue = jobs;
    const { url, shutdown } = await listen(built.app, {
      host: config.host,
      port: config.port,
      logger: rt.logger,
      shutdownTimeoutMs: config.shutdownTimeoutMs,
      closeAfter: [
        { name: 'jobs', close: () => queue.stop(config.shutdownTimeoutMs) },
        { name: 'database', close: () => rt.db.close() },
        { name: 'tracing', close: () => tracing.shutdown() },
      ],
    });
    return { ...rt, url, built, jobs, shutdown };
  } catch (err) {
    await jobs?.stop().catch(() => {});
    await rt.db.close().catch(() => {});
    throw err;
  }
}
