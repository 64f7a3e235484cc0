#!/usr/bin/env node
// Builds the web dashboard (web/ → web/dist) when web/dist is missing or older than its
// sources; `npm start` runs it first (prestart), the browser tests from their global setup.
// `--force` builds whatever the dates say (`npm run build:web`). The new build is written
// next to web/dist and swapped in, so a running server never serves half a build.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const WEB = join(ROOT, 'web');
const DIST = join(WEB, 'dist');
const SOURCES = ['src', 'public', 'index.html', 'vite.config.ts', 'tsconfig.json'];

/** Newest modification time (ms) of a file or of any file under a directory. */
function newest(path) {
  let st;
  try {
    st = statSync(path);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.mtimeMs;
  let max = 0;
  for (const name of readdirSync(path)) max = Math.max(max, newest(join(path, name)));
  return max;
}

/** Why web/dist needs a build, or null when it is up to date. */
export function staleReason() {
  const built = join(DIST, 'index.html');
  if (!existsSync(built)) return 'web/dist is missing';
  const builtAt = statSync(built).mtimeMs;
  const changed = SOURCES.find((s) => newest(join(WEB, s)) > builtAt);
  return changed ? `web/${changed} changed since the last build` : null;
}

/** Runs `vite build` into a fresh folder and swaps it in as web/dist (in the child process). */
async function build() {
  const vite = await import('vite');
  // Beside node_modules' caches: ignored by git, lint and format even if a build is killed.
  const scratch = join(ROOT, 'node_modules', '.cache', `dyocense-web-${process.pid}-${Date.now()}`);
  const out = join(scratch, 'dist');
  try {
    await vite.build({
      configFile: join(WEB, 'vite.config.ts'),
      mode: 'production',
      logLevel: 'warn',
      build: { outDir: out, emptyOutDir: true },
    });
    if (existsSync(DIST)) renameSync(DIST, join(scratch, 'old'));
    renameSync(out, DIST);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Builds the dashboard when stale (or always with `force`). Returns what it did; throws when
 * the build fails. Without Vite installed (a production install), it leaves web/dist as it is.
 * The build runs in a child process with NODE_ENV=production, whatever the caller's (a test
 * runner sets NODE_ENV=test, which would give React's development build).
 */
export async function buildWebIfStale({ force = false, log = console.log } = {}) {
  const reason = force ? 'requested' : staleReason();
  if (!reason) return { built: false, reason: 'web/dist is up to date' };
  try {
    createRequire(import.meta.url).resolve('vite');
  } catch {
    log(`web dashboard: ${reason}, but Vite is not installed (npm install) — not building`);
    return { built: false, reason: 'vite missing' };
  }
  const started = Date.now();
  log(`web dashboard: building (${reason})…`);
  const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child'], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (child.status !== 0)
    throw new Error(`vite build failed (exit ${child.status ?? child.signal})`);
  const seconds = (Date.now() - started) / 1000;
  log(`web dashboard: built web/dist in ${seconds.toFixed(1)} s`);
  return { built: true, reason, seconds };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const done = process.argv.includes('--child')
    ? build()
    : buildWebIfStale({ force: process.argv.includes('--force') });
  done.catch((err) => {
    console.error(`web dashboard: build failed: ${err?.message ?? err}`);
    process.exit(1);
  });
}
