import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { TEST_PASSWORD, type TestTenant } from '../helpers/app.js';
import { launchBrowser, serveTestApp } from './browser.js';
import { logIn, navLink, openLoggedIn, openPage } from './web.js';

/**
 * Login, reload, transparent refresh and logout in the dashboard, on a server whose access
 * tokens live 4 seconds, so that expiry happens during the test.
 */

const TTL_MS = 4000;
let browser: Browser;
let server: Awaited<ReturnType<typeof serveTestApp>>;
let tenant: TestTenant;
let user: { email: string; password: string };

/** What the page keeps in sessionStorage and localStorage (evaluated in the page). */
const storage = (page: Page) =>
  page.evaluate<{ session: Record<string, string>; local: Record<string, string> }>(
    '({ session: { ...sessionStorage }, local: { ...localStorage } })',
  );

const refreshWith = (refreshToken: string) =>
  server.inject({ method: 'POST', url: '/v1/auth/refresh', payload: { refreshToken } });

beforeAll(async () => {
  server = await serveTestApp({ ACCESS_TOKEN_TTL: `${TTL_MS}ms` });
  browser = await launchBrowser();
  tenant = await server.newTenant('Token Shop');
  user = { email: tenant.email, password: TEST_PASSWORD };
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('dashboard login', () => {
  it('refuses a wrong password with the API’s words, then logs in', async () => {
    const w = await openPage(browser, server.baseUrl);
    const { page } = w;
    await page.goto(`${server.baseUrl}/`);
    await logIn(page, tenant.email, 'not-the-password');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toMatch(/password/i);
    await logIn(page, tenant.email, TEST_PASSWORD);
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    expect(await page.locator('.who-business').innerText()).toBe('Token Shop');
    await w.done();
  });

  it('keeps the access token in memory only, the refresh token in sessionStorage; a reload stays logged in', async () => {
    const w = await openLoggedIn(browser, server.baseUrl, user);
    const { page } = w;
    const s = await storage(page);
    expect(Object.keys(s.session)).toEqual(['dyocense.refreshToken']);
    expect(s.local).toEqual({});
    const cookies = await w.context.cookies();
    expect(cookies).toEqual([]);

    const before = w.requests.filter((r) => r === 'POST /v1/auth/refresh').length;
    await page.reload();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    const after = w.requests.filter((r) => r === 'POST /v1/auth/refresh').length;
    expect(after - before).toBe(1); // one refresh, even with React's double effects
    const rotated = (await storage(page)).session['dyocense.refreshToken'];
    expect(rotated).not.toBe(s.session['dyocense.refreshToken']);
    await w.done();
  });

  it('refreshes an expired access token once, however many requests found it expired', async () => {
    const w = await openLoggedIn(browser, server.baseUrl, user);
    const { page } = w;
    const expired: string[] = [];
    page.on('response', async (r) => {
      if (r.status() === 401) expired.push(`${new URL(r.url()).pathname} ${(await r.json()).code}`);
    });
    await page.waitForTimeout(TTL_MS + 1200);

    // Settings asks for four things at once, all with the expired token.
    const refreshes = () => w.requests.filter((r) => r === 'POST /v1/auth/refresh').length;
    const before = refreshes();
    await navLink(page, 'Settings').click();
    await page.getByTestId('members').locator('tbody tr').first().waitFor();
    await page.getByTestId('api-tokens').getByText('No API tokens yet.').waitFor();
    expect(refreshes() - before).toBe(1);
    expect(expired.length).toBeGreaterThanOrEqual(2);
    expect(new Set(expired.map((e) => e.split(' ')[1]))).toEqual(new Set(['token_expired']));
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(page.url()).toMatch(/\/settings$/);
    await w.done();
  });

  it('logs out: tokens forgotten here and revoked on the server; pages ask for a login again', async () => {
    const w = await openLoggedIn(browser, server.baseUrl, user);
    const { page } = w;
    const refreshToken = (await storage(page)).session['dyocense.refreshToken']!;
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(/\/login$/);
    expect((await storage(page)).session).toEqual({});
    await expect.poll(async () => (await refreshWith(refreshToken)).statusCode).toBe(401);

    // A deep link asks for the login, then lands where it pointed.
    await page.goto(`${server.baseUrl}/settings`);
    await page.waitForURL(/\/login\?next=%2Fsettings$/);
    await logIn(page, tenant.email, TEST_PASSWORD);
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    await w.done();
  });

  it('a login ended elsewhere sends the page back to the login with a notice', async () => {
    const w = await openLoggedIn(browser, server.baseUrl, user);
    const { page } = w;
    const refreshToken = (await storage(page)).session['dyocense.refreshToken']!;
    // The login is ended from somewhere else (another device logging it out).
    const out = await server.inject({
      method: 'POST',
      url: '/v1/auth/logout',
      payload: { refreshToken },
    });
    expect(out.statusCode).toBe(204);
    await page.waitForTimeout(TTL_MS + 1200);
    await navLink(page, 'Data').click();
    await page.waitForURL(/\/login/);
    expect(await page.getByRole('status').first().innerText()).toMatch(/session has ended/i);
    expect((await storage(page)).session).toEqual({});
    await w.done();
  });
});
