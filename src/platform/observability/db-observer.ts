import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import type { QueryObserver } from '../db/types.js';
import { metrics } from './metrics.js';
import { tracer, tracingEnabled } from './tracing.js';

const wallClockMs = () => performance.timeOrigin + performance.now();

/**
 * Records every SQL statement: `db_query_duration_seconds{query, outcome}` and, when
 * tracing is on and the statement runs inside a traced operation (request, job), a CLIENT
 * span named after the query label. Statements outside any trace (scrapes, pollers) make no
 * span, so traces never fill up with orphans. The SQL text is not recorded: labels name
 * queries, and parameter values never leave the process.
 */
export function dbQueryObserver(system: 'postgresql' = 'postgresql'): QueryObserver {
  return {
    onQuery(label, seconds, ok) {
      const outcome = ok ? 'ok' : 'error';
      metrics.dbQueryDuration.observe({ query: label, outcome }, seconds);
      if (!ok) metrics.dbQueryErrors.inc({ query: label });
      if (!tracingEnabled()) return;
      const parent = trace.getSpan(context.active());
      if (!parent?.isRecording()) return;
      const end = wallClockMs();
      const span = tracer().startSpan(
        label,
        {
          kind: SpanKind.CLIENT,
          startTime: end - seconds * 1000,
          attributes: {
            'db.system.name': system,
            'db.operation.name': label.includes('.') ? label.split('.').pop()! : label,
            'db.query.summary': label,
          },
        },
        context.active(),
      );
      if (!ok) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end(end);
    },
  };
}
