import pg from 'pg';
import type { Database, QueryObserver, QueryResult, Transaction } from './types.js';
import { QueryObservers } from './observe.js';
import { assertNoOpenTransaction, runInTransactionContext } from './query-guard.js';
import { TYPE_OIDS, parseDate, parseNumber } from './type-parsers.js';

export interface ServerDatabaseOptions {
  url: string;
  poolMax: number;
  statementTimeoutMs: number;
  /** Attempts to reach the server at start-up before giving up (exponential backoff). */
  connectAttempts: number;
  applicationName?: string;
  onRetry?: (attempt: number, delayMs: number, error: Error) => void;
}

const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === TYPE_OIDS.int8 || oid === TYPE_OIDS.numeric) return parseNumber;
    if (oid === TYPE_OIDS.date) return parseDate;
    return pg.types.getTypeParser(oid, format);
  },
};

/** Removes the password from a connection string for logs and `/v1/system/capabilities`. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    u.password = '';
    u.username = u.username ? u.username : '';
    return `${u.protocol}//${u.username ? `${u.username}@` : ''}${u.host}${u.pathname}`;
  } catch {
    return 'postgres://(unparseable url)';
  }
}

class ServerTransaction implements Transaction {
  constructor(
    private readonly client: pg.PoolClient,
    private readonly observers: QueryObservers,
  ) {}

  async query<R>(
    text: string,
    values?: readonly unknown[],
    label?: string,
  ): Promise<QueryResult<R>> {
    const res = await this.observers.time(label, text, () =>
      this.client.query({ text, values: values as unknown[] | undefined, types }),
    );
    return { rows: res.rows as R[], rowCount: res.rowCount ?? 0 };
  }

  async exec(script: string): Promise<void> {
    await this.observers.time('exec', script, () => this.client.query(script));
  }
}

class ServerDatabase implements Database {
  readonly kind = 'server' as const;
  private readonly observers = new QueryObservers();

  constructor(
    private readonly pool: pg.Pool,
    readonly description: string,
  ) {}

  async query<R>(
    text: string,
    values?: readonly unknown[],
    label?: string,
  ): Promise<QueryResult<R>> {
    assertNoOpenTransaction(this);
    const res = await this.observers.time(label, text, () =>
      this.pool.query({ text, values: values as unknown[] | undefined, types }),
    );
    return { rows: res.rows as R[], rowCount: res.rowCount ?? 0 };
  }

  async transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    assertNoOpenTransaction(this);
    const client = await this.pool.connect();
    let broken = false;
    try {
      await client.query('begin');
      const result = await runInTransactionContext(this, () =>
        fn(new ServerTransaction(client, this.observers)),
      );
      await client.query('commit');
      return result;
    } catch (err) {
      try {
        await client.query('rollback');
      } catch {
        broken = true; // connection is unusable: destroy it rather than return it to the pool
      }
      throw err;
    } finally {
      client.release(broken);
    }
  }

  poolStats() {
    return {
      total: this.pool.totalCount,
      idle: this.pool.idleCount,
      waiting: this.pool.waitingCount,
    };
  }

  observe(observer: QueryObserver): void {
    this.observers.add(observer);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Opens a pool and waits (with exponential backoff) until the server answers. */
export async function openServerDatabase(options: ServerDatabaseOptions): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolMax,
    statement_timeout: options.statementTimeoutMs,
    idle_in_transaction_session_timeout: Math.max(options.statementTimeoutMs * 2, 60_000),
    connectionTimeoutMillis: 10_000,
    application_name: options.applicationName ?? 'dyocense',
    // Every session computes dates in UTC (the app's time convention), whatever the server's default.
    options: '-c TimeZone=UTC',
  });
  // An idle client that errors (server restart) must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  for (let attempt = 1; ; attempt++) {
    try {
      await pool.query('select 1');
      break;
    } catch (err) {
      if (attempt >= options.connectAttempts) {
        await pool.end().catch(() => {});
        throw new Error(
          `could not connect to ${describeUrl(options.url)} after ${attempt} attempts: ${(err as Error).message}`,
          { cause: err },
        );
      }
      const delay = Math.min(250 * 2 ** (attempt - 1), 10_000);
      options.onRetry?.(attempt, delay, err as Error);
      await sleep(delay);
    }
  }
  return new ServerDatabase(pool, describeUrl(options.url));
}
