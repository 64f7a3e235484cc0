import { Writable } from 'node:stream';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp, type Services } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/platform/config/config.js';
import { createLogger } from '../../src/platform/observability/logger.js';
import type { RegisteredRoute } from '../../src/platform/http/route-conventions.js';
import { createTestDatabase, type TestDatabase } from './db.js';
import { JobQueue } from '../../src/platform/jobs/queue.js';
import { registerTasks } from '../../src/tasks.js';

export const TEST_PASSWORD = 'correct-horse-battery';

/** Log lines the app wrote during the test (JSON-parsed), for assertions on redaction. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _enc: string, cb: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    cb();
  }
  get text(): string {
    return this.lines.join('\n');
  }
}

export interface TestTenant {
  tenantId: string;
  userId: string;
  email: string;
  accessToken: string;
  refreshToken: string;
  auth: { authorization: string };
}

export interface TestContext {
  app: FastifyInstance;
  services: Services;
  routes: RegisteredRoute[];
  database: TestDatabase;
  config: Config;
  logs: LogCapture;
  /** Signs up a new business with its owner; each call is a new tenant. */
  newTenant(name?: string): Promise<TestTenant>;
  inject(opts: InjectOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

let counter = 0;

export async function createTestContext(env: Record<string, string> = {}): Promise<TestContext> {
  const database = await createTestDatabase();
  const config = loadConfig({ LOG_LEVEL: 'info', AUTH_RATE_LIMIT_PER_MINUTE: '10000', ...env });
  const logs = new LogCapture();
  const logger = createLogger({ level: config.logLevel, destination: logs });
  const jobs = new JobQueue(database.db, logger, { databaseUrl: database.url });
  registerTasks(jobs, config);
  await jobs.start({ work: true, pollingIntervalSeconds: 0.5 });
  const { app, services, routes } = await buildApp({
    config,
    db: database.db,
    logger,
    jwtSecret: 'test-secret-that-is-long-enough-0123456789',
    jobs,
  });
  const inject = (opts: InjectOptions) => app.inject(opts);
  return {
    app,
    services,
    routes,
    database,
    config,
    logs,
    inject,
    async newTenant(name = `Business ${++counter}`) {
      const email = `owner-${process.pid}-${++counter}-${Math.random().toString(36).slice(2, 8)}@example.com`;
      const res = await app.inject({
        method: 'POST',
        url: '/v1/auth/signup',
        payload: { email, password: TEST_PASSWORD, name: 'Owner', businessName: name },
      });
      if (res.statusCode !== 201) throw new Error(`signup failed: ${res.statusCode} ${res.body}`);
      const s = res.json();
      return {
        tenantId: s.tenant.id,
        userId: s.user.id,
        email,
        accessToken: s.accessToken,
        refreshToken: s.refreshToken,
        auth: { authorization: `Bearer ${s.accessToken}` },
      };
    },
    async close() {
      await app.close();
      await jobs.stop(5000);
      await database.drop();
    },
  };
}
