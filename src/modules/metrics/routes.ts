import { Type, type Static } from '@sinclair/typebox';
import type { ApiApp } from '../../platform/http/api-app.js';
import { Nullable, Strict } from '../../platform/http/schemas.js';
import { notFound } from '../../platform/errors/app-error.js';
import type { TenantTx } from '../../platform/tenancy/context.js';
import type { MetricDefinition } from './catalogue.js';
import { MAX_BATCH_POINTS, type MetricsService } from './service.js';

const MetricName = Type.String({
  pattern: '^[a-z][a-z0-9_.]{0,62}$',
  description: 'lower-case letters, digits, _ and .',
});
const Dim = Type.String({ maxLength: 100 });

const DefinitionView = Type.Object({
  name: Type.String(),
  title: Type.String(),
  unit: Type.String(),
  higherIsBetter: Type.Boolean(),
  aggregation: Type.String(),
  grain: Type.String(),
  description: Type.String(),
  numerator: Type.Optional(Type.String()),
  denominator: Type.Optional(Type.String()),
  dimensions: Type.Array(Type.String()),
  derived: Type.Boolean(),
});

const BatchBody = Strict({
  points: Type.Array(
    Strict({
      metric: MetricName,
      time: Type.String({
        minLength: 10,
        maxLength: 40,
        description: 'ISO 8601; without an offset it is the business’s local time',
      }),
      value: Type.Number(),
      channel: Type.Optional(Dim),
      location: Type.Optional(Dim),
      sku: Type.Optional(Dim),
    }),
    { minItems: 1, maxItems: MAX_BATCH_POINTS },
  ),
});

const SeriesQuery = Strict({
  interval: Type.Optional(
    Type.Union(
      [Type.Literal('hour'), Type.Literal('day'), Type.Literal('week'), Type.Literal('month')],
      { default: 'day' },
    ),
  ),
  from: Type.Optional(Type.String({ maxLength: 40 })),
  to: Type.Optional(Type.String({ maxLength: 40 })),
  channel: Type.Optional(Dim),
  location: Type.Optional(Dim),
  sku: Type.Optional(Dim),
});

const defView = (d: MetricDefinition): Static<typeof DefinitionView> => ({
  name: d.name,
  title: d.title,
  unit: d.unit,
  higherIsBetter: d.higherIsBetter,
  aggregation: d.aggregation,
  grain: d.grain,
  description: d.description,
  ...(d.numerator ? { numerator: d.numerator, denominator: d.denominator! } : {}),
  dimensions: d.dimensions,
  derived: d.derived,
});

export interface MetricsRouteDeps {
  metrics: MetricsService;
  /** The tenant's IANA time zone (owned by the accounts module). */
  timeZoneOf: (tx: TenantTx) => Promise<string>;
}

/** The metric catalogue, time series and the dashboard summary. */
export function metricsRoutes(app: ApiApp, { metrics, timeZoneOf }: MetricsRouteDeps): void {
  const tags = ['metrics'];

  app.get('/v1/metrics', {
    config: { access: 'viewer' },
    schema: {
      tags,
      summary: 'The metric catalogue (derived and custom) and which metrics have data',
      response: {
        200: Type.Object({
          items: Type.Array(
            Type.Intersect([
              DefinitionView,
              Type.Object({
                hasData: Type.Boolean(),
                firstMonth: Nullable(Type.String()),
                lastMonth: Nullable(Type.String()),
              }),
            ]),
          ),
        }),
      },
    },
    handler: async (req) => {
      const items = await req.withTenant((tx) => metrics.list(tx));
      return {
        items: items.map((i) => ({
          ...defView(i),
          hasData: i.hasData,
          firstMonth: i.firstMonth?.toISOString().slice(0, 7) ?? null,
          lastMonth: i.lastMonth?.toISOString().slice(0, 7) ?? null,
        })),
      };
    },
  });

  app.post('/v1/metrics::batch', {
    config: { access: 'member' },
    schema: {
      tags,
      summary: `Write up to ${MAX_BATCH_POINTS} metric points at once (all or nothing; same point again = new value)`,
      body: BatchBody,
      response: { 200: Type.Object({ accepted: Type.Integer() }) },
    },
    bodyLimit: 8 * 1024 * 1024,
    handler: async (req) =>
      req.withTenant(async (tx) =>
        metrics.ingest(tx, await timeZoneOf(tx), req.body.points, 'api'),
      ),
  });

  app.get('/v1/metrics/summary', {
    config: { access: 'viewer' },
    schema: {
      tags,
      summary:
        'Every metric with data: value over the last days, change against the days before, 30-day sparkline',
      querystring: Strict({
        days: Type.Optional(Type.Integer({ minimum: 1, maximum: 90, default: 7 })),
      }),
      response: {
        200: Type.Object({
          asOf: Nullable(Type.String({ description: 'last complete local day included' })),
          days: Type.Integer(),
          items: Type.Array(
            Type.Object({
              metric: DefinitionView,
              value: Nullable(Type.Number()),
              previous: Nullable(Type.Number()),
              change: Nullable(Type.Number({ description: 'relative change, 0.1 = +10%' })),
              sparkline: Type.Array(Nullable(Type.Number())),
            }),
          ),
        }),
      },
    },
    handler: async (req) => {
      const days = req.query.days ?? 7;
      const s = await req.withTenant(async (tx) => metrics.summary(tx, await timeZoneOf(tx), days));
      return {
        asOf: s.asOf,
        days,
        items: s.items.map((i) => ({ ...i, metric: defView(i.metric) })),
      };
    },
  });

  app.get('/v1/metrics/:name/series', {
    config: { access: 'viewer' },
    schema: {
      tags,
      summary: 'A metric over time, by hour, day, week or month, with gaps filled explicitly',
      params: Strict({ name: MetricName }),
      querystring: SeriesQuery,
      response: {
        200: Type.Object({
          metric: DefinitionView,
          interval: Type.String(),
          timezone: Type.String(),
          from: Type.String(),
          to: Type.String(),
          points: Type.Array(
            Type.Object({ t: Type.String(), value: Nullable(Type.Number()), gap: Type.Boolean() }),
          ),
        }),
      },
    },
    handler: async (req) => {
      const q = req.query;
      const result = await req.withTenant(async (tx) => {
        if (!(await metrics.exists(tx, req.params.name))) return null;
        return metrics.series(tx, await timeZoneOf(tx), req.params.name, {
          interval: q.interval ?? 'day',
          ...(q.from ? { from: q.from } : {}),
          ...(q.to ? { to: q.to } : {}),
          dims: { channel: q.channel, location: q.location, sku: q.sku },
        });
      });
      if (!result) throw notFound(`metric ${req.params.name}`);
      return { ...result, metric: defView(result.metric) };
    },
  });
}
