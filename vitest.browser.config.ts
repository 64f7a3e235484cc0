import { defineConfig } from 'vitest/config';

/** Browser suite: real HTTP server, Debian's Chromium driven by playwright-core. */
export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    fileParallelism: false,
    globalSetup: ['test/global-setup.ts', 'test/browser/build-web.ts'],
  },
});
