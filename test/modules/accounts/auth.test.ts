import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, TEST_PASSWORD, type TestContext } from '../../helpers/app.js';

let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx?.close();
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('signup and login', () => {
  it('signup creates a business whose owner can log in and see it', async () => {
    const signup = await ctx.inject({
      method: 'POST',
      url: '/v1/auth/signup',
      payload: {
        email: 'Maria@Example.com',
        password: TEST_PASSWORD,
        name: 'Maria',
        businessName: 'Maria’s Bakery',
        currency: 'EUR',
        timezone: 'Europe/Lisbon',
        industry: 'bakery',
      },
    });
    expect(signup.statusCode).toBe(201);
    const s = signup.json();
    expect(s.tenant).toMatchObject({ name: 'Maria’s Bakery', role: 'owner' });
    expect(s.tokenType).toBe('Bearer');
    expect(s.expiresIn).toBe(900);

    const login = await ctx.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email: 'maria@example.com', password: TEST_PASSWORD },
    });
    expect(login.statusCode).toBe(200);
    expect(login.json().tenants).toEqual([
      { tenantId: s.tenant.id, name: 'Maria’s Bakery', role: 'owner' },
    ]);

    const tenant = await ctx.inject({
      method: 'GET',
      url: '/v1/tenant',
      headers: bearer(login.json().accessToken),
    });
    expect(tenant.json()).toMatchObject({
      name: 'Maria’s Bakery',
      currency: 'EUR',
      timezone: 'Europe/Lisbon',
      industry: 'bakery',
    });
  });

  it('a second signup with the same e-mail (any case) is a 409 and creates nothing', async () => {
    const res = await ctx.inject({
      method: 'POST',
      url: '/v1/auth/signup',
      payload: {
        email: 'MARIA@example.com',
        password: TEST_PASSWORD,
        name: 'X',
        businessName: 'Other',
      },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('email_taken');
    const login = await ctx.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email: 'maria@example.com', password: TEST_PASSWORD },
    });
    expect(login.json().tenants).toHaveLength(1);
  });

  it('wrong password and unknown e-mail get the same answer; the failure is audited', async () => {
    const wrong = await ctx.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email: 'maria@example.com', password: 'not-the-password' },
    });
    const unknown = await ctx.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email: 'nobody@example.com', password: 'whatever-123' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().detail).toBe(unknown.json().detail);
    const login = await ctx.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email: 'maria@example.com', password: TEST_PASSWORD },
    });
    const audit = await ctx.inject({
      method: 'GET',
      url: '/v1/audit-log',
      headers: bearer(login.json().accessToken),
    });
    expect(audit.json().items.map((i: { action: string }) => i.action)).toEqual([
      'login',
      'login_failed',
      'login',
      'login',
      'signup',
    ]);
  });

  it('passwords shorter than 10 characters are refused with the field named', async () => {
    const res = await ctx.inject({
      method: 'POST',
      url: '/v1/auth/signup',
      payload: { email: 'short@example.com', password: 'short', name: '', businessName: 'B' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].path).toBe('/body/password');
  });
});

describe('refresh tokens', () => {
  it('rotate on every use; reusing an old one revokes the whole login', async () => {
    const a = await ctx.newTenant();
    const r1 = await ctx.inject({
      method: 'POST',
      url: '/v1/auth/refresh',
      payload: { refreshToken: a.refreshToken },
    });
    expect(r1.statusCode).toBe(200);
    const next = r1.json().refreshToken;
    expect(next).not.toBe(a.refreshToken);
    const me = await ctx.inject({
      method: 'GET',
      url: '/v1/me',
      headers: bearer(r1.json().accessToken),
    });
    expect(me.statusCode).toBe(200);

    const reuse = await ctx.inject({
      method: 'POST',
      url: '/v1/auth/refresh',
      payload: { refreshToken: a.refreshToken },
    });
    expect(reuse.statusCode).toBe(401);
    expect(reuse.json().detail).toMatch(/already used/);
    // the legitimate newest token is now revoked as well
    const afterReuse = await ctx.inject({
      method: 'POST',
      url: '/v1/auth/refresh',
      payload: { refreshToken: next },
    });
    expect(afterReuse.statusCode).toBe(401);
    const audit = await ctx.inject({
      method: 'GET',
      url: '/v1/audit-log',
      headers: bearer(r1.json().accessToken),
    });
    expect(audit.json().items[0].action).toBe('refresh_token_reuse');
  });

  it('logout revokes the refresh token', async () => {
    const a = await ctx.newTenant();
    expect(
      (
        await ctx.inject({
          method: 'POST',
          url: '/v1/auth/logout',
          payload: { refreshToken: a.refreshToken },
        })
      ).statusCode,
    ).toBe(204);
    const r = await ctx.inject({
      method: 'POST',
      url: '/v1/auth/refresh',
      payload: { refreshToken: a.refreshToken },
    });
    expect(r.statusCode).toBe(401);
  });

  it('a forged refresh token naming another tenant is just invalid', async () => {
    const a = await ctx.newTenant();
    const hex = a.tenantId.replaceAll('-', '');
    const forged = `rt_${hex}_${'A'.repeat(43)}`;
    const r = await ctx.inject({
      method: 'POST',
      url: '/v1/auth/refresh',
      payload: { refreshToken: forged },
    });
    expect(r.statusCode).toBe(401);
    expect(r.json().code).toBe('invalid_refresh_token');
  });
});

