import type { Runtime } from '../platform/runtime/bootstrap.js';
import type { Services } from '../app.js';
import { AppError } from '../platform/errors/app-error.js';

export const DEMO_BUSINESS_NAME = 'Bean & Leaf Café';

/**
 * Creates the demo business and its owner once; later starts find them and do nothing.
 * Returns the tenant the demo login opens.
 */
export async function ensureDemoBusiness(
  rt: Runtime,
  services: Services,
  login: { email: string; password: string },
): Promise<{ tenantId: string; tenantName: string; created: boolean }> {
  try {
    const session = await services.accounts.signup(
      {
        email: login.email,
        password: login.password,
        name: 'Demo Owner',
        businessName: DEMO_BUSINESS_NAME,
        currency: 'USD',
        timezone: 'America/New_York',
        industry: 'cafe',
      },
      { ip: null },
    );
    rt.logger.info({ tenant_id: session.tenant.id }, 'demo business created');
    return { tenantId: session.tenant.id, tenantName: session.tenant.name, created: true };
  } catch (err) {
    if (!(err instanceof AppError && err.code === 'email_taken')) throw err;
    const session = await services.accounts.login(login, { ip: null });
    return { tenantId: session.tenant.id, tenantName: session.tenant.name, created: false };
  }
}
