import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, serveTestApp } from './browser.js';

let browser: Browser;
let server: Awaited<ReturnType<typeof serveTestApp>>;

beforeAll(async () => {
  server = await serveTestApp();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('API docs in a browser', () => {
  it('render the OpenAPI operations under the security headers (no CSP violations)', async () => {
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') violations.push(m.text());
    });
    await page.goto(`${server.baseUrl}/docs`);
    await page.waitForSelector('.opblock', { timeout: 30_000 });
    const summaries = await page.locator('.opblock-summary-path').allInnerTexts();
    expect(summaries.map((s) => s.replace(/\u200b/g, ''))).toEqual(
      expect.arrayContaining(['/v1/auth/signup', '/v1/me', '/v1/api-tokens/{id}']),
    );
    expect(violations.filter((v) => /Content Security Policy/i.test(v))).toEqual([]);
    await page.close();
  });
});
