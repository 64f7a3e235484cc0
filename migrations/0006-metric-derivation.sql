-- The metric catalogue, derived from canonical records by SQL (src/modules/metrics/catalogue.ts
-- describes each metric). derive_business_metrics recomputes every derived metric of the
-- current tenant for the local days [from_day, to_day] in time zone `tz`: it deletes the
-- derived points of that window and writes them anew, so re-running it is idempotent and a
-- corrected record corrects its metrics. It runs as the caller (the app role), so it reads
-- and writes only the current tenant's rows, through RLS and the tenant view.
--
-- Times follow the business_metrics convention: local wall-clock time written as UTC.

create function derive_business_metrics(from_day date, to_day date, tz text)
  returns integer
  language plpgsql
  set timezone = 'UTC'
  as $$
declare
  tenant uuid := nullif(current_setting('app.current_tenant', true), '')::uuid;
  lo timestamptz := from_day::timestamp at time zone 'UTC';            -- first local midnight, as UTC
  hi timestamptz := (to_day + 1)::timestamp at time zone 'UTC';        -- exclusive
  real_lo timestamptz := from_day::timestamp at time zone tz;          -- the same instants in real time
  real_hi timestamptz := (to_day + 1)::timestamp at time zone tz;
  written integer := 0;
  n integer;
