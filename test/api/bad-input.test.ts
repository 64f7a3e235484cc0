import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext, type TestTenant } from '../helpers/app.js';

let ctx: TestContext;
let owner: TestTenant;

beforeAll(async () => {
  ctx = await createTestContext();
  owner = await ctx.newTenant('Injection Target');
});
afterAll(async () => {
  await ctx?.close();
});

const SECRET = 'test-secret-that-is-long-enough-0123456789';

async function countRows(): Promise<Record<string, number>> {
  const { rows } = await ctx.database.db.query<{ t: string; n: number }>(`
    select 'tenants' as t, count(*)::int as n from tenants union all
    select 'users', count(*)::int from users union all
    select 'memberships', count(*)::int from memberships union all
    select 'api_tokens', count(*)::int from api_tokens union all
    select 'invitations', count(*)::int from invitations`);
  return Object.fromEntries(rows.map((r) => [r.t, r.n]));
}

function expectProblem(
  res: { statusCode: number; headers: Record<string, unknown>; json: () => any },
  status: number,
  code?: string,
) {
  expect(res.statusCode).toBe(status);
  expect(String(res.headers['content-type'])).toContain('application/problem+json');
  const body = res.json();
  expect(body).toMatchObject({
    status,
    type: expect.stringMatching(/^https:\/\/dyocense\.dev\/problems\//),
  });
  if (code) expect(body.code).toBe(code);
  expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+|node_modules|stack/);
  return body;
}

describe('malformed requests', () => {
  it('malformed JSON → 400 malformed_json', async () => {
    const res = await ctx.inject({
      method: 'POST',
      url: '/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"email": "a@b.co", ',
    });
    expectProblem(res, 400, 'malformed_json');
  });

  it('wrong types → 400 naming the field; strings are not coerced to numbers in bodies', async () => {
    const res = await ctx.inject({
      method: 'POST',
      url: '/v1/api-tokens',
      headers: owner.auth,
      payload: { name: 'x', scopes: ['read'], expiresInDays: '30' },
    });
    const body = expectProblem(res, 400, 'validation_failed');
    expect(body.errors).toEqual([{ path: '/body/expiresInDays', message: 'must be integer' }]);
  });

  it('unknown fields → 400, not silently dropped', async () => {
    const res = await ctx.inject({
      method: 'PATCH',
      url: '/v1/tenant',
      headers: owner.auth,
      payload: { name: 'ok', isAdmin: true },
    });
    const body = expectProblem(res, 400, 'validation_failed');
    expect(body.errors).toEqual([{ path: '/body/isAdmin', message: 'is not an allowed field' }]);
  });

  it('oversized bodies → 413', async () => {
    const res = await ctx.inject({
      method: 'PATCH',
      url: '/v1/tenant',
      headers: { ...owner.auth, 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'x'.repeat(6 * 1024 * 1024) }),
    });
    expectProblem(res, 413, 'payload_too_large');
  });

  it('wrong content type → 415', async () => {
    const res = await ctx.inject({
      method: 'PATCH',
      url: '/v1/tenant',
      headers: { ...owner.auth, 'content-type': 'text/xml' },
      payload: '<name>x</name>',
    });
    expectProblem(res, 415, 'unsupported_media_type');
  });

  it('bad path parameter → 400; unknown route → 404 problem', async () => {
    expectProblem(
      await ctx.inject({ method: 'DELETE', url: '/v1/api-tokens/not-a-uuid', headers: owner.auth }),
      400,
      'validation_failed',
    );
    expectProblem(await ctx.inject({ method: 'GET', url: '/v1/nope' }), 404, 'route_not_found');
  });
});

