import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, TEST_PASSWORD, type TestContext } from '../helpers/app.js';
import { createLogger } from '../../src/platform/observability/logger.js';
import { LogCapture } from '../helpers/app.js';

let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext({ LOG_LEVEL: 'debug' });
});
afterAll(async () => {
  await ctx?.close();
});

const parsed = () => ctx.logs.lines.map((l) => JSON.parse(l) as Record<string, unknown>);

describe('JSON logs', () => {
  it('carry the request id and, once authenticated, the tenant id', async () => {
    const a = await ctx.newTenant();
    await ctx.inject({
      method: 'GET',
      url: '/v1/me',
      headers: { ...a.auth, 'x-request-id': 'req-abc-1' },
    });
    const lines = parsed().filter((l) => l.request_id === 'req-abc-1');
    expect(lines.length).toBeGreaterThanOrEqual(2); // incoming request + completed
    expect(lines.some((l) => l.tenant_id === a.tenantId)).toBe(true);
    expect(lines.every((l) => typeof l.time === 'string' && typeof l.level === 'string')).toBe(
      true,
    );
  });

  it('never contain passwords, tokens or authorization headers', async () => {
    const password = 'very-secret-password-xyz';
    const signup = await ctx.inject({
      method: 'POST',
      url: '/v1/auth/signup',
      payload: { email: 'logged@example.com', password, name: 'L', businessName: 'Logs Inc' },
    });
    const s = signup.json();
    await ctx.inject({
      method: 'POST',
      url: '/v1/auth/refresh',
      payload: { refreshToken: s.refreshToken },
    });
    await ctx.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email: 'logged@example.com', password: 'wrong-password-1' },
    });
    await ctx.inject({
      method: 'GET',
      url: '/v1/me',
      headers: { authorization: `Bearer ${s.accessToken}` },
    });
    const text = ctx.logs.text;
    for (const secret of [
      password,
      s.accessToken,
      s.refreshToken,
      TEST_PASSWORD,
      'wrong-password-1',
    ]) {
      expect(text).not.toContain(secret);
    }
  });

  it('the logger redacts credential fields wherever code logs them', () => {
    const capture = new LogCapture();
    const log = createLogger({ level: 'info', destination: capture });
    log.info(
      {
        password: 'p1',
        token: 't1',
        user: { password: 'p2', refreshToken: 'r1' },
        config: { databaseUrl: 'postgres://u:pw@h/db', jwtSecret: 's' },
        req: { headers: { authorization: 'Bearer x', cookie: 'c' } },
      },
      'x',
    );
    const line = capture.text;
    for (const secret of ['p1', 't1', 'p2', 'r1', 'u:pw', '"s"', 'Bearer x', '"c"'])
      expect(line).not.toContain(secret);
    expect(line).toContain('[redacted]');
  });
});
