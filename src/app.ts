import Fastify, { LogController, type FastifyInstance } from 'fastify';
import helmet from '@fastify/helmet';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { randomUUID } from 'node:crypto';
import type { Config } from './platform/config/config.js';
import type { Database } from './platform/db/types.js';
import type { Logger } from './platform/observability/logger.js';
import { AccessTokens } from './platform/auth/jwt.js';
import { installAuth } from './platform/http/auth-hook.js';
import { installProblemHandlers, ProblemSchema } from './platform/http/problem.js';
import {
  installRouteConventions,
  type RegisteredRoute,
} from './platform/http/route-conventions.js';
import { validatorCompiler } from './platform/http/validation.js';
import type { ApiApp } from './platform/http/api-app.js';
import { webDashboard } from './platform/http/web.js';
import { AccountsService } from './modules/accounts/service.js';
import { accountsRoutes } from './modules/accounts/routes.js';
import { systemRoutes } from './modules/system/routes.js';
import { jobsRoutes } from './modules/jobs/routes.js';
import { MetricsService } from './modules/metrics/service.js';
import { metricsRoutes } from './modules/metrics/routes.js';
import { importsRoutes } from './modules/imports/routes.js';
import { evidenceRoutes } from './modules/evidence/routes.js';
import { plansRoutes } from './modules/plans/routes.js';
import { forecastsRoutes } from './modules/forecasts/routes.js';
import type { JobQueue } from './platform/jobs/queue.js';
import { installObservability } from './platform/observability/install.js';
import type { Observability } from './platform/observability/observability.js';
import { VERSION } from './version.js';

export interface AppDeps {
  config: Config;
  db: Database;
  logger: Logger;
  jwtSecret: string;
  jobs: JobQueue;
  /** The process's metrics and job hooks (start.ts); omitted: a new one; null: none (benchmarks). */
  observability?: Observability | null;
}

export interface Services {
  accounts: AccountsService;
  jobs: JobQueue;
  metrics: MetricsService;
}

export interface BuiltApp {
  app: FastifyInstance;
  services: Services;
  routes: RegisteredRoute[];
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Builds the HTTP application (never listens: `server.ts` does). Tests use `app.inject()`. */
export async function buildApp(deps: AppDeps): Promise<BuiltApp> {
  const { config, db } = deps;
  const app = Fastify({
    loggerInstance: deps.logger,
    bodyLimit: config.bodyLimitBytes,
    // Honour a caller's request id when it is sane, so traces line up across services.
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    logController: new LogController({ requestIdLogLabel: 'request_id' }),
    trustProxy: config.trustProxy,
    return503OnClosing: true,
  }) as unknown as FastifyInstance;
  app.setValidatorCompiler(validatorCompiler);
  app.addSchema(ProblemSchema);
  app.addHook('onSend', async (req, reply, payload) => {
    reply.header('x-request-id', req.id);
    return payload;
  });

  const routes: RegisteredRoute[] = [];
  installRouteConventions(app, routes);
  installProblemHandlers(app);
  installObservability(app, { config, db, jobs: deps.jobs, observability: deps.observability });

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
      },
    },
  });
  await app.register(cors, {
    origin: config.corsOrigins.length ? config.corsOrigins : false,
    credentials: false,
  });
  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Dyocense API',
        version: VERSION,
        description:
          'Business fitness coach: health, forecasts, plans, evidence, goals and coach. Errors are RFC 9457 problem+json.',
      },
      components: {
        securitySchemes: {
          bearer: {
            type: 'http',
            scheme: 'bearer',
            description: 'JWT access token or API token (dyo_…)',
          },
        },
      },
    },
    refResolver: { buildLocalReference: (json, _base, _frag, i) => String(json.$id ?? `def-${i}`) },
  });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    staticCSP: true,
    // swagger-ui sets a few inline styles; allow those on its own pages only.
    transformStaticCSP: (header) =>
      header.replace("style-src 'self' https:", "style-src 'self' 'unsafe-inline'"),
  });
  await webDashboard(app); // the React dashboard (web/dist) at /, SPA fallback

  const accessTokens = new AccessTokens({
    secret: deps.jwtSecret,
    issuer: config.jwtIssuer,
    audience: config.jwtAudience,
    ttlMs: config.accessTokenTtlMs,
  });
  const accounts = new AccountsService({
    db,
    accessTokens,
    refreshTokenTtlMs: config.refreshTokenTtlMs,
  });
  installAuth(app, { db, accessTokens, apiTokens: accounts });

  const api = app as unknown as ApiApp;
  api.get('/v1/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () =>
    app.swagger(),
  );
  systemRoutes(api, { db, version: VERSION });
  accountsRoutes(api, {
    accounts,
    authRateLimit: { max: config.authRateLimitPerMinute, timeWindow: '1 minute' },
  });
  jobsRoutes(api);
  const metrics = new MetricsService();
  metricsRoutes(api, {
    metrics,
    timeZoneOf: async (tx) => (await accounts.getTenant(tx))?.timezone ?? 'UTC',
  });
  importsRoutes(api, { db, jobs: deps.jobs });
  evidenceRoutes(api, { metrics });
  plansRoutes(api, { db, jobs: deps.jobs, metrics });
  forecastsRoutes(api, { db, jobs: deps.jobs, metrics });

  await app.ready();
  return { app, services: { accounts, jobs: deps.jobs, metrics }, routes };
}
