import type { Database } from './types.js';

const AGGREGATES = [
  'metrics_hourly',
  'metrics_daily',
  'metrics_weekly',
  'metrics_monthly',
] as const;

/**
 * Materialises TimescaleDB's continuous aggregates (finest first, as they are hierarchical).
 * On a server, policies do this in the background; PGlite has no background workers, so the
 * embedded database calls this after bulk loads. `CALL refresh_continuous_aggregate` cannot
 * run inside a transaction, hence the plain query. Without TimescaleDB it does nothing.
 */
export async function refreshContinuousAggregates(
  db: Database,
  from: Date | null = null,
  to: Date | null = null,
): Promise<boolean> {
  const { rows } = await db.query<{ n: number }>(
    "select count(*)::int as n from pg_extension where extname = 'timescaledb'",
    [],
    'aggregates.detect',
  );
  if (!rows[0]?.n) return false;
  for (const name of AGGREGATES) {
    // name comes from the constant list above, never from input
    await db.query(
      `call refresh_continuous_aggregate('${name}', $1::timestamptz, $2::timestamptz)`,
      [from, to],
      'aggregates.refresh',
    );
  }
  return true;
}
