import { useEffect, useState, type ReactNode } from 'react';
import { acceptInvitation, login, signup } from '../api/client';
import { Link, navigate, useLocation } from '../router';
import { ErrorMessage, Notice } from '../components/ui';
import { usePageTitle } from '../lib/page';
import { useAction } from '../lib/use-api';

type Action = ReturnType<typeof useAction>;
type Change = (e: { target: { value: string } }) => void;

/** The card of the pages before a login: a title, a form that runs `action`, links below. */
function AuthForm({
  title,
  action,
  onSubmit,
  submit,
  busyLabel,
  notice,
  children,
  footer,
}: {
  title: string;
  action: Action;
  onSubmit: () => Promise<unknown>;
  submit: string;
  busyLabel: string;
  notice?: string | null;
  children: ReactNode;
  footer: ReactNode;
}) {
  usePageTitle(title);
  return (
    <main id="main" className="auth">
      <div className="auth-card">
        <p className="brand brand-large" aria-hidden="true">
          <img src="/favicon.svg" alt="" width={28} height={28} /> Dyocense
        </p>
        <h1 tabIndex={-1}>{title}</h1>
        {notice ? <Notice tone="warning">{notice}</Notice> : null}
        <form onSubmit={action.submit(onSubmit)} className="stack">
          {children}
          <ErrorMessage error={action.error} />
          <button type="submit" className="primary" disabled={action.busy}>
            {action.busy ? busyLabel : submit}
          </button>
        </form>
        <p>{footer}</p>
      </div>
    </main>
  );
}

function PasswordField({
  value,
  onChange,
  hint,
  isNew = true,
}: {
  value: string;
  onChange: Change;
  hint?: string;
  isNew?: boolean;
}) {
  return (
    <label>
      Password{hint ? <span className="muted"> ({hint})</span> : null}
      <input
        type="password"
        required
        minLength={isNew ? 10 : 1}
        maxLength={200}
        autoComplete={isNew ? 'new-password' : 'current-password'}
        value={value}
        onChange={onChange}
      />
    </label>
  );
}

export function LoginPage({ notice }: { notice: string | null }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const action = useAction();
  return (
    <AuthForm
      title="Log in"
      action={action}
      // The app moves on once it knows who logged in (to ?next= when given).
      onSubmit={() => login(email.trim(), password)}
      submit="Log in"
      busyLabel="Logging in…"
      notice={notice}
      footer={
        <>
          New here? <Link to="/signup">Create an account for your business</Link>
        </>
      }
    >
      <label>
        E-mail
        <input
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
      </label>
      <PasswordField value={password} onChange={(e) => setPassword(e.target.value)} isNew={false} />
    </AuthForm>
  );
}

const CURRENCIES = ['USD', 'EUR', 'GBP', 'CAD', 'AUD', 'CHF', 'JPY', 'INR', 'SEK', 'NZD'];

function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

export function SignupPage() {
  const [form, setForm] = useState({
    email: '',
    password: '',
    name: '',
    businessName: '',
    currency: 'USD',
    timezone: browserTimeZone(),
    industry: '',
  });
  const action = useAction();
  const set =
    (k: keyof typeof form): Change =>
    (e) =>
      setForm((f) => ({ ...f, [k]: e.target.value }));
  const create = () =>
    signup({
      email: form.email.trim(),
      password: form.password,
      name: form.name.trim(),
      businessName: form.businessName.trim(),
      currency: form.currency,
      timezone: form.timezone.trim() || 'UTC',
      industry: form.industry.trim() || null,
    });

  return (
    <AuthForm
      title="Create your account"
      action={action}
      onSubmit={create}
      submit="Create account"
      busyLabel="Creating…"
      footer={
        <>
          Already have an account? <Link to="/login">Log in</Link>
        </>
      }
    >
      <label>
        Business name
        <input
          required
          maxLength={200}
          autoComplete="organization"
          value={form.businessName}
          onChange={set('businessName')}
        />
      </label>
      <label>
        Your name
        <input maxLength={200} autoComplete="name" value={form.name} onChange={set('name')} />
      </label>
      <label>
        E-mail
        <input
          type="email"
          required
          autoComplete="email"
          value={form.email}
          onChange={set('email')}
        />
      </label>
      <PasswordField
        value={form.password}
        onChange={set('password')}
        hint="at least 10 characters"
      />
      <div className="row">
        <label>
          Currency
          <select value={form.currency} onChange={set('currency')}>
            {CURRENCIES.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </label>
        <label className="grow">
          Time zone
          <input required value={form.timezone} onChange={set('timezone')} />
        </label>
      </div>
      <label>
        Industry <span className="muted">(optional)</span>
        <input
          maxLength={100}
          value={form.industry}
          onChange={set('industry')}
          placeholder="café, e-commerce, agency…"
        />
      </label>
    </AuthForm>
  );
}

export function AcceptInvitationPage() {
  const tokenParam = useLocation().query.get('token');
  const [token, setToken] = useState(tokenParam ?? '');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const action = useAction();
  useEffect(() => {
    // Keep the token out of the address bar (and so out of the history) once read.
    if (tokenParam) window.history.replaceState(null, '', '/accept-invitation');
  }, [tokenParam]);
  const join = async () => {
    await acceptInvitation({
      token: token.trim(),
      password,
      ...(name.trim() ? { name: name.trim() } : {}),
    });
    navigate('/', { replace: true });
  };

  return (
    <AuthForm
      title="Join a business"
      action={action}
      onSubmit={join}
      submit="Join"
      busyLabel="Joining…"
      footer={<Link to="/login">Log in instead</Link>}
    >
      <label>
        Invitation code
        <input
          required
          value={token}
          onChange={(e) => setToken(e.target.value)}
          autoComplete="off"
        />
      </label>
      <label>
        Your name
        <input
          maxLength={200}
          autoComplete="name"
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
      </label>
      <PasswordField
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        hint="at least 10 characters; your existing one if you have an account"
      />
    </AuthForm>
  );
}
