import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Checks `Authorization: Bearer <token>` against METRICS_TOKEN in constant time (both
 * sides hashed first, so lengths never leak). No token configured: /metrics is open.
 */
export function metricsAuthorized(
  expected: string | undefined,
  authorization: string | string[] | undefined,
): boolean {
  if (!expected) return true;
  if (typeof authorization !== 'string') return false;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!m) return false;
  return timingSafeEqual(digest(m[1]!), digest(expected));
}
