import pino, { type Logger } from 'pino';
import { activeIds, idsOf, kRequestSpan, tracingEnabled } from './tracing.js';

/**
 * Adds `trace_id`/`span_id` to every line logged inside a trace (requests, jobs, services),
 * and to Fastify's "request completed" line (the request's server span, which the HTTP hooks
 * leave on the request: that line is often written after the request's context is gone).
 */
function traceMixin(obj: object): object {
  if (!tracingEnabled()) return {};
  const res = (obj as { res?: { request?: { [kRequestSpan]?: unknown } } }).res;
  return (res && idsOf(res.request?.[kRequestSpan])) || activeIds() || {};
}

/**
 * Paths whose values never reach a log line: credentials in headers and bodies, tokens,
 * secrets and connection strings. Applied to every logger the process creates.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.newPassword',
  '*.currentPassword',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.secret',
  '*.apiKey',
  '*.credentials',
  '*.databaseUrl',
  '*.jwtSecret',
  'password',
  'token',
  'accessToken',
  'refreshToken',
  'secret',
  'credentials',
  'databaseUrl',
  'jwtSecret',
];

export function createLogger(options: {
  level: string;
  name?: string;
  destination?: pino.DestinationStream;
}): Logger {
  return pino(
    {
      level: options.level,
      name: options.name ?? 'dyocense',
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: traceMixin,
    },
    options.destination,
  );
}

export type { Logger };
