import { Type } from '@sinclair/typebox';
import { JobView } from '../jobs/routes.js';
import {
  Nullable,
  NullableTimestamp,
  Strict,
  Timestamp,
  Uuid,
} from '../../platform/http/schemas.js';

export const MetricName = Type.String({
  pattern: '^[a-z][a-z0-9_.]{0,62}$',
  description: 'lower-case letters, digits, _ and .',
});
const Dim = Type.String({ maxLength: 100 });
export const IntervalSchema = Type.Union(
  [Type.Literal('hour'), Type.Literal('day'), Type.Literal('week'), Type.Literal('month')],
  { description: 'bucket size of the series and of the forecast steps' },
);
const Kind = Type.Union([Type.Literal('level'), Type.Literal('count')], {
  description:
    '`count`: values must be ≥ 0 and forecasts are ≥ 0 (default for catalogue count metrics); `level` otherwise',
});
const Horizon = Type.Integer({
  minimum: 1,
  maximum: 10_000,
  description:
    'steps ahead; default and limit per interval: hour 48 (≤ 744), day 28 (≤ 730), week 13 (≤ 260), month 12 (≤ 120)',
});
const Status = Type.Union([
  Type.Literal('running'),
  Type.Literal('succeeded'),
  Type.Literal('failed'),
]);
const Trigger = Type.Union([Type.Literal('request'), Type.Literal('refresh')]);

export const Dimension = Strict(
  { channel: Type.Optional(Dim), location: Type.Optional(Dim), sku: Type.Optional(Dim) },
  { description: 'filter on dimensions; omitted = the total over all of them' },
);

export const CreateBody = Strict({
  metric: MetricName,
  interval: Type.Optional(IntervalSchema),
  horizon: Type.Optional(Horizon),
  dimension: Type.Optional(Dimension),
  kind: Type.Optional(Kind),
  background: Type.Optional(
    Type.Boolean({ description: 'run as a background job (202) whatever the size' }),
  ),
});

export const CurrentQuery = Strict({
  interval: Type.Optional(IntervalSchema),
  horizon: Type.Optional(Horizon),
  channel: Type.Optional(Dim),
  location: Type.Optional(Dim),
  sku: Type.Optional(Dim),
  kind: Type.Optional(Kind),
});

export const ListQuery = Strict({
  metric: Type.Optional(MetricName),
  interval: Type.Optional(IntervalSchema),
  status: Type.Optional(Status),
  trigger: Type.Optional(Trigger),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  before: Type.Optional(Timestamp),
});

const Point = Type.Object({
  t: Type.String({ description: 'local wall time of the bucket, e.g. 2026-01-05T00:00:00' }),
  value: Type.Number(),
  lower80: Type.Number(),
  upper80: Type.Number(),
  lower95: Type.Number(),
  upper95: Type.Number(),
  sd: Type.Number({ description: 'standard deviation of the error at this step' }),
});

const Score = Type.Object({ model: Type.String(), mase: Type.Number(), smape: Type.Number() });

const fields = {
  id: Uuid,
  status: Status,
  metric: Type.String(),
  interval: Type.String(),
  horizon: Type.Integer(),
  dimension: Type.Object({
    channel: Type.Optional(Type.String()),
    location: Type.Optional(Type.String()),
    sku: Type.Optional(Type.String()),
  }),
  kind: Type.String(),
  trigger: Trigger,
  history: Nullable(
    Type.Object(
      {
        from: Type.String(),
        to: Type.String(),
        buckets: Type.Integer(),
        observations: Type.Integer(),
      },
      { description: 'the source series window: first and last bucket with data (local time)' },
    ),
  ),
  model: Nullable(Type.String()),
  weights: Type.Record(Type.String(), Type.Number()),
  seasonalPeriods: Type.Array(Type.Integer()),
  backtest: Nullable(
    Type.Object(
      {
        origins: Type.Integer(),
        horizon: Type.Integer(),
        mase: Type.Number(),
        smape: Type.Number(),
        models: Type.Array(Score),
      },
      {
        description: 'rolling-origin backtest accuracy of the chosen forecast and every candidate',
      },
    ),
  ),
  flags: Type.Array(Type.String()),
  warnings: Type.Array(Type.String()),
  error: Nullable(Type.Object({ code: Type.String(), message: Type.String() })),
  jobId: Nullable(Uuid),
  createdAt: Timestamp,
  completedAt: NullableTimestamp,
};

export const ForecastView = Type.Object({ ...fields, points: Type.Array(Point) });
export const ForecastSummary = Type.Object(fields);

export const Outcome = Type.Object({ forecast: ForecastView, job: Nullable(JobView) });
