import type { QueryObserver } from './types.js';

/** Derives a low-cardinality label from SQL when the caller gave none: its leading keyword. */
export function operationOf(text: string): string {
  const match = /^\s*(?:--[^\n]*\n\s*)*(\w+)/.exec(text);
  return match?.[1]?.toLowerCase() ?? 'unknown';
}

/** Fans query timings out to registered observers; an observer that throws is ignored. */
export class QueryObservers {
  private readonly observers: QueryObserver[] = [];

  add(observer: QueryObserver): void {
    this.observers.push(observer);
  }

  async time<T>(label: string | undefined, text: string, run: () => Promise<T>): Promise<T> {
    if (this.observers.length === 0) return run();
    const name = label ?? operationOf(text);
    const start = process.hrtime.bigint();
    let ok = false;
    try {
      const result = await run();
      ok = true;
      return result;
    } finally {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      for (const o of this.observers) {
        try {
          o.onQuery(name, seconds, ok);
        } catch {
          // metrics must never break a query
        }
      }
    }
  }
}
