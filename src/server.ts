import type { FastifyInstance } from 'fastify';
import type { Logger } from './platform/observability/logger.js';

export interface Closeable {
  name: string;
  close(): Promise<void>;
}

/**
 * Listens, and on SIGTERM/SIGINT shuts down in order: stop accepting and finish in-flight
 * requests (Fastify's close), then the other parts (jobs, database) in the order given.
 * A second signal, or the timeout, exits at once.
 */
export async function listen(
  app: FastifyInstance,
  options: {
    host: string;
    port: number;
    logger: Logger;
    shutdownTimeoutMs: number;
    closeAfter: Closeable[];
  },
): Promise<{ url: string; shutdown: () => Promise<void> }> {
  await app.listen({ host: options.host, port: options.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const url = `http://${options.host === '0.0.0.0' || options.host === '::' ? 'localhost' : options.host}:${port}`;

  let stopping: Promise<void> | undefined;
  const shutdown = () =>
    (stopping ??= (async () => {
      options.logger.info('shutting down: no new requests, finishing in-flight work');
      const timer = setTimeout(() => {
        options.logger.error(
          { timeoutMs: options.shutdownTimeoutMs },
          'shutdown timed out; exiting',
        );
        process.exit(1);
      }, options.shutdownTimeoutMs);
      timer.unref();
      await app.close();
      for (const part of options.closeAfter) {
        try {
          await part.close();
        } catch (err) {
          options.logger.error({ err, part: part.name }, 'error while closing');
        }
      }
      clearTimeout(timer);
      options.logger.info('stopped');
    })());

  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      options.logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    void shutdown().then(() => process.exit(0));
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  return { url, shutdown };
}
