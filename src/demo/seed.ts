import type { Runtime } from '../platform/runtime/bootstrap.js';
import type { Services } from '../app.js';
import { AppError } from '../platform/errors/app-error.js';
import type { JobRow } from '../platform/jobs/repo.js';
import { withTenant } from '../platform/tenancy/context.js';
import { toLocalWallTime } from '../modules/metrics/local-time.js';
import { DEMO_LOAD_TASK, type DemoLoadPayload } from './task.js';

export const DEMO_BUSINESS_NAME = 'Bean & Leaf Café';
const DEMO_TIME_ZONE = 'America/New_York';

/**
 * Creates the demo business and its owner once, and queues the job that loads its two years
 * of data (it runs in the background; later starts find it done and do nothing).
 */
export async function ensureDemoBusiness(
  rt: Runtime,
  services: Services,
  login: { email: string; password: string },
  now = new Date(),
): Promise<{ tenantId: string; tenantName: string; created: boolean; job: JobRow | null }> {
  let tenantId: string;
  let tenantName: string;
  let created = false;
  try {
    const session = await services.accounts.signup(
      {
        email: login.email,
        password: login.password,
        name: 'Demo Owner',
        businessName: DEMO_BUSINESS_NAME,
        currency: 'USD',
        timezone: DEMO_TIME_ZONE,
        industry: 'cafe',
      },
      { ip: null },
    );
    ({ id: tenantId, name: tenantName } = session.tenant);
    created = true;
    rt.logger.info({ tenant_id: tenantId }, 'demo business created');
  } catch (err) {
    if (!(err instanceof AppError && err.code === 'email_taken')) throw err;
    const session = await services.accounts.login(login, { ip: null });
    ({ id: tenantId, name: tenantName } = session.tenant);
  }
  const loaded = await withTenant(
    rt.db,
    tenantId,
    async (tx) =>
      (await tx.query("select 1 from orders where source = 'demo' limit 1", [], 'demo.loaded')).rows
        .length > 0,
  );
  if (loaded) return { tenantId, tenantName, created, job: null };
  const yesterday = new Date(toLocalWallTime(now, DEMO_TIME_ZONE).getTime() - 86_400_000)
    .toISOString()
    .slice(0, 10);
  const job = await services.jobs.enqueue<DemoLoadPayload>(
    tenantId,
    DEMO_LOAD_TASK,
    { endDay: yesterday },
    { dedupeKey: 'demo-load' },
  );
  return { tenantId, tenantName, created, job };
}
