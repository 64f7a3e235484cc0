import { existsSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { openEmbeddedDatabase } from '../src/platform/db/embedded.js';
import { openServerDatabase } from '../src/platform/db/server.js';
import { migrate } from '../src/platform/db/migrate.js';
import {
  EMBEDDED_BUILD,
  TEST_DATABASE_URL,
  embeddedTemplatePath,
  serverTemplateName,
  withDatabase,
} from './helpers/template.js';

/**
 * Builds a migrated template database once per run (and per schema version): a PGlite data
 * dump for the embedded database, a template database on the server. Each test file then
 * starts from a fresh copy of it.
 */
export default async function setup(): Promise<void> {
  if (TEST_DATABASE_URL) {
    const admin = await openServerDatabase({
      url: TEST_DATABASE_URL,
      poolMax: 1,
      statementTimeoutMs: 120_000,
      connectAttempts: 3,
    });
    const name = serverTemplateName();
    try {
      const { rows } = await admin.query('select 1 from pg_database where datname = $1', [name]);
      if (rows.length === 0) {
        const building = `${name}_building_${process.pid}`;
        await admin.query(`drop database if exists ${building}`);
        await admin.query(`create database ${building}`);
        const db = await openServerDatabase({
          url: withDatabase(TEST_DATABASE_URL, building),
          poolMax: 2,
          statementTimeoutMs: 120_000,
          connectAttempts: 3,
        });
        await migrate(db);
        await db.close();
        await admin.query(`alter database ${building} rename to ${name}`);
      }
    } finally {
      await admin.close();
    }
    return;
  }
  const path = embeddedTemplatePath();
  if (existsSync(path)) return;
  const db = await openEmbeddedDatabase({ build: EMBEDDED_BUILD });
  await migrate(db);
  const dump = await db.pglite.dumpDataDir('none');
  await db.close();
  const tmp = `${path}.${process.pid}`;
  await writeFile(tmp, Buffer.from(await dump.arrayBuffer()));
  await rename(tmp, path);
}
