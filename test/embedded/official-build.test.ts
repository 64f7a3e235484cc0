import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openEmbeddedDatabase } from '../../src/platform/db/embedded.js';
import { migrate } from '../../src/platform/db/migrate.js';
import { detectCapabilities } from '../../src/platform/db/capabilities.js';
import { withTenant } from '../../src/platform/tenancy/context.js';

/**
 * The embedded build is swappable: the official PGlite (PostgreSQL 18, pgvector, no
 * TimescaleDB) runs the same migrations through the same database interface, with the
 * time-series feature falling back to partitions.
 */
describe.skipIf(Boolean(process.env.TEST_DATABASE_URL))('official PGlite build (smoke)', () => {
  it('migrates, detects capabilities and enforces RLS', async () => {
    const db = await openEmbeddedDatabase({ build: 'official' });
    try {
      const result = await migrate(db);
      expect(result.applied.length).toBeGreaterThan(0);
      const caps = await detectCapabilities(db);
      expect(caps.postgresVersion).toMatch(/^18\./);
      expect(caps.extensions.vector.installed).not.toBeNull();
      expect(caps.features.timeSeries).toBe('partitions');
      const a = randomUUID();
      const b = randomUUID();
      await withTenant(db, a, (tx) =>
        tx.query("insert into tenants (id, name) values ($1, 'A')", [a]),
      );
      await withTenant(db, b, (tx) =>
        tx.query("insert into tenants (id, name) values ($1, 'B')", [b]),
      );
      const seen = await withTenant(
        db,
        a,
        async (tx) => (await tx.query<{ name: string }>('select name from tenants')).rows,
      );
      expect(seen).toEqual([{ name: 'A' }]);
    } finally {
      await db.close();
    }
  });
});
