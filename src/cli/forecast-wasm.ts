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
  const require = createRequire(import.meta.url);
  const dir = dirname(require.resolve('@bsull/augurs/ets'));
  const read = (name: string): Buffer => readFileSync(join(dir, `${name}_bg.wasm`));
  initAugurs({ ets: read('ets'), mstl: read('mstl'), prophet: read('prophet') });
}
