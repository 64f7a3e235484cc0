import type { Database, Queryable, Transaction } from '../db/types.js';

/** The role every tenant transaction switches to (see migrations/0001-platform.sql). */
export const APP_ROLE = 'dyocense_app';

declare const tenantBrand: unique symbol;
declare const systemBrand: unique symbol;

/**
 * A transaction scoped to one tenant: running as the app role (no RLS bypass) with
 * `app.current_tenant` set. Repositories of tenant data accept only this type, so they
 * cannot be handed the raw database by mistake.
 */
export type TenantTx = Queryable & { readonly tenantId: string; readonly [tenantBrand]: true };

/**
 * A transaction as the schema owner, outside any tenant. Only platform code that must
 * work before a tenant is known (login by e-mail, migrations, job queue) receives one.
 */
export type SystemTx = Transaction & { readonly [systemBrand]: true };

/** A transaction as the app role that sees one person's memberships (login, tenant picker). */
export type UserTx = Queryable & { readonly userId: string; readonly [tenantBrand]: true };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

export class TenancyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TenancyError';
  }
}

async function enterAppRole(tx: Transaction, tenantId: string | null, userId: string | null) {
  // The role name is a constant, never input; the ids travel as parameters and the
  // settings are transaction-local, so a pooled connection never carries them further.
  await tx.query(`set local role ${APP_ROLE}`, [], 'tenancy.set_role');
  await tx.query(
    "select set_config('app.current_tenant', $1, true), set_config('app.current_user', $2, true)",
    [tenantId ?? '', userId ?? ''],
    'tenancy.set_tenant',
  );
}

/**
 * Runs `fn` in one transaction as the app role scoped to `tenantId` (and optionally the
 * acting user). Everything tenant-scoped goes through here.
 *
 * @example
 * const goals = await withTenant(db, tenantId, (tx) => goalsRepo.list(tx));
 */
export async function withTenant<T>(
  db: Database,
  tenantId: string,
  fn: (tx: TenantTx) => Promise<T>,
): Promise<T> {
  if (!isUuid(tenantId)) throw new TenancyError('tenant id must be a UUID');
  return db.transaction(async (tx) => {
    // Only the tenant: app.current_user stays empty, so the self-service read policies
    // (a person's memberships in other businesses) never widen a tenant's view.
    await enterAppRole(tx, tenantId, null);
    const scoped = Object.assign(Object.create(null) as object, {
      tenantId,
      query: tx.query.bind(tx),
    });
    return fn(scoped as TenantTx);
  });
}

/** Runs `fn` as the app role with only `app.current_user` set: the person's own memberships. */
export async function withUser<T>(
  db: Database,
  userId: string,
  fn: (tx: UserTx) => Promise<T>,
): Promise<T> {
  if (!isUuid(userId)) throw new TenancyError('user id must be a UUID');
  return db.transaction(async (tx) => {
    await enterAppRole(tx, null, userId);
    const scoped = Object.assign(Object.create(null) as object, {
      userId,
      query: tx.query.bind(tx),
    });
    return fn(scoped as UserTx);
  });
}

/** Runs `fn` as the schema owner. For platform code only (auth lookups by e-mail, jobs). */
export async function withSystem<T>(db: Database, fn: (tx: SystemTx) => Promise<T>): Promise<T> {
  return db.transaction((tx) => fn(tx as SystemTx));
}

/**
 * Switches an open system transaction to the app role scoped to `tenantId`, so one atomic
 * unit can create a global user and that user's tenant rows (signup, accepting an
 * invitation). The system handle must not be used afterwards.
 */
export async function enterTenant(tx: SystemTx, tenantId: string): Promise<TenantTx> {
  if (!isUuid(tenantId)) throw new TenancyError('tenant id must be a UUID');
  await enterAppRole(tx, tenantId, null);
  return Object.assign(Object.create(null) as object, {
    tenantId,
    query: tx.query.bind(tx),
  }) as TenantTx;
}
