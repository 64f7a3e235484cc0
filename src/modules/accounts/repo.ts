import type { SystemTx, TenantTx, UserTx } from '../../platform/tenancy/context.js';
import type { Role, Scope } from '../../platform/auth/roles.js';

// ---- users (global; only the auth flows read them in full, as the schema owner) ----

export interface UserRow {
  id: string;
  email: string;
  name: string;
  password_hash: string;
}

export async function findUserByEmail(tx: SystemTx, email: string): Promise<UserRow | null> {
  const { rows } = await tx.query<UserRow>(
    'select id, email, name, password_hash from users where lower(email) = lower($1)',
    [email],
    'accounts.findUserByEmail',
  );
  return rows[0] ?? null;
}

export async function findUserById(tx: SystemTx, id: string): Promise<UserRow | null> {
  const { rows } = await tx.query<UserRow>(
    'select id, email, name, password_hash from users where id = $1::uuid',
    [id],
    'accounts.findUserById',
  );
  return rows[0] ?? null;
}

export async function insertUser(
  tx: SystemTx,
  user: { email: string; name: string; passwordHash: string },
): Promise<{ id: string }> {
  const { rows } = await tx.query<{ id: string }>(
    'insert into users (email, name, password_hash) values ($1, $2, $3) returning id',
    [user.email, user.name, user.passwordHash],
    'accounts.insertUser',
  );
  return rows[0]!;
}

// ---- tenants and memberships ----

export interface TenantRow {
  id: string;
  name: string;
  currency: string;
  timezone: string;
  industry: string | null;
  created_at: Date;
}

const TENANT_COLUMNS = 'id, name, currency, timezone, industry, created_at';

export async function insertTenant(
  tx: TenantTx,
  t: { name: string; currency: string; timezone: string; industry: string | null },
): Promise<TenantRow> {
  const { rows } = await tx.query<TenantRow>(
    `insert into tenants (id, name, currency, timezone, industry) values ($1::uuid, $2, $3, $4, $5)
     returning ${TENANT_COLUMNS}`,
    [tx.tenantId, t.name, t.currency, t.timezone, t.industry],
    'accounts.insertTenant',
  );
  return rows[0]!;
}

export async function getTenant(tx: TenantTx): Promise<TenantRow | null> {
  const { rows } = await tx.query<TenantRow>(
    `select ${TENANT_COLUMNS} from tenants`,
    [],
    'accounts.getTenant',
  );
  return rows[0] ?? null;
}

export async function updateTenant(
  tx: TenantTx,
  patch: Partial<{ name: string; currency: string; timezone: string; industry: string | null }>,
): Promise<TenantRow | null> {
  const { rows } = await tx.query<TenantRow>(
    `update tenants set
       name = coalesce($1, name),
       currency = coalesce($2, currency),
       timezone = coalesce($3, timezone),
       industry = case when $4::boolean then $5 else industry end
     returning ${TENANT_COLUMNS}`,
    [
      patch.name ?? null,
      patch.currency ?? null,
      patch.timezone ?? null,
      'industry' in patch,
      patch.industry ?? null,
    ],
    'accounts.updateTenant',
  );
  return rows[0] ?? null;
}

export interface MembershipRow {
  tenant_id: string;
  tenant_name: string;
  role: Role;
  created_at: Date;
}

export async function listMembershipsOfUser(tx: UserTx): Promise<MembershipRow[]> {
  const { rows } = await tx.query<MembershipRow>(
    `select m.tenant_id, t.name as tenant_name, m.role, m.created_at
       from memberships m join tenants t on t.id = m.tenant_id
      where m.user_id = $1::uuid
      order by m.created_at, t.name`,
    [tx.userId],
    'accounts.listMembershipsOfUser',
  );
  return rows;
}

export async function insertMembership(tx: TenantTx, userId: string, role: Role): Promise<void> {
  await tx.query(
    'insert into memberships (tenant_id, user_id, role) values ($1::uuid, $2::uuid, $3)',
    [tx.tenantId, userId, role],
    'accounts.insertMembership',
  );
}

export async function findMembershipRole(tx: TenantTx, userId: string): Promise<Role | null> {
  const { rows } = await tx.query<{ role: Role }>(
    'select role from memberships where user_id = $1::uuid',
    [userId],
    'accounts.findMembershipRole',
  );
  return rows[0]?.role ?? null;
}

export interface MemberRow {
  user_id: string;
  email: string;
  name: string;
  role: Role;
  created_at: Date;
}

export async function listMembers(tx: TenantTx): Promise<MemberRow[]> {
  const { rows } = await tx.query<MemberRow>(
    `select m.user_id, u.email, u.name, m.role, m.created_at
       from memberships m join users u on u.id = m.user_id
      order by m.created_at`,
    [],
    'accounts.listMembers',
  );
  return rows;
}

