import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

/**
 * The tenancy invariant, checked on the real migrated schema: every table with a tenant_id
 * is either guarded by forced row-level security with tenant policies, or unreachable by
 * anyone but its owner (it sits behind a tenant view); and tenant_id leads its primary key.
 */
interface TableFacts {
  table: string;
  rls: boolean;
  forced: boolean;
  pk_first: string | null;
  app_privileges: boolean;
  public_privileges: boolean;
  is_partition: boolean;
}

interface PolicyFacts {
  table: string;
  policy: string;
  cmd: string;
  qual: string | null;
  check: string | null;
}

let t: TestDatabase;
let tables: TableFacts[];
let policies: PolicyFacts[];

beforeAll(async () => {
  t = await createTestDatabase();
  tables = (
    await t.db.query<TableFacts>(`
      select c.oid::regclass::text as table,
             c.relrowsecurity as rls,
             c.relforcerowsecurity as forced,
             c.relispartition as is_partition,
             (select a.attname from pg_index i
                join pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[0]
               where i.indrelid = c.oid and i.indisprimary) as pk_first,
             has_table_privilege('dyocense_app', c.oid, 'select, insert, update, delete, truncate, references') as app_privileges,
             exists (select 1 from aclexplode(coalesce(c.relacl, acldefault('r', c.relowner))) x
                      where x.grantee = 0) as public_privileges
        from pg_class c
        join pg_namespace n on n.oid = c.relnamespace
       where c.relkind in ('r', 'p')
         and n.nspname = 'public'
         and exists (select 1 from pg_attribute a
                      where a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped)
       order by 1`)
  ).rows;
  policies = (
    await t.db.query<PolicyFacts>(`
      select p.polrelid::regclass::text as table, p.polname as policy, p.polcmd::text as cmd,
             pg_get_expr(p.polqual, p.polrelid) as qual,
             pg_get_expr(p.polwithcheck, p.polrelid) as check
        from pg_policy p
        join pg_class c on c.oid = p.polrelid
        join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'public'`)
  ).rows;
});

afterAll(async () => {
  await t?.drop();
});

describe('tenant tables', () => {
  it('finds the tenant tables the accounts module creates', () => {
    const names = tables.map((x) => x.table);
    for (const expected of [
      'memberships',
      'invitations',
      'refresh_tokens',
      'api_tokens',
      'audit_log',
    ]) {
      expect(names).toContain(expected);
    }
  });

  it('every tenant table is guarded by forced RLS with a tenant policy, or unreachable except through a view', () => {
    const violations: string[] = [];
    for (const table of tables) {
      const guarded = table.rls && table.forced;
      const own = policies.filter((p) => p.table === table.table);
      const tenantPolicy = own.some(
        (p) =>
          p.cmd === '*' &&
          p.qual?.includes("current_setting('app.current_tenant'") &&
          p.qual.includes('tenant_id') &&
          p.check?.includes("current_setting('app.current_tenant'") &&
          p.check.includes('tenant_id'),
      );
      const hidden = !table.app_privileges && !table.public_privileges;
      if (!(guarded && tenantPolicy) && !hidden) {
        violations.push(
          `${table.table}: rls=${table.rls} forced=${table.forced} tenantPolicy=${tenantPolicy} appPrivileges=${table.app_privileges}`,
        );
      }
    }
    expect(violations).toEqual([]);
  });

  it('every policy on a tenant table is scoped by the tenant or, for self-service reads, the current user', () => {
    const tenantTables = new Set(tables.map((x) => x.table));
    const loose = policies.filter(
      (p) =>
        tenantTables.has(p.table) &&
        !p.qual?.includes("current_setting('app.current_tenant'") &&
        !(p.cmd === 'r' && p.qual?.includes("current_setting('app.current_user'")),
    );
    expect(loose).toEqual([]);
  });

  it('tenant_id leads every primary key', () => {
    const wrong = tables
      .filter((x) => !x.is_partition && x.pk_first !== 'tenant_id')
      .map((x) => `${x.table} (${x.pk_first})`);
    expect(wrong).toEqual([]);
  });

  it('the app role cannot bypass row-level security and owns nothing', async () => {
    const { rows } = await t.db.query<{ rolbypassrls: boolean; rolsuper: boolean; owns: number }>(`
      select r.rolbypassrls, r.rolsuper,
             (select count(*)::int from pg_class c where c.relowner = r.oid) as owns
        from pg_roles r where r.rolname = 'dyocense_app'`);
    expect(rows).toEqual([{ rolbypassrls: false, rolsuper: false, owns: 0 }]);
  });
});
