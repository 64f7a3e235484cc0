import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/app.js';
import { errorCodes } from '../../src/platform/errors/codes.js';

let ctx: TestContext;
let spec: any;
const apiDoc = readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8');

beforeAll(async () => {
  ctx = await createTestContext();
  spec = (await ctx.inject({ method: 'GET', url: '/v1/openapi.json' })).json();
});
afterAll(async () => {
  await ctx?.close();
});

const openapiPath = (url: string) => url.replace(/\/:(\w+)/g, '/{$1}');

describe('OpenAPI document', () => {
  it('is OpenAPI 3.1 with a bearer security scheme and the Problem schema', () => {
    expect(spec.openapi).toBe('3.1.0');
    expect(spec.components.securitySchemes.bearer).toMatchObject({
      type: 'http',
      scheme: 'bearer',
    });
    expect(spec.components.schemas.Problem.required).toEqual(
      expect.arrayContaining(['type', 'title', 'status', 'detail', 'code']),
    );
  });

  it('documents every registered route with its success and problem responses', () => {
    const problems: string[] = [];
    for (const r of ctx.routes) {
      const op = spec.paths[openapiPath(r.url)]?.[r.method.toLowerCase()];
      if (!op) {
        problems.push(`missing ${r.method} ${r.url}`);
        continue;
      }
      const codes = Object.keys(op.responses ?? {});
      if (!codes.some((c) => /^2\d\d$/.test(c)))
        problems.push(`${r.method} ${r.url}: no 2xx response`);
      if (!codes.includes('4XX') && !codes.includes('4xx'))
        problems.push(`${r.method} ${r.url}: no 4xx problem response`);
      if (r.access !== 'public' && !op.security)
        problems.push(`${r.method} ${r.url}: no security requirement`);
      if (r.deprecated && !op.deprecated)
        problems.push(`${r.method} ${r.url}: not marked deprecated`);
    }
    expect(problems).toEqual([]);
  });

  it('docs/api.md lists every route and every error code', () => {
    const routes = ctx.routes
      .map((r) => `${r.method} ${openapiPath(r.url)}`)
      .filter((r) => !apiDoc.includes(r));
    const codes = Object.keys(errorCodes).filter((c) => !apiDoc.includes(`\`${c}\``));
    expect({ routes, codes }).toEqual({ routes: [], codes: [] });
  });

  it('browsable docs are served at /docs', async () => {
    const res = await ctx.inject({ method: 'GET', url: '/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('swagger');
  });
});

describe('deprecation', () => {
  it('a deprecated route still works and says so with Deprecation, Sunset and Link headers', async () => {
    const a = await ctx.newTenant();
    const res = await ctx.inject({ method: 'GET', url: '/v1/whoami', headers: a.auth });
    expect(res.statusCode).toBe(200);
    expect(res.json().tenant.id).toBe(a.tenantId);
    expect(res.headers.deprecation).toBe(`@${Date.parse('2026-11-01') / 1000}`);
    expect(res.headers.sunset).toBe('Tue, 01 Jun 2027 00:00:00 GMT');
    expect(res.headers.link).toBe('</v1/me>; rel="successor-version"');
    const current = await ctx.inject({ method: 'GET', url: '/v1/me', headers: a.auth });
    expect(current.headers.deprecation).toBeUndefined();
  });

  it('every deprecated route keeps working for at least six months', () => {
    for (const r of ctx.routes.filter((x) => x.deprecated)) {
      expect(
        Date.parse(r.deprecated!.sunset) - Date.parse(r.deprecated!.since),
      ).toBeGreaterThanOrEqual(182 * 86_400_000);
    }
  });
});

describe('HTTP basics', () => {
  it('health, readiness and capabilities answer without credentials', async () => {
    expect((await ctx.inject({ method: 'GET', url: '/v1/health' })).json()).toMatchObject({
      status: 'ok',
    });
    expect((await ctx.inject({ method: 'GET', url: '/v1/ready' })).json()).toMatchObject({
      status: 'ready',
      migrations: 'current',
    });
    const caps = (await ctx.inject({ method: 'GET', url: '/v1/system/capabilities' })).json();
    expect(caps.features.graph).toBe('jsonb');
    expect(['timescaledb', 'partitions']).toContain(caps.features.timeSeries);
    expect(caps.features.timeSeries === 'timescaledb').toBe(
      Boolean(caps.extensions.timescaledb.installed),
    );
  });

  it('sends security headers and a request id', async () => {
    const res = await ctx.inject({
      method: 'GET',
      url: '/v1/health',
      headers: { 'x-request-id': 'trace-me-123' },
    });
    expect(res.headers['x-request-id']).toBe('trace-me-123');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toBeDefined();
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    const odd = await ctx.inject({
      method: 'GET',
      url: '/v1/health',
      headers: { 'x-request-id': 'bad id with spaces' },
    });
    expect(odd.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('CORS is closed by default', async () => {
    const res = await ctx.inject({
      method: 'OPTIONS',
      url: '/v1/health',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
    });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('client address behind a proxy', () => {
  it('is taken from X-Forwarded-For only when TRUST_PROXY says so', async () => {
    const login = (c: TestContext) =>
      c.inject({
        method: 'POST',
        url: '/v1/auth/login',
        headers: { 'x-forwarded-for': '203.0.113.7' },
        payload: { email: 'x@example.com', password: 'whatever-123' },
      });
    const trusting = await createTestContext({
      TRUST_PROXY: 'loopback',
      AUTH_RATE_LIMIT_PER_MINUTE: '1',
    });
    try {
      // a different forwarded client is a different client for the rate limit
      expect((await login(trusting)).statusCode).toBe(401);
      const other = await trusting.inject({
        method: 'POST',
        url: '/v1/auth/login',
        headers: { 'x-forwarded-for': '198.51.100.9' },
        payload: { email: 'x@example.com', password: 'whatever-123' },
      });
      expect(other.statusCode).toBe(401);
      expect((await login(trusting)).statusCode).toBe(429);
    } finally {
      await trusting.close();
    }
  });
});
