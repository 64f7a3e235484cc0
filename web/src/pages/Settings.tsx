import { useState, type InputHTMLAttributes, type ReactNode } from 'react';
import { api } from '../api/client';
import type { ApiToken, Invitation, Member, Role, Scope, Tenant } from '../api/types';
import { roleAtLeast, useAuth, useMe } from '../auth';
import { ErrorMessage, Loading, Notice, Panel, Table } from '../components/ui';
import { formatInstant } from '../lib/format';
import { usePageTitle } from '../lib/page';
import { useAction, useApi, useItems } from '../lib/use-api';

const ROLES: Role[] = ['owner', 'admin', 'member', 'viewer'];
const PROFILE = ['name', 'currency', 'timezone', 'industry'] as const;
type ProfileField = (typeof PROFILE)[number];

function Profile({ canEdit }: { canEdit: boolean }) {
  const { reloadMe } = useAuth();
  const tenant = useApi((signal) => api<Tenant>('/v1/tenant', { signal }), 'tenant');
  const [draft, setDraft] = useState<Partial<Record<ProfileField, string>> | null>(null);
  const [saved, setSaved] = useState(false);
  const action = useAction();
  const t = tenant.data;

  const input = (k: ProfileField, props: InputHTMLAttributes<HTMLInputElement>) => (
    <input
      value={draft?.[k] ?? t?.[k] ?? ''}
      onChange={(e) => {
        setSaved(false);
        setDraft((d) => ({ ...d, [k]: e.target.value }));
      }}
      readOnly={!canEdit}
      {...props}
    />
  );

  const save = async () => {
    if (!t || !draft) return;
    const patch: Record<string, string | null> = {};
    for (const k of PROFILE) {
      const v = draft[k]?.trim();
      if (v === undefined || v === (t[k] ?? '')) continue;
      patch[k] = k === 'industry' && v === '' ? null : k === 'currency' ? v.toUpperCase() : v;
    }
    if (Object.keys(patch).length === 0) return;
    await api<Tenant>('/v1/tenant', { method: 'PATCH', body: patch });
    setDraft(null);
    setSaved(true);
    tenant.reload(true);
    await reloadMe();
  };

  return (
    <Panel id="profile" title="Business profile">
      {tenant.loading && !t ? <Loading what="the profile" /> : null}
      <ErrorMessage error={tenant.error} />
      {t ? (
        <form className="stack narrow" onSubmit={action.submit(save)}>
          <label>
            Business name
            {input('name', { required: true, maxLength: 200 })}
          </label>
          <div className="row">
            <label>
              Currency
              {input('currency', {
                required: true,
                pattern: '[A-Za-z]{3}',
                maxLength: 3,
                size: 4,
                title: 'ISO 4217 code, e.g. USD',
              })}
            </label>
            <label className="grow">
              Time zone
              {input('timezone', { required: true, maxLength: 64 })}
            </label>
          </div>
          <label>
            Industry
            {input('industry', { maxLength: 100 })}
          </label>
          <ErrorMessage error={action.error} />
          {saved ? <Notice tone="success">Saved.</Notice> : null}
          {canEdit ? (
            <div>
              <button type="submit" className="primary" disabled={!draft || action.busy}>
                Save profile
              </button>
            </div>
          ) : (
            <p className="muted">Only owners and admins can change the profile.</p>
          )}
        </form>
      ) : null}
    </Panel>
  );
}

