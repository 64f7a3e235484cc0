import type { Static } from '@sinclair/typebox';
import { formatWallTime } from '../metrics/local-time.js';
import type { ForecastRow } from './repo.js';
import type { ForecastSummary, ForecastView } from './schemas.js';

export function forecastSummary(f: ForecastRow): Static<typeof ForecastSummary> {
  return {
    id: f.id,
    status: f.status,
    metric: f.metric,
    interval: f.interval,
    horizon: f.horizon,
    dimension: f.dimension,
    kind: f.kind,
    trigger: f.trigger,
    history:
      f.history_from && f.history_to
        ? {
            from: formatWallTime(f.history_from),
            to: formatWallTime(f.history_to),
            buckets: f.history_buckets ?? 0,
            observations: f.history_observations ?? 0,
          }
        : null,
    model: f.model,
    weights: f.weights ?? {},
    seasonalPeriods: f.seasonal_periods ?? [],
    backtest: f.backtest,
    flags: f.flags,
    warnings: f.warnings,
    error: f.error,
    jobId: f.job_id,
    createdAt: f.created_at.toISOString(),
    completedAt: f.completed_at?.toISOString() ?? null,
  };
}

export function forecastView(f: ForecastRow): Static<typeof ForecastView> {
  return { ...forecastSummary(f), points: f.points };
}
