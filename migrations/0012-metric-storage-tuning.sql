-- TimescaleDB storage tuning for business_metrics (no-op without TimescaleDB), measured with
-- `npm run bench:ingest` (docs/benchmarks.md):
--
-- * 90-day chunks instead of 30: a small business writes a few dozen points a day, so a
--   30-day chunk compressed into (tenant, metric) segments of ~30 rows each, where the
--   per-batch overhead dominates (demo business: 74% saved). With 90-day chunks the demo saves
--   89%. Applies to chunks created from now on; compression still starts 45 days after a
--   chunk ends.
-- * An index on (tenant_id, metric_name, bucket) on every continuous aggregate: TimescaleDB
--   indexes each group-by column with the bucket separately, so a tenant's series was read
--   through (metric_name, bucket) and every other tenant's rows filtered out (2-year daily
--   series with 100 tenants: p95 97 ms).

do $$
begin
  if exists (select 1 from pg_extension where extname = 'timescaledb') then
    perform set_chunk_time_interval('business_metrics', interval '90 days');
    create index metrics_hourly_tenant_metric_bucket on metrics_hourly (tenant_id, metric_name, bucket);
    create index metrics_daily_tenant_metric_bucket on metrics_daily (tenant_id, metric_name, bucket);
    create index metrics_weekly_tenant_metric_bucket on metrics_weekly (tenant_id, metric_name, bucket);
    create index metrics_monthly_tenant_metric_bucket on metrics_monthly (tenant_id, metric_name, bucket);
  end if;
end
$$;
