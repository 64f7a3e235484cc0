import type { Problem, Session } from './types';

/**
 * The one way the dashboard talks to the API. The access token lives in memory only; the
 * refresh token in sessionStorage (this tab, until it closes), so a reload stays logged in.
 * A 401 `token_expired` is answered by one refresh (shared by every request waiting on it:
 * refresh tokens rotate, and using one twice would end the login) and the request is retried.
 */

export const REFRESH_KEY = 'dyocense.refreshToken';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly problem: Problem | null;
  constructor(status: number, problem: Problem | null, fallback: string) {
    super(problem?.detail || problem?.title || fallback);
    this.name = 'ApiError';
    this.status = status;
    this.code = problem?.code ?? (status === 0 ? 'network_error' : `http_${status}`);
    this.problem = problem;
  }
}

type SessionListener = (
  session: Session | null,
  reason: 'login' | 'refresh' | 'logout' | 'expired',
) => void;

let accessToken: string | null = null;
let refreshing: Promise<boolean> | null = null;
const listeners = new Set<SessionListener>();

function storedRefreshToken(): string | null {
  try {
    return sessionStorage.getItem(REFRESH_KEY);
  } catch {
    return null;
  }
}

function storeRefreshToken(token: string | null): void {
  try {
    if (token) sessionStorage.setItem(REFRESH_KEY, token);
    else sessionStorage.removeItem(REFRESH_KEY);
  } catch {
    // storage disabled: the login lasts until the page is reloaded
  }
}

export function onSessionChange(fn: SessionListener): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function setSession(session: Session | null, reason: Parameters<SessionListener>[1]): void {
  accessToken = session?.accessToken ?? null;
  storeRefreshToken(session?.refreshToken ?? null);
  for (const fn of listeners) fn(session, reason);
}

export const hasRefreshToken = (): boolean => storedRefreshToken() !== null;
export const isAuthenticated = (): boolean => accessToken !== null;

async function readProblem(res: Response): Promise<Problem | null> {
  const type = res.headers.get('content-type') ?? '';
  if (!type.includes('json')) return null;
  try {
    const body = (await res.json()) as Problem;
    return typeof body === 'object' && body && 'code' in body ? body : null;
  } catch {
    return null;
  }
}

async function rawFetch(path: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(path, init);
  } catch {
    throw new ApiError(
      0,
      null,
      'The server cannot be reached. Check your connection and try again.',
    );
  }
}

/** Exchanges the stored refresh token for new tokens; false when there is none or it was refused. */
export function refreshSession(): Promise<boolean> {
  refreshing ??= (async () => {
    const token = storedRefreshToken();
    if (!token) return false;
    const res = await rawFetch('/v1/auth/refresh', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: token }),
    });
    if (res.ok) {
      setSession((await res.json()) as Session, 'refresh');
      return true;
    }
    const problem = await readProblem(res);
    // Only a refused token ends the login; a rate limit or outage leaves it for a retry.
    if (res.status === 401 || res.status === 400) setSession(null, 'expired');
    else throw new ApiError(res.status, problem, 'Could not renew the login');
    return false;
  })().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  query?: Record<string, string | number | boolean | undefined | null>;
  signal?: AbortSignal;
}

export function withQuery(path: string, query?: RequestOptions['query']): string {
  if (!query) return path;
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query))
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

/** Sends a request with the current access token, refreshing it once when it has expired. */
async function send(
  path: string,
  make: (headers: Record<string, string>) => RequestInit,
): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    const used = accessToken;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (used) headers.authorization = `Bearer ${used}`;
    const res = await rawFetch(path, make(headers));
    if (res.status !== 401 || attempt > 0 || !used) return res;
    const problem = await readProblem(res.clone());
    if (problem?.code !== 'token_expired') {
      setSession(null, 'expired');
      return res;
    }
    // Another request may have refreshed meanwhile; refresh only if our token is still current.
    if (accessToken === used && !(await refreshSession())) return res;
  }
}

async function parse<T>(res: Response): Promise<T> {
  if (!res.ok)
    throw new ApiError(res.status, await readProblem(res), `Request failed (${res.status})`);
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  return (type.includes('json') ? await res.json() : await res.text()) as T;
}

/** A JSON API call: `api<Me>('/v1/me')`. Throws ApiError with the problem document. */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const res = await apiResponse(path, options);
  return parse<T>(res);
}

/** Like `api`, but hands back the response (status code matters: 200 vs 202). */
export function apiResponse(path: string, options: RequestOptions = {}): Promise<Response> {
  const url = withQuery(path, options.query);
  return send(url, (headers) => {
    const init: RequestInit = { method: options.method ?? 'GET', headers };
    if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      init.body = JSON.stringify(options.body);
    }
    if (options.signal) init.signal = options.signal;
    return init;
  });
}

export { parse as parseResponse };

/** Downloads a file the API serves (with the Bearer token) and lets the browser save it. */
export async function download(path: string, fileName: string): Promise<void> {
  const res = await send(path, (headers) => ({ headers }));
  if (!res.ok) throw new ApiError(res.status, await readProblem(res), 'Download failed');
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Uploads a multipart form with progress (fetch cannot report upload progress). Same token
 * handling as `api`. Resolves with the status and the parsed JSON answer.
 */
export async function upload<T>(
  path: string,
  form: FormData,
  onProgress: (fraction: number) => void,
): Promise<{ status: number; body: T }> {
  const once = (token: string | null) =>
    new Promise<{ status: number; text: string; type: string }>((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', path);
      xhr.setRequestHeader('accept', 'application/json');
      if (token) xhr.setRequestHeader('authorization', `Bearer ${token}`);
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable) onProgress(e.loaded / e.total);
      };
      xhr.onload = () =>
        resolve({
          status: xhr.status,
          text: xhr.responseText,
          type: xhr.getResponseHeader('content-type') ?? '',
        });
      xhr.onerror = () =>
        reject(new ApiError(0, null, 'The upload failed: the server cannot be reached.'));
      xhr.send(form);
    });
  for (let attempt = 0; ; attempt++) {
    const used = accessToken;
    const r = await once(used);
    const body = r.type.includes('json') && r.text ? (JSON.parse(r.text) as unknown) : null;
    const problem = body && typeof body === 'object' && 'code' in body ? (body as Problem) : null;
    if (r.status === 401 && attempt === 0 && problem?.code === 'token_expired') {
      if (accessToken === used && !(await refreshSession()))
        throw new ApiError(401, problem, 'Logged out');
      continue;
    }
    if (r.status < 200 || r.status >= 300)
      throw new ApiError(r.status, problem, `Upload failed (${r.status})`);
    return { status: r.status, body: body as T };
  }
}

async function startSession(path: string, body: unknown): Promise<Session> {
  const res = await rawFetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
  });
  const session = await parse<Session>(res);
  setSession(session, 'login');
  return session;
}

export const login = (email: string, password: string) =>
  startSession('/v1/auth/login', { email, password });

export const signup = (body: {
  email: string;
  password: string;
  name: string;
  businessName: string;
  currency?: string;
  timezone?: string;
  industry?: string | null;
}) => startSession('/v1/auth/signup', body);

export const acceptInvitation = (body: { token: string; password: string; name?: string }) =>
  startSession('/v1/auth/accept-invitation', body);

/** Ends the login on the server (revokes its refresh tokens) and forgets the tokens here. */
export async function logout(): Promise<void> {
  const token = storedRefreshToken();
  setSession(null, 'logout');
  if (token) {
    await rawFetch('/v1/auth/logout', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: token }),
    }).catch(() => undefined);
  }
}
