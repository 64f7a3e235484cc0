import type { Queryable } from './types.js';

export interface Capabilities {
  postgresVersion: string;
  extensions: Record<
    'timescaledb' | 'vector' | 'pg_cron' | 'citus',
    { available: boolean; installed: string | null }
  >;
  /** Which implementation each feature uses, per DESIGN.md's capability table. */
  features: {
    timeSeries: 'timescaledb' | 'partitions';
    vectors: 'pgvector' | 'real_array';
    schedules: 'pg_cron' | 'in_process';
    graph: 'jsonb';
    scaleOut: 'citus' | 'single_node';
  };
}

const NAMES = ['timescaledb', 'vector', 'pg_cron', 'citus'] as const;

export async function detectCapabilities(db: Queryable): Promise<Capabilities> {
  const { rows } = await db.query<{ name: string; installed_version: string | null }>(
    'select name, installed_version from pg_available_extensions where name = any($1::text[])',
    [NAMES as unknown as string[]],
    'system.capabilities',
  );
  const version = await db.query<{ v: string }>(
    "select current_setting('server_version') as v",
    [],
    'system.version',
  );
  const extensions = Object.fromEntries(
    NAMES.map((n) => {
      const row = rows.find((r) => r.name === n);
      return [n, { available: Boolean(row), installed: row?.installed_version ?? null }];
    }),
  ) as Capabilities['extensions'];
  return {
    postgresVersion: version.rows[0]?.v ?? 'unknown',
    extensions,
    features: {
      timeSeries: extensions.timescaledb.installed ? 'timescaledb' : 'partitions',
      vectors: extensions.vector.installed ? 'pgvector' : 'real_array',
      schedules: extensions.pg_cron.installed ? 'pg_cron' : 'in_process',
      graph: 'jsonb',
      scaleOut: extensions.citus.installed ? 'citus' : 'single_node',
    },
  };
}