describe('roles', () => {
  it('invitation → accept → member role is enforced; role change and removal are audited', async () => {
    const owner = await ctx.newTenant();
    const inv = await ctx.inject({
      method: 'POST',
      url: '/v1/invitations',
      headers: owner.auth,
      payload: { email: 'viewer@example.com', role: 'viewer' },
    });
    expect(inv.statusCode).toBe(201);
    const accept = await ctx.inject({
      method: 'POST',
      url: '/v1/auth/accept-invitation',
      payload: { token: inv.json().token, password: TEST_PASSWORD, name: 'Vic' },
    });
    expect(accept.statusCode).toBe(200);
    expect(accept.json().tenant).toMatchObject({ id: owner.tenantId, role: 'viewer' });
    const viewer = bearer(accept.json().accessToken);

    // the invitation is single-use
    const again = await ctx.inject({
      method: 'POST',
      url: '/v1/auth/accept-invitation',
      payload: { token: inv.json().token, password: TEST_PASSWORD },
    });
    expect(again.statusCode).toBe(410);

    // a viewer can read but not administer
    expect(
      (await ctx.inject({ method: 'GET', url: '/v1/members', headers: viewer })).statusCode,
    ).toBe(200);
    const denied = await ctx.inject({
      method: 'PATCH',
      url: '/v1/tenant',
      headers: viewer,
      payload: { name: 'Mine now' },
    });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().code).toBe('forbidden');

    const viewerId = accept.json().user.id;
    const promote = await ctx.inject({
      method: 'PATCH',
      url: `/v1/members/${viewerId}`,
      headers: owner.auth,
      payload: { role: 'admin' },
    });
    expect(promote.json()).toMatchObject({ userId: viewerId, role: 'admin' });

    // the last owner cannot be demoted
    const demoteSelf = await ctx.inject({
      method: 'PATCH',
      url: `/v1/members/${owner.userId}`,
      headers: owner.auth,
      payload: { role: 'admin' },
    });
    expect(demoteSelf.statusCode).toBe(409);
    expect(demoteSelf.json().code).toBe('last_owner');

    const remove = await ctx.inject({
      method: 'DELETE',
      url: `/v1/members/${viewerId}`,
      headers: owner.auth,
    });
    expect(remove.statusCode).toBe(204);
    const audit = await ctx.inject({ method: 'GET', url: '/v1/audit-log', headers: owner.auth });
    const actions = audit.json().items.map((i: { action: string }) => i.action);
    expect(actions.slice(0, 4)).toEqual([
      'member_removed',
      'role_changed',
      'invitation_accepted',
      'invitation_created',
    ]);
  });

  it('an existing account joins a second business with its own password, and can switch between them', async () => {
    const first = await ctx.newTenant('First');
    const second = await ctx.newTenant('Second');
    const inv = await ctx.inject({
      method: 'POST',
      url: '/v1/invitations',
      headers: second.auth,
      payload: { email: first.email, role: 'member' },
    });
    const wrong = await ctx.inject({
      method: 'POST',
      url: '/v1/auth/accept-invitation',
      payload: { token: inv.json().token, password: 'wrong-password-1' },
    });
    expect(wrong.statusCode).toBe(401);
    const ok = await ctx.inject({
      method: 'POST',
      url: '/v1/auth/accept-invitation',
      payload: { token: inv.json().token, password: TEST_PASSWORD },
    });
    expect(ok.statusCode).toBe(200);
    const tenants = await ctx.inject({
      method: 'GET',
      url: '/v1/auth/tenants',
      headers: first.auth,
    });
    expect(
      tenants
        .json()
        .items.map((t: { name: string }) => t.name)
        .sort(),
    ).toEqual(['First', 'Second']);
    const sw = await ctx.inject({
      method: 'POST',
      url: '/v1/auth/switch',
      headers: first.auth,
      payload: { tenantId: second.tenantId },
    });
    expect(sw.json().tenant).toEqual({ id: second.tenantId, name: 'Second', role: 'member' });
  });
});

