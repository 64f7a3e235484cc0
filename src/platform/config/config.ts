/**
 * Configuration from environment variables, validated once at start-up. Every variable is
 * declared here with its parser and description; README's configuration table is checked
 * against this list by a test, so the two cannot drift.
 */

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Parser<T> = (raw: string, name: string) => T;

interface Setting<T> {
  env: string;
  description: string;
  /** Default as shown in docs; `undefined` = unset. */
  defaultText: string;
  parse: (raw: string | undefined, name: string) => T;
}

function setting<T>(
  env: string,
  description: string,
  parser: Parser<T>,
  fallback: T | (() => T),
  defaultText?: string,
): Setting<T> {
  return {
    env,
    description,
    defaultText: defaultText ?? (typeof fallback === 'function' ? '(computed)' : String(fallback)),
    parse: (raw, name) =>
      raw === undefined || raw === ''
        ? typeof fallback === 'function'
          ? (fallback as () => T)()
          : fallback
        : parser(raw, name),
  };
}

const integer =
  (min: number, max: number): Parser<number> =>
  (raw, name) => {
    if (!/^-?\d+$/.test(raw.trim())) throw new Error(`${name} must be an integer, got "${raw}"`);
    const n = Number(raw);
    if (n < min || n > max) throw new Error(`${name} must be between ${min} and ${max}, got ${n}`);
    return n;
  };

const oneOf =
  <T extends string>(...values: T[]): Parser<T> =>
  (raw, name) => {
    if (!(values as string[]).includes(raw))
      throw new Error(`${name} must be one of ${values.join(', ')}, got "${raw}"`);
    return raw as T;
  };

const text: Parser<string> = (raw) => raw;

const postgresUrl: Parser<string> = (raw, name) => {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`${name} must be a postgres:// URL`);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new Error(`${name} must start with postgres:// or postgresql://, got ${url.protocol}//`);
  }
  return raw;
};

const httpUrl: Parser<string> = (raw, name) => {
  try {
    const u = new URL(raw);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error();
  } catch {
    throw new Error(`${name} must be an http(s) URL, got "${raw}"`);
  }
  return raw;
};

const list: Parser<string[]> = (raw) =>
  raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

const secret =
  (minLength: number): Parser<string> =>
  (raw, name) => {
    if (raw.length < minLength) throw new Error(`${name} must be at least ${minLength} characters`);
    return raw;
  };

/**
 * Which proxies to believe about the client address (X-Forwarded-For): unset = none, `true`
 * = any, else a comma-separated list of addresses/CIDRs or the names `loopback`, `linklocal`,
 * `uniquelocal` (private networks: 10/8, 172.16/12, 192.168/16, fc00::/7).
 */
const trustProxy: Parser<boolean | string[]> = (raw, name) => {
  const v = raw.trim();
  if (v === 'true') return true;
  if (v === 'false') return false;
  const items = list(v, name);
  for (const item of items) {
    if (
      !/^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(item) &&
      !['loopback', 'linklocal', 'uniquelocal'].includes(item)
    ) {
      throw new Error(
        `${name} must be true or addresses/CIDRs (e.g. 10.0.0.0/8, uniquelocal), got "${item}"`,
      );
    }
  }
  return items;
};

