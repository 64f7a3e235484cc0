-- Canonical business records. Every connector (CSV, Shopify, Stripe, Square, QuickBooks,
-- Xero, the demo generator) maps onto these tables; a record is identified by
-- (tenant_id, source, external_id), so re-importing or re-syncing the same data updates in
-- place instead of duplicating. Money is numeric(14,2) in the business's currency unless a
-- row says otherwise; times are timestamptz.

create table products (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  source text not null,
  external_id text not null,
  sku text not null,
  name text not null default '',
  category text,
  supplier text,
  unit_cost numeric(14, 4) check (unit_cost >= 0),
  unit_price numeric(14, 4) check (unit_price >= 0),
  lead_time_days integer check (lead_time_days >= 0),
  case_pack integer not null default 1 check (case_pack >= 1),
  min_order_qty integer not null default 0 check (min_order_qty >= 0),
  shelf_life_days integer check (shelf_life_days > 0),
  storage_units numeric(12, 4) not null default 1 check (storage_units >= 0),
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, source, external_id)
);
alter table products enable row level security;
alter table products force row level security;
create policy products_isolation on products
  using (tenant_id = nullif(current_setting('app.current_tenant', true), '')::uuid)
  with check (tenant_id = nullif(current_setting('app.current_tenant', true), '')::uuid);
create index products_sku_idx on products (tenant_id, sku);
grant select, insert, update, delete on products to dyocense_app;

-- Stock on hand at a moment (snapshots; the latest per product and location is current).
create table inventory_levels (
  tenant_id uuid not null references tenants (id) on delete cascade,
  product_id uuid not null,
  location text not null default '',
  time timestamptz not null,
  on_hand numeric(14, 3) not null,
  source text not null,
  external_id text not null,
  primary key (tenant_id, product_id, location, time),
  unique (tenant_id, source, external_id),
  foreign key (tenant_id, product_id) references products (tenant_id, id) on delete cascade
);
alter table inventory_levels enable row level security;
alter table inventory_levels force row level security;
create policy inventory_levels_isolation on inventory_levels
  using (tenant_id = nullif(current_setting('app.current_tenant', true), '')::uuid)
  with check (tenant_id = nullif(current_setting('app.current_tenant', true), '')::uuid);
grant select, insert, update, delete on inventory_levels to dyocense_app;

create table customers (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  source text not null,
  external_id text not null,
  name text,
  email text,
  first_seen_at timestamptz,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, source, external_id)
);
alter table customers enable row level security;
alter table customers force row level security;
create policy customers_isolation on customers
  using (tenant_id = nullif(current_setting('app.current_tenant', true), '')::uuid)
  with check (tenant_id = nullif(current_setting('app.current_tenant', true), '')::uuid);
grant select, insert, update, delete on customers to dyocense_app;

-- Orders: gross is the sum of line prices before discounts; net = gross - discount - refunded.
create table orders (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  source text not null,
  external_id text not null,
  ordered_at timestamptz not null,
  customer_id uuid,
  channel text not null default '',
  location text not null default '',
  status text not null default 'completed' check (status in ('completed', 'cancelled', 'refunded', 'pending')),
  currency text,
  gross numeric(14, 2) not null default 0 check (gross >= 0),
  discount numeric(14, 2) not null default 0 check (discount >= 0),
  tax numeric(14, 2) not null default 0 check (tax >= 0),
  shipping numeric(14, 2) not null default 0 check (shipping >= 0),
  refunded numeric(14, 2) not null default 0 check (refunded >= 0),
  net numeric(14, 2) generated always as (gross - discount - refunded) stored,
  primary key (tenant_id, id),
  unique (tenant_id, source, external_id),
  foreign key (tenant_id, customer_id) references customers (tenant_id, id) on delete set null (customer_id)
);
alter table orders enable row level security;
alter table orders force row level security;
create policy orders_isolation on orders
  using (tenant_id = nullif(current_setting('app.current_tenant', true), '')::uuid)
  with check (tenant_id = nullif(current_setting('app.current_tenant', true), '')::uuid);
