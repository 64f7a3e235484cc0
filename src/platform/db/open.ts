import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Config } from '../config/config.js';
import type { Database } from './types.js';
import { openServerDatabase } from './server.js';
import { openEmbeddedDatabase } from './embedded.js';

/** Where the embedded build keeps its files; builds get separate directories (PG 17 vs 18). */
export function embeddedDataDir(config: Pick<Config, 'dataDir' | 'embeddedBuild'>): string {
  return resolve(join(config.dataDir, `pglite-${config.embeddedBuild}`));
}

/** The server database when DATABASE_URL is set, else the embedded one in the data directory. */
export async function openDatabase(
  config: Config,
  hooks: { onRetry?: (attempt: number, delayMs: number, error: Error) => void } = {},
): Promise<Database> {
  if (config.databaseUrl) {
    return openServerDatabase({
      url: config.databaseUrl,
      poolMax: config.dbPoolMax,
      statementTimeoutMs: config.dbStatementTimeoutMs,
      connectAttempts: config.dbConnectAttempts,
      ...(hooks.onRetry ? { onRetry: hooks.onRetry } : {}),
    });
  }
  const dataDir = embeddedDataDir(config);
  await mkdir(dataDir, { recursive: true });
  return openEmbeddedDatabase({ build: config.embeddedBuild, dataDir });
}
