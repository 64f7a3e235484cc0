import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, describeSettings, loadConfig } from '../../src/platform/config/config.js';

describe('configuration', () => {
  it('has sane defaults with no environment at all (embedded database, port 8080)', () => {
    const c = loadConfig({});
    expect(c.databaseUrl).toBeUndefined();
    expect(c.port).toBe(8080);
    expect(c.dataDir).toBe('.dyocense/data');
    expect(c.accessTokenTtlMs).toBe(15 * 60_000);
  });

  it('reports every bad value at once, each with its variable name', () => {
    let err: unknown;
    try {
      loadConfig({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        LOG_LEVEL: 'loud',
        ACCESS_TOKEN_TTL: '15 minutes',
        DB_POOL_MAX: '0',
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const problems = (err as ConfigError).problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        'PORT must be an integer, got "eighty"',
        'DATABASE_URL must start with postgres:// or postgresql://, got mysql://',
        'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "loud"',
        'ACCESS_TOKEN_TTL must be a duration like 15m, 30s, 12h or 30d, got "15 minutes"',
        'DB_POOL_MAX must be between 1 and 1000, got 0',
      ]),
    );
  });

  it('requires a JWT secret with a server database', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://localhost/x' })).toThrow(
      /JWT_SECRET is required/,
    );
    expect(() =>
      loadConfig({ DATABASE_URL: 'postgres://localhost/x', JWT_SECRET: 'short' }),
    ).toThrow(/at least 32/);
    expect(
      loadConfig({ DATABASE_URL: 'postgres://localhost/x', JWT_SECRET: 'x'.repeat(32) })
        .databaseUrl,
    ).toBe('postgres://localhost/x');
  });

  it('README documents every environment variable', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const missing = describeSettings()
      .filter((s) => !readme.includes(`\`${s.env}\``))
      .map((s) => s.env);
    expect(missing).toEqual([]);
  });
});

describe('TRUST_PROXY', () => {
  it('is off by default and accepts true, a hop count or addresses', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: 'uniquelocal' }).trustProxy).toEqual(['uniquelocal']);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy).toEqual([
      '10.0.0.0/8',
      '127.0.0.1',
    ]);
    expect(() => loadConfig({ TRUST_PROXY: 'everyone' })).toThrow(
      /TRUST_PROXY must be true or addresses/,
    );
  });
});