describe('API tokens', () => {
  it('are shown once, stored hashed, scoped, recorded when used, and revocable', async () => {
    const owner = await ctx.newTenant();
    const created = await ctx.inject({
      method: 'POST',
      url: '/v1/api-tokens',
      headers: owner.auth,
      payload: { name: 'reporting', scopes: ['read'] },
    });
    expect(created.statusCode).toBe(201);
    const { token, apiToken } = created.json();
    expect(token).toMatch(/^dyo_[0-9a-f]{32}_[A-Za-z0-9]{8}_/);
    expect(token.includes(apiToken.prefix)).toBe(true);

    const stored = await ctx.database.db.query<{ token_hash: string }>(
      'select token_hash from api_tokens where id = $1',
      [apiToken.id],
    );
    expect(stored.rows[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.rows[0]!.token_hash).not.toContain(token.split('_')[3]);

    const machine = bearer(token);
    const me = await ctx.inject({ method: 'GET', url: '/v1/me', headers: machine });
    expect(me.json()).toMatchObject({
      via: 'api_token',
      role: 'viewer',
      scopes: ['read'],
      user: null,
    });
    const write = await ctx.inject({
      method: 'PATCH',
      url: '/v1/tenant',
      headers: machine,
      payload: { name: 'x' },
    });
    expect(write.statusCode).toBe(403);
    expect(write.json().code).toBe('insufficient_scope');

    const list = await ctx.inject({ method: 'GET', url: '/v1/api-tokens', headers: owner.auth });
    const listed = list.json().items.find((t: { id: string }) => t.id === apiToken.id);
    expect(listed.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(list.json())).not.toContain(token);

    const revoke = await ctx.inject({
      method: 'DELETE',
      url: `/v1/api-tokens/${apiToken.id}`,
      headers: owner.auth,
    });
    expect(revoke.json().revokedAt).not.toBeNull();
    const after = await ctx.inject({ method: 'GET', url: '/v1/me', headers: machine });
    expect(after.statusCode).toBe(401);
  });

  it('a member cannot mint an admin token', async () => {
    const owner = await ctx.newTenant();
    const adminTok = await ctx.inject({
      method: 'POST',
      url: '/v1/api-tokens',
      headers: owner.auth,
      payload: { name: 'ops', scopes: ['admin'] },
    });
    const viaToken = await ctx.inject({
      method: 'POST',
      url: '/v1/api-tokens',
      headers: bearer(adminTok.json().token),
      payload: { name: 'x', scopes: ['admin'] },
    });
    expect(viaToken.statusCode).toBe(201); // admin scope may create admin tokens
    const writeTok = await ctx.inject({
      method: 'POST',
      url: '/v1/api-tokens',
      headers: owner.auth,
      payload: { name: 'w', scopes: ['write'] },
    });
    const denied = await ctx.inject({
      method: 'POST',
      url: '/v1/api-tokens',
      headers: bearer(writeTok.json().token),
      payload: { name: 'y', scopes: ['admin'] },
    });
    expect(denied.statusCode).toBe(403);
  });
});

describe('rate limiting', () => {
  it('limits auth routes per client', async () => {
    const limited = await createTestContext({ AUTH_RATE_LIMIT_PER_MINUTE: '3' });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) {
        const r = await limited.inject({
          method: 'POST',
          url: '/v1/auth/login',
          payload: { email: 'x@example.com', password: 'whatever-123' },
        });
        codes.push(r.statusCode);
      }
      expect(codes).toEqual([401, 401, 401, 429, 429]);
      const last = await limited.inject({
        method: 'POST',
        url: '/v1/auth/login',
        payload: { email: 'x@example.com', password: 'whatever-123' },
      });
      expect(last.headers['content-type']).toContain('application/problem+json');
      expect(last.json().code).toBe('rate_limited');
      expect(Number(last.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
  });
});
