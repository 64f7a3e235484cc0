import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { TenancyError, withSystem, withTenant } from '../../src/platform/tenancy/context.js';
import { QueryOutsideTransactionError } from '../../src/platform/db/query-guard.js';

let t: TestDatabase;
const A = randomUUID();
const B = randomUUID();

beforeAll(async () => {
  t = await createTestDatabase();
  await withTenant(t.db, A, (tx) =>
    tx.query("insert into tenants (id, name) values ($1, 'Alpha')", [A]),
  );
  await withTenant(t.db, B, (tx) =>
    tx.query("insert into tenants (id, name) values ($1, 'Beta')", [B]),
  );
  await withTenant(t.db, A, (tx) =>
    tx.query(
      "insert into audit_log (tenant_id, action) values ($1, 'a-event'), ($1, 'a-event-2')",
      [A],
    ),
  );
  await withTenant(t.db, B, (tx) =>
    tx.query("insert into audit_log (tenant_id, action) values ($1, 'b-event')", [B]),
  );
});

afterAll(async () => {
  await t?.drop();
});

describe('row-level security through withTenant', () => {
  it('a tenant sees only its own rows, without any WHERE tenant_id', async () => {
    const rows = await withTenant(
      t.db,
      A,
      async (tx) =>
        (await tx.query<{ action: string }>('select action from audit_log order by action')).rows,
    );
    expect(rows.map((r) => r.action)).toEqual(['a-event', 'a-event-2']);
    const tenants = await withTenant(
      t.db,
      B,
      async (tx) => (await tx.query<{ name: string }>('select name from tenants')).rows,
    );
    expect(tenants).toEqual([{ name: 'Beta' }]);
  });

  it('writing another tenant’s row is rejected by the policy', async () => {
    await expect(
      withTenant(t.db, A, (tx) =>
        tx.query("insert into audit_log (tenant_id, action) values ($1, 'sneaky')", [B]),
      ),
    ).rejects.toThrow(/row-level security/);
    const count = await withTenant(
      t.db,
      B,
      async (tx) =>
        (await tx.query<{ n: number }>('select count(*)::int as n from audit_log')).rows[0]!.n,
    );
    expect(count).toBe(1);
  });

  it('updates and deletes cannot reach another tenant’s rows', async () => {
    const user = await withSystem(
      t.db,
      async (tx) =>
        (
          await tx.query<{ id: string }>(
            "insert into users (email, password_hash) values ($1, 'x') returning id",
            [`${B}@example.com`],
          )
        ).rows[0]!.id,
    );
    await withTenant(t.db, B, (tx) =>
      tx.query("insert into memberships (tenant_id, user_id, role) values ($1, $2, 'owner')", [
        B,
        user,
      ]),
    );
    const renamed = await withTenant(t.db, A, (tx) =>
      tx.query("update tenants set name = 'hijacked' where id = $1", [B]),
    );
    const demoted = await withTenant(t.db, A, (tx) =>
      tx.query("update memberships set role = 'viewer' where tenant_id = $1", [B]),
    );
    const removed = await withTenant(t.db, A, (tx) =>
      tx.query('delete from memberships where tenant_id = $1', [B]),
    );
    expect([renamed.rowCount, demoted.rowCount, removed.rowCount]).toEqual([0, 0, 0]);
    const after = await withTenant(
      t.db,
      B,
      async (tx) =>
        (
          await tx.query<{ name: string; role: string }>(
            'select t.name, m.role from tenants t join memberships m on m.tenant_id = t.id',
          )
        ).rows,
    );
    expect(after).toEqual([{ name: 'Beta', role: 'owner' }]);
  });

  it('the audit log is append-only for the app role', async () => {
    await expect(
      withTenant(t.db, A, (tx) => tx.query("update audit_log set action = 'edited'")),
    ).rejects.toThrow(/permission denied/);
    await expect(withTenant(t.db, A, (tx) => tx.query('delete from audit_log'))).rejects.toThrow(
      /permission denied/,
    );
  });

  it('with no tenant set, the app role sees no rows and cannot write (fail closed)', async () => {
    const rows = await t.db.transaction(async (tx) => {
      await tx.query('set local role dyocense_app');
      return (await tx.query('select * from audit_log')).rows;
    });
    expect(rows).toEqual([]);
    await expect(
      t.db.transaction(async (tx) => {
        await tx.query('set local role dyocense_app');
        await tx.query("insert into audit_log (tenant_id, action) values ($1, 'x')", [A]);
      }),
    ).rejects.toThrow(/row-level security/);
  });

  it('the tenant and role do not outlive the transaction (pooled connections stay clean)', async () => {
    await withTenant(t.db, A, (tx) => tx.query('select 1'));
    const after = await t.db.query<{ tenant: string | null; role: string }>(
      "select nullif(current_setting('app.current_tenant', true), '') as tenant, current_user as role",
    );
    expect(after.rows[0]!.tenant).toBeNull();
    expect(after.rows[0]!.role).not.toBe('dyocense_app');
  });

  it('rejects a tenant value that is not a UUID before touching the database', async () => {
    await expect(
      withTenant(t.db, "x'; drop table goals; --", async () => 1),
    ).rejects.toBeInstanceOf(TenancyError);
    await expect(withTenant(t.db, '', async () => 1)).rejects.toBeInstanceOf(TenancyError);
  });

  it('the app role has no access to global user records', async () => {
    await expect(
      withTenant(t.db, A, (tx) => tx.query('select password_hash from users')),
    ).rejects.toThrow(/permission denied/);
  });

  it('a query that bypasses an open transaction fails instead of deadlocking', async () => {
    await expect(
      withSystem(t.db, async () => {
        await t.db.query('select 1');
      }),
    ).rejects.toBeInstanceOf(QueryOutsideTransactionError);
    // and the database is still usable afterwards
    expect((await t.db.query<{ one: number }>('select 1 as one')).rows[0]!.one).toBe(1);
  });

  it('rolls back everything when the work throws', async () => {
    await expect(
      withTenant(t.db, A, async (tx) => {
        await tx.query("insert into audit_log (tenant_id, action) values ($1, 'half-written')", [
          A,
        ]);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const n = await withTenant(
      t.db,
      A,
      async (tx) =>
        (
          await tx.query<{ n: number }>(
            "select count(*)::int as n from audit_log where action = 'half-written'",
          )
        ).rows[0]!.n,
    );
    expect(n).toBe(0);
  });
});
