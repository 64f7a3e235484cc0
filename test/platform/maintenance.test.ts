import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { runEmbeddedMaintenance } from '../../src/platform/db/maintenance.js';
import { noteChanges, refreshPending } from '../../src/modules/metrics/write-repo.js';
import { withTenant } from '../../src/platform/tenancy/context.js';

let t: TestDatabase;
let timescale = false;
const A = randomUUID();
const DAY = 86_400_000;
const today = Math.floor(Date.now() / DAY);

/** Total of one metric over all time, read through the tenant's monthly rollup. */
async function monthlyTotal(): Promise<number> {
  return withTenant(t.db, A, async (tx) => {
    await refreshPending(tx);
    const { rows } = await tx.query<{ total: number }>(
      "select sum(sum)::float8 as total from metric_rollup_month where metric_name = 'visits'",
    );
    return rows[0]?.total ?? 0;
  });
}

beforeAll(async () => {
  t = await createTestDatabase();
  timescale =
    (await t.db.query("select 1 from pg_extension where extname = 'timescaledb'")).rows.length > 0;
  await withTenant(t.db, A, async (tx) => {
    await tx.query("insert into tenants (id, name) values ($1, 'Alpha')", [A]);
    await tx.query(
      `select ensure_business_metrics_partitions(($1::timestamptz - interval '400 days')::date, $1::date)`,
      [new Date(today * DAY)],
    );
    await tx.query(
      `insert into tenant_business_metrics (tenant_id, metric_name, time, value, channel, location, sku, source)
       select $1, 'visits', $2::timestamptz - d * interval '1 day', 10, '', '', '', 'test'
         from generate_series(0, 399) d`,
      [A, new Date(today * DAY)],
    );
    await noteChanges(tx, ['visits'], new Date((today - 400) * DAY), new Date((today + 1) * DAY));
  });
}, 60_000);

afterAll(async () => {
  await t?.drop();
});

describe('embedded database maintenance', () => {
  it('compresses only chunks past the policy age, keeps every value readable and gathers statistics', async () => {
    const before = await monthlyTotal();
    expect(before).toBe(4000);
    const r = await runEmbeddedMaintenance(t.db);
    expect(r.aggregatesRefreshed).toBe(timescale);
    if (timescale) {
      // 400 days in 90-day chunks: the chunks that ended more than 45 days ago.
      const { rows } = await t.db.query<{ compressed: number; misplaced: number }>(
        `select count(*) filter (where is_compressed)::int as compressed,
                count(*) filter (where is_compressed <> (range_end <= now() - interval '45 days'))::int as misplaced
           from timescaledb_information.chunks where hypertable_name = 'business_metrics'`,
      );
      // 400 days in 90-day chunks: at least 3 ended more than 45 days ago.
      expect(r.chunksCompressed).toBeGreaterThanOrEqual(3);
      expect(rows[0]).toEqual({ compressed: r.chunksCompressed, misplaced: 0 });
      // A second run has nothing left to compress.
      expect((await runEmbeddedMaintenance(t.db)).chunksCompressed).toBe(0);
    } else {
      expect(r.chunksCompressed).toBe(0);
    }
    expect(await monthlyTotal()).toBe(4000);
    const stats = await t.db.query<{ n: number }>(
      "select count(*)::int as n from pg_stats where tablename = 'tenants'",
    );
    expect(stats.rows[0]!.n).toBeGreaterThan(0);
  });
});
