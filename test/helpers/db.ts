import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { openEmbeddedDatabase } from '../../src/platform/db/embedded.js';
import { openServerDatabase } from '../../src/platform/db/server.js';
import type { Database } from '../../src/platform/db/types.js';
import {
  EMBEDDED_BUILD,
  TEST_DATABASE_URL,
  embeddedTemplatePath,
  serverTemplateName,
  withDatabase,
} from './template.js';

export interface TestDatabase {
  db: Database;
  /** Connection URL of this test's own server database (undefined when embedded). */
  url: string | undefined;
  drop(): Promise<void>;
}

/** A fresh, migrated database of its own for one test file (cloned from the template). */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = TEST_DATABASE_URL;
  if (!serverUrl) {
    const dump = await readFile(embeddedTemplatePath());
    const db = await openEmbeddedDatabase({ build: EMBEDDED_BUILD, loadDataDir: new Blob([dump]) });
    return { db, url: undefined, drop: () => db.close() };
  }
  const name = `dyocense_t_${randomBytes(6).toString('hex')}`;
  const admin = await openServerDatabase({
    url: serverUrl,
    poolMax: 1,
    statementTimeoutMs: 60_000,
    connectAttempts: 3,
  });
  try {
    await admin.query(`create database ${name} template ${serverTemplateName()}`);
  } finally {
    await admin.close();
  }
  const url = withDatabase(serverUrl, name);
  const db = await openServerDatabase({
    url,
    poolMax: 5,
    statementTimeoutMs: 60_000,
    connectAttempts: 3,
  });
  return {
    db,
    url,
    drop: async () => {
      await db.close();
      const a = await openServerDatabase({
        url: serverUrl,
        poolMax: 1,
        statementTimeoutMs: 60_000,
        connectAttempts: 3,
      });
      try {
        await a.query(`drop database if exists ${name} with (force)`);
      } finally {
        await a.close();
      }
    },
  };
}
