#!/usr/bin/env bash
# Runs once, when the data directory is empty, as the image's superuser. Creates the
# application's login role and database and the extensions that need a superuser, so the
# application itself never runs as one:
#   dyocense      LOGIN, owns the database and the schema (migrations run as it); BYPASSRLS
#                 because platform code (job queue, scrape-time metrics) works across tenants —
#                 every request and job switches to dyocense_app first;
#   dyocense_app  NOLOGIN, NOBYPASSRLS: the role tenant transactions run as (row-level security).
set -euo pipefail

: "${DYOCENSE_DB_PASSWORD:?set DYOCENSE_DB_PASSWORD}"

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v pw="$DYOCENSE_DB_PASSWORD" <<'SQL'
create role dyocense login nosuperuser nocreatedb nocreaterole bypassrls password :'pw';
create role dyocense_app nologin nosuperuser nobypassrls noinherit;
grant dyocense_app to dyocense;
create database dyocense owner dyocense;
SQL

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname dyocense <<'SQL'
create extension if not exists timescaledb;
create extension if not exists vector;
-- pg_cron lives in the database named by cron.database_name (see docker-compose.yml).
create extension if not exists pg_cron;
grant usage on schema cron to dyocense;
alter schema public owner to dyocense;
SQL
