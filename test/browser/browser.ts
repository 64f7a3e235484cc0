import { chromium, type Browser } from 'playwright-core';
import type { AddressInfo } from 'node:net';
import { createTestContext, type TestContext } from '../helpers/app.js';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Debian's Chromium, headless, with the flags this sandbox needs (no network beyond localhost). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
}

/** A test app listening on a real port, for the browser to load. */
export async function serveTestApp(
  env: Record<string, string> = {},
): Promise<TestContext & { baseUrl: string }> {
  const ctx = await createTestContext(env);
  await ctx.app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = ctx.app.server.address() as AddressInfo;
  return Object.assign(ctx, { baseUrl: `http://127.0.0.1:${port}` });
}
