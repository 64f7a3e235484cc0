import { Type } from '@sinclair/typebox';
import { jobView } from '../jobs/routes.js';
import type { MetricsService } from '../metrics/service.js';
import type { ApiApp } from '../../platform/http/api-app.js';
import type { Database } from '../../platform/db/types.js';
import type { JobQueue } from '../../platform/jobs/queue.js';
import { IdParams, Strict } from '../../platform/http/schemas.js';
import * as s from './schemas.js';
import { ForecastsService, INLINE_MAX_WORK, type ForecastOutcome } from './service.js';
import { forecastSummary, forecastView } from './views.js';

export interface ForecastsRouteDeps {
  db: Database;
  jobs: JobQueue;
  metrics: MetricsService;
}

const respond = (o: ForecastOutcome) => ({
  forecast: forecastView(o.forecast),
  job: o.job ? jobView(o.job) : null,
});

/** Forecasts of business metrics: run one, read stored ones, the current one of a metric. */
export function forecastsRoutes(app: ApiApp, deps: ForecastsRouteDeps): void {
  const forecasts = new ForecastsService(deps);
  const tags = ['forecasts'];

  app.post('/v1/forecasts', {
    config: { access: 'member' },
    schema: {
      tags,
      summary: 'Forecast a metric: points with 80%/95% bands, the model and its backtest accuracy',
      description: `Reads the metric's history (window rules in docs/forecasts.md), forecasts \`horizon\` steps ahead and stores the result. 200 with the forecast when computed inline; 202 with \`{forecast: {id, status: 'running'}, job}\` when big (history buckets + horizon > ${INLINE_MAX_WORK}) or \`background\` is true. 422 \`forecast_no_history\` / \`forecast_input_invalid\` when the history cannot be forecast.`,
      body: s.CreateBody,
      response: { 200: s.Outcome, 202: s.Outcome },
    },
    handler: async (req, reply) => {
      const auth = req.requireAuth();
      const outcome = await forecasts.create(auth.tenantId, req.body, {
        createdBy: auth.userId ?? null,
      });
      return reply.code(outcome.job ? 202 : 200).send(respond(outcome));
    },
  });

  app.get('/v1/forecasts', {
    config: { access: 'viewer' },
    schema: {
      tags,
      summary: 'Stored forecasts, newest first (without their points)',
      querystring: s.ListQuery,
      response: { 200: Type.Object({ items: Type.Array(s.ForecastSummary) }) },
    },
    handler: async (req) => {
      const q = req.query;
      const rows = await forecasts.list(req.requireAuth().tenantId, {
        metric: q.metric ?? null,
        interval: q.interval ?? null,
        status: q.status ?? null,
        trigger: q.trigger ?? null,
        limit: q.limit ?? 50,
        before: q.before ? new Date(q.before) : null,
      });
      return { items: rows.map(forecastSummary) };
    },
  });

  app.get('/v1/forecasts/:id', {
    config: { access: 'viewer' },
    schema: {
      tags,
      summary: 'One stored forecast: status, points and bands, model, backtest accuracy, flags',
      params: IdParams,
      response: { 200: s.ForecastView },
    },
    handler: async (req) =>
      forecastView(await forecasts.get(req.requireAuth().tenantId, req.params.id)),
  });

  app.get('/v1/metrics/:name/forecast', {
    config: { access: 'viewer' },
    schema: {
      tags,
      summary: 'The current forecast of a metric (computed when missing or stale)',
      description:
        'Returns the latest stored forecast for these parameters while the history it was computed from is unchanged (200). When there is none, or new or corrected data arrived, computes one: inline (200) or, when big, as a background job (202 with the job).',
      params: Strict({ name: s.MetricName }),
      querystring: s.CurrentQuery,
      response: { 200: s.Outcome, 202: s.Outcome },
    },
    handler: async (req, reply) => {
      const auth = req.requireAuth();
      const q = req.query;
      const outcome = await forecasts.current(
        auth.tenantId,
        {
          metric: req.params.name,
          interval: q.interval,
          horizon: q.horizon,
          kind: q.kind,
          dimension: { channel: q.channel, location: q.location, sku: q.sku },
        },
        { createdBy: auth.userId ?? null },
      );
      return reply.code(outcome.forecast.status === 'running' ? 202 : 200).send(respond(outcome));
    },
  });
}
