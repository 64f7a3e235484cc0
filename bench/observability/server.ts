/**
 * One API process for the observability benchmark (started by run.ts, one per variant):
 *   off      no metrics hooks, no tracing (the uninstrumented baseline)
 *   metrics  Prometheus metrics hooks, tracing off (the default without OTLP configured)
 *   full     metrics + OpenTelemetry traces exported over OTLP/HTTP to run.ts's sink
 * The real app (buildApp) on an in-memory embedded database, logging at info to /dev/null as
 * production would to stdout. Prints `{"port": N}` once listening.
 */
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/platform/config/config.js';
import { openEmbeddedDatabase } from '../../src/platform/db/embedded.js';
import { migrate } from '../../src/platform/db/migrate.js';
import { JobQueue } from '../../src/platform/jobs/queue.js';
import { createLogger } from '../../src/platform/observability/logger.js';
import { createObservability } from '../../src/platform/observability/observability.js';
import { startTracing } from '../../src/platform/observability/tracing.js';
import pino from 'pino';

const mode = process.argv[2] as 'off' | 'metrics' | 'full';
const sink = process.argv[3];
if (!['off', 'metrics', 'full'].includes(mode)) throw new Error(`unknown mode ${mode}`);

if (mode === 'full') await startTracing({ serviceName: 'dyocense-bench', endpoint: sink });
const config = loadConfig({ LOG_LEVEL: 'info' });
const logger = createLogger({ level: 'info', destination: pino.destination('/dev/null') });
const db = await openEmbeddedDatabase({ build: 'timescaledb' });
await migrate(db);
const jobs = new JobQueue(db, logger);
const { app } = await buildApp({
  config,
  db,
  logger,
  jwtSecret: 'bench-secret-that-is-long-enough-0123456789',
  jobs,
  observability: mode === 'off' ? null : createObservability({ role: 'api', db }),
});
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
console.log(JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 }));
process.on('SIGTERM', () => {
  void app.close().then(() => process.exit(0));
});