function Members({ isAdmin, myUserId }: { isAdmin: boolean; myUserId: string | null }) {
  const members = useItems<Member>('/v1/members');
  const action = useAction();
  const act = (fn: () => Promise<unknown>) =>
    void action.run(async () => {
      await fn();
      members.reload(true);
    });
  const columns = ['Name', 'E-mail', 'Role', 'Joined'];
  return (
    <Panel id="members" title="Members">
      <ErrorMessage error={members.error ?? action.error} />
      {members.data ? (
        <Table
          testId="members"
          columns={isAdmin ? [...columns, { label: 'Actions', srOnly: true }] : columns}
        >
          {members.data.items.map((m) => (
            <tr key={m.userId}>
              <td>{m.name || '—'}</td>
              <td>{m.email}</td>
              <td>
                {isAdmin && m.userId !== myUserId ? (
                  <select
                    aria-label={`Role of ${m.email}`}
                    value={m.role}
                    onChange={(e) =>
                      act(() =>
                        api(`/v1/members/${m.userId}`, {
                          method: 'PATCH',
                          body: { role: e.target.value },
                        }),
                      )
                    }
                  >
                    {ROLES.map((r) => (
                      <option key={r}>{r}</option>
                    ))}
                  </select>
                ) : (
                  m.role
                )}
              </td>
              <td>{formatInstant(m.joinedAt)}</td>
              {isAdmin ? (
                <td>
                  {m.userId !== myUserId ? (
                    <button
                      type="button"
                      className="danger"
                      onClick={() => {
                        if (window.confirm(`Remove ${m.email} from this business?`))
                          act(() => api(`/v1/members/${m.userId}`, { method: 'DELETE' }));
                      }}
                    >
                      Remove<span className="sr-only"> {m.email}</span>
                    </button>
                  ) : (
                    <span className="muted">you</span>
                  )}
                </td>
              ) : null}
            </tr>
          ))}
        </Table>
      ) : null}
    </Panel>
  );
}

/** Shows a secret once, with a copy button; it is not shown again after leaving the page. */
function ShownOnce({
  label,
  secret,
  children,
}: {
  label: string;
  secret: string;
  children?: ReactNode;
}) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="alert alert-success" role="status">
      <p>
        <strong>{label}</strong> It is shown only this once: copy it now.
      </p>
      <p className="secret">
        <code data-testid="secret">{secret}</code>{' '}
        <button
          type="button"
          onClick={() =>
            navigator.clipboard?.writeText(secret).then(
              () => setCopied(true),
              () => setCopied(false),
            )
          }
        >
          {copied ? 'Copied' : 'Copy'}
        </button>
      </p>
      {children}
    </div>
  );
}

/** A revoke button that names what it revokes for screen readers. */
function RevokeButton({ what, onClick }: { what: string; onClick: () => void }) {
  return (
    <button type="button" className="danger" onClick={onClick}>
      Revoke<span className="sr-only"> {what}</span>
    </button>
  );
}

function Invitations() {
  const list = useItems<Invitation>('/v1/invitations');
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('member');
  const [created, setCreated] = useState<{ email: string; token: string } | null>(null);
  const action = useAction();

  const invite = async () => {
    const res = await api<{ invitation: Invitation; token: string }>('/v1/invitations', {
      method: 'POST',
      body: { email: email.trim(), role },
    });
    setCreated({ email: res.invitation.email, token: res.token });
    setEmail('');
    list.reload(true);
  };
  const revoke = (id: string) =>
    void action.run(async () => {
      await api(`/v1/invitations/${id}`, { method: 'DELETE' });
      list.reload(true);
    });
  const link = created
    ? `${window.location.origin}/accept-invitation?token=${encodeURIComponent(created.token)}`
    : '';
  const pending = list.data?.items.filter((i) => !i.acceptedAt && !i.revokedAt) ?? [];

  return (
    <Panel id="invitations" title="Invitations" testId="invitations">
      <form className="inline-form" onSubmit={action.submit(invite)}>
        <label className="grow">
          E-mail
          <input type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        <label>
          Role
          <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
            <option value="admin">admin</option>
            <option value="member">member</option>
            <option value="viewer">viewer</option>
          </select>
        </label>
        <button type="submit" className="primary" disabled={action.busy}>
          Invite
        </button>
      </form>
      <ErrorMessage error={action.error ?? list.error} />
      {created ? (
        <ShownOnce label={`Invitation for ${created.email} created.`} secret={created.token}>
          <p>
            Send them this link (or the code above): <code className="break">{link}</code>
          </p>
        </ShownOnce>
      ) : null}
      {pending.length ? (
        <Table columns={['E-mail', 'Role', 'Expires', { label: 'Actions', srOnly: true }]}>
          {pending.map((i) => (
            <tr key={i.id}>
              <td>{i.email}</td>
              <td>{i.role}</td>
              <td>{formatInstant(i.expiresAt)}</td>
              <td>
                <RevokeButton what={`the invitation for ${i.email}`} onClick={() => revoke(i.id)} />
              </td>
            </tr>
          ))}
        </Table>
      ) : (
        <p className="muted">No pending invitations.</p>
      )}
    </Panel>
  );
}

