/**
 * The database interface every repository sees. Two implementations: node-postgres `Pool`
 * (server) and PGlite (embedded). Repositories never import `pg` or PGlite themselves.
 */

export interface QueryResult<R> {
  rows: R[];
  rowCount: number;
}

/** Something that runs parameterised SQL: the database itself or an open transaction. */
export interface Queryable {
  /**
   * Runs one parameterised statement. `label` names the query for metrics and traces
   * (e.g. `accounts.findUserByEmail`); it is never sent to the server as a prepared-statement
   * name, because PGlite shares one session and named statements would collide.
   */
  query<R = Record<string, unknown>>(
    text: string,
    values?: readonly unknown[],
    label?: string,
  ): Promise<QueryResult<R>>;
}

/** An open transaction. `exec` runs a multi-statement script with no parameters (migrations). */
export interface Transaction extends Queryable {
  exec(script: string): Promise<void>;
}

export type DatabaseKind = 'server' | 'embedded';

export interface QueryObserver {
  /** Called after every statement with its label (or derived operation) and duration. */
  onQuery(label: string, seconds: number, ok: boolean): void;
}

export interface Database extends Queryable {
  readonly kind: DatabaseKind;
  /** Human-readable description without credentials, e.g. `postgres://127.0.0.1:5432/dyocense`. */
  readonly description: string;
  /**
   * Runs `fn` in one transaction: committed when it resolves, rolled back when it throws.
   * While a transaction is open in an async context, querying the database outside it from
   * the same context throws — on PGlite that would deadlock, on a server it is a bug.
   */
  transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T>;
  /** Pool statistics for metrics (the embedded database reports a pool of one). */
  poolStats(): { total: number; idle: number; waiting: number };
  /** Registers an observer for per-query metrics and tracing. */
  observe(observer: QueryObserver): void;
  close(): Promise<void>;
}
