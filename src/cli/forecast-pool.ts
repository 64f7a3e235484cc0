import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ForecastOptions, ForecastResult, SeriesInput } from '../engines/forecast/index.js';

/** One forecasting job: a series and its options. */
export interface ForecastJob {
  id: string;
  series: SeriesInput;
  options: ForecastOptions;
}

/** A job's outcome: the engine's result, or the error message it threw. */
export type ForecastOutcome =
  { id: string; result: ForecastResult } | { id: string; error: string; code?: string };

/**
 * Runs forecasting jobs on `workers` worker threads (default: one per core), handing each
 * worker the next job as soon as it finishes one. Works from the TypeScript sources (the
 * workers load tsx) and from the compiled build. Outcomes come back in job order.
 *
 * @example
 * const outcomes = await forecastInWorkers(jobs, { workers: 2 });
 */
export async function forecastInWorkers(
  jobs: readonly ForecastJob[],
  opts: { workers?: number; onProgress?: (done: number) => void } = {},
): Promise<ForecastOutcome[]> {
  const fromSource = import.meta.url.endsWith('.ts');
  const url = new URL(
    fromSource ? './forecast-worker.ts' : './forecast-worker.js',
    import.meta.url,
  );
  const count = Math.max(1, Math.min(opts.workers ?? availableParallelism(), jobs.length));
  const outcomes: ForecastOutcome[] = new Array(jobs.length);
  let next = 0;
  let done = 0;
  const runWorker = (): Promise<void> =>
    new Promise((resolve, reject) => {
      // From sources, a tiny bootstrap registers tsx's loader before importing the worker module
      // (`execArgv: ['--import', 'tsx']` does not reach the worker's entry module on Node 20).
      const worker = fromSource
        ? new Worker(
            `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((t) => { t.register(); return import(${JSON.stringify(url.href)}); })`,
            { eval: true },
          )
        : new Worker(url);
      const feed = (): void => {
        if (next >= jobs.length) {
          void worker.terminate().then(() => resolve());
          return;
        }
        const index = next++;
        worker.postMessage({ index, job: jobs[index] });
      };
      worker.on(
        'message',
        (msg: { ready?: boolean; index?: number; outcome?: ForecastOutcome }) => {
          if (msg.outcome !== undefined && msg.index !== undefined) {
            outcomes[msg.index] = msg.outcome;
            opts.onProgress?.(++done);
          }
          feed();
        },
      );
      worker.on('error', (err) => reject(new Error('forecast worker failed', { cause: err })));
    });
  await Promise.all(Array.from({ length: count }, runWorker));
  return outcomes;
}
