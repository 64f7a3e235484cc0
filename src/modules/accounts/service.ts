import { randomUUID } from 'node:crypto';
import type { Database } from '../../platform/db/types.js';
import type { AuthContext, ApiTokenVerifier } from '../../platform/auth/context.js';
import type { AccessTokens } from '../../platform/auth/jwt.js';
import { burnPasswordCheck, hashPassword, verifyPassword } from '../../platform/auth/passwords.js';
import {
  hashToken,
  newApiToken,
  newTenantToken,
  parseApiToken,
  parseTenantToken,
  tokenHashMatches,
} from '../../platform/auth/credentials.js';
import { roleAtLeast, roleForScopes, type Role, type Scope } from '../../platform/auth/roles.js';
import { AppError, notFound } from '../../platform/errors/app-error.js';
import {
  enterTenant,
  withSystem,
  withTenant,
  withUser,
  type TenantTx,
} from '../../platform/tenancy/context.js';
import * as repo from './repo.js';

export interface AccountsDeps {
  db: Database;
  accessTokens: AccessTokens;
  refreshTokenTtlMs: number;
  now?: () => Date;
  /** Called for every security event (metrics); never throws into the flow. */
  onSecurityEvent?: (action: string) => void;
}

export interface RequestMeta {
  ip: string | null;
}

export interface Session {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  user: { id: string; email: string; name: string };
  tenant: { id: string; name: string; role: Role };
}

const INVITATION_TTL_MS = 7 * 86_400_000;

function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: string })?.code === '23505';
}

/** Signup, login, sessions, members, invitations, API tokens and the audit log. */
export class AccountsService implements ApiTokenVerifier {
  private readonly now: () => Date;