const SCOPES: { id: Scope; label: string }[] = [
  { id: 'read', label: 'read (viewer)' },
  { id: 'write', label: 'write (member)' },
  { id: 'admin', label: 'admin' },
];

function ApiTokens() {
  const list = useItems<ApiToken>('/v1/api-tokens');
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Scope[]>(['read']);
  const [days, setDays] = useState('');
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const action = useAction();

  const create = async () => {
    if (scopes.length === 0) throw new Error('Choose at least one scope.');
    const res = await api<{ apiToken: ApiToken; token: string }>('/v1/api-tokens', {
      method: 'POST',
      body: { name: name.trim(), scopes, ...(days ? { expiresInDays: Number(days) } : {}) },
    });
    setCreated({ name: res.apiToken.name, token: res.token });
    setName('');
    list.reload(true);
  };
  const revoke = (t: ApiToken) => {
    if (!window.confirm(`Revoke the token “${t.name}”? Programs using it stop working.`)) return;
    void action.run(async () => {
      await api(`/v1/api-tokens/${t.id}`, { method: 'DELETE' });
      list.reload(true);
    });
  };

  return (
    <Panel id="tokens" title="API tokens" testId="api-tokens">
      <p className="muted">
        For programs that call the API. Send as <code>Authorization: Bearer dyo_…</code>.
      </p>
      <form className="inline-form" onSubmit={action.submit(create)}>
        <label className="grow">
          Token name
          <input required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <fieldset className="checks">
          <legend>Scopes</legend>
          {SCOPES.map((s) => (
            <label key={s.id}>
              <input
                type="checkbox"
                checked={scopes.includes(s.id)}
                onChange={(e) =>
                  setScopes((cur) =>
                    e.target.checked ? [...cur, s.id] : cur.filter((x) => x !== s.id),
                  )
                }
              />
              {s.label}
            </label>
          ))}
        </fieldset>
        <label>
          Expires after
          <select value={days} onChange={(e) => setDays(e.target.value)}>
            <option value="">never</option>
            <option value="30">30 days</option>
            <option value="90">90 days</option>
            <option value="365">1 year</option>
          </select>
        </label>
        <button type="submit" className="primary" disabled={action.busy}>
          Create token
        </button>
      </form>
      <ErrorMessage error={action.error ?? list.error} />
      {created ? (
        <ShownOnce label={`Token “${created.name}” created.`} secret={created.token} />
      ) : null}
      {list.data && list.data.items.length ? (
        <Table
          testId="token-list"
          columns={[
            'Name',
            'Token',
            'Scopes',
            'Last used',
            'Expires',
            { label: 'Actions', srOnly: true },
          ]}
        >
          {list.data.items.map((t) => (
            <tr key={t.id} className={t.revokedAt ? 'revoked' : undefined}>
              <td>{t.name}</td>
              <td>
                <code>{t.prefix}…</code>
              </td>
              <td>{t.scopes.join(', ')}</td>
              <td>{formatInstant(t.lastUsedAt)}</td>
              <td>{t.expiresAt ? formatInstant(t.expiresAt) : 'never'}</td>
              <td>
                {t.revokedAt ? (
                  <span className="muted">revoked {formatInstant(t.revokedAt)}</span>
                ) : (
                  <RevokeButton what={t.name} onClick={() => revoke(t)} />
                )}
              </td>
            </tr>
          ))}
        </Table>
      ) : list.data ? (
        <p className="muted">No API tokens yet.</p>
      ) : null}
    </Panel>
  );
}

export function SettingsPage() {
  usePageTitle('Settings');
  const me = useMe();
  const isAdmin = roleAtLeast(me.role, 'admin');
  return (
    <>
      <div className="page-head">
        <h1 tabIndex={-1}>Settings</h1>
        <p className="muted">
          You are <strong>{me.role}</strong> of {me.tenant.name}.
        </p>
      </div>
      <Profile canEdit={isAdmin} />
      <Members isAdmin={isAdmin} myUserId={me.user?.id ?? null} />
      {isAdmin ? (
        <>
          <Invitations />
          <ApiTokens />
        </>
      ) : null}
    </>
  );
}
