-- Plans (src/modules/plans): optimizer advice built from the tenant's own data — a reorder,
-- a week's staff schedule, a marketing budget split. Nothing is executed: an owner approves
-- or rejects each item, and the decision is recorded here (and in the audit log).
--
-- A plan is `queued` while its background job waits (large problems), `running` while it is
-- built and solved, then `completed` (the optimizer answered: `solve_status` says how, from
-- `optimal` to `infeasible`, with the result JSON) or `failed` (`error` says why). `request`
-- is the body as sent; `input` is the optimizer input it became (tenant data + overrides),
-- kept so the plan can be re-solved with one change (a what-if, stored as a child plan).

create table plans (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  kind text not null check (kind in ('inventory', 'staffing', 'budget')),
  status text not null check (status in ('queued', 'running', 'completed', 'failed')),
  parent_id uuid,
  request jsonb not null default '{}'::jsonb,
  input jsonb,
  result jsonb,
  -- Data problems found while building the input (the engine's own are in result.issues).
  data_issues jsonb not null default '[]'::jsonb,
  -- {change, diff}: for a what-if child, what changed against the parent and how the plan moved.
  what_if jsonb,
  solve_status text check (solve_status in ('optimal', 'feasible', 'no_solution', 'infeasible', 'unbounded')),
  objective double precision check (objective = objective and objective not in ('Infinity', '-Infinity')),
  summary jsonb not null default '{}'::jsonb,
  -- {code, message, path?}
  error jsonb,
  time_limit_seconds real not null check (time_limit_seconds > 0),
  job_id uuid,
  created_by uuid,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  completed_at timestamptz,
  primary key (tenant_id, id),
  foreign key (tenant_id, parent_id) references plans (tenant_id, id) on delete cascade
);
alter table plans enable row level security;
alter table plans force row level security;
create policy plans_isolation on plans
  using (tenant_id = nullif(current_setting('app.current_tenant', true), '')::uuid)
  with check (tenant_id = nullif(current_setting('app.current_tenant', true), '')::uuid);
create index plans_recent_idx on plans (tenant_id, created_at desc);
create index plans_parent_idx on plans (tenant_id, parent_id) where parent_id is not null;
grant select, insert, update, delete on plans to dyocense_app;

-- One recommendation of a plan: an order for a SKU, a shift for a person, a channel's spend.
create table plan_items (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  plan_id uuid not null,
  position integer not null check (position >= 0),
  kind text not null check (kind in ('order', 'shift', 'allocation')),
  -- The SKU, staff id or channel the item is about.
  ref text not null,
  label text not null,
  quantity double precision not null check (quantity = quantity and quantity not in ('Infinity', '-Infinity')),
  unit text not null,
  amount double precision not null check (amount = amount and amount not in ('Infinity', '-Infinity')),
  details jsonb not null default '{}'::jsonb,
  decision text not null default 'pending' check (decision in ('pending', 'approved', 'rejected')),
  decided_by uuid,
  decided_by_token uuid,
  decided_at timestamptz,
  note text check (length(note) <= 1000),
  primary key (tenant_id, id),
  unique (tenant_id, plan_id, position),
  foreign key (tenant_id, plan_id) references plans (tenant_id, id) on delete cascade,
  check ((decision = 'pending') = (decided_at is null))
);
alter table plan_items enable row level security;
alter table plan_items force row level security;
create policy plan_items_isolation on plan_items
  using (tenant_id = nullif(current_setting('app.current_tenant', true), '')::uuid)
  with check (tenant_id = nullif(current_setting('app.current_tenant', true), '')::uuid);
grant select, insert, update, delete on plan_items to dyocense_app;
