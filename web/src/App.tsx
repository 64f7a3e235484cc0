import { useEffect, useRef } from 'react';
import { useAuth } from './auth';
import { Link, navigate, useLocation } from './router';
import { AcceptInvitationPage, LoginPage, SignupPage } from './pages/Auth';
import { OverviewPage } from './pages/Overview';
import { MetricPage } from './pages/Metric';
import { DataPage } from './pages/Data';
import { SettingsPage } from './pages/Settings';
import { usePageTitle } from './lib/page';

const NAV = [
  { to: '/', label: 'Overview', match: (p: string) => p === '/' || p.startsWith('/metric/') },
  { to: '/data', label: 'Data', match: (p: string) => p.startsWith('/data') },
  { to: '/settings', label: 'Settings', match: (p: string) => p.startsWith('/settings') },
];

/** Where to go after logging in: the page the visitor asked for, if it is one of ours. */
function nextPath(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

function NotFound() {
  usePageTitle('Not found');
  return (
    <>
      <h1 tabIndex={-1}>Page not found</h1>
      <p>
        There is nothing at this address. <Link to="/">Go to the overview</Link>.
      </p>
    </>
  );
}

function Page({ path }: { path: string }) {
  if (path === '/') return <OverviewPage />;
  const metric = /^\/metric\/([a-z][a-z0-9_.]{0,62})$/.exec(path);
  if (metric) return <MetricPage name={metric[1]!} />;
  if (path === '/data') return <DataPage />;
  if (path === '/settings') return <SettingsPage />;
  return <NotFound />;
}

function Shell({ path }: { path: string }) {
  const { state, logout } = useAuth();
  const first = useRef(true);
  // After a navigation, move focus to the new page's heading (screen readers announce it).
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    document.querySelector<HTMLElement>('main h1')?.focus();
  }, [path]);
  if (state.status !== 'authenticated') return null;
  const { me } = state;
  return (
    <div className="shell">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/" className="brand">
          <img src="/favicon.svg" alt="" width={24} height={24} /> Dyocense
        </Link>
        <nav aria-label="Main">
          <ul>
            {NAV.map((n) => (
              <li key={n.to}>
                <Link to={n.to} aria-current={n.match(path) ? 'page' : undefined}>
                  {n.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="who">
          <span className="who-text">
            <span className="who-business">{me.tenant.name}</span>
            <span className="muted">
              {me.user?.email} · <span data-testid="role">{me.role}</span>
            </span>
          </span>
          <button
            type="button"
            onClick={() => {
              void logout().then(() => navigate('/login', { replace: true }));
            }}
          >
            Log out
          </button>
        </div>
      </header>
      <main id="main">
        <Page path={path} />
      </main>
    </div>
  );
}

export function App() {
  const { state } = useAuth();
  const { path, query } = useLocation();
  const publicPage = path === '/login' || path === '/signup' || path === '/accept-invitation';
  const search = query.toString();
  const next = query.get('next');

  useEffect(() => {
    if (state.status === 'authenticated' && (path === '/login' || path === '/signup')) {
      navigate(nextPath(next), { replace: true });
    }
    if (state.status === 'anonymous' && !publicPage) {
      const here = path + (search ? `?${search}` : '');
      navigate(here === '/' ? '/login' : `/login?next=${encodeURIComponent(here)}`, {
        replace: true,
      });
    }
  }, [state.status, path, search, next, publicPage]);

  if (state.status === 'loading') {
    return (
      <main id="main" className="auth">
        <p role="status">Loading…</p>
      </main>
    );
  }
  if (state.status === 'anonymous') {
    if (path === '/signup') return <SignupPage />;
    if (path === '/accept-invitation') return <AcceptInvitationPage />;
    return <LoginPage notice={state.notice} />;
  }
  if (path === '/accept-invitation') return <AcceptInvitationPage />;
  return <Shell path={path} />;
}
