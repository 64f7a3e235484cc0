import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Database } from '../db/types.js';
import type { AuthContext, ApiTokenVerifier } from '../auth/context.js';
import { AccessTokenError, type AccessTokens } from '../auth/jwt.js';
import { roleAtLeast } from '../auth/roles.js';
import { AppError } from '../errors/app-error.js';
import { withTenant } from '../tenancy/context.js';
import './fastify-types.js';

async function authenticate(
  request: FastifyRequest,
  accessTokens: AccessTokens,
  apiTokens: ApiTokenVerifier,
): Promise<AuthContext | null> {
  const header = request.headers.authorization;
  if (header === undefined) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!m)
    throw new AppError('unauthenticated', 'the Authorization header must be "Bearer <token>"');
  const token = m[1]!;
  if (token.startsWith('dyo_')) {
    const ctx = await apiTokens.verifyApiToken(token);
    if (!ctx) throw new AppError('unauthenticated', 'the API token is unknown, revoked or expired');
    return ctx;
  }
  try {
    const claims = await accessTokens.verify(token);
    return {
      kind: 'user',
      tenantId: claims.tenantId,
      role: claims.role,
      userId: claims.userId,
      tokenId: null,
      scopes: null,
      sessionId: claims.sessionId,
    };
  } catch (err) {
    if (err instanceof AccessTokenError && err.reason === 'expired') {
      throw new AppError(
        'token_expired',
        'the access token has expired; refresh it at /v1/auth/refresh',
      );
    }
    throw new AppError('unauthenticated', 'the access token is not valid');
  }
}

/**
 * Authenticates every request (JWT access token or API token) and enforces each route's
 * `config.access` before the body is read. Installs `request.withTenant`, the only way handlers reach tenant data.
 */
export function installAuth(
  app: FastifyInstance,
  deps: { db: Database; accessTokens: AccessTokens; apiTokens: ApiTokenVerifier },
): void {
  app.decorateRequest('auth', null);
  app.decorateRequest('withTenant', function (this: FastifyRequest, fn) {
    const auth = this.requireAuth();
    return withTenant(deps.db, auth.tenantId, fn);
  });
  app.decorateRequest('requireAuth', function (this: FastifyRequest) {
    if (!this.auth) throw new AppError('unauthenticated', 'this route needs a Bearer token');
    return this.auth;
  });

  app.addHook('onRequest', async (request, reply) => {
    const access = request.routeOptions.config.access;
    if (access === undefined) return; // non-API routes (docs, static files, /metrics)
    const auth = await authenticate(request, deps.accessTokens, deps.apiTokens).catch(
      (err: unknown) => {
        if (access === 'public') return null; // a bad token on a public route is ignored
        throw err;
      },
    );
    request.auth = auth;
    if (auth) {
      // reply.log writes the "request completed" line, so both must carry the tenant.
      request.log = reply.log = request.log.child({
        tenant_id: auth.tenantId,
        user_id: auth.userId ?? undefined,
      });
    }
    if (access === 'public') return;
    if (!auth) throw new AppError('unauthenticated', 'this route needs a Bearer token');
    if (access === 'authenticated') return;
    if (!roleAtLeast(auth.role, access)) {
      if (auth.kind === 'api_token') {
        throw new AppError(
          'insufficient_scope',
          `this route needs the ${access} role; the token's scopes grant ${auth.role}`,
        );
      }
      throw new AppError('forbidden', `this route needs the ${access} role; you are ${auth.role}`);
    }
  });
}
