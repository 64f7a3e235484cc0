import type { SystemTx } from '../../platform/tenancy/context.js';

/**
 * Tenants with metric data in [from, to), for the nightly refresh. A system query (no tenant):
 * it reads only tenant ids from `business_metrics`, whose time partitioning keeps it to the
 * recent chunks.
 */
export async function tenantsWithDataBetween(
  sys: SystemTx,
  from: Date,
  to: Date,
): Promise<string[]> {
  const { rows } = await sys.query<{ tenant_id: string }>(
    `select tenant_id from business_metrics where time >= $1 and time < $2 group by tenant_id order by tenant_id`,
    [from, to],
    'metrics.tenantsWithData',
  );
  return rows.map((r) => r.tenant_id);
}
