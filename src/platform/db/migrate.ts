import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from './types.js';

/** Forward-only numbered SQL files: `NNNN-name.sql`, applied in order, each in its own transaction. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../migrations', import.meta.url));

// Any constant works; it only has to be the same for every migrator of this schema.
const MIGRATION_LOCK_KEY = 7_240_311_001;

export interface Migration {
  id: number;
  name: string;
  sql: string;
  checksum: string;
}

export class MigrationError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'MigrationError';
  }
}

export async function loadMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  const migrations: Migration[] = [];
  for (const file of files) {
    const match = /^(\d{4})-([a-z0-9-]+)\.sql$/.exec(file);
    if (!match)
      throw new MigrationError(`migration file name must look like 0001-name.sql: ${file}`);
    const sql = await readFile(join(dir, file), 'utf8');
    const id = Number(match[1]);
    if (migrations.some((m) => m.id === id))
      throw new MigrationError(`two migrations share number ${id}`);
    migrations.push({
      id,
      name: match[2]!,
      sql,
      checksum: createHash('sha256').update(sql).digest('hex'),
    });
  }
  return migrations;
}

interface AppliedRow {
  id: number;
  name: string;
  checksum: string;
}

async function ensureMigrationsTable(db: Database): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await tx.exec(`
      create table if not exists dyocense_migrations (
        id integer primary key,
        name text not null,
        checksum text not null,
        applied_at timestamptz not null default now()
      )`);
  });
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: number;
}

/**
 * Applies pending migrations. Each runs in its own transaction holding a transaction-level
 * advisory lock, re-checks whether another migrator applied it meanwhile, and records its
 * checksum; an applied migration whose file changed stops everything with a clear error.
 */
export async function migrate(
  db: Database,
  options: { dir?: string; onApply?: (m: Migration) => void } = {},
): Promise<MigrateResult> {
  const migrations = await loadMigrations(options.dir);
  await ensureMigrationsTable(db);
  const applied: string[] = [];
  let alreadyApplied = 0;
  for (const m of migrations) {
    const didApply = await db.transaction(async (tx) => {
      await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
      const { rows } = await tx.query<AppliedRow>(
        'select id, name, checksum from dyocense_migrations where id = $1',
        [m.id],
      );
      const existing = rows[0];
      if (existing) {
        if (existing.checksum !== m.checksum) {
          throw new MigrationError(
            `migration ${String(m.id).padStart(4, '0')}-${m.name}.sql was changed after it was applied ` +
              `(recorded checksum ${existing.checksum.slice(0, 12)}…, file ${m.checksum.slice(0, 12)}…). ` +
              'Applied migrations are immutable: revert the edit and add a new migration instead.',
          );
        }
        return false;
      }
      await tx.query('insert into dyocense_migrations (id, name, checksum) values ($1, $2, $3)', [
        m.id,
        m.name,
        m.checksum,
      ]);
      try {
        await tx.exec(m.sql);
      } catch (err) {
        throw new MigrationError(`migration ${m.id}-${m.name} failed: ${(err as Error).message}`, {
          cause: err,
        });
      }
      return true;
    });
    if (didApply) {
      applied.push(`${String(m.id).padStart(4, '0')}-${m.name}`);
      options.onApply?.(m);
    } else alreadyApplied++;
  }
  return { applied, alreadyApplied };
}

export interface MigrationStatus {
  current: boolean;
  pending: string[];
  unknown: number[];
}

/** Compares applied migrations with the files this build ships (for /v1/ready). */
export async function migrationStatus(db: Database, dir?: string): Promise<MigrationStatus> {
  const migrations = await loadMigrations(dir);
  let appliedIds = new Set<number>();
  try {
    const { rows } = await db.query<{ id: number }>(
      'select id from dyocense_migrations',
      [],
      'migrations.status',
    );
    appliedIds = new Set(rows.map((r) => r.id));
  } catch {
    // table missing: nothing applied yet
  }
  const known = new Set(migrations.map((m) => m.id));
  const pending = migrations.filter((m) => !appliedIds.has(m.id)).map((m) => `${m.id}-${m.name}`);
  const unknown = [...appliedIds].filter((id) => !known.has(id));
  return { current: pending.length === 0, pending, unknown };
}
