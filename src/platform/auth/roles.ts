/** Roles a member can have, from least to most powerful. */
export const ROLES = ['viewer', 'member', 'admin', 'owner'] as const;
export type Role = (typeof ROLES)[number];

/** API token scopes and the role each one acts with. */
export const SCOPES = ['read', 'write', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];
const SCOPE_ROLE: Record<Scope, Role> = { read: 'viewer', write: 'member', admin: 'admin' };

/** What a route requires: a minimum role, or `public` for no authentication at all. */
export type Access = 'public' | 'authenticated' | Role;

export function roleAtLeast(role: Role, required: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(required);
}

/** The most powerful role any of a token's scopes grants. */
export function roleForScopes(scopes: readonly Scope[]): Role {
  return scopes
    .map((s) => SCOPE_ROLE[s])
    .reduce<Role>((best, r) => (roleAtLeast(r, best) ? r : best), 'viewer');
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
