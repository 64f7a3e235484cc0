import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { ApiApp } from '../../platform/http/api-app.js';
import { requestMeta } from '../../platform/http/api-app.js';
import { IdParams, Paging } from '../../platform/http/schemas.js';
import type { AccountsService } from './service.js';
import * as s from './schemas.js';
import * as v from './views.js';

export interface AccountsRouteOptions {
  accounts: AccountsService;
  /** Per-IP limit on the unauthenticated auth routes. */
  authRateLimit: { max: number; timeWindow: string };
}

const sessionWithTenants = (session: Awaited<ReturnType<AccountsService['login']>>) => ({
  ...session,
  tenants: session.tenants.map(v.membershipView),
});

export function accountsRoutes(
  app: ApiApp,
  { accounts, authRateLimit }: AccountsRouteOptions,
): void {
  const limited = { rateLimit: authRateLimit };
  const tags = ['auth'];

  app.post('/v1/auth/signup', {
    config: { access: 'public', ...limited },
    schema: {
      tags,
      summary: 'Create a business and its owner account',
      body: s.SignupBody,
      response: { 201: s.SessionView },
    },
    handler: async (req, reply) => {
      const b = req.body;
      const session = await accounts.signup(
        {
          email: b.email,
          password: b.password,
          name: b.name,
          businessName: b.businessName,
          currency: b.currency ?? 'USD',
          timezone: b.timezone ?? 'UTC',
          industry: b.industry ?? null,
        },
        requestMeta(req),
      );
      return reply.code(201).send(session);
    },
  });

  app.post('/v1/auth/login', {
    config: { access: 'public', ...limited },
    schema: {
      tags,
      summary: 'Log in with e-mail and password',
      body: s.LoginBody,
      response: { 200: s.SessionView },
    },
    handler: async (req) => sessionWithTenants(await accounts.login(req.body, requestMeta(req))),
  });

  app.post('/v1/auth/refresh', {
    config: { access: 'public', ...limited },
    schema: {
      tags,
      summary: 'Exchange a refresh token for new tokens (rotation; reuse revokes the login)',
      body: s.RefreshBody,
      response: { 200: s.SessionView },
    },
    handler: async (req) => accounts.refresh(req.body.refreshToken, requestMeta(req)),
  });

  app.post('/v1/auth/logout', {
    config: { access: 'public', ...limited },
    schema: {
      tags,
      summary: 'End a login (revokes its refresh tokens)',
      body: s.RefreshBody,
      response: { 204: Type.Null() },
    },
    handler: async (req, reply) => {
      await accounts.logout(req.body.refreshToken, requestMeta(req));
      return reply.code(204).send(null);
    },
  });

  app.post('/v1/auth/accept-invitation', {
    config: { access: 'public', ...limited },
    schema: {
      tags,
      summary: 'Join a business with an invitation token',
      body: s.AcceptInvitationBody,
      response: { 200: s.SessionView },
    },
    handler: async (req) => accounts.acceptInvitation(req.body, requestMeta(req)),
  });

  app.get('/v1/auth/tenants', {
    config: { access: 'authenticated' },
    schema: {
      tags,
      summary: 'Businesses you belong to',
      response: { 200: Type.Object({ items: Type.Array(s.Membership) }) },
    },
    handler: async (req) => ({
      items: (await accounts.myTenants(req.requireAuth())).map(v.membershipView),
    }),
  });

  app.post('/v1/auth/switch', {
    config: { access: 'authenticated' },
    schema: {
      tags,
      summary: 'New tokens for another of your businesses',
      body: s.SwitchBody,
      response: { 200: s.SessionView },
    },
    handler: async (req) =>
      accounts.switchTenant(req.requireAuth(), req.body.tenantId, requestMeta(req)),
  });

  const me = async (req: FastifyRequest) => {
    const m = await accounts.me(req.requireAuth());
    return { ...m, tenant: v.tenantView(m.tenant) };
  };

  app.get('/v1/me', {
    config: { access: 'viewer' },
    schema: {
      tags: ['account'],
      summary: 'Who you are, in which business, with which role',
      response: { 200: s.MeView },
    },
    handler: me,
  });

  // The first public name of /v1/me; kept working until its sunset (docs/api.md, deprecation policy).
  app.get('/v1/whoami', {
    config: {
      access: 'viewer',
      deprecated: { since: '2026-11-01', sunset: '2027-06-01', successor: '/v1/me' },
    },
    schema: {
      tags: ['account'],
      summary: 'Deprecated: use GET /v1/me',
      response: { 200: s.MeView },
    },
    handler: me,
  });

  app.get('/v1/tenant', {
    config: { access: 'viewer' },
    schema: { tags: ['account'], summary: 'The current business', response: { 200: s.TenantView } },
    handler: async (req) => v.tenantView((await req.withTenant((tx) => accounts.getTenant(tx)))!),
  });

  app.patch('/v1/tenant', {
    config: { access: 'admin' },
    schema: {
      tags: ['account'],
      summary: 'Update the business profile',
      body: s.TenantPatch,
      response: { 200: s.TenantView },
    },
    handler: async (req) =>
      v.tenantView(
        await req.withTenant((tx) => accounts.updateTenant(tx, req.requireAuth(), req.body)),
      ),
  });

  app.get('/v1/members', {
    config: { access: 'viewer' },
    schema: {
      tags: ['members'],
      summary: 'People in this business',
      response: { 200: Type.Object({ items: Type.Array(s.MemberView) }) },
    },
    handler: async (req) => ({
      items: (await req.withTenant((tx) => accounts.listMembers(tx))).map(v.memberView),
    }),
  });

  app.patch('/v1/members/:userId', {
    config: { access: 'admin' },
    schema: {
      tags: ['members'],
      summary: "Change a member's role",
      params: s.MemberParams,
      body: s.MemberPatch,
      response: { 200: s.MemberView },
    },
    handler: async (req) =>
      v.memberView(
        await req.withTenant((tx) =>
          accounts.changeMemberRole(
            tx,
            req.requireAuth(),
            req.params.userId,
            req.body.role,
            requestMeta(req),
          ),
        ),
      ),
  });

  app.delete('/v1/members/:userId', {
    config: { access: 'admin' },
    schema: {
      tags: ['members'],
      summary: 'Remove a member',
      params: s.MemberParams,
      response: { 204: Type.Null() },
    },
    handler: async (req, reply) => {
      await req.withTenant((tx) =>
        accounts.removeMember(tx, req.requireAuth(), req.params.userId, requestMeta(req)),
      );
      return reply.code(204).send(null);
    },
  });

  app.post('/v1/invitations', {
    config: { access: 'admin' },
    schema: {
      tags: ['members'],
      summary: 'Invite someone by e-mail',
      body: s.InvitationBody,
      response: { 201: s.InvitationCreated },
    },
    handler: async (req, reply) => {
      const { invitation, token } = await req.withTenant((tx) =>
        accounts.invite(tx, req.requireAuth(), req.body, requestMeta(req)),
      );
      return reply.code(201).send({ invitation: v.invitationView(invitation), token });
    },
  });

  app.get('/v1/invitations', {
    config: { access: 'admin' },
    schema: {
      tags: ['members'],
      summary: 'Invitations of this business',
      response: { 200: Type.Object({ items: Type.Array(s.InvitationView) }) },
    },
    handler: async (req) => ({
      items: (await req.withTenant((tx) => accounts.listInvitations(tx))).map(v.invitationView),
    }),
  });

  app.delete('/v1/invitations/:id', {
    config: { access: 'admin' },
    schema: {
      tags: ['members'],
      summary: 'Revoke an invitation',
      params: IdParams,
      response: { 200: s.InvitationView },
    },
    handler: async (req) =>
      v.invitationView(
        await req.withTenant((tx) =>
          accounts.revokeInvitation(tx, req.requireAuth(), req.params.id),
        ),
      ),
  });

  app.post('/v1/api-tokens', {
    config: { access: 'admin' },
    schema: {
      tags: ['api tokens'],
      summary: 'Create an API token (shown once)',
      body: s.ApiTokenBody,
      response: { 201: s.ApiTokenCreated },
    },
    handler: async (req, reply) => {
      const { row, token } = await req.withTenant((tx) =>
        accounts.createApiToken(tx, req.requireAuth(), req.body, requestMeta(req)),
      );
      return reply.code(201).send({ apiToken: v.apiTokenView(row), token });
    },
  });

  app.get('/v1/api-tokens', {
    config: { access: 'admin' },
    schema: {
      tags: ['api tokens'],
      summary: 'API tokens of this business',
      response: { 200: Type.Object({ items: Type.Array(s.ApiTokenView) }) },
    },
    handler: async (req) => ({
      items: (await req.withTenant((tx) => accounts.listApiTokens(tx))).map(v.apiTokenView),
    }),
  });

  app.delete('/v1/api-tokens/:id', {
    config: { access: 'admin' },
    schema: {
      tags: ['api tokens'],
      summary: 'Revoke an API token',
      params: IdParams,
      response: { 200: s.ApiTokenView },
    },
    handler: async (req) =>
      v.apiTokenView(
        await req.withTenant((tx) =>
          accounts.revokeApiToken(tx, req.requireAuth(), req.params.id, requestMeta(req)),
        ),
      ),
  });

  app.get('/v1/audit-log', {
    config: { access: 'admin' },
    schema: {
      tags: ['account'],
      summary: 'Security events, newest first',
      querystring: Paging,
      response: { 200: Type.Object({ items: Type.Array(s.AuditView) }) },
    },
    handler: async (req) => {
      const rows = await req.withTenant((tx) =>
        accounts.listAudit(tx, {
          limit: req.query.limit ?? 50,
          before: req.query.before ? new Date(req.query.before) : null,
        }),
      );
      return { items: rows.map(v.auditView) };
    },
  });
}
