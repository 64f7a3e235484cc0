import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';

export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  /** CSP violations (events and console reports). */
  csp: string[];
  /** Uncaught exceptions in the page. */
  errors: string[];
  /** Requests that left the app's origin. */
  foreign: string[];
  /** Every request the page made, as "METHOD path". */
  requests: string[];
  /** Answers 403 (a page asked for something the role may not see). */
  forbidden: string[];
  /** Asserts no CSP violation, no uncaught error and no request to another origin, then closes. */
  done(): Promise<void>;
}

/**
 * A fresh browser context (no storage shared with other tests) in UTC and US English, watched
 * for CSP violations, page errors and requests that leave the app's origin.
 */
export async function openPage(browser: Browser, baseUrl: string): Promise<WatchedPage> {
  const context = await browser.newContext({
    timezoneId: 'UTC',
    locale: 'en-US',
    viewport: { width: 1280, height: 900 },
  });
  // Runs before the page's own scripts, outside its CSP: reports violations to the console.
  await context.addInitScript(`
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error('CSP violation: ' + e.violatedDirective + ' blocked ' + e.blockedURI);
    });
  `);
  const page = await context.newPage();
  const w: WatchedPage = {
    page,
    context,
    csp: [],
    errors: [],
    foreign: [],
    requests: [],
    forbidden: [],
    async done() {
      expect(w.csp, 'CSP violations').toEqual([]);
      expect(w.errors, 'uncaught page errors').toEqual([]);
      expect(w.foreign, 'requests to other origins').toEqual([]);
      await context.close();
    },
  };
  const origin = new URL(baseUrl).origin;
  page.on('console', (m) => {
    if (/Content Security Policy|CSP violation/i.test(m.text())) w.csp.push(m.text());
  });
  page.on('pageerror', (e) => w.errors.push(e.message));
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (url.protocol.startsWith('http') && url.origin !== origin) w.foreign.push(r.url());
    w.requests.push(`${r.method()} ${url.pathname}`);
  });
  page.on('response', (r) => {
    if (r.status() === 403) w.forbidden.push(`${r.request().method()} ${r.url()}`);
  });
  return w;
}

export async function logIn(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

/** YYYY-MM-DD of `days` days before today (UTC). */
export function daysAgo(days: number, now = new Date()): string {
  return new Date(now.getTime() - days * 86_400_000).toISOString().slice(0, 10);
}

/** A link of the main navigation. */
export const navLink = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });

/**
 * A watched page that asked for `path`, logged in through the form and landed on the page
 * whose heading is `heading`.
 */
export async function openLoggedIn(
  browser: Browser,
  baseUrl: string,
  user: { email: string; password: string },
  path = '/',
  heading = 'Overview',
): Promise<WatchedPage> {
  const w = await openPage(browser, baseUrl);
  await w.page.goto(`${baseUrl}${path}`);
  await logIn(w.page, user.email, user.password);
  await w.page.getByRole('heading', { name: heading }).waitFor();
  return w;
}
