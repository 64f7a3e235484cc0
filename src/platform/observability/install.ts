import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/config.js';
import type { Database } from '../db/types.js';
import type { JobQueue } from '../jobs/queue.js';
import { installHttpObservability, installMetricsRoute } from './http-observability.js';
import { createObservability, type Observability } from './observability.js';

export interface InstallObservabilityDeps {
  config: Pick<Config, 'metricsToken' | 'dbPoolMax'>;
  db: Database;
  jobs: JobQueue;
  /**
   * The process's observability (start.ts creates it before the job queue); undefined: a
   * new one; null: no instrumentation at all (the benchmark's baseline).
   */
  observability?: Observability | null | undefined;
}

/**
 * The one call `buildApp` makes: request metrics and spans on every route, `GET /metrics`,
 * and queue depth from `jobs`. Call it before registering plugins and routes.
 *
 * @example
 * const observability = installObservability(app, { config, db, jobs, observability });
 */
export function installObservability(
  app: FastifyInstance,
  deps: InstallObservabilityDeps,
): Observability | null {
  if (deps.observability === null) return null;
  const observability =
    deps.observability ??
    createObservability({ role: 'api', db: deps.db, poolMax: deps.config.dbPoolMax });
  observability.watchQueue(deps.jobs);
  installHttpObservability(app);
  installMetricsRoute(app, observability, deps.config.metricsToken);
  return observability;
}
