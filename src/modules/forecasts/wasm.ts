import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { initAugurs } from '../../engines/forecast/index.js';

let outcome: { ok: true } | { ok: false; error: Error } | undefined;

/**
 * Initialises the forecasting engine's WASM models (AutoETS and MSTL from `@bsull/augurs`)
 * once per process, on first use, so processes that never forecast never load them. When the
 * files cannot be loaded the engine still runs every other model; the failure is returned
 * (every call) so each forecast can say so in its warnings.
 *
 * @example
 * const wasm = ensureForecastWasm();
 * if (!wasm.ok) warnings.push(`AutoETS and MSTL unavailable: ${wasm.error.message}`);
 */
export function ensureForecastWasm(): { ok: true } | { ok: false; error: Error } {
  if (!outcome) {
    try {
      const dir = dirname(createRequire(import.meta.url).resolve('@bsull/augurs/ets'));
      initAugurs({
        ets: readFileSync(join(dir, 'ets_bg.wasm')),
        mstl: readFileSync(join(dir, 'mstl_bg.wasm')),
      });
      outcome = { ok: true };
    } catch (err) {
      outcome = {
        ok: false,
        error: new Error('the augurs WASM models could not be loaded', { cause: err }),
      };
    }
  }
  return outcome;
}
