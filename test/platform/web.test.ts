import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installProblemHandlers } from '../../src/platform/http/problem.js';
import { defaultWebDist, webDashboard } from '../../src/platform/http/web.js';
import { createTestContext, type TestContext } from '../helpers/app.js';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const html = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

let tmp: string;
let dist: string;

async function appWith(distDir: string): Promise<FastifyInstance> {
  const app = Fastify();
  installProblemHandlers(app);
  app.get('/v1/ping', async () => ({ ok: true }));
  await webDashboard(app, { distDir });
  await app.ready();
  return app;
}

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'dyocense-web-'));
  dist = join(tmp, 'dist');
  mkdirSync(join(dist, 'assets'), { recursive: true });
  writeFileSync(join(dist, 'index.html'), '<!doctype html><div id="root"></div>');
  writeFileSync(join(dist, 'assets', 'index-abc123.js'), 'console.log(1)');
  writeFileSync(join(dist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(join(dist, '.env'), 'SECRET=1');
  writeFileSync(join(tmp, 'secret.txt'), 'outside the web root');
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('web dashboard serving', () => {
  it('serves index.html at / and for deep links of the app, revalidated on every load', async () => {
    const app = await appWith(dist);
    for (const url of ['/', '/index.html', '/metric/revenue?interval=week', '/settings']) {
      const res = await app.inject({ url, headers: html });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.body).toContain('<div id="root">');
    }
    expect((await app.inject({ method: 'HEAD', url: '/' })).statusCode).toBe(200);
    await app.close();
  });

  it('serves built files, hashed assets cached for good', async () => {
    const app = await appWith(dist);
    const js = await app.inject({ url: '/assets/index-abc123.js' });
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toMatch(/javascript/);
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const icon = await app.inject({ url: '/favicon.svg' });
    expect(icon.statusCode).toBe(200);
    expect(icon.headers['cache-control']).toBe('public, max-age=3600');
    await app.close();
  });

  it('leaves the API, docs, metrics, missing files and non-HTML requests to the 404 problem', async () => {
    const app = await appWith(dist);
    expect((await app.inject({ url: '/v1/ping' })).json()).toEqual({ ok: true });
    for (const [url, headers] of [
      ['/v1/nope', html],
      ['/v1', html],
      ['/docs/nothing', html],
      ['/metrics/x', html],
      ['/assets/missing.js', html],
      ['/some/page', { accept: 'application/json' }],
    ] as const) {
      const res = await app.inject({ url, headers });
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type'], url).toMatch(/^application\/problem\+json/);
      expect(res.json().code).toBe('route_not_found');
    }
    expect((await app.inject({ method: 'POST', url: '/', headers: html })).statusCode).toBe(404);
    await app.close();
  });

  it('never serves a file outside the build or a dotfile', async () => {
    const app = await appWith(dist);
    for (const url of [
      '/..%2fsecret.txt',
      '/%2e%2e/secret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/.env',
      '/%2eenv',
      '/%00',
      '/%E0%A4%A',
    ]) {
      const res = await app.inject({ url, headers: { accept: 'application/json' } });
      expect([400, 404], url).toContain(res.statusCode); // 400: Fastify refuses a malformed URL
      expect(res.body, url).not.toContain('outside the web root');
      expect(res.body, url).not.toContain('SECRET');
    }
    await app.close();
  });

  it('answers a page saying how to build the dashboard when there is no build (never a 500)', async () => {
    const app = await appWith(join(tmp, 'not-built'));
    for (const url of ['/', '/metric/revenue']) {
      const res = await app.inject({ url, headers: html });
      expect(res.statusCode, url).toBe(200);
      expect(res.body).toContain('npm run build:web');
    }
    expect((await app.inject({ url: '/assets/x.js' })).statusCode).toBe(404);
    await app.close();
  });

  it('finds web/dist of the repository from the source tree and from a compiled dist/', () => {
    expect(defaultWebDist(join(ROOT, 'src', 'platform', 'http'))).toBe(join(ROOT, 'web', 'dist'));
    expect(defaultWebDist(join(ROOT, 'dist', 'src', 'platform', 'http'))).toBe(
      join(ROOT, 'web', 'dist'),
    );
  });
});

describe('web dashboard in the API app', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(async () => ctx?.close());

  it('answers / with HTML under the Content-Security-Policy; the API keeps its 404s; no route in OpenAPI', async () => {
    const res = await ctx.inject({ method: 'GET', url: '/', headers: html });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    const missing = await ctx.inject({ method: 'GET', url: '/v1/no-such-route', headers: html });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('route_not_found');
    const spec = (await ctx.inject({ method: 'GET', url: '/v1/openapi.json' })).json();
    expect(Object.keys(spec.paths).filter((p) => !p.startsWith('/v1/'))).toEqual([]);
    expect(ctx.routes.some((r) => r.url === '/*')).toBe(false);
  });
});
