import { Type } from '@sinclair/typebox';
import type { ApiApp } from '../../platform/http/api-app.js';
import {
  IdParams,
  Nullable,
  NullableTimestamp,
  Strict,
  Timestamp,
  Uuid,
} from '../../platform/http/schemas.js';
import { getJob, listJobs, type JobRow } from '../../platform/jobs/repo.js';
import { notFound } from '../../platform/errors/app-error.js';

const Status = Type.Union([
  Type.Literal('queued'),
  Type.Literal('running'),
  Type.Literal('retrying'),
  Type.Literal('succeeded'),
  Type.Literal('failed'),
  Type.Literal('cancelled'),
]);

export const JobView = Type.Object({
  id: Uuid,
  task: Type.String(),
  status: Status,
  progress: Type.Number({ minimum: 0, maximum: 1 }),
  progressMessage: Nullable(Type.String()),
  attempts: Type.Integer(),
  maxAttempts: Type.Integer(),
  result: Type.Unknown(),
  error: Nullable(Type.String()),
  createdAt: Timestamp,
  startedAt: NullableTimestamp,
  finishedAt: NullableTimestamp,
});

export const jobView = (j: JobRow) => ({
  id: j.id,
  task: j.task,
  status: j.status,
  progress: j.progress,
  progressMessage: j.progress_message,
  attempts: j.attempts,
  maxAttempts: j.max_attempts,
  result: j.result ?? null,
  error: j.error,
  createdAt: j.created_at.toISOString(),
  startedAt: j.started_at?.toISOString() ?? null,
  finishedAt: j.finished_at?.toISOString() ?? null,
});

/** The business's background work: imports, syncs, forecasts, plans — with progress. */
export function jobsRoutes(app: ApiApp): void {
  const tags = ['jobs'];

  app.get('/v1/jobs', {
    config: { access: 'viewer' },
    schema: {
      tags,
      summary: 'Job history, newest first',
      querystring: Strict({
        task: Type.Optional(Type.String({ maxLength: 100 })),
        status: Type.Optional(Status),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
        before: Type.Optional(Timestamp),
      }),
      response: { 200: Type.Object({ items: Type.Array(JobView) }) },
    },
    handler: async (req) => {
      const q = req.query;
      const rows = await req.withTenant((tx) =>
        listJobs(tx, {
          task: q.task ?? null,
          status: q.status ?? null,
          limit: q.limit ?? 50,
          before: q.before ? new Date(q.before) : null,
        }),
      );
      return { items: rows.map(jobView) };
    },
  });

  app.get('/v1/jobs/:id', {
    config: { access: 'viewer' },
    schema: {
      tags,
      summary: 'One job: status, progress, result or error',
      params: IdParams,
      response: { 200: JobView },
    },
    handler: async (req) => {
      const row = await req.withTenant((tx) => getJob(tx, req.params.id));
      if (!row) throw notFound(`job ${req.params.id}`);
      return jobView(row);
    },
  });
}
