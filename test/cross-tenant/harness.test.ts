import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext, type TestTenant } from '../helpers/app.js';
import { routeFixtures, seeders, type Seeded } from './fixtures.js';

/**
 * For every registered /v1 route, tenant B — with its owner's JWT and with an admin API
 * token — must never read, list, change or delete tenant A's objects. Routes addressing an
 * object by id must answer 404 (not 403: existence is not leaked). The route table is
 * iterated, so new routes are covered without editing this file.
 */
let ctx: TestContext;
let a: TestTenant;
let b: TestTenant;
let seeded: Seeded;
let bCredentials: { name: string; headers: Record<string, string> }[];

const pathParams = (url: string) => [...url.matchAll(/\/:(\w+)/g)].map((m) => m[1]!);
const fill = (url: string, params: Record<string, string>) =>
  url.replace(/\/:(\w+)/g, (_, p: string) => `/${params[p] ?? `:${p}`}`);

async function snapshotOfA(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const r of ctx.routes) {
    if (r.method !== 'GET' || pathParams(r.url).length || r.access === 'public') continue;
    const res = await ctx.inject({ method: 'GET', url: r.url, headers: a.auth });
    out[r.url] = `${res.statusCode} ${res.body}`;
  }
  return out;
}

beforeAll(async () => {
  ctx = await createTestContext();
  a = await ctx.newTenant('Tenant A');
  b = await ctx.newTenant('Tenant B');
  const all: Seeded = { ids: {}, markers: [a.tenantId, 'Tenant A'] };
  for (const seed of seeders) {
    const s = await seed(ctx, a);
    Object.assign(all.ids, s.ids);
    all.markers.push(...s.markers, ...Object.values(s.ids));
  }
  seeded = all;
  const bToken = (
    await ctx.inject({
      method: 'POST',
      url: '/v1/api-tokens',
      headers: b.auth,
      payload: { name: 'b-admin', scopes: ['admin'] },
    })
  ).json();
  bCredentials = [
    { name: 'B owner JWT', headers: b.auth },
    { name: 'B admin API token', headers: { authorization: `Bearer ${bToken.token}` } },
  ];
});

afterAll(async () => {
  await ctx?.close();
});

describe('cross-tenant isolation over every route', () => {
  it('every route with path parameters has a fixture', () => {
    const missing = ctx.routes
      .filter((r) => pathParams(r.url).length > 0 && r.access !== 'public')
      .map((r) => `${r.method} ${r.url}`)
      .filter((key) => !routeFixtures[key]);
    expect(missing).toEqual([]);
  });

  it('tenant B gets 404 for each of A’s objects, on every method, with either credential', async () => {
    const before = await snapshotOfA();
    const wrong: string[] = [];
    for (const cred of bCredentials) {
      for (const r of ctx.routes) {
        if (!pathParams(r.url).length || r.access === 'public') continue;
        const fx = routeFixtures[`${r.method} ${r.url}`]!(seeded);
        const res = await ctx.inject({
          method: r.method as 'GET',
          url: fill(r.url, fx.params),
          headers: cred.headers,
          ...(fx.body !== undefined ? { payload: fx.body as object } : {}),
        });
        if (res.statusCode !== 404)
          wrong.push(
            `${cred.name}: ${r.method} ${r.url} → ${res.statusCode} ${res.body.slice(0, 120)}`,
          );
      }
    }
    expect(wrong).toEqual([]);
    expect(await snapshotOfA()).toEqual(before);
  });

  it('no list or read route shows B anything of A', async () => {
    const leaks: string[] = [];
    for (const cred of bCredentials) {
      for (const r of ctx.routes) {
        if (r.method !== 'GET' || pathParams(r.url).length || r.access === 'public') continue;
        const res = await ctx.inject({ method: 'GET', url: r.url, headers: cred.headers });
        for (const marker of seeded.markers) {
          if (res.body.includes(marker))
            leaks.push(`${cred.name}: GET ${r.url} contains ${marker}`);
        }
      }
    }
    expect(leaks).toEqual([]);
  });

  it('A still sees all of its own objects (the harness is not vacuous)', async () => {
    const snap = JSON.stringify(await snapshotOfA());
    for (const marker of [
      'a-secret-token-name',
      'a-pending-invitee@example.com',
      'a-member@example.com',
    ]) {
      expect(snap).toContain(marker);
    }
  });
});
