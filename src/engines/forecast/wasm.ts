import { initSync as initEts, AutoETS } from '@bsull/augurs/ets';
import { initSync as initMstl, MSTL } from '@bsull/augurs/mstl';
import { initSync as initProphetWasm, Prophet } from '@bsull/augurs/prophet';
import { ForecastInputError } from './errors.js';

/** WASM bytes (or a compiled `WebAssembly.Module`, passed as `object`). */
export type WasmSource = ArrayBuffer | ArrayBufferView | object;

type InitArg = Parameters<typeof initEts>[0];

/**
 * Compiled WebAssembly for the models that come from `@bsull/augurs` (AutoETS, MSTL, Prophet).
 * The engine does no I/O: the caller reads the `.wasm` bytes (see `src/cli/forecast-wasm.ts`
 * for Node) and hands them over once per process or worker.
 */
export interface AugursWasm {
  ets: WasmSource;
  mstl: WasmSource;
  prophet?: WasmSource;
  /** `optimizer` export of `@bsull/augurs-prophet-wasmstan` (needed with `prophet`). */
  prophetOptimizer?: unknown;
}

let optimizer: unknown;
let state: { ets: boolean; mstl: boolean; prophet: boolean } = {
  ets: false,
  mstl: false,
  prophet: false,
};

/**
 * Initialises the WASM-backed models synchronously. Idempotent. Without it the engine still
 * works and simply leaves AutoETS, MSTL and Prophet out of its candidate set.
 *
 * @example
 * initAugurs({ ets: etsBytes, mstl: mstlBytes, prophet: prophetBytes });
 */
export function initAugurs(wasm: AugursWasm): void {
  if (!state.ets) initEts({ module: wasm.ets } as InitArg);
  if (!state.mstl) initMstl({ module: wasm.mstl } as InitArg);
  if (wasm.prophet && wasm.prophetOptimizer && !state.prophet) {
    initProphetWasm({ module: wasm.prophet } as InitArg);
    optimizer = wasm.prophetOptimizer;
  }
  state = { ets: true, mstl: true, prophet: optimizer !== undefined };
}

/**
 * Which WASM-backed models are ready.
 *
 * @example
 * augursReady(); // { ets: true, mstl: true, prophet: false }
 */
export function augursReady(): { ets: boolean; mstl: boolean; prophet: boolean } {
  return { ...state };
}

/** @internal */
export function requireAugurs(what: 'ets' | 'mstl' | 'prophet'): void {
  if (!state[what])
    throw new ForecastInputError('NOT_INITIALISED', `the ${what} model needs initAugurs() first`);
}

/** @internal The Prophet optimiser handed to {@link initAugurs}. */
export function prophetOptimizer(): unknown {
  requireAugurs('prophet');
  return optimizer;
}

export { AutoETS, MSTL, Prophet };
