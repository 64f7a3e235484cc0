import { createServer, type Server } from 'node:http';
import type { Logger } from './logger.js';
import { metricsAuthorized } from './metrics-auth.js';
import type { Observability } from './observability.js';

export interface MetricsServer {
  /** The port listened on (useful when 0 asked the OS for one). */
  port: number;
  close(): Promise<void>;
}

/**
 * The worker's `/metrics` (and `/health`) on its own port (WORKER_METRICS_PORT): workers
 * have no HTTP API. Same exposition and token rule as the API's `/metrics`.
 */
export async function startMetricsServer(options: {
  observability: Observability;
  host: string;
  port: number;
  token: string | undefined;
  logger: Logger;
}): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/health') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      return;
    }
    if (path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    if (!metricsAuthorized(options.token, req.headers.authorization)) {
      res
        .writeHead(401, {
          'content-type': 'text/plain',
          'www-authenticate': 'Bearer realm="metrics"',
        })
        .end('/metrics needs Authorization: Bearer <METRICS_TOKEN>\n');
      return;
    }
    options.observability.scrape().then(
      (body) => {
        res.writeHead(200, { 'content-type': options.observability.contentType }).end(body);
      },
      (err: unknown) => {
        options.logger.error({ err }, 'metrics scrape failed');
        res.writeHead(500, { 'content-type': 'text/plain' }).end('scrape failed\n');
      },
    );
  });
  server.keepAliveTimeout = 65_000; // longer than Prometheus's idle connections
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  options.logger.info({ port }, 'worker metrics listening');
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
