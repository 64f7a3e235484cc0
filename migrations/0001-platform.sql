-- Platform: optional extensions, the application role, shared helpers.
--
-- Extensions are created when the server offers them and we are allowed to; nothing fails
-- when one is missing (the features fall back as DESIGN.md describes and
-- /v1/system/capabilities reports).
do $$
declare
  ext text;
begin
  foreach ext in array array['timescaledb', 'vector', 'pg_cron'] loop
    if exists (select 1 from pg_available_extensions where name = ext) then
      begin
        execute format('create extension if not exists %I', ext);
      exception when others then
        -- e.g. timescaledb not in shared_preload_libraries, pg_cron outside cron.database_name
        raise notice 'extension % is available but could not be created: %', ext, sqlerrm;
      end;
    end if;
  end loop;
end
$$;

-- The role every request and job runs as (SET LOCAL ROLE inside its transaction). It owns
-- nothing and cannot bypass row-level security; it is NOLOGIN because the process logs in
-- as the owner and switches to it per transaction.
do $$
begin
  if not exists (select 1 from pg_roles where rolname = 'dyocense_app') then
    create role dyocense_app nologin nosuperuser nobypassrls noinherit;
  end if;
exception when duplicate_object then
  null; -- another database in this cluster created it concurrently
end
$$;

grant usage on schema public to dyocense_app;

-- The tenant of the current transaction, or null when none is set (then no tenant rows
-- are visible and every tenant write fails its policy check).
create or replace function app_current_tenant() returns uuid
  language sql stable parallel safe
  as $$ select nullif(current_setting('app.current_tenant', true), '')::uuid $$;

grant execute on function app_current_tenant() to dyocense_app;

-- The login role must be able to SET ROLE dyocense_app (automatic for a superuser).
do $$
begin
  execute format('grant dyocense_app to %I', current_user);
exception when others then
  raise notice 'could not grant dyocense_app to %: %', current_user, sqlerrm;
end
$$;
