import type { Config } from './platform/config/config.js';
import { ensureSchema, openRuntime } from './platform/runtime/bootstrap.js';
import { startJobQueue } from './start.js';

/**
 * `dyocense worker`: runs every registered task until SIGTERM, then finishes the jobs in
 * flight (up to SHUTDOWN_TIMEOUT) and closes the database.
 */
export async function startWorker(config: Config): Promise<void> {
  const rt = await openRuntime(config, 'worker');
  await ensureSchema(rt);
  const jobs = await startJobQueue(rt, true);
  rt.logger.info({ tasks: jobs.taskNames }, 'worker running');
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    rt.logger.info({ signal }, 'worker stopping: finishing jobs in flight');
    await jobs.stop(config.shutdownTimeoutMs);
    await rt.db.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}
