-- Per-tenant job history. pg-boss (schema pgboss) owns the queue mechanics — locking,
-- retries with backoff, expiry, dead-letter queues — and carries only ids; what a job is
-- about (payload, progress, result, error) lives here, under row-level security, so a
-- tenant's job data is never reachable outside its tenant.
create table jobs (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null,
  task text not null,
  status text not null default 'queued'
    check (status in ('queued', 'running', 'retrying', 'succeeded', 'failed', 'cancelled')),
  dedupe_key text,
  payload jsonb not null default '{}'::jsonb,
  progress real not null default 0 check (progress >= 0 and progress <= 1),
  progress_message text,
  attempts integer not null default 0,
  max_attempts integer not null,
  result jsonb,
  error text,
  trace_parent text,
  created_by uuid,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz,
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id)
);
alter table jobs enable row level security;
alter table jobs force row level security;
create policy jobs_isolation on jobs
  using (tenant_id = nullif(current_setting('app.current_tenant', true), '')::uuid)
  with check (tenant_id = nullif(current_setting('app.current_tenant', true), '')::uuid);
-- One live job per (task, dedupe key): enqueueing the same work twice returns the first.
create unique index jobs_dedupe_key on jobs (tenant_id, task, dedupe_key)
  where dedupe_key is not null and status in ('queued', 'running', 'retrying');
create index jobs_recent_idx on jobs (tenant_id, created_at desc);
grant select, insert, update on jobs to dyocense_app;
