import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import {
  api,
  hasRefreshToken,
  logout as endSession,
  onSessionChange,
  refreshSession,
} from './api/client';
import type { Me, Role } from './api/types';

export type AuthState =
  | { status: 'loading' }
  | { status: 'anonymous'; notice: string | null }
  | { status: 'authenticated'; me: Me };

interface AuthApi {
  state: AuthState;
  /** Re-reads GET /v1/me (after the profile changed). */
  reloadMe: () => Promise<void>;
  logout: () => Promise<void>;
}

const AuthContext = createContext<AuthApi | null>(null);

const RANK: Record<Role, number> = { viewer: 0, member: 1, admin: 2, owner: 3 };
export const roleAtLeast = (role: Role, needed: Role) => RANK[role] >= RANK[needed];

export function AuthProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<AuthState>(() =>
    hasRefreshToken() ? { status: 'loading' } : { status: 'anonymous', notice: null },
  );

  const loadMe = useCallback(async () => {
    try {
      const me = await api<Me>('/v1/me');
      setState({ status: 'authenticated', me });
    } catch {
      setState({ status: 'anonymous', notice: 'Your login could not be restored. Please log in.' });
    }
  }, []);

  useEffect(() => {
    const off = onSessionChange((session, reason) => {
      if (reason === 'login') {
        setState({ status: 'loading' });
        void loadMe();
      } else if (!session)
        setState({
          status: 'anonymous',
          notice: reason === 'expired' ? 'Your session has ended. Please log in again.' : null,
        });
    });
    if (hasRefreshToken()) {
      // A reload: the access token was in memory only; the refresh token gets a new one.
      refreshSession()
        .then((ok) => (ok ? loadMe() : undefined))
        .catch(() => setState({ status: 'anonymous', notice: 'The server cannot be reached.' }));
    }
    return off;
  }, [loadMe]);

  const value: AuthApi = {
    state,
    reloadMe: loadMe,
    logout: endSession,
  };
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthApi {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}

/** The signed-in user's /v1/me (pages under the authenticated layout only). */
export function useMe(): Me {
  const { state } = useAuth();
  if (state.status !== 'authenticated') throw new Error('useMe needs a login');
  return state.me;
}
