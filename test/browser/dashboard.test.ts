import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import {
  insertJob,
  markFinished,
  markRunning,
  recordProgress,
} from '../../src/platform/jobs/repo.js';
import { withTenant, type TenantTx } from '../../src/platform/tenancy/context.js';
import { TEST_PASSWORD } from '../helpers/app.js';
import { multipart } from '../modules/imports/helpers.js';
import { launchBrowser, serveTestApp } from './browser.js';
import { daysAgo, navLink, openLoggedIn, openPage } from './web.js';

/**
 * The dashboard driven in Chromium against a real listening app on a fresh database: one
 * business signed up in the UI, numbers pushed through the API, then every page used as an
 * owner would, and as a viewer.
 */

let browser: Browser;
let server: Awaited<ReturnType<typeof serveTestApp>>;
/** The business most tests use, signed up through the API with 40 days of footfall. */
const owner = {
  email: `owner-${Date.now()}@example.com`,
  password: 'a-long-enough-password',
};
let token = '';

/**
 * footfall on each of the last 40 days: 100 + days ago (so the last 7 days average 104, the
 * 7 before 111: a 6.3% fall).
 */
const FOOTFALL = Array.from({ length: 40 }, (_, i) => ({
  metric: 'footfall',
  time: daysAgo(i + 1),
  value: 100 + i + 1,
}));

