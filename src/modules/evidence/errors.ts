import { CausalInputError } from '../../engines/causal/index.js';
import { AppError } from '../../platform/errors/app-error.js';
import { registerErrorCodes } from '../../platform/errors/codes.js';

registerErrorCodes({
  evidence_invalid: { status: 400, title: 'The evidence question or graph is invalid' },
  evidence_unanswerable: {
    status: 422,
    title: 'The data cannot answer this evidence question honestly',
  },
});

/**
 * Why an evidence request was refused: the engine's codes (cyclic_graph, unknown_node,
 * no_variation, perfect_separation, too_few_rows, missing_values, not_identifiable …)
 * plus the module's own (no_data, not_finite).
 */
export type EvidenceReason = CausalInputError['code'] | 'no_data' | 'not_finite';

const UNANSWERABLE = new Set<EvidenceReason>([
  'too_few_rows',
  'no_variation',
  'perfect_separation',
  'no_overlap',
  'not_identifiable',
  'no_data',
  'not_finite',
  'missing_values',
]);

/**
 * A refusal with its reason: 400 `evidence_invalid` for a malformed question or graph,
 * 422 `evidence_unanswerable` for a well-formed one the data cannot answer. The problem
 * document carries `reason` (machine-readable) and, when known, the node or field at fault.
 *
 * @example
 * throw evidenceError('cyclic_graph', 'graph has a cycle: a → b → a', '/body/edges');
 */
export function evidenceError(
  reason: EvidenceReason,
  message: string,
  path = '/body',
  field?: string,
  cause?: unknown,
): AppError {
  return new AppError(
    UNANSWERABLE.has(reason) ? 'evidence_unanswerable' : 'evidence_invalid',
    message,
    { reason, ...(field ? { field } : {}), errors: [{ path, message }] },
    cause === undefined ? undefined : { cause },
  );
}

/**
 * Turns an engine refusal into the API's answer. Missing values reach the engine only
 * from the data (never from the request), so they are 422 here, not the engine's 400.
 */
export function fromEngine(err: unknown, describe: (column: string) => string): never {
  if (err instanceof CausalInputError) {
    const field = err.field ? describe(err.field) : undefined;
    const message = err.field
      ? err.message.replaceAll(err.field, describe(err.field))
      : err.message;
    throw evidenceError(err.code, message, '/body', field, err);
  }
  throw err;
}
