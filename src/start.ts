import type { Config } from './platform/config/config.js';
import { ensureSchema, openRuntime, type Runtime } from './platform/runtime/bootstrap.js';
import { resolveJwtSecret } from './platform/runtime/secrets.js';
import { buildApp, type BuiltApp } from './app.js';
import { listen } from './server.js';

export interface StartedApi extends Runtime {
  url: string;
  built: BuiltApp;
  shutdown: () => Promise<void>;
}

/**
 * Opens the database, checks (embedded: applies) migrations, builds the app and listens.
 * Shared by `serve` and `demo`; `beforeListen` lets `demo` seed its business first.
 */
export async function startApi(
  config: Config,
  options: { name: string; beforeListen?: (rt: Runtime, built: BuiltApp) => Promise<void> },
): Promise<StartedApi> {
  const rt = await openRuntime(config, options.name);
  try {
    await ensureSchema(rt);
    const jwtSecret = await resolveJwtSecret(config);
    const built = await buildApp({ config, db: rt.db, logger: rt.logger, jwtSecret });
    await options.beforeListen?.(rt, built);
    const { url, shutdown } = await listen(built.app, {
      host: config.host,
      port: config.port,
      logger: rt.logger,
      shutdownTimeoutMs: config.shutdownTimeoutMs,
      closeAfter: [{ name: 'database', close: () => rt.db.close() }],
    });
    return { ...rt, url, built, shutdown };
  } catch (err) {
    await rt.db.close().catch(() => {});
    throw err;
  }
}
