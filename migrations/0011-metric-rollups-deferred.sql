-- Plain-PostgreSQL rollups become deferred, like TimescaleDB's continuous aggregates: a write
-- only records which (metric, time window) changed; the rollups are recomputed from the raw
-- points before the next read of that tenant's rollups (or by a background job), so ingest
-- costs about what the insert costs. With TimescaleDB all of this is a no-op: its
-- invalidation log and real-time aggregates already behave this way.
--
-- The hour level is no longer stored: an hourly series is aggregated from the raw points on
-- the fly (hour queries are bounded to 5,000 buckets), which removes a quarter of the
-- maintenance work. Days come from the raw points; weeks and months from the days.

create table metric_rollup_invalidations (
  tenant_id uuid not null,
  id bigint generated always as identity,
  metric_name text not null,
  from_time timestamptz not null,
  to_time timestamptz not null,
  primary key (tenant_id, id)
);
alter table metric_rollup_invalidations enable row level security;
alter table metric_rollup_invalidations force row level security;
create policy metric_rollup_invalidations_isolation on metric_rollup_invalidations
  using (tenant_id = nullif(current_setting('app.current_tenant', true), '')::uuid)
  with check (tenant_id = nullif(current_setting('app.current_tenant', true), '')::uuid);
-- No privileges for the app role: it goes through the two functions below.

do $$
begin
  if not exists (select 1 from pg_extension where extname = 'timescaledb') then
    drop view metric_rollup_hour;
    drop table metric_rollups_hour;
    create view metric_rollup_hour with (security_barrier) as
      select tenant_id, metric_name, channel, location, sku, date_trunc('hour', time, 'UTC') as bucket,
             sum(value) as sum, count(*) as count, min(value) as min, max(value) as max,
             (array_agg(value order by time desc))[1] as last, max(time) as last_time
        from business_metrics
       where tenant_id = nullif(current_setting('app.current_tenant', true), '')::uuid
       group by tenant_id, metric_name, channel, location, sku, date_trunc('hour', time, 'UTC');
    grant select on metric_rollup_hour to dyocense_app;
  end if;
end
$$;

-- Records that the current tenant's `metric_names` changed in [from_time, to_time).
create function note_metric_changes(metric_names text[], from_time timestamptz, to_time timestamptz)
  returns void
  language plpgsql security definer set search_path = public, pg_temp as $$
declare
  tenant uuid := nullif(current_setting('app.current_tenant', true), '')::uuid;
begin
  if tenant is null or exists (select 1 from pg_extension where extname = 'timescaledb') then
    return;
  end if;
  insert into metric_rollup_invalidations (tenant_id, metric_name, from_time, to_time)
  select tenant, m, from_time, to_time from unnest(metric_names) as m;
end
$$;
revoke all on function note_metric_changes(text[], timestamptz, timestamptz) from public;
grant execute on function note_metric_changes(text[], timestamptz, timestamptz) to dyocense_app;

-- Recomputes the current tenant's day/week/month rollups for one metric window.
create or replace function refresh_metric_rollups(from_time timestamptz, to_time timestamptz, metric_names text[] default null)
  returns void
  language plpgsql security definer set search_path = public, pg_temp set timezone = 'UTC' as $$
declare
  tenant uuid := nullif(current_setting('app.current_tenant', true), '')::uuid;
  day_lo timestamptz;
  day_hi timestamptz;
  b text;
  lo timestamptz;
  hi timestamptz;
begin
  if tenant is null or exists (select 1 from pg_extension where extname = 'timescaledb') then
    return;
  end if;
  day_lo := date_trunc('day', from_time, 'UTC');
  day_hi := date_trunc('day', to_time - interval '1 microsecond', 'UTC') + interval '1 day';
  delete from metric_rollups_day
   where tenant_id = tenant and bucket >= day_lo and bucket < day_hi
     and (metric_names is null or metric_name = any(metric_names));
  insert into metric_rollups_day (tenant_id, metric_name, channel, location, sku, bucket, sum, count, min, max, last, last_time)
  select tenant_id, metric_name, channel, location, sku, date_trunc('day', time, 'UTC'),
         sum(value), count(*), min(value), max(value), (array_agg(value order by time desc))[1], max(time)
    from business_metrics
   where tenant_id = tenant and time >= day_lo and time < day_hi
     and (metric_names is null or metric_name = any(metric_names))
   group by tenant_id, metric_name, channel, location, sku, date_trunc('day', time, 'UTC');

  foreach b in array array['week', 'month'] loop
    lo := date_trunc(b, day_lo, 'UTC');
    hi := date_trunc(b, day_hi - interval '1 microsecond', 'UTC') + ('1 ' || b)::interval;
    execute format('delete from metric_rollups_%s where tenant_id = $1 and bucket >= $2 and bucket < $3
                      and ($4::text[] is null or metric_name = any($4))', b)
      using tenant, lo, hi, metric_names;
    execute format($q$
      insert into metric_rollups_%s (tenant_id, metric_name, channel, location, sku, bucket, sum, count, min, max, last, last_time)
      select tenant_id, metric_name, channel, location, sku, date_trunc(%L, bucket, 'UTC'),
             sum(sum), sum(count), min(min), max(max), (array_agg(last order by last_time desc))[1], max(last_time)
        from metric_rollups_day
       where tenant_id = $1 and bucket >= $2 and bucket < $3
         and ($4::text[] is null or metric_name = any($4))
       group by tenant_id, metric_name, channel, location, sku, date_trunc(%L, bucket, 'UTC')$q$, b, b, b)
      using tenant, lo, hi, metric_names;
  end loop;
end
$$;

-- Applies every pending change of the current tenant (serialised per tenant), oldest first;
-- returns how many windows it refreshed. Cheap when nothing is pending.
create function refresh_pending_metric_rollups()
  returns integer
  language plpgsql security definer set search_path = public, pg_temp set timezone = 'UTC' as $$
declare
  tenant uuid := nullif(current_setting('app.current_tenant', true), '')::uuid;
  w record;
  n integer := 0;
begin
  if tenant is null or not exists (select 1 from metric_rollup_invalidations where tenant_id = tenant) then
    return 0;
  end if;
  perform pg_advisory_xact_lock(hashtextextended('dyocense.rollups:' || tenant::text, 0));
  for w in
    with taken as (
      delete from metric_rollup_invalidations where tenant_id = tenant returning metric_name, from_time, to_time
    )
    select array_agg(distinct metric_name) as names, min(from_time) as lo, max(to_time) as hi
      from taken group by date_trunc('month', from_time, 'UTC')
  loop
    perform refresh_metric_rollups(w.lo, w.hi, w.names);
    n := n + 1;
  end loop;
  return n;
end
$$;
revoke all on function refresh_pending_metric_rollups() from public;
grant execute on function refresh_pending_metric_rollups() to dyocense_app;