  constructor(private readonly deps: AccountsDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  private audit(tx: TenantTx, event: repo.AuditEvent): Promise<void> {
    this.deps.onSecurityEvent?.(event.action);
    return repo.insertAudit(tx, event);
  }

  /** Issues an access token and a new refresh token in `familyId` (a new family = a new login). */
  private async issueSession(
    tx: TenantTx,
    user: { id: string; email: string; name: string },
    tenant: { id: string; name: string },
    role: Role,
    familyId: string = randomUUID(),
  ): Promise<Session> {
    const refresh = newTenantToken('rt', tenant.id);
    await repo.insertRefreshToken(tx, {
      userId: user.id,
      familyId,
      hash: refresh.hash,
      expiresAt: new Date(this.now().getTime() + this.deps.refreshTokenTtlMs),
    });
    const access = await this.deps.accessTokens.sign(
      { userId: user.id, tenantId: tenant.id, role, sessionId: familyId },
      this.now().getTime(),
    );
    return {
      accessToken: access.token,
      refreshToken: refresh.token,
      tokenType: 'Bearer',
      expiresIn: access.expiresIn,
      user: { id: user.id, email: user.email, name: user.name },
      tenant: { id: tenant.id, name: tenant.name, role },
    };
  }

  /** Creates a business and its owner in one transaction. */
  async signup(
    input: {
      email: string;
      password: string;
      name: string;
      businessName: string;
      currency: string;
      timezone: string;
      industry: string | null;
    },
    meta: RequestMeta,
  ): Promise<Session> {
    const passwordHash = await hashPassword(input.password);
    const tenantId = randomUUID();
    try {
      return await withSystem(this.deps.db, async (sys) => {
        const user = await repo.insertUser(sys, {
          email: input.email,
          name: input.name,
          passwordHash,
        });
        const tx = await enterTenant(sys, tenantId);
        const tenant = await repo.insertTenant(tx, {
          name: input.businessName,
          currency: input.currency,
          timezone: input.timezone,
          industry: input.industry,
        });
        await repo.insertMembership(tx, user.id, 'owner');
        await this.audit(tx, {
          action: 'signup',
          actorUserId: user.id,
          ip: meta.ip,
          target: `user:${user.id}`,
        });
        return this.issueSession(
          tx,
          { id: user.id, email: input.email, name: input.name },
          tenant,
          'owner',
        );
      });
    } catch (err) {
      if (isUniqueViolation(err))
        throw new AppError(
          'email_taken',
          `an account with ${input.email} already exists; log in instead`,
        );
      throw err;
    }
  }

  async login(
    input: { email: string; password: string; tenantId?: string },
    meta: RequestMeta,
  ): Promise<Session & { tenants: repo.MembershipRow[] }> {
    const user = await withSystem(this.deps.db, (sys) => repo.findUserByEmail(sys, input.email));
    if (!user) {
      await burnPasswordCheck(input.password);
      this.deps.onSecurityEvent?.('login_failed');
      throw new AppError('invalid_credentials', 'e-mail or password is wrong');
    }
    const ok = await verifyPassword(input.password, user.password_hash);
    const memberships = await withUser(this.deps.db, user.id, (tx) =>
      repo.listMembershipsOfUser(tx),
    );
    if (!ok) {
      for (const m of memberships) {
        await withTenant(this.deps.db, m.tenant_id, (tx) =>
          this.audit(tx, {
            action: 'login_failed',
            actorUserId: user.id,
            ip: meta.ip,
            target: `user:${user.id}`,
          }),
        );
      }
      if (memberships.length === 0) this.deps.onSecurityEvent?.('login_failed');
      throw new AppError('invalid_credentials', 'e-mail or password is wrong');
    }
    const chosen = input.tenantId
      ? memberships.find((m) => m.tenant_id === input.tenantId)
      : memberships[0];
    if (!chosen) {
      throw input.tenantId
        ? notFound(`business ${input.tenantId} among your memberships`)
        : new AppError('forbidden', 'this account does not belong to any business any more');
    }
    const session = await withTenant(this.deps.db, chosen.tenant_id, async (tx) => {
      await this.audit(tx, {
        action: 'login',
        actorUserId: user.id,
        ip: meta.ip,
        target: `user:${user.id}`,
      });
      return this.issueSession(
        tx,
        user,
        { id: chosen.tenant_id, name: chosen.tenant_name },
        chosen.role,
      );
    });
    return { ...session, tenants: memberships };
  }

  /** Rotates a refresh token. Presenting one that was already rotated revokes its whole family. */
  async refresh(refreshToken: string, meta: RequestMeta): Promise<Session> {
    const parsed = parseTenantToken('rt', refreshToken);
    if (!parsed) throw new AppError('invalid_refresh_token', 'the refresh token is malformed');
    const outcome = await withTenant(this.deps.db, parsed.tenantId, async (tx) => {
      const row = await repo.findRefreshTokenForUpdate(tx, hashToken(refreshToken));
      if (!row || row.revoked_at)
        return { ok: false, error: 'the refresh token is unknown or revoked' } as const;
      if (row.rotated_at) {
        await repo.revokeRefreshFamily(tx, row.family_id);
        await this.audit(tx, {
          action: 'refresh_token_reuse',
          actorUserId: row.user_id,
          ip: meta.ip,
          details: { family: row.family_id },
        });
        return {
          ok: false,
          error: 'the refresh token was already used; every session of this login is now revoked',
        } as const;
      }
      if (row.expires_at.getTime() <= this.now().getTime())
        return { ok: false, error: 'the refresh token has expired' } as const;
      const role = await repo.findMembershipRole(tx, row.user_id);
      const tenant = await repo.getTenant(tx);
      if (!role || !tenant) {
        await repo.revokeRefreshFamily(tx, row.family_id);
        return { ok: false, error: 'you are no longer a member of this business' } as const;
      }
      await repo.markRefreshTokenRotated(tx, row.id);
      return { ok: true, row, role, tenant } as const;
    });
    if (!outcome.ok) throw new AppError('invalid_refresh_token', outcome.error);
    const user = await withSystem(this.deps.db, (sys) =>
      repo.findUserById(sys, outcome.row.user_id),
    );
    if (!user) throw new AppError('invalid_refresh_token', 'the account no longer exists');
    return withTenant(this.deps.db, parsed.tenantId, (tx) =>
      this.issueSession(tx, user, outcome.tenant, outcome.role, outcome.row.family_id),
    );
  }

  /** Ends a login: revokes the refresh token's whole family. Unknown tokens are ignored. */
  async logout(refreshToken: string, meta: RequestMeta): Promise<void> {
    const parsed = parseTenantToken('rt', refreshToken);
    if (!parsed) return;
    await withTenant(this.deps.db, parsed.tenantId, async (tx) => {
      const row = await repo.findRefreshTokenForUpdate(tx, hashToken(refreshToken));
      if (!row) return;
      await repo.revokeRefreshFamily(tx, row.family_id);
      await this.audit(tx, { action: 'logout', actorUserId: row.user_id, ip: meta.ip });
    });
  }

  async myTenants(auth: AuthContext): Promise<repo.MembershipRow[]> {
    if (!auth.userId) return [];
    return withUser(this.deps.db, auth.userId, (tx) => repo.listMembershipsOfUser(tx));
  }

  /** A new session in another business the caller belongs to. */
  async switchTenant(auth: AuthContext, tenantId: string, meta: RequestMeta): Promise<Session> {
    if (!auth.userId) throw new AppError('forbidden', 'API tokens are bound to one business');
    const memberships = await this.myTenants(auth);
    const m = memberships.find((x) => x.tenant_id === tenantId);
    if (!m) throw notFound(`business ${tenantId}`);
    const user = await withSystem(this.deps.db, (sys) => repo.findUserById(sys, auth.userId!));
    if (!user) throw new AppError('unauthenticated', 'the account no longer exists');
    return withTenant(this.deps.db, tenantId, async (tx) => {
      await this.audit(tx, {
        action: 'login',
        actorUserId: user.id,
        ip: meta.ip,
        details: { via: 'switch' },
      });
      return this.issueSession(tx, user, { id: m.tenant_id, name: m.tenant_name }, m.role);
    });
  }

  async me(auth: AuthContext) {
    const user = auth.userId
      ? await withSystem(this.deps.db, (sys) => repo.findUserById(sys, auth.userId!))
      : null;
    const tenant = await withTenant(this.deps.db, auth.tenantId, (tx) => repo.getTenant(tx));
    if (!tenant) throw notFound('business');
    return {
      user: user ? { id: user.id, email: user.email, name: user.name } : null,
      tenant,
      role: auth.role,
      via: auth.kind,
      scopes: auth.scopes,
    };
  }

  // ---- tenant ----

  getTenant(tx: TenantTx) {
    return repo.getTenant(tx);
  }

  async updateTenant(
    tx: TenantTx,
    auth: AuthContext,
    patch: Parameters<typeof repo.updateTenant>[1],
  ) {
    const t = await repo.updateTenant(tx, patch);
    if (!t) throw notFound('business');
    await this.audit(tx, {
      action: 'tenant_updated',
      actorUserId: auth.userId,
      actorTokenId: auth.tokenId,
      details: patch,
    });
    return t;
  }

  // ---- members ----

  listMembers(tx: TenantTx) {
    return repo.listMembers(tx);
  }

  async changeMemberRole(
    tx: TenantTx,
    auth: AuthContext,
    userId: string,
    role: Role,
    meta: RequestMeta,
  ) {
    const current = await repo.findMembershipRole(tx, userId);
    if (!current) throw notFound(`member ${userId}`);
    if ((role === 'owner' || current === 'owner') && !roleAtLeast(auth.role, 'owner')) {
      throw new AppError('forbidden', 'only an owner can grant or take away the owner role');
    }
    if (current === 'owner' && role !== 'owner' && (await repo.countOwners(tx)) <= 1) {
      throw new AppError('last_owner', 'make someone else an owner first');
    }
    await repo.setMemberRole(tx, userId, role);
    await this.audit(tx, {
      action: 'role_changed',
      actorUserId: auth.userId,
      actorTokenId: auth.tokenId,
      target: `user:${userId}`,
      ip: meta.ip,
      details: { from: current, to: role },
    });
    return (await repo.listMembers(tx)).find((m) => m.user_id === userId)!;
  }

  async removeMember(tx: TenantTx, auth: AuthContext, userId: string, meta: RequestMeta) {
    const current = await repo.findMembershipRole(tx, userId);
    if (!current) throw notFound(`member ${userId}`);
    if (current === 'owner' && !roleAtLeast(auth.role, 'owner')) {
      throw new AppError('forbidden', 'only an owner can remove an owner');
    }
    if (current === 'owner' && (await repo.countOwners(tx)) <= 1) {
      throw new AppError('last_owner', 'a business must keep at least one owner');
    }
    await repo.deleteMember(tx, userId);
    await repo.revokeUserSessions(tx, userId);
    await this.audit(tx, {
      action: 'member_removed',
      actorUserId: auth.userId,
      actorTokenId: auth.tokenId,
      target: `user:${userId}`,
      ip: meta.ip,
    });
  }

  // ---- invitations ----

  async invite(
    tx: TenantTx,
    auth: AuthContext,
    input: { email: string; role: Role },
    meta: RequestMeta,
  ) {
    if (input.role === 'owner')
      throw new AppError('validation_failed', 'invite as admin, then promote to owner');
    const { token, hash } = newTenantToken('inv', tx.tenantId);
    const invitation = await repo.insertInvitation(tx, {
      email: input.email,
      role: input.role,
      hash,
      invitedBy: auth.userId,
      expiresAt: new Date(this.now().getTime() + INVITATION_TTL_MS),
    });
    await this.audit(tx, {
      action: 'invitation_created',
      actorUserId: auth.userId,
      actorTokenId: auth.tokenId,
      target: `invitation:${invitation.id}`,
      ip: meta.ip,
      details: { email: input.email, role: input.role },
    });
    return { invitation, token };
  }

  listInvitations(tx: TenantTx) {
    return repo.listInvitations(tx);
  }

  async revokeInvitation(tx: TenantTx, auth: AuthContext, id: string) {
    const inv = await repo.revokeInvitation(tx, id);
    if (!inv) throw notFound(`invitation ${id}`);
    await this.audit(tx, {
      action: 'invitation_revoked',
      actorUserId: auth.userId,
      actorTokenId: auth.tokenId,
      target: `invitation:${id}`,
    });
    return inv;
  }

  /**
   * Accepts an invitation. An existing account proves itself with its password; otherwise a
   * new account is created with the given name and password. All in one transaction.
   */
  async acceptInvitation(
    input: { token: string; password: string; name?: string },
    meta: RequestMeta,
  ): Promise<Session> {
    const parsed = parseTenantToken('inv', input.token);
    if (!parsed) throw new AppError('invitation_invalid', 'the invitation token is malformed');
    const invitation = await withTenant(this.deps.db, parsed.tenantId, (tx) =>
      repo.findInvitationByHashForUpdate(tx, hashToken(input.token)),
    );
    if (
      !invitation ||
      invitation.accepted_at ||
      invitation.revoked_at ||
      invitation.expires_at <= this.now()
    ) {
      throw new AppError(
        'invitation_invalid',
        'the invitation was already used, revoked or has expired',
      );
    }
    const existing = await withSystem(this.deps.db, (sys) =>
      repo.findUserByEmail(sys, invitation.email),
    );
    if (existing && !(await verifyPassword(input.password, existing.password_hash))) {
      throw new AppError(
        'invalid_credentials',
        `an account with ${invitation.email} exists; give its password`,
      );
    }
    const passwordHash = existing ? null : await hashPassword(input.password);
    return withSystem(this.deps.db, async (sys) => {
      const user = existing ?? {
        ...(await repo.insertUser(sys, {
          email: invitation.email,
          name: input.name ?? '',
          passwordHash: passwordHash!,
        })),
        email: invitation.email,
        name: input.name ?? '',
      };
      const tx = await enterTenant(sys, parsed.tenantId);
      const fresh = await repo.findInvitationByHashForUpdate(tx, hashToken(input.token));
      if (!fresh || fresh.accepted_at || fresh.revoked_at) {
        throw new AppError('invitation_invalid', 'the invitation was already used or revoked');
      }
      if (await repo.findMembershipRole(tx, user.id)) {
        throw new AppError('conflict', `${invitation.email} is already a member of this business`);
      }
      await repo.insertMembership(tx, user.id, invitation.role);
      await repo.markInvitationAccepted(tx, invitation.id);
      await this.audit(tx, {
        action: 'invitation_accepted',
        actorUserId: user.id,
        target: `invitation:${invitation.id}`,
        ip: meta.ip,
        details: { role: invitation.role },
      });
      const tenant = (await repo.getTenant(tx))!;
      return this.issueSession(tx, user, tenant, invitation.role);
    });
  }

  // ---- API tokens ----

  async createApiToken(
    tx: TenantTx,
    auth: AuthContext,
    input: { name: string; scopes: Scope[]; expiresInDays?: number },
    meta: RequestMeta,
  ) {
    const scopes = [...new Set(input.scopes)];
    if (!roleAtLeast(auth.role, roleForScopes(scopes))) {
      throw new AppError(
        'forbidden',
        `your role (${auth.role}) cannot create a token with scopes ${scopes.join(', ')}`,
      );
    }
    const { token, prefix, hash } = newApiToken(tx.tenantId);
    const expiresAt = input.expiresInDays
      ? new Date(this.now().getTime() + input.expiresInDays * 86_400_000)
      : null;
    const row = await repo.insertApiToken(tx, {
      name: input.name,
      prefix,
      hash,
      scopes,
      createdBy: auth.userId,
      expiresAt,
    });
    await this.audit(tx, {
      action: 'api_token_created',
      actorUserId: auth.userId,
      actorTokenId: auth.tokenId,
      target: `api_token:${row.id}`,
      ip: meta.ip,
      details: { name: input.name, scopes, prefix },
    });
    return { row, token };
  }

  listApiTokens(tx: TenantTx) {
    return repo.listApiTokens(tx);
  }

  async revokeApiToken(tx: TenantTx, auth: AuthContext, id: string, meta: RequestMeta) {
    const row = await repo.revokeApiToken(tx, id);
    if (!row) throw notFound(`API token ${id}`);
    await this.audit(tx, {
      action: 'api_token_revoked',
      actorUserId: auth.userId,
      actorTokenId: auth.tokenId,
      target: `api_token:${id}`,
      ip: meta.ip,
    });
    return row;
  }

  async verifyApiToken(token: string): Promise<AuthContext | null> {
    const parsed = parseApiToken(token);
    if (!parsed) return null;
    return withTenant(this.deps.db, parsed.tenantId, async (tx) => {
      const row = await repo.findApiTokenByPrefix(tx, parsed.prefix);
      if (!row || !tokenHashMatches(token, row.token_hash)) return null;
      if (row.revoked_at || (row.expires_at && row.expires_at <= this.now())) return null;
      await repo.touchApiToken(tx, row.id);
      return {
        kind: 'api_token',
        tenantId: parsed.tenantId,
        role: roleForScopes(row.scopes),
        userId: null,
        tokenId: row.id,
        scopes: row.scopes,
        sessionId: null,
      } satisfies AuthContext;
    });
  }

  // ---- audit ----

  listAudit(tx: TenantTx, opts: { limit: number; before: Date | null }) {
    return repo.listAudit(tx, opts);
  }
}

/** The business profile of the transaction's tenant (for other modules: time zone, currency). */
export async function getTenantProfile(
  tx: TenantTx,
): Promise<{ name: string; currency: string; timezone: string }> {
  const t = await repo.getTenant(tx);
  if (!t) throw notFound('business');
  return { name: t.name, currency: t.currency, timezone: t.timezone };
}

/** Writes events of another module (e.g. plan item decisions) to the business's audit log. */
export async function recordAuditEvents(
  tx: TenantTx,
  events: readonly repo.AuditEvent[],
): Promise<void> {
  for (const e of events) await repo.insertAudit(tx, e);
}
