import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../api/client';

export interface Loaded<T> {
  data: T | undefined;
  error: Error | null;
  loading: boolean;
  /** Loads again; `quiet` keeps the current data on screen meanwhile (polling). */
  reload: (quiet?: boolean) => void;
}

/**
 * Runs `load` when `key` changes (and on `reload`), keeping only the latest answer: an
 * older request that finishes late never overwrites a newer one.
 */
export function useApi<T>(load: (signal: AbortSignal) => Promise<T>, key: string): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<Error | null>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const quietRef = useRef(false);
  const loadRef = useRef(load);
  useEffect(() => {
    loadRef.current = load; // the latest closure, for the effect below (declared after it)
  });

  useEffect(() => {
    const ctrl = new AbortController();
    if (!quietRef.current) setLoading(true);
    quietRef.current = false;
    loadRef
      .current(ctrl.signal)
      .then((d) => {
        if (ctrl.signal.aborted) return;
        setData(d);
        setError(null);
      })
      .catch((e: unknown) => {
        if (ctrl.signal.aborted) return;
        setError(e instanceof Error ? e : new Error(String(e)));
      })
      .finally(() => {
        if (!ctrl.signal.aborted) setLoading(false);
      });
    return () => ctrl.abort();
  }, [key, tick]);

  const reload = useCallback((quiet = false) => {
    quietRef.current = quiet;
    setTick((t) => t + 1);
  }, []);

  return { data, error, loading, reload };
}

/** Calls `fn` every `ms` while `active`. */
export function useInterval(fn: () => void, ms: number, active: boolean): void {
  const ref = useRef(fn);
  useEffect(() => {
    ref.current = fn;
  });
  useEffect(() => {
    if (!active) return;
    const id = setInterval(() => ref.current(), ms);
    return () => clearInterval(id);
  }, [ms, active]);
}

/**
 * Runs one user action at a time (a form submit, a button): `busy` while it runs, `error`
 * when it threw. `run` resolves true when the action succeeded.
 */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = useCallback(async (fn: () => Promise<unknown>): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      return true;
    } catch (err) {
      setError(err);
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  /** An onSubmit handler that runs `fn` without reloading the page. */
  const submit = useCallback(
    (fn: () => Promise<unknown>) => (e: { preventDefault(): void }) => {
      e.preventDefault();
      void run(fn);
    },
    [run],
  );
  return { busy, error, setError, run, submit };
}

/** A list route's items (`{ items: [...] }`), reloaded when `query` changes. */
export function useItems<T>(
  path: string,
  query: Record<string, string | number | undefined> = {},
  version = 0,
): Loaded<{ items: T[] }> {
  return useApi(
    (signal) => api<{ items: T[] }>(path, { query, signal }),
    JSON.stringify([path, query, version]),
  );
}
