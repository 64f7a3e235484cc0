import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Opaque credentials (refresh tokens, API tokens, invitations) carry the id of their tenant,
 * so they can be verified inside that tenant's row-level-security scope without any
 * cross-tenant lookup. Only a SHA-256 of the whole token is stored: the tokens have 256 bits
 * of entropy, so a fast hash is enough (passwords use scrypt).
 *
 *   refresh     rt_<tenant hex32>_<secret>
 *   API token   dyo_<tenant hex32>_<prefix8>_<secret>
 *   invitation  inv_<tenant hex32>_<secret>
 */

function tenantToHex(tenantId: string): string {
  return tenantId.replaceAll('-', '').toLowerCase();
}

function hexToTenant(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const secret = () => randomBytes(32).toString('base64url');

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function tokenHashMatches(token: string, storedHash: string): boolean {
  const a = Buffer.from(hashToken(token), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

export type CredentialKind = 'rt' | 'inv';

/** Creates a refresh or invitation token for a tenant. */
export function newTenantToken(
  kind: CredentialKind,
  tenantId: string,
): { token: string; hash: string } {
  const token = `${kind}_${tenantToHex(tenantId)}_${secret()}`;
  return { token, hash: hashToken(token) };
}

/** Reads the tenant out of a refresh or invitation token; null when it is not one. */
export function parseTenantToken(kind: CredentialKind, token: string): { tenantId: string } | null {
  if (typeof token !== 'string' || token.length > 200) return null;
  const m = /^([a-z]+)_([0-9a-f]{32})_([A-Za-z0-9_-]{40,})$/.exec(token);
  if (!m || m[1] !== kind) return null;
  return { tenantId: hexToTenant(m[2]!) };
}

/** Creates an API token; `prefix` is shown in lists so the owner can tell tokens apart. */
export function newApiToken(tenantId: string): { token: string; prefix: string; hash: string } {
  const prefix = randomBytes(6).toString('base64url').replace(/[-_]/g, 'x').slice(0, 8);
  const token = `dyo_${tenantToHex(tenantId)}_${prefix}_${secret()}`;
  return { token, prefix, hash: hashToken(token) };
}

export function parseApiToken(token: string): { tenantId: string; prefix: string } | null {
  if (typeof token !== 'string' || token.length > 200) return null;
  const m = /^dyo_([0-9a-f]{32})_([A-Za-z0-9]{8})_([A-Za-z0-9_-]{40,})$/.exec(token);
  if (!m) return null;
  return { tenantId: hexToTenant(m[1]!), prefix: m[2]! };
}
