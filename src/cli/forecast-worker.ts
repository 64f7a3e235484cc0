/**
 * Worker thread for {@link forecastInWorkers}: initialises the WASM models once, then forecasts
 * each job it is sent and posts the outcome back.
 */
import { parentPort } from 'node:worker_threads';
import { forecast, ForecastInputError } from '../engines/forecast/index.js';
import type { ForecastJob, ForecastOutcome } from './forecast-pool.js';
import { loadForecastWasm } from './forecast-wasm.js';

loadForecastWasm();
const port = parentPort;
if (port) {
  port.on('message', ({ index, job }: { index: number; job: ForecastJob }) => {
    let outcome: ForecastOutcome;
    try {
      outcome = { id: job.id, result: forecast(job.series, job.options) };
    } catch (err) {
      outcome =
        err instanceof ForecastInputError
          ? { id: job.id, error: err.message, code: err.code }
          : { id: job.id, error: err instanceof Error ? err.message : String(err) };
    }
    port.postMessage({ index, outcome });
  });
  port.postMessage({ ready: true });
}
