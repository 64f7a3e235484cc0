-- business_metrics: every number over time (derived from records, pushed through the API,
-- imported from CSV). One row per (tenant, metric, dimensions, time).
--
-- Times follow one convention: the business's local wall-clock time written as UTC
-- (a café's 08:00 in New York is stored as 08:00Z), so hour/day/week/month buckets are the
-- business's own, whatever its time zone. Dimensions are '' when not used; a total is always
-- the aggregate over dimensions, never a stored row.
--
-- Two implementations, one interface for the application:
-- * TimescaleDB: a hypertable compressed by (tenant_id, metric_name) with compression and
--   retention policies, and hierarchical continuous aggregates (hour → day → week/month)
--   with real-time aggregation. TimescaleDB refuses row security on such tables, so the app
--   role has no privilege on them: it reaches them only through tenant views.
-- * Plain PostgreSQL: the same table partitioned by month (partitions created ahead by
--   ensure_business_metrics_partitions) and rollup tables refreshed incrementally by
--   refresh_metric_rollups() after each write.
-- Either way the app reads and writes the views tenant_business_metrics and
-- metric_rollup_{hour,day,week,month}, which filter on the current tenant with
-- security_barrier and cascaded check option.

do $$
declare
  timescale boolean := exists (select 1 from pg_extension where extname = 'timescaledb');
  b text;
begin
  execute format($t$
    create table business_metrics (
      tenant_id uuid not null,
      metric_name text not null check (metric_name ~ '^[a-z][a-z0-9_.]{0,62}$'),
      time timestamptz not null,
      value double precision not null check (value = value and value not in ('Infinity', '-Infinity')),
      channel text not null default '',
      location text not null default '',
      sku text not null default '',
      source text not null default 'api',
      ingested_at timestamptz not null default now(),
      primary key (tenant_id, metric_name, channel, location, sku, time)
    ) %s$t$, case when timescale then '' else 'partition by range (time)' end);

  if timescale then
    perform create_hypertable('business_metrics', by_range('time', interval '30 days'));
    alter table business_metrics set (
      timescaledb.compress,
      timescaledb.compress_segmentby = 'tenant_id, metric_name',
      timescaledb.compress_orderby = 'channel, location, sku, time desc');
    perform add_compression_policy('business_metrics', interval '45 days');
    perform add_retention_policy('business_metrics', interval '10 years');

    create materialized view metrics_hourly
      with (timescaledb.continuous, timescaledb.materialized_only = false) as
      select tenant_id, metric_name, channel, location, sku,
             time_bucket(interval '1 hour', time) as bucket,
             sum(value) as sum, count(*)::bigint as count, min(value) as min, max(value) as max,
             last(value, time) as last, max(time) as last_time
        from business_metrics
       group by tenant_id, metric_name, channel, location, sku, bucket
      with no data;
    create materialized view metrics_daily
      with (timescaledb.continuous, timescaledb.materialized_only = false) as
      select tenant_id, metric_name, channel, location, sku,
             time_bucket(interval '1 day', bucket) as bucket,
             sum(sum) as sum, sum(count)::bigint as count, min(min) as min, max(max) as max,
             last(last, last_time) as last, max(last_time) as last_time
        from metrics_hourly
       group by tenant_id, metric_name, channel, location, sku, time_bucket(interval '1 day', bucket)
      with no data;
    create materialized view metrics_weekly
      with (timescaledb.continuous, timescaledb.materialized_only = false) as
      select tenant_id, metric_name, channel, location, sku,
             time_bucket(interval '1 week', bucket) as bucket,
             sum(sum) as sum, sum(count)::bigint as count, min(min) as min, max(max) as max,
             last(last, last_time) as last, max(last_time) as last_time
        from metrics_daily
       group by tenant_id, metric_name, channel, location, sku, time_bucket(interval '1 week', bucket)
      with no data;
    create materialized view metrics_monthly
      with (timescaledb.continuous, timescaledb.materialized_only = false) as
      select tenant_id, metric_name, channel, location, sku,
             time_bucket(interval '1 month', bucket) as bucket,
             sum(sum) as sum, sum(count)::bigint as count, min(min) as min, max(max) as max,
             last(last, last_time) as last, max(last_time) as last_time
        from metrics_daily
       group by tenant_id, metric_name, channel, location, sku, time_bucket(interval '1 month', bucket)
      with no data;
    perform add_continuous_aggregate_policy('metrics_hourly', start_offset => interval '3 days', end_offset => interval '1 hour', schedule_interval => interval '30 minutes');
    perform add_continuous_aggregate_policy('metrics_daily', start_offset => interval '10 days', end_offset => interval '1 day', schedule_interval => interval '1 hour');
    perform add_continuous_aggregate_policy('metrics_weekly', start_offset => interval '35 days', end_offset => interval '7 days', schedule_interval => interval '6 hours');
    perform add_continuous_aggregate_policy('metrics_monthly', start_offset => interval '100 days', end_offset => interval '1 month', schedule_interval => interval '1 day');

    foreach b in array array['hour', 'day', 'week', 'month'] loop
      execute format($v$
        create view metric_rollup_%s with (security_barrier) as
          select tenant_id, metric_name, channel, location, sku, bucket, sum, count, min, max, last, last_time
            from %I
           where tenant_id = nullif(current_setting('app.current_tenant', true), '')::uuid$v$,
        b, case b when 'hour' then 'metrics_hourly' when 'day' then 'metrics_daily' when 'week' then 'metrics_weekly' else 'metrics_monthly' end);
    end loop;
  else
    -- Fallback: rollup tables per bucket size, same columns as the aggregates.
    foreach b in array array['hour', 'day', 'week', 'month'] loop
      execute format($r$
        create table metric_rollups_%1$s (
          tenant_id uuid not null,
          metric_name text not null,
          channel text not null,
          location text not null,
          sku text not null,
          bucket timestamptz not null,
          sum double precision not null,
          count bigint not null,
          min double precision not null,
          max double precision not null,
          last double precision not null,
          last_time timestamptz not null,
          primary key (tenant_id, metric_name, channel, location, sku, bucket)
        );
        alter table metric_rollups_%1$s enable row level security;
        alter table metric_rollups_%1$s force row level security;
        create policy metric_rollups_%1$s_isolation on metric_rollups_%1$s
          using (tenant_id = nullif(current_setting('app.current_tenant', true), '')::uuid)
          with check (tenant_id = nullif(current_setting('app.current_tenant', true), '')::uuid);
        create view metric_rollup_%1$s with (security_barrier) as
          select tenant_id, metric_name, channel, location, sku, bucket, sum, count, min, max, last, last_time
            from metric_rollups_%1$s
           where tenant_id = nullif(current_setting('app.current_tenant', true), '')::uuid$r$, b);
    end loop;
    alter table business_metrics enable row level security;
    alter table business_metrics force row level security;
    create policy business_metrics_isolation on business_metrics
      using (tenant_id = nullif(current_setting('app.current_tenant', true), '')::uuid)
      with check (tenant_id = nullif(current_setting('app.current_tenant', true), '')::uuid);
    create table business_metrics_default partition of business_metrics default;
  end if;
end
$$;

-- The app role's only ways in: the tenant views.
create view tenant_business_metrics with (security_barrier) as
  select tenant_id, metric_name, time, value, channel, location, sku, source, ingested_at
    from business_metrics
   where tenant_id = nullif(current_setting('app.current_tenant', true), '')::uuid
  with cascaded check option;
grant select, insert, update, delete on tenant_business_metrics to dyocense_app;
grant select on metric_rollup_hour, metric_rollup_day, metric_rollup_week, metric_rollup_month to dyocense_app;

-- Monthly partitions from `from_month` through `to_month` (no-op with TimescaleDB, whose
-- chunks appear by themselves). Rows outside land in the default partition.
create function ensure_business_metrics_partitions(from_month date, to_month date) returns integer
  language plpgsql security definer set search_path = public, pg_temp set timezone = 'UTC' as $$
declare
  m date := date_trunc('month', from_month)::date;
  created integer := 0;
  name text;
begin
  if exists (select 1 from pg_extension where extname = 'timescaledb') then
    return 0;
  end if;
  while m <= to_month loop
    name := format('business_metrics_%s', to_char(m, 'YYYY_MM'));
    if to_regclass(name) is null then
      -- Rows of that month already sitting in the default partition must move first.
      execute format('create table %I (like business_metrics including defaults including constraints)', name);
      execute format(
        'with moved as (delete from business_metrics_default where time >= %L and time < %L returning *) insert into %I select * from moved',
        m, (m + interval '1 month')::date, name);
      execute format('alter table business_metrics attach partition %I for values from (%L) to (%L)',
        name, m, (m + interval '1 month')::date);
      created := created + 1;
    end if;
    m := (m + interval '1 month')::date;
  end loop;
  return created;
end
$$;
revoke all on function ensure_business_metrics_partitions(date, date) from public;
-- Writers call it for months outside the pre-created range (old history, far-future plans).
grant execute on function ensure_business_metrics_partitions(date, date) to dyocense_app;

select ensure_business_metrics_partitions((date_trunc('month', now()) - interval '36 months')::date,
                                          (date_trunc('month', now()) + interval '12 months')::date);

-- Recomputes the current tenant's rollup buckets that overlap [from_time, to_time) from the
-- raw points (plain PostgreSQL only; TimescaleDB's aggregates are real-time). Runs as the
-- owner but only ever touches the tenant of the calling transaction.
create function refresh_metric_rollups(from_time timestamptz, to_time timestamptz, metric_names text[] default null)
  returns void
  language plpgsql security definer set search_path = public, pg_temp set timezone = 'UTC' as $$
declare
  tenant uuid := nullif(current_setting('app.current_tenant', true), '')::uuid;
  b text;
  lo timestamptz;
  hi timestamptz;
begin
  if tenant is null or exists (select 1 from pg_extension where extname = 'timescaledb') then
    return;
  end if;
  foreach b in array array['hour', 'day', 'week', 'month'] loop
    -- Buckets are UTC (see the time convention above), whatever the session's TimeZone.
    lo := date_trunc(b, from_time, 'UTC');
    hi := date_trunc(b, to_time - interval '1 microsecond', 'UTC') + ('1 ' || b)::interval;
    execute format('delete from metric_rollups_%s where tenant_id = $1 and bucket >= $2 and bucket < $3
                      and ($4::text[] is null or metric_name = any($4))', b)
      using tenant, lo, hi, metric_names;
    execute format($q$
      insert into metric_rollups_%s (tenant_id, metric_name, channel, location, sku, bucket, sum, count, min, max, last, last_time)
      select tenant_id, metric_name, channel, location, sku, date_trunc(%L, time, 'UTC') as bucket,
             sum(value), count(*), min(value), max(value),
             (array_agg(value order by time desc))[1], max(time)
        from business_metrics
       where tenant_id = $1 and time >= $2 and time < $3
         and ($4::text[] is null or metric_name = any($4))
       group by tenant_id, metric_name, channel, location, sku, date_trunc(%L, time, 'UTC')$q$, b, b, b)
      using tenant, lo, hi, metric_names;
  end loop;
end
$$;
revoke all on function refresh_metric_rollups(timestamptz, timestamptz, text[]) from public;
grant execute on function refresh_metric_rollups(timestamptz, timestamptz, text[]) to dyocense_app;
