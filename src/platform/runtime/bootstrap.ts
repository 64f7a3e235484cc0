import { ConfigError, loadConfig, type Config } from '../config/config.js';
import { createLogger, type Logger } from '../observability/logger.js';
import { openDatabase } from '../db/open.js';
import type { Database } from '../db/types.js';
import { migrate, migrationStatus } from '../db/migrate.js';

export interface Runtime {
  config: Config;
  logger: Logger;
  db: Database;
}

/** Loads configuration or explains every bad value and exits with status 2. */
export function loadConfigOrExit(env: Record<string, string | undefined> = process.env): Config {
  try {
    return loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`dyocense: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
}

/** Opens the configured database, logging connection retries. */
export async function openRuntime(config: Config, name: string): Promise<Runtime> {
  const logger = createLogger({ level: config.logLevel, name });
  const db = await openDatabase(config, {
    onRetry: (attempt, delayMs, error) =>
      logger.warn({ attempt, delayMs, err: error.message }, 'database not reachable yet; retrying'),
  });
  logger.info({ database: db.description, kind: db.kind }, 'database open');
  return { config, logger, db };
}

/**
 * Makes sure the schema is current. The embedded database is single-process, so it migrates
 * itself; a server database is migrated by `dyocense migrate` (one job per deploy), and a
 * process started against an old schema refuses to run rather than fail later.
 */
export async function ensureSchema(rt: Runtime): Promise<void> {
  if (rt.db.kind === 'embedded') {
    const result = await migrate(rt.db);
    if (result.applied.length) rt.logger.info({ applied: result.applied }, 'migrations applied');
    return;
  }
  const status = await migrationStatus(rt.db);
  if (!status.current) {
    throw new Error(
      `the database schema is behind this version (pending: ${status.pending.join(', ')}); run \`dyocense migrate\` first`,
    );
  }
}
