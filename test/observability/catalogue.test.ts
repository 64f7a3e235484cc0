import { describe, expect, it } from 'vitest';
import { catalogue } from '../../src/platform/observability/metrics.js';

const FORBIDDEN_LABELS = ['tenant', 'tenant_id', 'user', 'user_id', 'id', 'url', 'path', 'email'];

describe('metric catalogue', () => {
  const families = catalogue();

  it('declares at least 50 families of its own', () => {
    expect(families.length).toBeGreaterThanOrEqual(50);
  });

  it('covers the families the issue names', () => {
    const names = new Set(families.map((f) => f.name));
    for (const required of [
      'api_request_duration_seconds',
      'api_requests_in_flight',
      'db_query_duration_seconds',
      'db_pool_connections',
      'db_pool_idle_connections',
      'db_pool_waiting_clients',
      'job_duration_seconds',
      'jobs_queued',
      'jobs_running',
      'jobs_failed',
      'jobs_dead_lettered',
      'scheduler_ticks_total',
      'dyocense_build_info',
      'goals_created_total',
      'goal_completion_rate',
      'connector_syncs_total',
      'connector_records_total',
      'connector_failures_total',
      'imports_total',
      'import_rejected_rows_total',
      'forecasts_total',
      'forecast_backtest_mase',
      'optimizer_solves_total',
      'optimizer_solve_duration_seconds',
      'evidence_analyses_total',
      'coach_questions_total',
      'coach_answers_total',
      'coach_answer_duration_seconds',
      'coach_tool_calls_total',
      'active_tenants',
    ])
      expect(names, required).toContain(required);
  });

  it('follows Prometheus naming conventions', () => {
    for (const f of families) {
      expect(f.name, f.name).toMatch(/^[a-z][a-z0-9_]*[a-z0-9]$/);
      expect(f.help.length, `${f.name} help`).toBeGreaterThan(10);
      // counters and only counters end in _total
      expect(f.name.endsWith('_total'), f.name).toBe(f.kind === 'counter');
      // base units, plural: seconds and bytes, never ms or kb
      expect(f.name, f.name).not.toMatch(/_(ms|milliseconds|minutes|hours|kb|mb|percent)(_|$)/);
      if (/(^|_)(duration|latency|age)(_|$)/.test(f.name))
        expect(f.name, f.name).toMatch(/_seconds$/);
      if (/size/.test(f.name) && f.kind === 'histogram') expect(f.name, f.name).toMatch(/_bytes$/);
    }
  });

  it('never labels by an identifier or a raw URL', () => {
    for (const f of families) {
      for (const label of f.labels) {
        expect(FORBIDDEN_LABELS, `${f.name}{${label}}`).not.toContain(label);
        expect(label, f.name).toMatch(/^[a-z][a-z0-9_]*$/);
      }
    }
  });
});
