import type { Config } from './platform/config/config.js';
import { ensureSchema, openRuntime } from './platform/runtime/bootstrap.js';
import { startJobQueue } from './start.js';
import { createObservability } from './platform/observability/observability.js';
import { startMetricsServer } from './platform/observability/metrics-server.js';
import { startTracing } from './platform/observability/tracing.js';
import { warmUpOptimizer } from './modules/plans/solve.js';

/**
 * `dyocense worker`: runs every registered task until SIGTERM, then finishes the jobs in
 * flight (up to SHUTDOWN_TIMEOUT) and closes the database.
 */
export async function startWorker(config: Config): Promise<void> {
  const tracing = await startTracing({
    serviceName: 'dyocense-worker',
    endpoint: config.otelEndpoint,
  });
  const rt = await openRuntime(config, 'worker');
  await ensureSchema(rt);
  const observability = createObservability({
    role: 'worker',
    db: rt.db,
    poolMax: config.dbPoolMax,
  });
  const jobs = await startJobQueue(rt, true, observability.jobEvents);
  observability.watchQueue(jobs);
  const metricsServer = config.workerMetricsPort
    ? await startMetricsServer({
        observability,
        host: config.host,
        port: config.workerMetricsPort,
        token: config.metricsToken,
        logger: rt.logger,
      })
    : undefined;
  // The optimizer's WebAssembly compiles on first use (~6 s); pay that now, not in a user's job.
  void warmUpOptimizer().catch((err: unknown) =>
    rt.logger.warn({ err }, 'optimizer warm-up failed'),
  );
  rt.logger.info({ tasks: jobs.taskNames }, 'worker running');
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    rt.logger.info({ signal }, 'worker stopping: finishing jobs in flight');
    await jobs.stop(config.shutdownTimeoutMs);
    await metricsServer?.close();
    await rt.db.close();
    await tracing.shutdown();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}
