-- Forecasts (src/modules/forecasts): every forecast run of a metric, stored per tenant.
-- A row is one run for one set of parameters (metric, interval, horizon, dimension filter,
-- kind): `running` while its background job works, then `succeeded` with the points and
-- 80%/95% bands, the model, its combination weights and its backtest accuracy, or `failed`
-- with the reason. `history_*` describe the source series window the run read (local wall
-- times written as UTC, like business_metrics); `history_hash` fingerprints its values, so a
-- stored forecast is reused exactly while the data it was computed from is unchanged.

create table forecasts (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null,
  metric text not null check (metric ~ '^[a-z][a-z0-9_.]{0,62}$'),
  interval text not null check (interval in ('hour', 'day', 'week', 'month')),
  horizon integer not null check (horizon between 1 and 10000),
  -- {"channel": "web"}: the dimension filter; {} = the total over every dimension.
  dimension jsonb not null default '{}'::jsonb check (jsonb_typeof(dimension) = 'object'),
  kind text not null check (kind in ('level', 'count')),
  status text not null check (status in ('running', 'succeeded', 'failed')),
  trigger text not null check (trigger in ('request', 'refresh')),
  job_id uuid,
  history_from timestamptz,
  history_to timestamptz,
  history_buckets integer,
  history_observations integer,
  history_hash text,
  model text,
  weights jsonb,
  seasonal_periods jsonb,
  backtest jsonb,
  flags jsonb not null default '[]'::jsonb,
  warnings jsonb not null default '[]'::jsonb,
  -- [{t, value, lower80, upper80, lower95, upper95, sd}], one per step.
  points jsonb not null default '[]'::jsonb,
  error jsonb,
  created_by uuid,
  created_at timestamptz not null default now(),
  completed_at timestamptz,
  primary key (tenant_id, id)
);
alter table forecasts enable row level security;
alter table forecasts force row level security;
create policy forecasts_isolation on forecasts
  using (tenant_id = nullif(current_setting('app.current_tenant', true), '')::uuid)
  with check (tenant_id = nullif(current_setting('app.current_tenant', true), '')::uuid);
-- The latest run for one set of parameters; the list, newest first.
create index forecasts_params_idx on forecasts (tenant_id, metric, interval, horizon, created_at desc);
create index forecasts_recent_idx on forecasts (tenant_id, created_at desc);
grant select, insert, update, delete on forecasts to dyocense_app;