export async function setMemberRole(tx: TenantTx, userId: string, role: Role): Promise<boolean> {
  const { rowCount } = await tx.query(
    'update memberships set role = $2 where user_id = $1::uuid',
    [userId, role],
    'accounts.setMemberRole',
  );
  return rowCount > 0;
}

export async function deleteMember(tx: TenantTx, userId: string): Promise<boolean> {
  const { rowCount } = await tx.query(
    'delete from memberships where user_id = $1::uuid',
    [userId],
    'accounts.deleteMember',
  );
  return rowCount > 0;
}

export async function countOwners(tx: TenantTx): Promise<number> {
  const { rows } = await tx.query<{ n: number }>(
    "select count(*)::int as n from memberships where role = 'owner'",
    [],
    'accounts.countOwners',
  );
  return rows[0]?.n ?? 0;
}

// ---- refresh tokens (sessions) ----

export interface RefreshTokenRow {
  id: string;
  user_id: string;
  family_id: string;
  expires_at: Date;
  rotated_at: Date | null;
  revoked_at: Date | null;
}

export async function insertRefreshToken(
  tx: TenantTx,
  t: { userId: string; familyId: string; hash: string; expiresAt: Date },
): Promise<void> {
  await tx.query(
    `insert into refresh_tokens (tenant_id, user_id, family_id, token_hash, expires_at)
     values ($1::uuid, $2::uuid, $3::uuid, $4, $5)`,
    [tx.tenantId, t.userId, t.familyId, t.hash, t.expiresAt],
    'accounts.insertRefreshToken',
  );
}

/** Locks the row so two concurrent refreshes of one token cannot both succeed. */
export async function findRefreshTokenForUpdate(
  tx: TenantTx,
  hash: string,
): Promise<RefreshTokenRow | null> {
  const { rows } = await tx.query<RefreshTokenRow>(
    `select id, user_id, family_id, expires_at, rotated_at, revoked_at
       from refresh_tokens where token_hash = $1 for update`,
    [hash],
    'accounts.findRefreshToken',
  );
  return rows[0] ?? null;
}

export async function markRefreshTokenRotated(tx: TenantTx, id: string): Promise<void> {
  await tx.query(
    'update refresh_tokens set rotated_at = now() where id = $1::uuid',
    [id],
    'accounts.rotateRefreshToken',
  );
}

export async function revokeRefreshFamily(tx: TenantTx, familyId: string): Promise<number> {
  const { rowCount } = await tx.query(
    'update refresh_tokens set revoked_at = now() where family_id = $1::uuid and revoked_at is null',
    [familyId],
    'accounts.revokeRefreshFamily',
  );
  return rowCount;
}

export async function revokeUserSessions(tx: TenantTx, userId: string): Promise<void> {
  await tx.query(
    'update refresh_tokens set revoked_at = now() where user_id = $1::uuid and revoked_at is null',
    [userId],
    'accounts.revokeUserSessions',
  );
}

// ---- API tokens ----

