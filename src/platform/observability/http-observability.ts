import {
  SpanKind,
  SpanStatusCode,
  context,
  trace,
  type Context,
  type Span,
} from '@opentelemetry/api';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors/app-error.js';
import { errorCodes } from '../errors/codes.js';
import { toProblem } from '../http/problem.js';
import { metrics } from './metrics.js';
import { metricsAuthorized } from './metrics-auth.js';
import { extractContext, kRequestSpan, tracer, tracingEnabled } from './tracing.js';
import type { Observability } from './observability.js';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
/** Routes whose outcome feeds `auth_attempts_total`. */
const AUTH_ROUTES: Record<string, string> = {
  '/v1/auth/signup': 'signup',
  '/v1/auth/login': 'login',
  '/v1/auth/refresh': 'refresh',
};

interface RequestState {
  /** Labels, computed once. */
  route: string;
  method: string;
  /** Problem code of a thrown error (onError). */
  code: string | undefined;
  /** HTTP server span and the context carrying it. */
  span: Span | undefined;
  ctx: Context | undefined;
  /** Route (handler) span, child of the server span. */
  routeSpan: Span | undefined;
}

const kState = Symbol('dyocense.observability');
const kWrapped = Symbol('dyocense.routeSpan');
type WithState = FastifyRequest & {
  [kState]: RequestState | null;
  [kRequestSpan]: Span | null;
};
const state = (request: FastifyRequest) => (request as WithState)[kState];

/** The route template (`/v1/goals/:id`), `unmatched` for 404s: never the raw URL. */
export function routeLabel(request: FastifyRequest): string {
  return (request.is404 ? undefined : request.routeOptions.url) ?? 'unmatched';
}

function methodLabel(method: string): string {
  return METHODS.has(method) ? method : 'OTHER';
}

function statusClass(status: number): string {
  return status >= 100 && status < 600 ? `${Math.floor(status / 100)}xx` : 'other';
}

