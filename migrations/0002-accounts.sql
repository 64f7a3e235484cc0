-- Accounts: tenants (businesses), users, memberships with roles, invitations, sessions
-- (refresh tokens), API tokens and the security audit log.
--
-- Users are global (one person can belong to several businesses) and only the platform's
-- auth code reads them in full. Everything else carries tenant_id, leads its primary key
-- with it, and is guarded by forced row-level security. Credentials (refresh, API and
-- invitation tokens) carry their tenant id, so verifying one never needs a cross-tenant
-- lookup. Two settings scope a transaction: app.current_tenant (the business) and, for the
-- login and tenant-picker flows only, app.current_user (a person may see their own
-- memberships and the names of those businesses, nothing more).

create table tenants (
  id uuid primary key,
  name text not null check (length(name) between 1 and 200),
  currency text not null default 'USD' check (currency ~ '^[A-Z]{3}$'),
  timezone text not null default 'UTC',
  industry text,
  created_at timestamptz not null default now()
);
alter table tenants enable row level security;
alter table tenants force row level security;
create policy tenants_isolation on tenants
  using (id = nullif(current_setting('app.current_tenant', true), '')::uuid)
  with check (id = nullif(current_setting('app.current_tenant', true), '')::uuid);
grant select, insert, update on tenants to dyocense_app;

create table users (
  id uuid primary key default gen_random_uuid(),
  email text not null check (length(email) between 3 and 320),
  password_hash text not null,
  name text not null default '',
  created_at timestamptz not null default now()
);
create unique index users_email_key on users (lower(email));
-- RLS on (the app role sees only co-members, below); not forced, because the owner-run
-- auth repository must find a user by e-mail before any tenant is known.
alter table users enable row level security;

create table memberships (
  tenant_id uuid not null references tenants (id) on delete cascade,
  user_id uuid not null references users (id) on delete cascade,
  role text not null check (role in ('owner', 'admin', 'member', 'viewer')),
  created_at timestamptz not null default now(),
  primary key (tenant_id, user_id)
);
alter table memberships enable row level security;
alter table memberships force row level security;
create policy memberships_isolation on memberships
  using (tenant_id = nullif(current_setting('app.current_tenant', true), '')::uuid)
  with check (tenant_id = nullif(current_setting('app.current_tenant', true), '')::uuid);
create policy memberships_own on memberships for select
  using (user_id = nullif(current_setting('app.current_user', true), '')::uuid);
create index memberships_user_idx on memberships (user_id);
grant select, insert, update, delete on memberships to dyocense_app;

-- A person sees the businesses they belong to (for the tenant picker).
create policy tenants_of_current_user on tenants for select
  using (exists (
    select 1 from memberships m
    where m.tenant_id = tenants.id
      and m.user_id = nullif(current_setting('app.current_user', true), '')::uuid));

-- A tenant sees the users who are its members, and nobody else; never password hashes.
create policy users_visible_to_their_tenants on users for select
  using (exists (
    select 1 from memberships m
    where m.user_id = users.id
      and m.tenant_id = nullif(current_setting('app.current_tenant', true), '')::uuid));
grant select (id, email, name, created_at) on users to dyocense_app;

create table invitations (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  email text not null,
  role text not null check (role in ('admin', 'member', 'viewer')),
  token_hash text not null,
  invited_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  accepted_at timestamptz,
  revoked_at timestamptz,
  primary key (tenant_id, id)
);
alter table invitations enable row level security;
alter table invitations force row level security;
create policy invitations_isolation on invitations
  using (tenant_id = nullif(current_setting('app.current_tenant', true), '')::uuid)
  with check (tenant_id = nullif(current_setting('app.current_tenant', true), '')::uuid);
create unique index invitations_hash_key on invitations (tenant_id, token_hash);
grant select, insert, update on invitations to dyocense_app;

-- Rotating refresh tokens. A family is one login; presenting an already-rotated token
-- (reuse) revokes the whole family.
create table refresh_tokens (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  user_id uuid not null references users (id) on delete cascade,
  family_id uuid not null,
  token_hash text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  rotated_at timestamptz,
  revoked_at timestamptz,
  primary key (tenant_id, id)
);
alter table refresh_tokens enable row level security;
alter table refresh_tokens force row level security;
create policy refresh_tokens_isolation on refresh_tokens
  using (tenant_id = nullif(current_setting('app.current_tenant', true), '')::uuid)
  with check (tenant_id = nullif(current_setting('app.current_tenant', true), '')::uuid);
create unique index refresh_tokens_hash_key on refresh_tokens (tenant_id, token_hash);
create index refresh_tokens_family_idx on refresh_tokens (tenant_id, family_id);
grant select, insert, update on refresh_tokens to dyocense_app;

-- Machine credentials: shown once at creation, stored as SHA-256 of the whole token,
-- found by their tenant and public prefix.
create table api_tokens (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  name text not null check (length(name) between 1 and 100),
  prefix text not null,
  token_hash text not null,
  scopes text[] not null check (scopes <@ array['read', 'write', 'admin'] and cardinality(scopes) > 0),
  created_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  expires_at timestamptz,
  last_used_at timestamptz,
  revoked_at timestamptz,
  primary key (tenant_id, id)
);
alter table api_tokens enable row level security;
alter table api_tokens force row level security;
create policy api_tokens_isolation on api_tokens
  using (tenant_id = nullif(current_setting('app.current_tenant', true), '')::uuid)
  with check (tenant_id = nullif(current_setting('app.current_tenant', true), '')::uuid);
create unique index api_tokens_prefix_key on api_tokens (tenant_id, prefix);
grant select, insert, update on api_tokens to dyocense_app;

create table audit_log (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  at timestamptz not null default now(),
  actor_user_id uuid,
  actor_token_id uuid,
  action text not null,
  target text,
  ip text,
  details jsonb not null default '{}'::jsonb,
  primary key (tenant_id, id)
);
alter table audit_log enable row level security;
alter table audit_log force row level security;
create policy audit_log_isolation on audit_log
  using (tenant_id = nullif(current_setting('app.current_tenant', true), '')::uuid)
  with check (tenant_id = nullif(current_setting('app.current_tenant', true), '')::uuid);
create index audit_log_at_idx on audit_log (tenant_id, at desc);
grant select, insert on audit_log to dyocense_app;