const inject = async (method: string, url: string, payload?: unknown, auth = token) => {
  const res = await server.inject({
    method: method as 'GET',
    url,
    headers: { authorization: `Bearer ${auth}` },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
  return { status: res.statusCode, body: res.body ? res.json() : null };
};

/** Waits for the next series response of the metric page and the chart drawn from it. */
async function chartAfter(page: Page, action: () => Promise<unknown>, interval: string) {
  const [res] = await Promise.all([
    page.waitForResponse(
      (r) => r.url().includes('/series?') && r.url().includes(`interval=${interval}`) && r.ok(),
    ),
    action(),
  ]);
  const series = (await res.json()) as { points: { gap: boolean }[] };
  const buckets = series.points.length;
  const withData = series.points.filter((p) => !p.gap).length;
  await page.waitForSelector(`svg[data-buckets="${buckets}"][data-points="${withData}"]`);
  const dots = await page.locator('.chart circle.point').count();
  return { buckets, withData, dots };
}

beforeAll(async () => {
  server = await serveTestApp();
  browser = await launchBrowser();
  const signup = await server.inject({
    method: 'POST',
    url: '/v1/auth/signup',
    payload: { ...owner, name: 'Olive Owner', businessName: 'Corner Bakery', timezone: 'UTC' },
  });
  token = signup.json().accessToken;
  expect((await inject('POST', '/v1/metrics:batch', { points: FOOTFALL })).status).toBe(200);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('web dashboard', () => {
  it('signs a business up, then shows cards for numbers pushed through the API', async () => {
    const w = await openPage(browser, server.baseUrl);
    const { page } = w;
    await page.goto(`${server.baseUrl}/`);
    await page.waitForURL(/\/login$/);
    await page.getByRole('link', { name: /create an account/i }).click();
    const newcomer = { email: `new-${Date.now()}@example.com`, password: 'another-long-password' };
    await page.getByLabel('Business name').fill('Fresh Start');
    await page.getByLabel('Your name').fill('Nia Newcomer');
    await page.getByLabel('E-mail').fill(newcomer.email);
    await page.getByLabel('Password').fill(newcomer.password);
    await page.getByLabel('Time zone').fill('UTC');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await page.getByText('No numbers yet').waitFor();

    const login = await server.inject({ method: 'POST', url: '/v1/auth/login', payload: newcomer });
    const pushed = await inject(
      'POST',
      '/v1/metrics:batch',
      { points: FOOTFALL },
      login.json().accessToken,
    );
    expect(pushed.status).toBe(200);

    await page.reload();
    const card = page.locator('a.metric-card[data-metric="footfall"]');
    await card.waitFor();
    expect(await page.getByRole('heading', { name: 'Your metrics' }).count()).toBe(1);
    expect(await card.locator('.card-value').innerText()).toBe('104');
    const change = card.locator('.card-change');
    expect(await change.innerText()).toContain('\u22126.3%');
    expect(await change.getAttribute('class')).toContain('tone-bad'); // higher is better
    const spark = await card.locator('svg.sparkline path').getAttribute('d');
    expect(spark?.match(/L/g)?.length).toBe(29); // 30 days, one line through all of them
    const asOf = new Date(`${daysAgo(1)}T00:00:00Z`).toLocaleDateString('en-US', {
      month: 'short',
      day: 'numeric',
      year: 'numeric',
      timeZone: 'UTC',
    });
    expect(await page.getByTestId('as-of').innerText()).toContain(`As of ${asOf}`);
    await w.done();
  });

  it('overview: a banner with the progress of the demo data load, gone with the numbers in when done', async () => {
    const t = await server.newTenant('Demo Café');
    const id = randomUUID();
    const job = (fn: (tx: TenantTx) => Promise<unknown>) =>
      withTenant(server.database.db, t.tenantId, fn);
    // A demo.load job as the demo command enqueues it (no worker runs this task here).
    await job(async (tx) => {
      await insertJob(tx, {
        tenantId: t.tenantId,
        id,
        task: 'demo.load',
        dedupeKey: null,
        payload: {},
        maxAttempts: 1,
        traceParent: null,
        createdBy: null,
      });
      await markRunning(tx, id);
      await recordProgress(tx, id, 0.4, 'Generating orders');
    });
    const w = await openLoggedIn(browser, server.baseUrl, {
      email: t.email,
      password: TEST_PASSWORD,
    });
    const { page } = w;
    const banner = page.getByTestId('demo-banner');
    await banner.waitFor();
    expect(await banner.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('40');
    expect(await banner.innerText()).toContain('Generating orders');
    expect(await page.getByText('No numbers yet').count()).toBe(0);

    await job((tx) => recordProgress(tx, id, 0.75, 'Deriving metrics'));
    await page.waitForSelector('[data-testid="demo-banner"] [aria-valuenow="75"]');
    const points = [{ metric: 'footfall', time: daysAgo(1), value: 5 }];
    const res = await server.inject({
      method: 'POST',
      url: '/v1/metrics:batch',
      headers: t.auth,
      payload: { points },
    });
    expect(res.statusCode).toBe(200);
    await job((tx) => markFinished(tx, id, { status: 'succeeded' }));
    await banner.waitFor({ state: 'detached' });
    await page.locator('a.metric-card[data-metric="footfall"]').waitFor(); // no reload needed
    await w.done();
  });

  it('metric detail: one dot per bucket with data, gaps left open, the interval switch re-buckets', async () => {
    const w = await openLoggedIn(browser, server.baseUrl, owner);
    const { page } = w;
    const card = page.locator('a.metric-card[data-metric="footfall"]');
    const day = await chartAfter(page, () => card.click(), 'day');
    expect(page.url()).toMatch(/\/metric\/footfall$/);
    // 90 days by default, today included; data on the 40 days before today.
    expect(day).toEqual({ buckets: 90, withData: 40, dots: 40 });
    const line = await page.locator('.chart path.line').getAttribute('d');
    expect(line?.match(/M/g)?.length).toBe(1); // 40 consecutive days: one unbroken run

    const week = await chartAfter(
      page,
      () => page.locator('label', { hasText: /^Week$/ }).click(),
      'week',
    );
    expect(page.url()).toContain('interval=week');
    expect(week.dots).toBe(week.withData);
    expect(week.buckets).toBeGreaterThanOrEqual(13);
    expect(week.buckets).toBeLessThanOrEqual(14);
    expect(week.withData).toBeGreaterThanOrEqual(6);
    expect(week.withData).toBeLessThanOrEqual(7);

    // Keyboard: from Week, arrow right selects Month.
    const month = await chartAfter(
      page,
      async () => {
        await page.getByRole('radio', { name: 'Week' }).focus();
        await page.keyboard.press('ArrowRight');
      },
      'month',
    );
    expect(month.dots).toBe(month.withData);
    expect(month.buckets).toBeGreaterThanOrEqual(3);
    expect(month.buckets).toBeLessThanOrEqual(4);

    // Hourly over 7 days: 168 buckets; the points sit at midnight of 6 days, each alone.
    const hour = await chartAfter(
      page,
      () => page.locator('label', { hasText: /^Hour$/ }).click(),
      'hour',
    );
    expect(hour).toEqual({ buckets: 168, withData: 6, dots: 6 });
    expect(
      await page
        .locator('label', { hasText: /^1 year$/ })
        .locator('input')
        .isDisabled(),
    ).toBe(true);
    const hourLine = await page.locator('.chart path.line').getAttribute('d');
    expect(hourLine?.match(/M/g)?.length).toBe(6); // gaps between them stay gaps

    // A reload keeps the choice (it is in the address).
    await page.reload();
    await page.waitForSelector('svg[data-buckets="168"]');
    await w.done();
  });

  it('metric detail: the channel filter narrows a metric that has channels', async () => {
    // Two orders a day for 10 days: 10 on the web, 30 in the store.
    const rows = Array.from({ length: 10 }, (_, i) => [
      `w-${i},${daysAgo(i + 1)},A,1,10,web`,
      `s-${i},${daysAgo(i + 1)},A,1,30,store`,
    ]).flat();
    const csv = ['Order ID,Date,SKU,Quantity,Unit Price,Channel', ...rows].join('\n');
    const { payload, headers } = multipart(
      { kind: 'orders', dryRun: 'false' },
      { name: 'o.csv', content: csv },
    );
    const imported = await server.inject({
      method: 'POST',
      url: '/v1/imports',
      headers: { authorization: `Bearer ${token}`, ...headers },
      payload,
    });
    expect(imported.json().import.status).toBe('committed');

    const w = await openLoggedIn(browser, server.baseUrl, owner);
    const { page } = w;
    const all = await chartAfter(
      page,
      () => page.goto(`${server.baseUrl}/metric/revenue?range=30d`),
      'day',
    );
    expect(all).toEqual({ buckets: 30, withData: 10, dots: 10 });
    const values = async () => {
      const table = page.locator('details table');
      if (!(await table.count())) await page.getByText('Show the numbers as a table').click();
      return (await table.locator('tbody td.num').allInnerTexts()).filter((v) => v !== 'no data');
    };
    expect(new Set(await values())).toEqual(new Set(['$40.00']));

    await page.getByLabel('Channel').fill('web');
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.url().includes('/series?') && r.url().includes('channel=web')),
      page.getByRole('button', { name: 'Apply filter' }).click(),
    ]);
    expect(res.ok()).toBe(true);
    expect(page.url()).toContain('channel=web');
    await expect.poll(values).toEqual(Array(10).fill('$10.00'));
    expect(await page.getByLabel('Location').inputValue()).toBe('');
    // The chart reads out by keyboard: Home = 29 days ago (no orders), 19 steps on = the
    // first day with orders; End = the last forecast step, with its bands.
    const readout = page.locator('.chart-readout');
    await page.locator('.chart svg').focus();
    await page.keyboard.press('Home');
    expect(await readout.innerText()).toMatch(/: no data$/);
    for (let i = 0; i < 19; i++) await page.keyboard.press('ArrowRight');
    expect(await readout.innerText()).toMatch(/: \$10\.00$/);
    await page.keyboard.press('End');
    expect(await readout.innerText()).toMatch(/forecast \$[\d.,]+ \(80%: .* 95%: /);

    await page.getByRole('button', { name: 'Clear' }).click();
    await expect.poll(values).toEqual(Array(10).fill('$40.00'));
    await w.done();
  });

  it('metric detail: overlays the forecast with its bands, and hides it when there is no forecasts API', async () => {
    const probe = await inject('GET', '/v1/metrics/footfall/forecast?interval=day');
    const w = await openLoggedIn(browser, server.baseUrl, owner);
    const { page } = w;
    await page.goto(`${server.baseUrl}/metric/footfall`);
    await page.waitForSelector('svg[data-buckets="90"]');
    // The forecast the page shows is the API's: 28 days ahead, each with its bands.
    expect(probe.status).toBe(200);
    expect(probe.body.forecast.points).toHaveLength(28);
    await page.waitForSelector('svg[data-forecast-points="28"]', { timeout: 90_000 });
    const fc = page.getByTestId('forecast');
    expect(await fc.locator('path.band95').getAttribute('d')).toMatch(/Z$/);
    expect(await fc.locator('path.band80').getAttribute('d')).toMatch(/Z$/);
    expect((await fc.locator('path.mean').getAttribute('d'))?.match(/L/g)).toHaveLength(27);
    expect(await page.getByTestId('forecast-status').innerText()).toMatch(
      /28 days ahead.*80%.*95%/,
    );
    // Unticking the box removes the overlay.
    await page.getByLabel('Show forecast').uncheck();
    await page.waitForSelector('svg[data-forecast-points="0"]');
    expect(page.url()).toContain('forecast=off');

    // A server without the forecasts API (the route 404s): the chart alone, no error.
    await page.route('**/v1/metrics/*/forecast*', (route) =>
      route.fulfill({
        status: 404,
        contentType: 'application/problem+json',
        body: JSON.stringify({
          code: 'route_not_found',
          status: 404,
          title: 'No such route',
          detail: 'x',
          type: 'x',
        }),
      }),
    );
    await page.goto(`${server.baseUrl}/metric/footfall?interval=week`);
    await page.waitForSelector('svg[data-buckets][data-forecast-points="0"]');
    await page.waitForSelector('input[type=checkbox]', { state: 'detached' });
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(await page.getByTestId('forecast-status').innerText()).toBe('');
    await w.done();
  });

  it('CSV import: the dry run shows the bad row; a good file previews, commits and shows up', async () => {
    const w = await openLoggedIn(browser, server.baseUrl, owner, '/data', 'Data');
    const { page } = w;
    expect(new URL(page.url()).pathname).toBe('/data'); // back where the login started

    const kind = page.getByLabel('What the file holds');
    const file = page.getByLabel('CSV file', { exact: true });
    const check = page.getByRole('button', { name: 'Check the file' });
    await kind.selectOption('metrics');
    await file.setInputFiles({
      name: 'bad-visits.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`metric,time,value\nvisits,${daysAgo(2)},10\nvisits,not-a-date,11\n`),
    });
    await check.click();
    await page.waitForSelector('[data-testid="import-result"][data-status="invalid"]');
    const errors = page.getByTestId('import-errors');
    const row = errors.locator('tbody tr').first();
    expect(await row.locator('td').nth(0).innerText()).toBe('3');
    expect(await row.locator('td').nth(1).innerText()).toBe('time');
    expect(await row.locator('td').nth(2).innerText()).toBe('not-a-date');
    expect(await page.getByRole('button', { name: /^Commit/ }).count()).toBe(0);

    const good = ['metric,time,value']
      .concat(Array.from({ length: 10 }, (_, i) => `visits,${daysAgo(i + 1)},${20 + i}`))
      .join('\n');
    await file.setInputFiles({
      name: 'visits.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(good),
    });
    await check.click();
    await page.waitForSelector('[data-testid="import-result"][data-status="validated"]');
    expect(await page.getByTestId('import-preview').locator('tbody tr').count()).toBe(10);
    await page.getByRole('button', { name: 'Commit 10 records' }).click();
    await page.waitForSelector('[data-testid="import-result"][data-status="committed"]');
    expect(await page.getByTestId('import-result').innerText()).toContain('Imported: 10 new');
    await expect
      .poll(async () =>
        (await page.getByTestId('imports').locator('tbody tr').allInnerTexts()).slice(0, 2),
      )
      .toEqual([expect.stringContaining('visits.csv'), expect.stringContaining('bad-visits.csv')]);

    await navLink(page, 'Overview').click();
    await page.locator('a.metric-card[data-metric="visits"]').waitFor();
    await w.done();
  });

  it('CSV import: a large file commits in a background job, its progress followed to the end', async () => {
    const w = await openLoggedIn(browser, server.baseUrl, owner, '/data', 'Data');
    const { page } = w;
    // 5,001 hourly points: over the inline limit (5,000 rows), so the commit runs as a job.
    const start = Date.parse(`${daysAgo(220)}T00:00:00Z`);
    const lines = Array.from({ length: 5001 }, (_, i) => {
      const t = new Date(start + i * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
      return `steps,${t},${i % 97}`;
    });
    await page.getByLabel('What the file holds').selectOption('metrics');
    await page.getByLabel('CSV file', { exact: true }).setInputFiles({
      name: 'steps.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(['metric,time,value', ...lines].join('\n')),
    });
    await page.getByRole('button', { name: 'Check the file' }).click();
    await page.waitForSelector('[data-testid="import-result"][data-status="validated"]');
    const [commit] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/commit')),
      page.getByRole('button', { name: 'Commit 5,001 records' }).click(),
    ]);
    expect(commit.status()).toBe(202);
    // While the job runs: the import is "committing" with a progress bar, polled each second.
    await page.waitForSelector(
      '[data-testid="import-result"][data-status="committing"] [role="progressbar"]',
    );
    await page.waitForSelector('[data-testid="import-result"][data-status="committed"]', {
      timeout: 120_000,
    });
    expect(await page.getByTestId('import-result').innerText()).toContain('Imported: 5001 new');
    const jobs = page.getByTestId('jobs');
    await jobs.locator('tbody tr', { hasText: 'imports.commit' }).getByText('succeeded').waitFor();
    await w.done();
  });

  it('settings: an API token is shown once and revoked; a viewer sees no admin items', async () => {
    const w = await openLoggedIn(browser, server.baseUrl, owner, '/settings', 'Settings');
    const { page } = w;
    page.on('dialog', (d) => void d.accept());

    const tokens = page.getByTestId('api-tokens');
    await tokens.getByLabel('Token name').fill('till export');
    await tokens.getByRole('button', { name: 'Create token' }).click();
    const secret = await tokens.getByTestId('secret').innerText();
    expect(secret).toMatch(/^dyo_/);
    expect((await inject('GET', '/v1/me', undefined, secret)).status).toBe(200);
    const row = tokens.getByTestId('token-list').locator('tbody tr', { hasText: 'till export' });
    await row.waitFor();
    expect(await row.innerText()).not.toContain(secret);

    // Away and back: the token is not shown again, only its prefix.
    await navLink(page, 'Overview').click();
    await navLink(page, 'Settings').click();
    await row.waitFor();
    expect(await page.getByTestId('secret').count()).toBe(0);
    expect(await page.content()).not.toContain(secret);
    await row.getByRole('button', { name: /Revoke/ }).click();
    await row.getByText(/^revoked/).waitFor();
    expect((await inject('GET', '/v1/me', undefined, secret)).status).toBe(401);

    // Invite a viewer; they join through the link the page shows.
    const invitations = page.getByTestId('invitations');
    const viewerEmail = `viewer-${Date.now()}@example.com`;
    await invitations.getByLabel('E-mail').fill(viewerEmail);
    await invitations.getByLabel('Role').selectOption('viewer');
    await invitations.getByRole('button', { name: 'Invite' }).click();
    const link = (await invitations.locator('code.break').innerText()).trim();
    expect(link).toContain('/accept-invitation?token=');
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(/\/login$/);

    await page.goto(link);
    await page.getByLabel('Your name').fill('Vera Viewer');
    await page.getByLabel('Password').fill('viewer-password-123');
    await page.getByRole('button', { name: 'Join' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    expect(await page.getByTestId('role').innerText()).toBe('viewer');
    await navLink(page, 'Settings').click();
    await page.getByRole('heading', { name: 'Members' }).waitFor();
    expect(await page.getByRole('heading', { name: 'API tokens' }).count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'Invitations' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Save profile' }).count()).toBe(0);
    expect(await page.getByLabel('Business name').getAttribute('readonly')).not.toBeNull();
    expect(await page.getByRole('button', { name: /Remove/ }).count()).toBe(0);
    expect(await page.getByTestId('members').locator('tbody tr').count()).toBe(2);
    await navLink(page, 'Data').click();
    await page.getByRole('heading', { name: 'Background jobs' }).waitFor();
    expect(await page.getByLabel('CSV file', { exact: true }).count()).toBe(0);
    // The viewer's pages asked for nothing admin-only: not one 403 on the way.
    expect(w.forbidden).toEqual([]);
    await w.done();
  });
});
