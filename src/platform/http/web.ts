import { existsSync, statSync } from 'node:fs';
import { dirname, join, posix, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';

/** Paths the dashboard never answers: the API, its docs and the Prometheus endpoint. */
const NOT_DASHBOARD = /^\/(?:v1|docs|metrics)(?:\/|$)/;
const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * The directory of the built dashboard: `web/dist` under the first ancestor of this file that
 * has a `web/` folder (the repository when run from source or from `dist/src/…`), else under
 * the first one with a package.json.
 */
export function defaultWebDist(from = dirname(fileURLToPath(import.meta.url))): string {
  let firstPackage: string | null = null;
  for (let dir = from, i = 0; i < 8; i++) {
    if (existsSync(join(dir, 'web'))) return join(dir, 'web', 'dist');
    if (!firstPackage && existsSync(join(dir, 'package.json'))) firstPackage = dir;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return join(firstPackage ?? process.cwd(), 'web', 'dist');
}

const NOT_BUILT = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Dyocense — dashboard not built</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#1a1a1a}code{background:#f0f0f0;padding:.1rem .3rem;border-radius:3px}</style>
</head>
<body>
<h1>The dashboard has not been built</h1>
<p>The API is running (browse it at <a href="/docs">/docs</a>), but the web dashboard's files are missing.</p>
<p>Build them with <code>npm run build:web</code> (<code>npm start</code> does it for you), then reload this page.</p>
</body>
</html>
`;

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The request path as a file path inside `dist`, or null when it is not a safe one. */
function safeRelative(url: string, dist: string): string | null {
  let path: string;
  try {
    path = decodeURIComponent(url.split('?')[0] ?? '/');
  } catch {
    return null;
  }
  if (path.includes('\0') || path.includes('\\')) return null;
  const normal = posix.normalize(path);
  if (normal.split('/').some((seg) => seg === '..' || seg.startsWith('.'))) return null;
  const rel = normal.replace(/^\/+/, '');
  const full = resolve(dist, rel);
  if (full !== dist && !full.startsWith(dist + sep)) return null;
  return rel;
}

const acceptsHtml = (req: FastifyRequest) => /text\/html|\*\/\*/.test(req.headers.accept ?? '');

/**
 * Serves the React dashboard (web/, built to web/dist) at `/`: its files, and `index.html`
 * for any other GET that accepts HTML outside /v1, /docs and /metrics, so that deep links of
 * the single-page app load. Files are looked up per request, so a build made while the
 * server runs is picked up. Without a build, `/` answers a page saying how to make one.
 */
export async function webDashboard(
  app: FastifyInstance,
  options: { distDir?: string } = {},
): Promise<void> {
  const dist = resolve(options.distDir ?? defaultWebDist());
  await app.register(async (scope) => {
    await scope.register(fastifyStatic, { root: dist, serve: false, suppressWarning: true });

    const sendIndex = (reply: FastifyReply) => {
      if (!isFile(join(dist, 'index.html'))) {
        return reply
          .header('cache-control', 'no-store')
          .type('text/html; charset=utf-8')
          .send(NOT_BUILT);
      }
      reply.header('cache-control', 'no-cache');
      return reply.sendFile('index.html', { cacheControl: false });
    };

    scope.get('/*', { schema: { hide: true }, logLevel: 'warn' }, async (req, reply) => {
      const rel = safeRelative(req.url, dist);
      if (rel === null || NOT_DASHBOARD.test(`/${rel}`)) return reply.callNotFound();
      if (rel === '' || rel === 'index.html') return sendIndex(reply);
      if (isFile(join(dist, rel))) {
        reply.header(
          'cache-control',
          rel.startsWith('assets/') ? IMMUTABLE : 'public, max-age=3600',
        );
        return reply.sendFile(rel, { cacheControl: false });
      }
      // A missing file (it has an extension) is a 404; any other page is the app's to route.
      if (/\.[A-Za-z0-9]+$/.test(rel) || !acceptsHtml(req)) return reply.callNotFound();
      return sendIndex(reply);
    });
  });
}
