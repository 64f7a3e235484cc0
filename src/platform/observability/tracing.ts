import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  context,
  isSpanContextValid,
  trace,
  type Context,
  type Span,
  type SpanContext,
  type Tracer,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import type { SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { VERSION } from '../../version.js';

/**
 * OpenTelemetry tracing for one process. Off unless an OTLP endpoint is configured (or a
 * test passes an exporter): then nothing is registered, every span below is a no-op and the
 * request path pays nothing. On: the Node SDK with an AsyncLocalStorage context manager and
 * the W3C trace-context propagator, spans batched to `<endpoint>/v1/traces` (OTLP/HTTP,
 * protobuf). Sampling and batching follow the standard variables (OTEL_TRACES_SAMPLER,
 * OTEL_TRACES_SAMPLER_ARG, OTEL_BSP_*).
 *
 * Spans come from our own hooks rather than auto-instrumentation, so they also cover PGlite
 * and `app.inject()`: HTTP server span + route span (`http-observability.ts`), one span per
 * SQL statement (`db-observer.ts`), one per job attempt (`job-events.ts`) parented to the
 * request that enqueued it.
 */

export const TRACER_NAME = 'dyocense';

export interface Tracing {
  readonly enabled: boolean;
  /** Flushes spans not yet exported and stops the SDK (call at shutdown). */
  shutdown(): Promise<void>;
}

let active: Tracing | undefined;

const propagator = new W3CTraceContextPropagator();
const headerGetter = {
  keys: (carrier: Record<string, unknown>) => Object.keys(carrier),
  get: (carrier: Record<string, unknown>, key: string) => {
    const v = carrier[key];
    return typeof v === 'string' || Array.isArray(v) ? (v as string | string[]) : undefined;
  },
};

/** Whether this process records spans. */
export function tracingEnabled(): boolean {
  return active?.enabled ?? false;
}

let cachedTracer: Tracer | undefined;

export function tracer(): Tracer {
  return (cachedTracer ??= trace.getTracer(TRACER_NAME, VERSION));
}

/**
 * Starts tracing once per process. `endpoint` is OTEL_EXPORTER_OTLP_ENDPOINT (the base URL;
 * `/v1/traces` is appended). Tests pass `exporter` (an in-memory exporter) instead. With
 * neither, tracing stays off. Calling it again returns the first instance.
 */
export async function startTracing(options: {
  serviceName: string;
  endpoint?: string | undefined;
  exporter?: SpanExporter;
  /** Export every span as it ends (tests) instead of in batches. */
  synchronous?: boolean;
}): Promise<Tracing> {
  if (active) return active;
  if (!options.endpoint && !options.exporter) {
    active = { enabled: false, shutdown: async () => {} };
    return active;
  }
  const [{ NodeSDK }, { AsyncLocalStorageContextManager }, base, { resourceFromAttributes }] =
    await Promise.all([
      import('@opentelemetry/sdk-node'),
      import('@opentelemetry/context-async-hooks'),
      import('@opentelemetry/sdk-trace-base'),
      import('@opentelemetry/resources'),
    ]);
  let exporter = options.exporter;
  if (!exporter) {
    // OTLP/HTTP with protobuf bodies (the protocol's default; cheaper to encode than JSON).
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-proto');
    exporter = new OTLPTraceExporter({
      url: `${options.endpoint!.replace(/\/+$/, '')}/v1/traces`,
    });
  }
  const processor: SpanProcessor = options.synchronous
    ? new base.SimpleSpanProcessor(exporter)
    : new base.BatchSpanProcessor(exporter);
  const sdk = new NodeSDK({
    serviceName: options.serviceName,
    resource: resourceFromAttributes({ 'service.version': VERSION }),
    contextManager: new AsyncLocalStorageContextManager(),
    textMapPropagator: propagator,
    spanProcessors: [processor],
    // Traces only: metrics are Prometheus (/metrics), logs are pino JSON on stdout.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [],
  });
  sdk.start();
  active = {
    enabled: true,
    shutdown: async () => {
      await sdk.shutdown();
    },
  };
  return active;
}

/** The trace context sent by the caller (`traceparent` header), or the root context. */
export function extractContext(headers: Record<string, unknown>): Context {
  return propagator.extract(ROOT_CONTEXT, headers, headerGetter);
}

/** W3C `traceparent` of a span context, or null when there is none. */
export function formatTraceParent(sc: SpanContext | undefined): string | null {
  if (!sc || !isSpanContextValid(sc)) return null;
  return `00-${sc.traceId}-${sc.spanId}-0${(sc.traceFlags & 1).toString(16)}`;
}

/** The current span's `traceparent` (stored with jobs enqueued from here). */
export function currentTraceParent(): string | null {
  if (!tracingEnabled()) return null;
  return formatTraceParent(trace.getSpan(context.active())?.spanContext());
}

/** Where the HTTP hooks leave a request's server span (read by the logger's mixin). */
export const kRequestSpan = Symbol('dyocense.requestSpan');

/** Trace and span ids of a span, for log lines. */
export function idsOf(span: unknown): { trace_id: string; span_id: string } | undefined {
  const sc = (span as Span | undefined)?.spanContext?.();
  if (!sc || !isSpanContextValid(sc)) return undefined;
  return { trace_id: sc.traceId, span_id: sc.spanId };
}

/** Trace and span ids of the active span, for log lines. */
export function activeIds(): { trace_id: string; span_id: string } | undefined {
  return idsOf(trace.getSpan(context.active()));
}

/**
 * Runs one job attempt in a CONSUMER span whose parent is the span that enqueued it (so
 * the request and its jobs form one trace) and that also links to it.
 */
export async function runJobSpan<T>(
  task: string,
  traceParent: string | null,
  run: () => Promise<T>,
): Promise<T> {
  if (!tracingEnabled()) return run();
  const parent = traceParent ? extractContext({ traceparent: traceParent }) : ROOT_CONTEXT;
  const parentSpan = trace.getSpanContext(parent);
  return tracer().startActiveSpan(
    `job ${task}`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        'messaging.system': 'pg-boss',
        'messaging.operation.type': 'process',
        'messaging.destination.name': task,
      },
      links: parentSpan && isSpanContextValid(parentSpan) ? [{ context: parentSpan }] : [],
    },
    parent,
    async (span: Span) => {
      try {
        return await run();
      } catch (err) {
        span.recordException(err as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
        throw err;
      } finally {
        span.end();
      }
    },
  );
}
