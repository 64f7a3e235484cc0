import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { run } from '../../../src/cli/import.js';
import { insertTenant } from '../../../src/modules/accounts/repo.js';
import { openEmbeddedDatabase } from '../../../src/platform/db/embedded.js';
import type { Database } from '../../../src/platform/db/types.js';
import { withTenant } from '../../../src/platform/tenancy/context.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.js';
import { EMBEDDED_BUILD, TEST_DATABASE_URL, embeddedTemplatePath } from '../../helpers/template.js';

/**
 * `dyocense import` against the configured database: a server database (DATABASE_URL) or the
 * embedded one in a data directory, as a person would run it.
 */

let dir: string;
/** Where `dyocense` keeps the embedded database inside DYOCENSE_DATA_DIR. */
const pgDir = () => join(dir, 'data', `pglite-${EMBEDDED_BUILD}`);
let server: TestDatabase | null = null;
const tenantId = randomUUID();
const env: Record<string, string> = {};

async function withDb<T>(fn: (db: Database) => Promise<T>): Promise<T> {
  if (server) return fn(server.db);
  const db = await openEmbeddedDatabase({ build: EMBEDDED_BUILD, dataDir: pgDir() });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dyocense-cli-import-'));
  if (TEST_DATABASE_URL) {
    server = await createTestDatabase();
    Object.assign(env, {
      DATABASE_URL: server.url!,
      JWT_SECRET: 'cli-import-test-secret-0123456789abcdef',
    });
  } else {
    const dump = await readFile(embeddedTemplatePath());
    mkdirSync(join(dir, 'data'), { recursive: true });
    const db = await openEmbeddedDatabase({
      build: EMBEDDED_BUILD,
      dataDir: pgDir(),
      loadDataDir: new Blob([dump]),
    });
    await db.close();
    Object.assign(env, {
      DYOCENSE_DATA_DIR: join(dir, 'data'),
      DYOCENSE_EMBEDDED_BUILD: EMBEDDED_BUILD,
    });
  }
  Object.assign(env, { LOG_LEVEL: 'error' });
  await withDb((db) =>
    withTenant(db, tenantId, (tx) =>
      insertTenant(tx, {
        name: 'CLI café',
        currency: 'USD',
        timezone: 'America/New_York',
        industry: null,
      }),
    ),
  );
}, 120_000);

afterAll(async () => {
  await server?.drop();
  rmSync(dir, { recursive: true, force: true });
});

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  delete process.env[server ? 'DYOCENSE_DATA_DIR' : 'DATABASE_URL'];
  const out: string[] = [];
  const err: string[] = [];
  const log = vi
    .spyOn(console, 'log')
    .mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  const error = vi
    .spyOn(console, 'error')
    .mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  const write = vi
    .spyOn(process.stderr, 'write')
    .mockImplementation((chunk: string | Uint8Array) => {
      err.push(String(chunk));
      return true;
    });
  try {
    const code = await run(args);
    return { code, out: out.join('\n'), err: err.join('') };
  } finally {
    log.mockRestore();
    error.mockRestore();
    write.mockRestore();
    process.env = saved;
  }
}

describe('dyocense import', () => {
  it('refuses bad arguments with the usage', async () => {
    const r = await cli(['--kind', 'orders', '--file', 'x.csv']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--tenant must be a tenant id[\s\S]*usage: dyocense import/);
  });

  it('reports a bad file row by row, writes the report, and writes nothing', async () => {
    const file = join(dir, 'bad.csv');
    writeFileSync(
      file,
      'Order ID,Date,SKU,Quantity,Unit Price\n1,2026-01-05,A,-1,2.50\n2,someday,A,1,2.50\n',
    );
    const report = join(dir, 'errors.csv');
    const r = await cli([
      '--tenant',
      tenantId,
      '--kind',
      'orders',
      '--file',
      file,
      '--report',
      report,
    ]);
    expect(r.code, r.err + r.out).toBe(1);
    expect(r.out).toMatch(/: invalid/);
    expect(r.out).toMatch(/row 2, column "Quantity": must be greater than 0/);
    expect(r.out).toMatch(/row 3, column "Date": "someday" is not a date/);
    expect(r.out).toMatch(/nothing was written/);
    expect(readFileSync(report, 'utf8').split('\r\n')[0]).toBe('row,line,column,value,reason');
    expect(
      await withDb((db) =>
        withTenant(
          db,
          tenantId,
          async (tx) =>
            (await tx.query<{ n: number }>('select count(*)::int as n from orders')).rows[0]!.n,
        ),
      ),
    ).toBe(0);
  }, 60_000);

  it('imports orders with a progress bar, then a second run changes nothing', async () => {
    const file = new URL('../../fixtures/imports/orders.csv', import.meta.url).pathname;
    const dry = await cli(['--tenant', tenantId, '--kind', 'orders', '--file', file, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.out).toMatch(/: validated/);
    const first = await cli(['--tenant', tenantId, '--kind', 'orders', '--file', file]);
    expect(first.code, first.err).toBe(0);
    expect(first.err).toMatch(/100% .*MB/);
    expect(first.out).toMatch(/: committed/);
    expect(first.out).toMatch(/inserted 3, updated 0, unchanged 0/);
    const second = await cli(['--tenant', tenantId, '--kind', 'orders', '--file', file]);
    expect(second.out).toMatch(/inserted 0, updated 0, unchanged 3/);
    expect(second.out).toMatch(/identical \(same SHA-256\)/);
    const revenue = await withDb((db) =>
      withTenant(
        db,
        tenantId,
        async (tx) =>
          (
            await tx.query<{ v: number }>(
              `select sum(value)::float8 as v from tenant_business_metrics where metric_name = 'revenue'`,
            )
          ).rows[0]!.v,
      ),
    );
    expect(revenue).toBe(3031);
  }, 120_000);
});
