import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { initAugurs } from '../engines/forecast/index.js';

/**
 * Reads the `@bsull/augurs` WASM files from node_modules and initialises the forecasting
 * engine's WASM-backed models (AutoETS, MSTL, Prophet). Call once per process or worker.
 *
 * @example
 * loadForecastWasm();
 */
export function loadForecastWasm(): void {
  initAugurs({ ets: readWasm('ets'), mstl: readWasm('mstl') });
}

/** Bytes of one of `@bsull/augurs`' WASM modules. */
function readWasm(name: string): Buffer {
  const dir = dirname(createRequire(import.meta.url).resolve('@bsull/augurs/ets'));
  return readFileSync(join(dir, `${name}_bg.wasm`));
}

/**
 * Also enables Prophet: imports the Stan optimiser (`@bsull/augurs-prophet-wasmstan`, whose
 * module initialises asynchronously) and the Prophet WASM. Call once per process or worker.
 *
 * @example
 * await loadProphetWasm();
 * forecast(series, { horizon: 7, models: ['prophet'] });
 */
export async function loadProphetWasm(): Promise<void> {
  const { optimizer } = await import('@bsull/augurs-prophet-wasmstan');
  initAugurs({
    ets: readWasm('ets'),
    mstl: readWasm('mstl'),
    prophet: readWasm('prophet'),
    prophetOptimizer: optimizer,
  });
}
