import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MIGRATIONS_DIR } from '../../src/platform/db/migrate.js';

/** The server database tests use; unset = the embedded database. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || undefined;

export const EMBEDDED_BUILD = (process.env.DYOCENSE_EMBEDDED_BUILD || 'timescaledb') as
  'timescaledb' | 'official';

/** Changes whenever a migration changes, so a stale template is never reused. */
export function schemaFingerprint(): string {
  const h = createHash('sha256');
  for (const f of readdirSync(MIGRATIONS_DIR).sort())
    h.update(f).update(readFileSync(join(MIGRATIONS_DIR, f)));
  return h.digest('hex').slice(0, 16);
}

export function embeddedTemplatePath(): string {
  return join(tmpdir(), `dyocense-template-${EMBEDDED_BUILD}-${schemaFingerprint()}.tar`);
}

export function serverTemplateName(): string {
  return `dyocense_tpl_${schemaFingerprint()}`;
}

/** Same server, another database name. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
