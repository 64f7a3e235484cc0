/**
 * Every error code the API can answer with. Each becomes an RFC 9457 problem document
 * (`application/problem+json`) with `type` = `${PROBLEM_BASE}${code}`. docs/api.md lists
 * every code (a test checks), so clients can rely on them.
 */
export const PROBLEM_BASE = 'https://dyocense.dev/problems/';

export const errorCodes = {
  validation_failed: { status: 400, title: 'The request is invalid' },
  malformed_json: { status: 400, title: 'The request body is not valid JSON' },
  bad_request: { status: 400, title: 'The request cannot be processed' },
  unauthenticated: { status: 401, title: 'Authentication is required' },
  token_expired: { status: 401, title: 'The access token has expired' },
  invalid_credentials: { status: 401, title: 'E-mail or password is wrong' },
  invalid_refresh_token: { status: 401, title: 'The refresh token is not valid' },
  forbidden: { status: 403, title: 'Your role does not allow this' },
  insufficient_scope: { status: 403, title: 'The API token lacks the scope for this' },
  not_found: { status: 404, title: 'Not found' },
  route_not_found: { status: 404, title: 'No such route' },
  conflict: { status: 409, title: 'The request conflicts with the current state' },
  email_taken: { status: 409, title: 'An account with this e-mail already exists' },
  last_owner: { status: 409, title: 'A business must keep at least one owner' },
  invitation_invalid: { status: 410, title: 'The invitation is not valid any more' },
  payload_too_large: { status: 413, title: 'The request body is too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported content type' },
  unprocessable: { status: 422, title: 'The request is well-formed but cannot be carried out' },
  rate_limited: { status: 429, title: 'Too many requests' },
  internal_error: { status: 500, title: 'Internal error' },
  service_unavailable: { status: 503, title: 'The service is not ready' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof errorCodes;

/** Registers codes owned by a module (e.g. `import_invalid`); names must be unique. */
export function registerErrorCodes(codes: Record<string, { status: number; title: string }>): void {
  for (const [code, def] of Object.entries(codes)) {
    const existing = (errorCodes as Record<string, { status: number; title: string }>)[code];
    if (existing && (existing.status !== def.status || existing.title !== def.title)) {
      throw new Error(`error code ${code} registered twice with different definitions`);
    }
    (errorCodes as Record<string, { status: number; title: string }>)[code] = def;
  }
}
