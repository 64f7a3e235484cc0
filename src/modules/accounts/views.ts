import type * as repo from './repo.js';

/** Row → API shape mappers (snake_case columns to the camelCase JSON the API promises). */
export const tenantView = (t: repo.TenantRow) => ({
  id: t.id,
  name: t.name,
  currency: t.currency,
  timezone: t.timezone,
  industry: t.industry,
  createdAt: t.created_at.toISOString(),
});

export const memberView = (m: repo.MemberRow) => ({
  userId: m.user_id,
  email: m.email,
  name: m.name,
  role: m.role,
  joinedAt: m.created_at.toISOString(),
});

export const membershipView = (m: repo.MembershipRow) => ({
  tenantId: m.tenant_id,
  name: m.tenant_name,
  role: m.role,
});

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const invitationView = (i: repo.InvitationRow) => ({
  id: i.id,
  email: i.email,
  role: i.role,
  createdAt: i.created_at.toISOString(),
  expiresAt: i.expires_at.toISOString(),
  acceptedAt: iso(i.accepted_at),
  revokedAt: iso(i.revoked_at),
});

export const apiTokenView = (t: repo.ApiTokenRow) => ({
  id: t.id,
  name: t.name,
  prefix: t.prefix,
  scopes: t.scopes,
  createdAt: t.created_at.toISOString(),
  expiresAt: iso(t.expires_at),
  lastUsedAt: iso(t.last_used_at),
  revokedAt: iso(t.revoked_at),
});

export const auditView = (a: repo.AuditRow) => ({
  id: a.id,
  at: a.at.toISOString(),
  actorUserId: a.actor_user_id,
  actorTokenId: a.actor_token_id,
  action: a.action,
  target: a.target,
  ip: a.ip,
  details: a.details,
});