describe('bad credentials', () => {
  const key = new TextEncoder().encode(SECRET);
  const claims = () => ({ tid: owner.tenantId, role: 'owner', sid: owner.tenantId });

  it('no token → 401; garbage → 401', async () => {
    expectProblem(await ctx.inject({ method: 'GET', url: '/v1/me' }), 401, 'unauthenticated');
    expectProblem(
      await ctx.inject({
        method: 'GET',
        url: '/v1/me',
        headers: { authorization: 'Bearer garbage' },
      }),
      401,
      'unauthenticated',
    );
    expectProblem(
      await ctx.inject({
        method: 'GET',
        url: '/v1/me',
        headers: { authorization: 'Basic dXNlcjpwYXNz' },
      }),
      401,
      'unauthenticated',
    );
  });

  it('expired token → 401 token_expired', async () => {
    const now = Math.floor(Date.now() / 1000);
    const jwt = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(owner.userId)
      .setIssuer('dyocense')
      .setAudience('dyocense-api')
      .setIssuedAt(now - 3600)
      .setExpirationTime(now - 60)
      .sign(key);
    expectProblem(
      await ctx.inject({
        method: 'GET',
        url: '/v1/me',
        headers: { authorization: `Bearer ${jwt}` },
      }),
      401,
      'token_expired',
    );
  });

  it('forged signature, wrong issuer/audience, alg none and alg confusion → 401', async () => {
    const now = Math.floor(Date.now() / 1000);
    const base = () =>
      new SignJWT(claims())
        .setSubject(owner.userId)
        .setIssuedAt(now)
        .setExpirationTime(now + 600);
    const forged = await base()
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('dyocense')
      .setAudience('dyocense-api')
      .sign(new TextEncoder().encode('another-secret-another-secret-another'));
    const wrongIss = await base()
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('evil')
      .setAudience('dyocense-api')
      .sign(key);
    const wrongAud = await base()
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('dyocense')
      .setAudience('other')
      .sign(key);
    const hs512 = await base()
      .setProtectedHeader({ alg: 'HS512' })
      .setIssuer('dyocense')
      .setAudience('dyocense-api')
      .sign(new TextEncoder().encode(SECRET.repeat(2)));
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims(), sub: owner.userId, iss: 'dyocense', aud: 'dyocense-api', iat: now, exp: now + 600 })}.`;
    for (const token of [forged, wrongIss, wrongAud, hs512, none]) {
      expectProblem(
        await ctx.inject({
          method: 'GET',
          url: '/v1/me',
          headers: { authorization: `Bearer ${token}` },
        }),
        401,
        'unauthenticated',
      );
    }
  });

  it('a valid token whose role claim was tampered with is rejected', async () => {
    const [h, p, s] = owner.accessToken.split('.');
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString());
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...payload, tid: '00000000-0000-4000-8000-000000000000' })).toString('base64url')}.${s}`;
    expectProblem(
      await ctx.inject({
        method: 'GET',
        url: '/v1/me',
        headers: { authorization: `Bearer ${tampered}` },
      }),
      401,
    );
  });

  it('revoked and made-up API tokens → 401', async () => {
    const created = (
      await ctx.inject({
        method: 'POST',
        url: '/v1/api-tokens',
        headers: owner.auth,
        payload: { name: 'tmp', scopes: ['read'] },
      })
    ).json();
    await ctx.inject({
      method: 'DELETE',
      url: `/v1/api-tokens/${created.apiToken.id}`,
      headers: owner.auth,
    });
    expectProblem(
      await ctx.inject({
        method: 'GET',
        url: '/v1/me',
        headers: { authorization: `Bearer ${created.token}` },
      }),
      401,
      'unauthenticated',
    );
    const madeUp = created.token.slice(0, -4) + 'AAAA';
    expectProblem(
      await ctx.inject({
        method: 'GET',
        url: '/v1/me',
        headers: { authorization: `Bearer ${madeUp}` },
      }),
      401,
      'unauthenticated',
    );
  });
});

describe('SQL-looking input', () => {
  const nasty = [
    "x'; drop table goals; --",
    "' or '1'='1",
    '"; delete from users; --',
    "Robert'); DROP TABLE tenants;--",
    '$1; select pg_sleep(10)',
  ];

  it('is stored and returned verbatim as data, or refused by validation; nothing else changes', async () => {
    const before = await countRows();
    for (const value of nasty) {
      const patch = await ctx.inject({
        method: 'PATCH',
        url: '/v1/tenant',
        headers: owner.auth,
        payload: { name: value, industry: value },
      });
      expect(patch.statusCode).toBe(200);
      expect(patch.json()).toMatchObject({ name: value, industry: value });
      const tok = await ctx.inject({
        method: 'POST',
        url: '/v1/api-tokens',
        headers: owner.auth,
        payload: { name: value, scopes: ['read'] },
      });
      expect(tok.statusCode).toBe(201);
      expect(tok.json().apiToken.name).toBe(value);
      expectProblem(
        await ctx.inject({
          method: 'POST',
          url: '/v1/auth/login',
          payload: { email: value, password: value },
        }),
        400,
        'validation_failed',
      );
      expectProblem(
        await ctx.inject({
          method: 'POST',
          url: '/v1/auth/switch',
          headers: owner.auth,
          payload: { tenantId: value },
        }),
        400,
        'validation_failed',
      );
      expectProblem(
        await ctx.inject({
          method: 'DELETE',
          url: `/v1/api-tokens/${encodeURIComponent(value)}`,
          headers: owner.auth,
        }),
        400,
        'validation_failed',
      );
      expectProblem(
        await ctx.inject({
          method: 'POST',
          url: '/v1/auth/refresh',
          payload: { refreshToken: value },
        }),
        401,
        'invalid_refresh_token',
      );
      expectProblem(
        await ctx.inject({
          method: 'GET',
          url: `/v1/audit-log?before=${encodeURIComponent(value)}`,
          headers: owner.auth,
        }),
        400,
        'validation_failed',
      );
      expectProblem(
        await ctx.inject({
          method: 'GET',
          url: '/v1/me',
          headers: { authorization: `Bearer ${value.replace(/\s/g, '')}` },
        }),
        401,
      );
    }
    const after = await countRows();
    expect(after).toEqual({ ...before, api_tokens: before.api_tokens! + nasty.length });
  });

  it('never reaches the logs as a credential', async () => {
    expect(ctx.logs.text).not.toContain(owner.accessToken);
    expect(ctx.logs.text).not.toContain(owner.refreshToken);
  });
});
