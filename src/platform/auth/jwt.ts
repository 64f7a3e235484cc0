import { SignJWT, jwtVerify, errors } from 'jose';
import { randomUUID } from 'node:crypto';
import { isRole, type Role } from './roles.js';

export interface AccessClaims {
  userId: string;
  tenantId: string;
  role: Role;
  /** The refresh-token family (one login session). */
  sessionId: string;
}

export interface JwtSettings {
  secret: string;
  issuer: string;
  audience: string;
  ttlMs: number;
}

const ALGORITHM = 'HS256';

export class AccessTokenError extends Error {
  constructor(
    readonly reason: 'expired' | 'invalid',
    options?: ErrorOptions,
  ) {
    super(reason === 'expired' ? 'access token expired' : 'access token invalid', options);
    this.name = 'AccessTokenError';
  }
}

/** Short-lived access tokens: HS256 only, issuer and audience always checked. */
export class AccessTokens {
  private readonly key: Uint8Array;

  constructor(private readonly settings: JwtSettings) {
    this.key = new TextEncoder().encode(settings.secret);
  }

  async sign(
    claims: AccessClaims,
    now = Date.now(),
  ): Promise<{ token: string; expiresIn: number }> {
    const iat = Math.floor(now / 1000);
    const expiresIn = Math.floor(this.settings.ttlMs / 1000);
    const token = await new SignJWT({
      tid: claims.tenantId,
      role: claims.role,
      sid: claims.sessionId,
    })
      .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
      .setSubject(claims.userId)
      .setIssuer(this.settings.issuer)
      .setAudience(this.settings.audience)
      .setIssuedAt(iat)
      .setExpirationTime(iat + expiresIn)
      .setJti(randomUUID())
      .sign(this.key);
    return { token, expiresIn };
  }

  async verify(token: string): Promise<AccessClaims> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: [ALGORITHM],
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        requiredClaims: ['sub', 'exp', 'iat'],
      });
      const { sub, tid, role, sid } = payload as Record<string, unknown>;
      if (
        typeof sub !== 'string' ||
        typeof tid !== 'string' ||
        typeof sid !== 'string' ||
        !isRole(role)
      ) {
        throw new AccessTokenError('invalid');
      }
      return { userId: sub, tenantId: tid, role, sessionId: sid };
    } catch (err) {
      if (err instanceof AccessTokenError) throw err;
      if (err instanceof errors.JWTExpired) throw new AccessTokenError('expired', { cause: err });
      throw new AccessTokenError('invalid', { cause: err });
    }
  }
}