const duration: Parser<number> = (raw, name) => {
  const m = /^(\d+)(ms|s|m|h|d)$/.exec(raw.trim());
  if (!m) throw new Error(`${name} must be a duration like 15m, 30s, 12h or 30d, got "${raw}"`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[
    m[2] as 'ms' | 's' | 'm' | 'h' | 'd'
  ];
  return Number(m[1]) * unit;
};

/** A five-field cron expression, or `off` (null). pg-boss checks the fields themselves. */
const cronOrOff: Parser<string | null> = (raw, name) => {
  const v = raw.trim();
  if (v === 'off') return null;
  if (!/^[0-9*/,\-A-Za-z]+( [0-9*/,\-A-Za-z]+){4}$/.test(v))
    throw new Error(`${name} must be a five-field cron expression or off, got "${raw}"`);
  return v;
};

export const settings = {
  databaseUrl: setting(
    'DATABASE_URL',
    'PostgreSQL server URL. Unset: the embedded database (PGlite) in DYOCENSE_DATA_DIR.',
    postgresUrl,
    undefined as string | undefined,
    '(embedded)',
  ),
  dataDir: setting(
    'DYOCENSE_DATA_DIR',
    'Directory of the embedded database and the generated demo secret.',
    text,
    '.dyocense/data',
  ),
  embeddedBuild: setting(
    'DYOCENSE_EMBEDDED_BUILD',
    'Embedded PGlite build: `timescaledb` (PostgreSQL 17 + TimescaleDB + pgvector) or `official` (PostgreSQL 18 + pgvector).',
    oneOf('timescaledb', 'official'),
    'timescaledb' as 'timescaledb' | 'official',
  ),
  host: setting('HOST', 'Interface the HTTP server binds to.', text, '0.0.0.0'),
  port: setting('PORT', 'HTTP port of `serve` and `demo`.', integer(0, 65535), 8080),
  workerMetricsPort: setting(
    'WORKER_METRICS_PORT',
    "Port of the worker's /metrics endpoint (0 = disabled).",
    integer(0, 65535),
    9464,
  ),
  metricsToken: setting(
    'METRICS_TOKEN',
    'When set, /metrics requires `Authorization: Bearer <token>`.',
    secret(16),
    undefined as string | undefined,
    '(open)',
  ),
  logLevel: setting(
    'LOG_LEVEL',
    'pino log level.',
    oneOf('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'),
    'info' as string,
  ),
  jwtSecret: setting(
    'JWT_SECRET',
    'HMAC secret for access tokens (≥ 32 chars). Required with DATABASE_URL; generated and kept in the data directory for the embedded database.',
    secret(32),
    undefined as string | undefined,
    '(generated when embedded)',
  ),
  jwtIssuer: setting('JWT_ISSUER', 'Issuer (`iss`) of access tokens.', text, 'dyocense'),
  jwtAudience: setting('JWT_AUDIENCE', 'Audience (`aud`) of access tokens.', text, 'dyocense-api'),
  accessTokenTtlMs: setting(
    'ACCESS_TOKEN_TTL',
    'Lifetime of an access token.',
    duration,
    15 * 60_000,
    '15m',
  ),
  refreshTokenTtlMs: setting(
    'REFRESH_TOKEN_TTL',
    'Lifetime of a refresh token (rotated on every use).',
    duration,
    30 * 86_400_000,
    '30d',
  ),
  corsOrigins: setting(
    'CORS_ORIGINS',
    'Comma-separated origins allowed by CORS (empty = same origin only).',
    list,
    [] as string[],
    '(none)',
  ),
  trustProxy: setting(
    'TRUST_PROXY',
    'Proxies whose X-Forwarded-For is believed (client IP for rate limits and the audit log): `true`, or addresses/CIDRs such as `10.0.0.0/8` or `uniquelocal` (private networks).',
    trustProxy,
    false as boolean | string[],
    '(none)',
  ),
  bodyLimitBytes: setting(
    'BODY_LIMIT_BYTES',
    'Largest JSON request body accepted.',
    integer(1024, 100 * 1024 * 1024),
    5 * 1024 * 1024,
  ),
  authRateLimitPerMinute: setting(
    'AUTH_RATE_LIMIT_PER_MINUTE',
    'Requests per minute per client IP on /v1/auth/* routes.',
    integer(1, 100_000),
    20,
  ),
  dbPoolMax: setting('DB_POOL_MAX', 'Server database pool size per process.', integer(1, 1000), 10),
  dbStatementTimeoutMs: setting(
    'DB_STATEMENT_TIMEOUT',
    'Statement timeout on the server database.',
    duration,
    30_000,
    '30s',
  ),
  dbConnectAttempts: setting(
    'DB_CONNECT_ATTEMPTS',
    'Attempts to reach the server database at start-up (exponential backoff).',
    integer(1, 100),
    8,
  ),
  shutdownTimeoutMs: setting(
    'SHUTDOWN_TIMEOUT',
    'Longest wait for in-flight requests and jobs on SIGTERM.',
    duration,
    20_000,
    '20s',
  ),
  otelEndpoint: setting(
    'OTEL_EXPORTER_OTLP_ENDPOINT',
    'OTLP/HTTP endpoint for traces; unset = no export.',
    httpUrl,
    undefined as string | undefined,
    '(off)',
  ),
  forecastRefreshCron: setting(
    'FORECAST_REFRESH_CRON',
    "When the nightly forecast refresh runs (cron, in the server's local time zone; `off` = never).",
    cronOrOff,
    '30 2 * * *' as string | null,
  ),
  demoEmail: setting(
    'DEMO_EMAIL',
    'Login of the demo owner created by `dyocense demo`.',
    text,
    'owner@demo.dyocense.local',
  ),
  demoPassword: setting(
    'DEMO_PASSWORD',
    'Password of the demo owner.',
    secret(8),
    'demo-password-2026',
  ),
} satisfies Record<string, Setting<unknown>>;

type Settings = typeof settings;
export type Config = { [K in keyof Settings]: ReturnType<Settings[K]['parse']> };

/** Parses and validates every setting; throws one ConfigError listing every bad value. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const problems: string[] = [];
  const out: Record<string, unknown> = {};
  for (const [key, s] of Object.entries(settings) as [keyof Settings, Setting<unknown>][]) {
    try {
      out[key] = s.parse(env[s.env], s.env);
    } catch (err) {
      problems.push((err as Error).message);
    }
  }
  if (out.databaseUrl && !out.jwtSecret) {
    problems.push('JWT_SECRET is required when DATABASE_URL is set (at least 32 characters)');
  }
  if (problems.length) throw new ConfigError(problems);
  return out as Config;
}

/** The documented settings, for README's configuration table. */
export function describeSettings(): { env: string; description: string; default: string }[] {
  return Object.values(settings).map((s) => ({
    env: s.env,
    description: s.description,
    default: s.defaultText,
  }));
}
