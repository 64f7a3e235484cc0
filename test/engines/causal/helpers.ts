import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseNumericCsv } from '../../../src/cli/evidence-csv.js';
import { createRng } from '../../../src/engines/shared/random.js';
import type { Dataset } from '../../../src/engines/causal/index.js';

/** The Dehejia–Wahba NSW sample shipped as a test fixture. */
export function nswData(): Dataset {
  const path = fileURLToPath(new URL('../../fixtures/causal/nsw_dw.csv', import.meta.url));
  return parseNumericCsv(readFileSync(path, 'utf8')).columns;
}

export const NSW_COVARIATES = [
  'age',
  'educ',
  'black',
  'hisp',
  'married',
  'nodegree',
  're74',
  're75',
];

/**
 * Confounded data with a heterogeneous effect: x → t, x → y, effect of t = 2 + x.
 * ATE = 2 (E[x] = 0); ATT = 2 + E[x | t = 1] (computed from the draws).
 */
export function heterogeneous(
  n: number,
  seed: number,
): { data: Dataset; ate: number; att: number } {
  const rng = createRng(seed);
  const x: number[] = [];
  const t: number[] = [];
  const y: number[] = [];
  let attSum = 0;
  let treated = 0;
  let ateSum = 0;
  for (let i = 0; i < n; i++) {
    const xi = rng.normal();
    const ti = rng.uniform() < 1 / (1 + Math.exp(-0.8 * xi)) ? 1 : 0;
    const effect = 2 + xi;
    x.push(xi);
    t.push(ti);
    y.push(1 + 1.5 * xi + ti * effect + rng.normal());
    ateSum += effect;
    if (ti === 1) {
      attSum += effect;
      treated++;
    }
  }
  return { data: { x, t, y }, ate: ateSum / n, att: attSum / treated };
}
