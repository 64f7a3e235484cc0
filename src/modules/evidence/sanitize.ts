import type { Refutation } from '../../engines/causal/index.js';
import { evidenceError } from './errors.js';

/**
 * Auxiliary numbers (`details` of an estimate or refuter) that are not finite are left out
 * rather than shown; the count is returned so the answer can say so.
 */
export function finiteDetails(details: Record<string, number>): {
  details: Record<string, number>;
  dropped: number;
} {
  const out: Record<string, number> = {};
  let dropped = 0;
  for (const [k, v] of Object.entries(details)) {
    if (Number.isFinite(v)) out[k] = v;
    else dropped++;
  }
  return { details: out, dropped };
}

/**
 * Never presents NaN or ±∞ as an answer: any non-finite number left in a result view is a
 * refusal (422, reason not_finite) naming where it appeared.
 *
 * @example
 * assertFinite({ estimate: NaN }); // throws evidence_unanswerable: "estimate is not a finite number"
 */
export function assertFinite(value: unknown, path = ''): void {
  if (typeof value === 'number') {
    if (!Number.isFinite(value))
      throw evidenceError(
        'not_finite',
        `${path || 'the answer'} is not a finite number (${String(value)}): the data cannot support this answer`,
      );
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => assertFinite(v, `${path}[${i}]`));
    return;
  }
  if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) assertFinite(v, path ? `${path}.${k}` : k);
}

/** A refutation as the API shows it (non-finite numbers left out). */
export function refutationView(r: Refutation) {
  return {
    name: r.name,
    passed: r.passed,
    newEffect: r.newEffect !== undefined && Number.isFinite(r.newEffect) ? r.newEffect : null,
    details: finiteDetails(r.details).details,
    summary: r.summary,
  };
}
