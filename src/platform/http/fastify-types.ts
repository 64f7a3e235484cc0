import type { Access } from '../auth/roles.js';
import type { AuthContext } from '../auth/context.js';
import type { TenantTx } from '../tenancy/context.js';

export interface DeprecationInfo {
  /** When the route was deprecated (ISO date). */
  since: string;
  /** When it stops working (ISO date, ≥ 6 months after `since`). */
  sunset: string;
  /** The route that replaces it. */
  successor: string;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route. Required on every /v1 route. */
    access?: Access;
    deprecated?: DeprecationInfo;
  }
  interface FastifyRequest {
    auth: AuthContext | null;
    /** Runs `fn` in one transaction scoped to the caller's tenant (row-level security). */
    withTenant<T>(fn: (tx: TenantTx) => Promise<T>): Promise<T>;
    /** The caller's auth context; throws 401 when the route let an anonymous caller through. */
    requireAuth(): AuthContext;
  }
}
