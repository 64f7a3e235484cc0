-- CSV imports (src/modules/imports). An upload streams into staging: `imports` is the
-- import itself (status, file facts, detected mapping, counts, progress), `import_rows` holds
-- each valid CSV record parsed and normalised (one row per file row; order lines are grouped
-- into orders at commit), `import_errors` every problem found (row, column, reason). A commit
-- moves the staged rows into the canonical tables in one transaction and deletes them; the
-- import and its errors stay. `import_fingerprints` remembers what each imported record looked
-- like, so importing the same data again writes nothing and reports it as unchanged.

create table imports (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null,
  kind text not null check (kind in ('orders', 'products', 'expenses', 'metrics')),
  status text not null default 'receiving'
    check (status in ('receiving', 'invalid', 'validated', 'committing', 'committed', 'failed')),
  file_name text not null default '',
  size_bytes bigint not null default 0,
  expected_bytes bigint,
  sha256 text,
  encoding text,
  delimiter text,
  decimal_separator text,
  date_format text,
  options jsonb not null default '{}'::jsonb,
  mapping jsonb not null default '{}'::jsonb,
  headers jsonb not null default '[]'::jsonb,
  warnings jsonb not null default '[]'::jsonb,
  preview jsonb not null default '[]'::jsonb,
  row_count integer not null default 0,
  record_count integer not null default 0,
  error_count integer not null default 0,
  progress real not null default 0 check (progress >= 0 and progress <= 1),
  progress_message text,
  result jsonb,
  job_id uuid,
  duplicate_of uuid,
  failure text,
  created_by uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  validated_at timestamptz,
  committed_at timestamptz,
  primary key (tenant_id, id)
);
alter table imports enable row level security;
alter table imports force row level security;
create policy imports_isolation on imports
  using (tenant_id = nullif(current_setting('app.current_tenant', true), '')::uuid)
  with check (tenant_id = nullif(current_setting('app.current_tenant', true), '')::uuid);
create index imports_recent_idx on imports (tenant_id, created_at desc);
create index imports_sha_idx on imports (tenant_id, sha256) where sha256 is not null;
grant select, insert, update, delete on imports to dyocense_app;

create table import_rows (
  tenant_id uuid not null,
  import_id uuid not null,
  row_no integer not null,
  key text not null,
  payload jsonb not null,
  -- JSON paths (e.g. 'o.orderedAt') of dates that read two ways until the file's order is known.
  ambiguous text[],
  primary key (tenant_id, import_id, row_no),
  foreign key (tenant_id, import_id) references imports (tenant_id, id) on delete cascade
);
alter table import_rows enable row level security;
alter table import_rows force row level security;
create policy import_rows_isolation on import_rows
  using (tenant_id = nullif(current_setting('app.current_tenant', true), '')::uuid)
  with check (tenant_id = nullif(current_setting('app.current_tenant', true), '')::uuid);
create index import_rows_key_idx on import_rows (tenant_id, import_id, key, row_no);
grant select, insert, update, delete on import_rows to dyocense_app;

create table import_errors (
  tenant_id uuid not null,
  import_id uuid not null,
  seq integer not null,
  row_no integer,
  line_no integer,
  column_name text,
  value text,
  reason text not null,
  primary key (tenant_id, import_id, seq),
  foreign key (tenant_id, import_id) references imports (tenant_id, id) on delete cascade
);
alter table import_errors enable row level security;
alter table import_errors force row level security;
create policy import_errors_isolation on import_errors
  using (tenant_id = nullif(current_setting('app.current_tenant', true), '')::uuid)
  with check (tenant_id = nullif(current_setting('app.current_tenant', true), '')::uuid);
grant select, insert, update, delete on import_errors to dyocense_app;

create table import_fingerprints (
  tenant_id uuid not null references tenants (id) on delete cascade,
  kind text not null,
  key text not null,
  fingerprint text not null,
  import_id uuid not null,
  updated_at timestamptz not null default now(),
  primary key (tenant_id, kind, key)
);
alter table import_fingerprints enable row level security;
alter table import_fingerprints force row level security;
create policy import_fingerprints_isolation on import_fingerprints
  using (tenant_id = nullif(current_setting('app.current_tenant', true), '')::uuid)
  with check (tenant_id = nullif(current_setting('app.current_tenant', true), '')::uuid);
grant select, insert, update, delete on import_fingerprints to dyocense_app;