begin
  if tenant is null then
    raise exception 'derive_business_metrics needs a tenant (app.current_tenant)';
  end if;
  if to_day < from_day then
    return 0;
  end if;

  delete from tenant_business_metrics where source = 'derived' and time >= lo and time < hi;

  -- Sales: hourly revenue, gross sales and orders; daily discounts, refunds, COGS, gross profit.
  insert into tenant_business_metrics (tenant_id, metric_name, time, value, channel, location, source)
  select tenant, m.name, m.t, m.v, s.channel, s.location, 'derived'
    from (
      select date_trunc('hour', o.ordered_at at time zone tz) at time zone 'UTC' as hour,
             o.channel, o.location,
             sum(o.net) as revenue, sum(o.gross) as gross, count(*) as orders
        from orders o
       where o.ordered_at >= real_lo and o.ordered_at < real_hi and o.status in ('completed', 'refunded')
       group by 1, 2, 3
    ) s
    cross join lateral (values ('revenue', s.hour, s.revenue::float8), ('gross_sales', s.hour, s.gross::float8),
                               ('orders', s.hour, s.orders::float8)) as m(name, t, v);
  get diagnostics n = row_count; written := written + n;

  insert into tenant_business_metrics (tenant_id, metric_name, time, value, channel, location, source)
  select tenant, m.name, s.day, m.v, s.channel, s.location, 'derived'
    from (
      select date_trunc('day', o.ordered_at at time zone tz) at time zone 'UTC' as day, o.channel, o.location,
             sum(o.discount) as discounts, sum(o.refunded) as refunds, sum(o.net) as revenue,
             sum(coalesce(l.cogs, 0)) as cogs
        from orders o
        left join lateral (
          select sum((ol.quantity - ol.refunded_quantity) * coalesce(ol.unit_cost, p.unit_cost, 0)) as cogs
            from order_lines ol left join products p on p.id = ol.product_id
           where ol.order_id = o.id) l on true
       where o.ordered_at >= real_lo and o.ordered_at < real_hi and o.status in ('completed', 'refunded')
       group by 1, 2, 3
    ) s
    cross join lateral (values ('discounts', s.discounts::float8), ('refunds', s.refunds::float8),
                               ('cogs', s.cogs::float8), ('gross_profit', (s.revenue - s.cogs)::float8)) as m(name, v);
  get diagnostics n = row_count; written := written + n;

  -- Demand per SKU.
  insert into tenant_business_metrics (tenant_id, metric_name, time, value, sku, source)
  select tenant, 'units_sold', date_trunc('day', o.ordered_at at time zone tz) at time zone 'UTC', sum(ol.quantity - ol.refunded_quantity)::float8,
         coalesce(ol.sku, ''), 'derived'
    from orders o join order_lines ol on ol.order_id = o.id
   where o.ordered_at >= real_lo and o.ordered_at < real_hi and o.status in ('completed', 'refunded')
   group by 3, 5;
  get diagnostics n = row_count; written := written + n;

  -- Customers: new vs returning per day.
  insert into tenant_business_metrics (tenant_id, metric_name, time, value, source)
  select tenant, m.name, s.day, m.v, 'derived'
    from (
      select date_trunc('day', o.ordered_at at time zone tz) at time zone 'UTC' as day,
             count(distinct o.customer_id) filter (where c.first_seen_at >= date_trunc('day', o.ordered_at at time zone tz) at time zone tz) as new_c,
             count(distinct o.customer_id) filter (where c.first_seen_at < date_trunc('day', o.ordered_at at time zone tz) at time zone tz) as returning_c
        from orders o join customers c on c.id = o.customer_id
       where o.ordered_at >= real_lo and o.ordered_at < real_hi and o.status in ('completed', 'refunded')
       group by 1
    ) s
    cross join lateral (values ('new_customers', s.new_c::float8), ('returning_customers', s.returning_c::float8)) as m(name, v);
  get diagnostics n = row_count; written := written + n;

  -- Active (ordered in the last 90 days) and churned customers: +1 when a spell of activity
  -- starts, -1 on the day its last order turns 90 days old; active = running sum.
  with days as (
    select distinct o.customer_id, (o.ordered_at at time zone tz)::date as d
      from orders o where o.customer_id is not null and o.status in ('completed', 'refunded') and o.ordered_at < real_hi
  ), spells as (
    select customer_id, d, lag(d) over w as prev, lead(d) over w as next from days window w as (partition by customer_id order by d)
  ), events as (
    select d as day, 1 as delta, 0 as churn from spells where prev is null or d - prev >= 90
    union all
    select d + 90, -1, 1 from spells where next is null or next - d >= 90
  ), per_day as (
    select day, sum(delta) as delta, sum(churn) as churned from events group by day
  ), series as (
    select g::date as day from generate_series(from_day, to_day, interval '1 day') g
  ), running as (
    select s.day,
           coalesce((select sum(p.delta) from per_day p where p.day <= s.day), 0) as active,
           coalesce((select p.churned from per_day p where p.day = s.day), 0) as churned
      from series s
  )
  insert into tenant_business_metrics (tenant_id, metric_name, time, value, source)
  select tenant, m.name, r.day::timestamp at time zone 'UTC', m.v, 'derived'
    from running r
    cross join lateral (values ('active_customers', r.active::float8), ('active_customers_sum', r.active::float8),
                               ('churned_customers', r.churned::float8)) as m(name, v)
   where exists (select 1 from customers);
  get diagnostics n = row_count; written := written + n;

  -- Cash: balances (per account), money in and out.
  insert into tenant_business_metrics (tenant_id, metric_name, time, value, location, source)
  select distinct on (b.account, (b.time at time zone tz)::date)
         tenant, 'cash_balance', date_trunc('day', b.time at time zone tz) at time zone 'UTC', b.balance::float8, b.account, 'derived'
    from cash_balances b
   where b.time >= real_lo and b.time < real_hi
   order by b.account, (b.time at time zone tz)::date, b.time desc;
  get diagnostics n = row_count; written := written + n;

  insert into tenant_business_metrics (tenant_id, metric_name, time, value, source)
  select tenant, f.name, f.day, sum(f.amount)::float8, 'derived'
    from (
      select 'cash_in' as name, date_trunc('day', p.occurred_at at time zone tz) at time zone 'UTC' as day, p.amount
        from payments p where p.kind = 'charge' and p.status = 'succeeded' and p.occurred_at >= real_lo and p.occurred_at < real_hi
      union all
      select 'cash_in', date_trunc('day', i.paid_at at time zone tz) at time zone 'UTC', i.amount
        from invoices i where i.paid_at >= real_lo and i.paid_at < real_hi and i.status <> 'void'
      union all
      select 'cash_out', date_trunc('day', p.occurred_at at time zone tz) at time zone 'UTC', p.amount
        from payments p where p.kind in ('refund', 'fee') and p.status = 'succeeded' and p.occurred_at >= real_lo and p.occurred_at < real_hi
      union all
      select 'cash_out', date_trunc('day', e.paid_at at time zone tz) at time zone 'UTC', e.amount
        from expenses e where e.paid_at >= real_lo and e.paid_at < real_hi
      union all
      select 'cash_out', date_trunc('day', s.starts_at at time zone tz) at time zone 'UTC', s.labour_cost
        from staff_shifts s where s.starts_at >= real_lo and s.starts_at < real_hi
    ) f
   group by f.name, f.day;
  get diagnostics n = row_count; written := written + n;

  -- Receivables and payables outstanding at the end of each day (only when the business has any).
  insert into tenant_business_metrics (tenant_id, metric_name, time, value, source)
  select tenant, 'accounts_receivable', g::timestamp at time zone 'UTC',
         coalesce((select sum(i.amount) from invoices i
                    where i.status not in ('void', 'draft')
                      and i.issued_at < (g + interval '1 day')::timestamp at time zone tz
                      and (i.paid_at is null or i.paid_at >= (g + interval '1 day')::timestamp at time zone tz)), 0)::float8,
         'derived'
    from generate_series(from_day, to_day, interval '1 day') g
   where exists (select 1 from invoices);
  get diagnostics n = row_count; written := written + n;

  insert into tenant_business_metrics (tenant_id, metric_name, time, value, source)
  select tenant, 'accounts_payable', g::timestamp at time zone 'UTC',
         coalesce((select sum(e.amount) from expenses e
                    where e.incurred_at < (g + interval '1 day')::timestamp at time zone tz
                      and (e.paid_at is null or e.paid_at >= (g + interval '1 day')::timestamp at time zone tz)), 0)::float8,
         'derived'
    from generate_series(from_day, to_day, interval '1 day') g
   where exists (select 1 from expenses);
  get diagnostics n = row_count; written := written + n;

  -- Inventory at the end of each day that has a snapshot: per product and location the last
  -- snapshot of the day, carried forward from earlier days when a product has none that day.
  with daily as (
    select distinct on (il.product_id, il.location, (il.time at time zone tz)::date)
           il.product_id, il.location, (il.time at time zone tz)::date as d, il.on_hand
      from inventory_levels il
     where il.time >= real_lo and il.time < real_hi
     order by il.product_id, il.location, (il.time at time zone tz)::date, il.time desc
  ), opening as (
    select distinct on (il.product_id, il.location) il.product_id, il.location, from_day - 1 as d, il.on_hand
      from inventory_levels il
     where il.time < real_lo
     order by il.product_id, il.location, il.time desc
  ), known as (
    select * from daily union all select * from opening
  ), snapshot_days as (
    select distinct d from daily
  ), grid as (
    select pl.product_id, pl.location, g.d
      from (select distinct product_id, location from known) pl
      cross join (select d from snapshot_days union select from_day - 1) g
  ), filled as (
    select g.product_id, g.location, g.d, k.on_hand,
           count(k.on_hand) over (partition by g.product_id, g.location order by g.d) as grp
      from grid g left join known k on k.product_id = g.product_id and k.location = g.location and k.d = g.d
  ), stock as (
    select f.d, f.product_id,
           first_value(f.on_hand) over (partition by f.product_id, f.location, f.grp order by f.d) as on_hand
      from filled f
  ), per_day as (
    select s.d, sum(s.on_hand * coalesce(p.unit_cost, 0)) as value,
           count(*) filter (where p.active and s.on_hand <= 0) as outs
      from stock s join products p on p.id = s.product_id
     where s.d in (select d from snapshot_days) and s.on_hand is not null
     group by s.d
  ), daily_cogs as (
    select (o.ordered_at at time zone tz)::date as d,
           sum((ol.quantity - ol.refunded_quantity) * coalesce(ol.unit_cost, pr.unit_cost, 0)) as cogs
      from orders o join order_lines ol on ol.order_id = o.id left join products pr on pr.id = ol.product_id
     where o.status in ('completed', 'refunded')
       and o.ordered_at >= (from_day - 29)::timestamp at time zone tz and o.ordered_at < real_hi
     group by 1
  ), cogs30 as (
    -- trailing 30-day average daily COGS, days without sales counting as zero
    select g::date as d,
           sum(coalesce(dc.cogs, 0)) over (order by g rows between 29 preceding and current row) / 30.0 as daily_cogs
      from generate_series(from_day - 29, to_day, interval '1 day') g
      left join daily_cogs dc on dc.d = g::date
  )
  insert into tenant_business_metrics (tenant_id, metric_name, time, value, source)
  select tenant, m.name, pd.d::timestamp at time zone 'UTC', m.v, 'derived'
    from per_day pd
    join cogs30 c on c.d = pd.d
    cross join lateral (values ('inventory_value', pd.value::float8), ('stockouts', pd.outs::float8),
                               ('days_of_inventory', case when c.daily_cogs > 0 then (pd.value / c.daily_cogs)::float8 end)) as m(name, v)
   where m.v is not null;
  get diagnostics n = row_count; written := written + n;

  -- Labour.
  insert into tenant_business_metrics (tenant_id, metric_name, time, value, location, source)
  select tenant, m.name, s.day, m.v, s.location, 'derived'
    from (
      select date_trunc('day', st.starts_at at time zone tz) at time zone 'UTC' as day, st.location,
             sum(st.labour_cost) as cost, sum(extract(epoch from st.ends_at - st.starts_at) / 3600) as hours
        from staff_shifts st where st.starts_at >= real_lo and st.starts_at < real_hi
       group by 1, 2
    ) s
    cross join lateral (values ('labour_cost', s.cost::float8), ('labour_hours', s.hours::float8)) as m(name, v);
  get diagnostics n = row_count; written := written + n;

  -- Marketing (its day is already a local date).
  insert into tenant_business_metrics (tenant_id, metric_name, time, value, channel, source)
  select tenant, m.name, s.day::timestamp at time zone 'UTC', m.v, s.channel, 'derived'
    from (
      select ms.day, ms.channel, sum(ms.spend) as spend, sum(ms.attributed_revenue) as attributed
        from marketing_spend ms where ms.day between from_day and to_day group by 1, 2
    ) s
    cross join lateral (values ('marketing_spend', s.spend::float8), ('marketing_revenue', s.attributed::float8)) as m(name, v)
   where m.v is not null;
  get diagnostics n = row_count; written := written + n;

  perform refresh_metric_rollups(lo, hi, null);
  return written;
end
$$;

grant execute on function derive_business_metrics(date, date, text) to dyocense_app;
