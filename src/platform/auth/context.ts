import type { Role, Scope } from './roles.js';

/** Who is calling, in which business, with which powers. */
export interface AuthContext {
  kind: 'user' | 'api_token';
  tenantId: string;
  role: Role;
  userId: string | null;
  tokenId: string | null;
  scopes: Scope[] | null;
  sessionId: string | null;
}

/** Verifies an API token (the accounts module implements it; platform only calls it). */
export interface ApiTokenVerifier {
  verifyApiToken(token: string): Promise<AuthContext | null>;
}