export interface ApiTokenRow {
  id: string;
  name: string;
  prefix: string;
  token_hash: string;
  scopes: Scope[];
  created_by: string | null;
  created_at: Date;
  expires_at: Date | null;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

const API_TOKEN_COLUMNS =
  'id, name, prefix, token_hash, scopes, created_by, created_at, expires_at, last_used_at, revoked_at';

export async function insertApiToken(
  tx: TenantTx,
  t: {
    name: string;
    prefix: string;
    hash: string;
    scopes: Scope[];
    createdBy: string | null;
    expiresAt: Date | null;
  },
): Promise<ApiTokenRow> {
  const { rows } = await tx.query<ApiTokenRow>(
    `insert into api_tokens (tenant_id, name, prefix, token_hash, scopes, created_by, expires_at)
     values ($1::uuid, $2, $3, $4, $5::text[], $6::uuid, $7) returning ${API_TOKEN_COLUMNS}`,
    [tx.tenantId, t.name, t.prefix, t.hash, t.scopes, t.createdBy, t.expiresAt],
    'accounts.insertApiToken',
  );
  return rows[0]!;
}

export async function listApiTokens(tx: TenantTx): Promise<ApiTokenRow[]> {
  const { rows } = await tx.query<ApiTokenRow>(
    `select ${API_TOKEN_COLUMNS} from api_tokens order by created_at desc`,
    [],
    'accounts.listApiTokens',
  );
  return rows;
}

export async function findApiTokenByPrefix(
  tx: TenantTx,
  prefix: string,
): Promise<ApiTokenRow | null> {
  const { rows } = await tx.query<ApiTokenRow>(
    `select ${API_TOKEN_COLUMNS} from api_tokens where prefix = $1`,
    [prefix],
    'accounts.findApiTokenByPrefix',
  );
  return rows[0] ?? null;
}

/** Records use at most once a minute per token, so authentication is not a write per request. */
export async function touchApiToken(tx: TenantTx, id: string): Promise<void> {
  await tx.query(
    `update api_tokens set last_used_at = now()
      where id = $1::uuid and (last_used_at is null or last_used_at < now() - interval '1 minute')`,
    [id],
    'accounts.touchApiToken',
  );
}

export async function revokeApiToken(tx: TenantTx, id: string): Promise<ApiTokenRow | null> {
  const { rows } = await tx.query<ApiTokenRow>(
    `update api_tokens set revoked_at = coalesce(revoked_at, now()) where id = $1::uuid returning ${API_TOKEN_COLUMNS}`,
    [id],
    'accounts.revokeApiToken',
  );
  return rows[0] ?? null;
}

// ---- invitations ----

export interface InvitationRow {
  id: string;
  email: string;
  role: Role;
  invited_by: string | null;
  created_at: Date;
  expires_at: Date;
  accepted_at: Date | null;
  revoked_at: Date | null;
}

const INVITATION_COLUMNS =
  'id, email, role, invited_by, created_at, expires_at, accepted_at, revoked_at';

export async function insertInvitation(
  tx: TenantTx,
  inv: { email: string; role: Role; hash: string; invitedBy: string | null; expiresAt: Date },
): Promise<InvitationRow> {
  const { rows } = await tx.query<InvitationRow>(
    `insert into invitations (tenant_id, email, role, token_hash, invited_by, expires_at)
     values ($1::uuid, $2, $3, $4, $5::uuid, $6) returning ${INVITATION_COLUMNS}`,
    [tx.tenantId, inv.email, inv.role, inv.hash, inv.invitedBy, inv.expiresAt],
    'accounts.insertInvitation',
  );
  return rows[0]!;
}

export async function listInvitations(tx: TenantTx): Promise<InvitationRow[]> {
  const { rows } = await tx.query<InvitationRow>(
    `select ${INVITATION_COLUMNS} from invitations order by created_at desc`,
    [],
    'accounts.listInvitations',
  );
  return rows;
}

export async function findInvitationByHashForUpdate(
  tx: TenantTx,
  hash: string,
): Promise<InvitationRow | null> {
  const { rows } = await tx.query<InvitationRow>(
    `select ${INVITATION_COLUMNS} from invitations where token_hash = $1 for update`,
    [hash],
    'accounts.findInvitation',
  );
  return rows[0] ?? null;
}

export async function markInvitationAccepted(tx: TenantTx, id: string): Promise<void> {
  await tx.query(
    'update invitations set accepted_at = now() where id = $1::uuid',
    [id],
    'accounts.acceptInvitation',
  );
}

export async function revokeInvitation(tx: TenantTx, id: string): Promise<InvitationRow | null> {
  const { rows } = await tx.query<InvitationRow>(
    `update invitations set revoked_at = coalesce(revoked_at, now())
      where id = $1::uuid and accepted_at is null returning ${INVITATION_COLUMNS}`,
    [id],
    'accounts.revokeInvitation',
  );
  return rows[0] ?? null;
}

// ---- audit log ----

export interface AuditEvent {
  action: string;
  actorUserId?: string | null;
  actorTokenId?: string | null;
  target?: string | null;
  ip?: string | null;
  details?: Record<string, unknown>;
}

export interface AuditRow {
  id: string;
  at: Date;
  actor_user_id: string | null;
  actor_token_id: string | null;
  action: string;
  target: string | null;
  ip: string | null;
  details: Record<string, unknown>;
}

export async function insertAudit(tx: TenantTx, e: AuditEvent): Promise<void> {
  await tx.query(
    `insert into audit_log (tenant_id, actor_user_id, actor_token_id, action, target, ip, details)
     values ($1::uuid, $2::uuid, $3::uuid, $4, $5, $6, $7::jsonb)`,
    [
      tx.tenantId,
      e.actorUserId ?? null,
      e.actorTokenId ?? null,
      e.action,
      e.target ?? null,
      e.ip ?? null,
      JSON.stringify(e.details ?? {}),
    ],
    'accounts.insertAudit',
  );
}

export async function listAudit(
  tx: TenantTx,
  opts: { limit: number; before: Date | null },
): Promise<AuditRow[]> {
  const { rows } = await tx.query<AuditRow>(
    `select id, at, actor_user_id, actor_token_id, action, target, ip, details
       from audit_log where ($1::timestamptz is null or at < $1) order by at desc limit $2`,
    [opts.before, opts.limit],
    'accounts.listAudit',
  );
  return rows;
}
