import pino, { type Logger } from 'pino';

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
    },
    options.destination,
  );
}

export type { Logger };
