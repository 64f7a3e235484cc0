import { mkdtemp, writeFile, copyFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MIGRATIONS_DIR,
  MigrationError,
  loadMigrations,
  migrate,
  migrationStatus,
} from '../../src/platform/db/migrate.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { openServerDatabase } from '../../src/platform/db/server.js';

let t: TestDatabase;
let dir: string;

beforeAll(async () => {
  t = await createTestDatabase();
  // A copy of the real migrations plus one test migration, so we can edit files freely.
  dir = await mkdtemp(join(tmpdir(), 'dyocense-migrations-'));
  for (const f of await readdir(MIGRATIONS_DIR))
    await copyFile(join(MIGRATIONS_DIR, f), join(dir, f));
  await writeFile(
    join(dir, '9000-test-widgets.sql'),
    'create table test_widgets (id int primary key);\n',
  );
});

afterAll(async () => {
  await t?.drop();
});

describe('migrations', () => {
  it('the template database is current with the shipped migrations', async () => {
    const status = await migrationStatus(t.db);
    expect(status).toEqual({ current: true, pending: [], unknown: [] });
  });

  it('applies only what is pending, and a re-run changes nothing', async () => {
    const first = await migrate(t.db, { dir });
    expect(first.applied).toEqual(['9000-test-widgets']);
    const again = await migrate(t.db, { dir });
    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied).toBe((await loadMigrations(dir)).length);
  });

  it('refuses to run when an applied migration was edited', async () => {
    await writeFile(
      join(dir, '9000-test-widgets.sql'),
      'create table test_widgets (id bigint primary key);\n',
    );
    await expect(migrate(t.db, { dir })).rejects.toThrow(
      /9000-test-widgets\.sql was changed after it was applied/,
    );
    await expect(migrate(t.db, { dir })).rejects.toBeInstanceOf(MigrationError);
  });

  it('rejects badly named files', async () => {
    const bad = await mkdtemp(join(tmpdir(), 'dyocense-bad-'));
    await writeFile(join(bad, 'init.sql'), 'select 1;');
    await expect(loadMigrations(bad)).rejects.toThrow(/must look like 0001-name\.sql/);
  });

  it('a failing migration leaves nothing behind (its record and its changes roll back)', async () => {
    const failing = await mkdtemp(join(tmpdir(), 'dyocense-fail-'));
    for (const f of await readdir(MIGRATIONS_DIR))
      await copyFile(join(MIGRATIONS_DIR, f), join(failing, f));
    await writeFile(
      join(failing, '9100-broken.sql'),
      'create table half_done (id int);\nselect * from no_such_table;\n',
    );
    await expect(migrate(t.db, { dir: failing })).rejects.toThrow(/9100-broken failed/);
    const { rows } = await t.db.query(
      "select to_regclass('half_done') as t, (select count(*)::int from dyocense_migrations where id = 9100) as n",
    );
    expect(rows[0]).toEqual({ t: null, n: 0 });
  });

  it.runIf(Boolean(process.env.TEST_DATABASE_URL))(
    'two migrators racing apply each migration exactly once',
    async () => {
      const racing = await mkdtemp(join(tmpdir(), 'dyocense-race-'));
      for (const f of await readdir(MIGRATIONS_DIR))
        await copyFile(join(MIGRATIONS_DIR, f), join(racing, f));
      for (let i = 0; i < 5; i++)
        await writeFile(
          join(racing, `92${i}0-race-${i}.sql`),
          `create table race_${i} (id int primary key);\n`,
        );
      const other = await openServerDatabase({
        url: t.url!,
        poolMax: 2,
        statementTimeoutMs: 30_000,
        connectAttempts: 2,
      });
      try {
        const [a, b] = await Promise.all([
          migrate(t.db, { dir: racing }),
          migrate(other, { dir: racing }),
        ]);
        expect([...a.applied, ...b.applied].sort()).toEqual([
          '9200-race-0',
          '9210-race-1',
          '9220-race-2',
          '9230-race-3',
          '9240-race-4',
        ]);
      } finally {
        await other.close();
      }
    },
  );
});