function contentLength(value: unknown): number | undefined {
  const n = typeof value === 'string' ? Number(value) : typeof value === 'number' ? value : NaN;
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

/** The error code a status implies when only one code has it (problems sent, not thrown). */
const CODE_OF_STATUS = new Map<number, string>();
function codeOfStatus(status: number): string {
  if (CODE_OF_STATUS.size === 0) {
    const byStatus = new Map<number, string[]>();
    for (const [code, def] of Object.entries(errorCodes))
      byStatus.set(def.status, [...(byStatus.get(def.status) ?? []), code]);
    for (const [st, codes] of byStatus)
      CODE_OF_STATUS.set(st, codes.length === 1 ? codes[0]! : 'other');
  }
  return CODE_OF_STATUS.get(status) ?? 'other';
}

/** Records a finished (or abandoned) request: metrics, then the spans. */
function finish(request: FastifyRequest, reply: FastifyReply): void {
  const s = state(request);
  if (!s) return;
  metrics.httpInFlight.dec();
  const { route, method } = s;
  const aborted = !reply.raw.writableEnded; // the client left before we answered
  const status = aborted ? 499 : reply.statusCode;
  if (aborted) {
    metrics.httpAborted.inc({ route });
  } else {
    metrics.httpRequestDuration.observe(
      { method, route, status_class: statusClass(status) },
      reply.elapsedTime / 1000,
    );
    const responseSize = contentLength(reply.getHeader('content-length'));
    if (responseSize !== undefined)
      metrics.httpResponseSize.observe({ method, route }, responseSize);
    const requestSize = contentLength(request.headers['content-length']);
    if (requestSize !== undefined) metrics.httpRequestSize.observe({ method, route }, requestSize);
    if (status >= 400) {
      // Not thrown: the not-found handler (404) or a problem sent directly (sendProblem).
      const code = s.code ?? (status === 404 ? 'route_not_found' : codeOfStatus(status));
      metrics.httpErrors.inc({ route, code });
    }
    const authKind = AUTH_ROUTES[route];
    if (authKind) {
      const outcome = status < 400 ? 'success' : status === 429 ? 'rate_limited' : 'failure';
      metrics.authAttempts.inc({ kind: authKind, outcome });
    }
  }
  s.routeSpan?.end();
  if (s.span) {
    if (s.span.isRecording()) {
      s.span.setAttribute('http.response.status_code', status);
      if (request.auth) s.span.setAttribute('dyocense.tenant_id', request.auth.tenantId);
      if (status >= 500) s.span.setStatus({ code: SpanStatusCode.ERROR });
      if (aborted) s.span.setAttribute('dyocense.aborted', true);
    }
    s.span.end();
  }
}

/**
 * Request metrics and spans, installed before any route or plugin:
 * - `api_request_duration_seconds{method, route, status_class}`, in-flight, sizes, problem
 *   codes (`api_errors_total`), aborted requests and auth outcomes;
 * - a SERVER span per request continuing the caller's W3C `traceparent`, and a route span
 *   around the handler, active while hooks and the handler run, so SQL statements and the
 *   jobs the request enqueues join the trace;
 * - `trace_id`/`span_id` on the request's log lines (see the logger's mixin).
 *
 * Cheap by construction (bench/observability measures it): one onRequest hook and one
 * `close` listener on the response per request — `close` also fires when the client goes
 * away, where onResponse would not — and, with tracing, each route's handler wrapped once at
 * registration. onError runs only for errors.
 */
export function installHttpObservability(app: FastifyInstance): void {
  app.decorateRequest(kState, null);
  app.decorateRequest(kRequestSpan, null);
  const traced = tracingEnabled();

  app.addHook('onRequest', (request, reply, done) => {
    metrics.httpInFlight.inc();
    const s: RequestState = {
      route: routeLabel(request),
      method: methodLabel(request.method),
      code: undefined,
      span: undefined,
      ctx: undefined,
      routeSpan: undefined,
    };
    (request as WithState)[kState] = s;
    reply.raw.once('close', () => finish(request, reply));
    if (!traced) return done();
    const parent = extractContext(request.headers);
    const matched = s.route !== 'unmatched';
    const span = tracer().startSpan(
      matched ? `${request.method} ${s.route}` : request.method,
      { kind: SpanKind.SERVER },
      parent,
    );
    if (span.isRecording()) {
      const q = request.url.indexOf('?');
      span.setAttributes({
        'http.request.method': request.method,
        'url.path': q < 0 ? request.url : request.url.slice(0, q),
        'dyocense.request_id': request.id,
      });
      if (matched) span.setAttribute('http.route', s.route);
    }
    s.span = span;
    // For the "request completed" line, written once the context is gone (logger mixin).
    (request as WithState)[kRequestSpan] = span;
    // An unsampled request (parent-based sampling said no) does not enter the context:
    // nothing under it would record a span, and entering costs every later promise of the
    // request (AsyncLocalStorage) — 10% sampling went from 70% to 85–87% of the uninstrumented
    // rate (bench/observability). Its jobs then make their own sampling decision.
    if (!span.isRecording()) return done();
    s.ctx = trace.setSpan(parent, span);
    // Everything after this hook runs in the span's context: later hooks, the handler and
    // their promises. A body that arrives in later socket events does not lose it: Fastify
    // resumes after parsing in an AsyncResource created here (tested over a real socket).
    context.with(s.ctx, done);
  });

  app.addHook('onError', (request, _reply, error, done) => {
    const s = state(request);
    if (s) {
      s.code = toProblem(error).code;
      if (s.span?.isRecording() && !(error instanceof AppError && error.status < 500))
        s.span.recordException(error);
    }
    done();
  });

  if (traced) {
    // The route span, around the handler: the handler of every route registered from here on
    // is wrapped once (cheaper per request than a hook). Unsampled requests get none.
    app.addHook('onRoute', (route) => {
      const handler = route.handler as ((this: unknown, ...args: unknown[]) => unknown) & {
        [kWrapped]?: true;
      };
      if (handler[kWrapped]) return; // a HEAD route reuses its GET route's (wrapped) handler
      const name = `route ${Array.isArray(route.method) ? route.method.join(',') : route.method} ${route.url}`;
      route.handler = function (this: unknown, request: FastifyRequest, reply: FastifyReply) {
        const s = state(request);
        if (!s?.ctx || !s.span?.isRecording()) return handler.call(this, request, reply);
        s.routeSpan = tracer().startSpan(name, {}, s.ctx);
        return context.with(trace.setSpan(s.ctx, s.routeSpan), handler, this, request, reply);
      } as typeof route.handler;
      (route.handler as { [kWrapped]?: true })[kWrapped] = true;
    });
  }
}

/**
 * `GET /metrics`: the Prometheus exposition, outside /v1 and OpenAPI. With METRICS_TOKEN
 * set it requires `Authorization: Bearer <token>` (compared in constant time).
 */
export function installMetricsRoute(
  app: FastifyInstance,
  observability: Observability,
  metricsToken: string | undefined,
): void {
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    if (!metricsAuthorized(metricsToken, request.headers.authorization)) {
      reply.header('www-authenticate', 'Bearer realm="metrics"');
      throw new AppError('unauthenticated', '/metrics needs Authorization: Bearer <METRICS_TOKEN>');
    }
    const body = await observability.scrape();
    return reply.type(observability.contentType).send(body);
  });
}