create index orders_time_idx on orders (tenant_id, ordered_at);
create index orders_customer_idx on orders (tenant_id, customer_id, ordered_at);
grant select, insert, update, delete on orders to dyocense_app;

create table order_lines (
  tenant_id uuid not null references tenants (id) on delete cascade,
  order_id uuid not null,
  line_no integer not null check (line_no >= 1),
  product_id uuid,
  sku text,
  quantity numeric(12, 3) not null check (quantity > 0),
  unit_price numeric(14, 4) not null check (unit_price >= 0),
  unit_cost numeric(14, 4) check (unit_cost >= 0),
  discount numeric(14, 2) not null default 0 check (discount >= 0),
  tax numeric(14, 2) not null default 0 check (tax >= 0),
  refunded_quantity numeric(12, 3) not null default 0 check (refunded_quantity >= 0),
  primary key (tenant_id, order_id, line_no),
  foreign key (tenant_id, order_id) references orders (tenant_id, id) on delete cascade,
  foreign key (tenant_id, product_id) references products (tenant_id, id) on delete set null (product_id)
);
alter table order_lines enable row level security;
alter table order_lines force row level security;
create policy order_lines_isolation on order_lines
  using (tenant_id = nullif(current_setting('app.current_tenant', true), '')::uuid)
  with check (tenant_id = nullif(current_setting('app.current_tenant', true), '')::uuid);
create index order_lines_product_idx on order_lines (tenant_id, product_id);
grant select, insert, update, delete on order_lines to dyocense_app;

-- Money movements: charges and refunds from processors (Stripe, Square), payouts to the bank, fees.
create table payments (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  source text not null,
  external_id text not null,
  kind text not null check (kind in ('charge', 'refund', 'payout', 'fee')),
  occurred_at timestamptz not null,
  amount numeric(14, 2) not null check (amount >= 0),
  currency text,
  order_id uuid,
  status text not null default 'succeeded' check (status in ('succeeded', 'pending', 'failed')),
  primary key (tenant_id, id),
  unique (tenant_id, source, external_id)
);
alter table payments enable row level security;
alter table payments force row level security;
create policy payments_isolation on payments
  using (tenant_id = nullif(current_setting('app.current_tenant', true), '')::uuid)
  with check (tenant_id = nullif(current_setting('app.current_tenant', true), '')::uuid);
create index payments_time_idx on payments (tenant_id, occurred_at);
grant select, insert, update, delete on payments to dyocense_app;

-- Invoices the business sent (accounts receivable) — QuickBooks/Xero.
create table invoices (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  source text not null,
  external_id text not null,
  customer_id uuid,
  issued_at timestamptz not null,
  due_at timestamptz,
  paid_at timestamptz,
  amount numeric(14, 2) not null check (amount >= 0),
  currency text,
  status text not null default 'open' check (status in ('draft', 'open', 'paid', 'void')),
  primary key (tenant_id, id),
  unique (tenant_id, source, external_id)
);
alter table invoices enable row level security;
alter table invoices force row level security;
create policy invoices_isolation on invoices
  using (tenant_id = nullif(current_setting('app.current_tenant', true), '')::uuid)
  with check (tenant_id = nullif(current_setting('app.current_tenant', true), '')::uuid);
create index invoices_time_idx on invoices (tenant_id, issued_at);
grant select, insert, update, delete on invoices to dyocense_app;

-- Expenses and bills the business owes or paid (accounts payable) — QuickBooks/Xero, CSV.
create table expenses (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  source text not null,
  external_id text not null,
  incurred_at timestamptz not null,
  due_at timestamptz,
  paid_at timestamptz,
  vendor text,
  category text not null default 'other',
  description text,
  amount numeric(14, 2) not null check (amount >= 0),
  currency text,
  primary key (tenant_id, id),
  unique (tenant_id, source, external_id)
);
alter table expenses enable row level security;
alter table expenses force row level security;
create policy expenses_isolation on expenses
  using (tenant_id = nullif(current_setting('app.current_tenant', true), '')::uuid)
  with check (tenant_id = nullif(current_setting('app.current_tenant', true), '')::uuid);
