import { Type } from '@sinclair/typebox';
import type { ApiApp } from '../../platform/http/api-app.js';
import type { Database } from '../../platform/db/types.js';
import { detectCapabilities, type Capabilities } from '../../platform/db/capabilities.js';
import { migrationStatus } from '../../platform/db/migrate.js';
import { problem, sendProblem } from '../../platform/http/problem.js';

const Extension = Type.Object({
  available: Type.Boolean(),
  installed: Type.Union([Type.String(), Type.Null()]),
});
const CapabilitiesView = Type.Object({
  database: Type.Object({
    kind: Type.Union([Type.Literal('server'), Type.Literal('embedded')]),
    postgresVersion: Type.String(),
  }),
  extensions: Type.Object({
    timescaledb: Extension,
    vector: Extension,
    pg_cron: Extension,
    citus: Extension,
  }),
  features: Type.Object({
    timeSeries: Type.String(),
    vectors: Type.String(),
    schedules: Type.String(),
    graph: Type.String(),
    scaleOut: Type.String(),
  }),
});

/** Liveness, readiness and the database capabilities the features run on. */
export function systemRoutes(
  app: ApiApp,
  { db, version }: { db: Database; version: string },
): void {
  const tags = ['system'];
  let cached: { at: number; value: Capabilities } | undefined;

  app.get('/v1/health', {
    config: { access: 'public' },
    schema: {
      tags,
      summary: 'Liveness: the process is up',
      response: { 200: Type.Object({ status: Type.Literal('ok'), version: Type.String() }) },
    },
    handler: async () => ({ status: 'ok' as const, version }),
  });

  app.get('/v1/ready', {
    config: { access: 'public' },
    schema: {
      tags,
      summary: 'Readiness: the database answers and its migrations are current',
      response: {
        200: Type.Object({
          status: Type.Literal('ready'),
          database: Type.String(),
          migrations: Type.Literal('current'),
        }),
      },
    },
    handler: async (req, reply) => {
      try {
        const status = await migrationStatus(db);
        if (!status.current) {
          return sendProblem(
            req,
            reply,
            problem('service_unavailable', `migrations pending: ${status.pending.join(', ')}`),
          );
        }
      } catch (err) {
        req.log.warn({ err }, 'readiness check failed');
        return sendProblem(
          req,
          reply,
          problem('service_unavailable', 'the database does not answer'),
        );
      }
      return { status: 'ready' as const, database: db.kind, migrations: 'current' as const };
    },
  });

  app.get('/v1/system/capabilities', {
    config: { access: 'public' },
    schema: {
      tags,
      summary: 'Database extensions present and which implementation each feature uses',
      response: { 200: CapabilitiesView },
    },
    handler: async () => {
      // Extensions change only with a migration or restart; a minute of caching is plenty.
      if (!cached || Date.now() - cached.at > 60_000)
        cached = { at: Date.now(), value: await detectCapabilities(db) };
      const c = cached.value;
      return {
        database: { kind: db.kind, postgresVersion: c.postgresVersion },
        extensions: c.extensions,
        features: c.features,
      };
    },
  });
}
