import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Tracks which database has a transaction open in the current async context, so a query that
 * bypasses the transaction fails loudly instead of deadlocking PGlite's single session (or, on a
 * server, silently running outside the transaction's tenant and snapshot).
 */
interface OpenTransaction {
  owner: object;
  open: boolean;
}

const storage = new AsyncLocalStorage<OpenTransaction>();

export class QueryOutsideTransactionError extends Error {
  constructor() {
    super(
      'a query ran on the database while a transaction was open in the same context; use the transaction handle',
    );
    this.name = 'QueryOutsideTransactionError';
  }
}

/** Throws when `owner` has a transaction open in the calling async context. */
export function assertNoOpenTransaction(owner: object): void {
  const current = storage.getStore();
  if (current?.open && current.owner === owner) throw new QueryOutsideTransactionError();
}

/** Runs `fn` marked as inside a transaction of `owner`; the mark ends when `fn` settles. */
export async function runInTransactionContext<T>(owner: object, fn: () => Promise<T>): Promise<T> {
  const mark: OpenTransaction = { owner, open: true };
  try {
    return await storage.run(mark, fn);
  } finally {
    mark.open = false;
  }
}