create index expenses_time_idx on expenses (tenant_id, incurred_at);
grant select, insert, update, delete on expenses to dyocense_app;

-- Bank/cash account balances observed at a moment.
create table cash_balances (
  tenant_id uuid not null references tenants (id) on delete cascade,
  account text not null,
  time timestamptz not null,
  balance numeric(14, 2) not null,
  source text not null,
  external_id text not null,
  primary key (tenant_id, account, time),
  unique (tenant_id, source, external_id)
);
alter table cash_balances enable row level security;
alter table cash_balances force row level security;
create policy cash_balances_isolation on cash_balances
  using (tenant_id = nullif(current_setting('app.current_tenant', true), '')::uuid)
  with check (tenant_id = nullif(current_setting('app.current_tenant', true), '')::uuid);
grant select, insert, update, delete on cash_balances to dyocense_app;

-- People who work shifts, with what the staffing optimizer needs to know about them.
create table staff (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  source text not null,
  external_id text not null,
  name text not null,
  skills text[] not null default '{}',
  hourly_rate numeric(10, 2) not null check (hourly_rate >= 0),
  min_hours_per_week numeric(5, 2) not null default 0 check (min_hours_per_week >= 0),
  max_hours_per_week numeric(5, 2) not null default 40 check (max_hours_per_week >= min_hours_per_week),
  availability jsonb not null default '{}'::jsonb,
  active boolean not null default true,
  primary key (tenant_id, id),
  unique (tenant_id, source, external_id)
);
alter table staff enable row level security;
alter table staff force row level security;
create policy staff_isolation on staff
  using (tenant_id = nullif(current_setting('app.current_tenant', true), '')::uuid)
  with check (tenant_id = nullif(current_setting('app.current_tenant', true), '')::uuid);
grant select, insert, update, delete on staff to dyocense_app;

create table staff_shifts (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  source text not null,
  external_id text not null,
  staff_id uuid,
  role text,
  location text not null default '',
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  labour_cost numeric(12, 2) not null check (labour_cost >= 0),
  primary key (tenant_id, id),
  unique (tenant_id, source, external_id),
  check (ends_at > starts_at),
  foreign key (tenant_id, staff_id) references staff (tenant_id, id) on delete set null (staff_id)
);
alter table staff_shifts enable row level security;
alter table staff_shifts force row level security;
create policy staff_shifts_isolation on staff_shifts
  using (tenant_id = nullif(current_setting('app.current_tenant', true), '')::uuid)
  with check (tenant_id = nullif(current_setting('app.current_tenant', true), '')::uuid);
create index staff_shifts_time_idx on staff_shifts (tenant_id, starts_at);
grant select, insert, update, delete on staff_shifts to dyocense_app;

-- Marketing spend per day and channel, with the revenue the platform attributes to it.
create table marketing_spend (
  tenant_id uuid not null references tenants (id) on delete cascade,
  day date not null,
  channel text not null,
  campaign text not null default '',
  spend numeric(14, 2) not null check (spend >= 0),
  impressions bigint check (impressions >= 0),
  clicks bigint check (clicks >= 0),
  attributed_revenue numeric(14, 2) check (attributed_revenue >= 0),
  source text not null,
  external_id text not null,
  primary key (tenant_id, day, channel, campaign),
  unique (tenant_id, source, external_id)
);
alter table marketing_spend enable row level security;
alter table marketing_spend force row level security;
create policy marketing_spend_isolation on marketing_spend
  using (tenant_id = nullif(current_setting('app.current_tenant', true), '')::uuid)
  with check (tenant_id = nullif(current_setting('app.current_tenant', true), '')::uuid);
grant select, insert, update, delete on marketing_spend to dyocense_app;
