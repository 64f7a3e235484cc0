/**
 * Why the causal engine refused an input. Every code maps to a 4xx answer in the API
 * (`status`): the caller sent something the engine cannot answer honestly.
 */
export type CausalErrorCode =
  | 'cyclic_graph'
  | 'unknown_node'
  | 'invalid_graph'
  | 'unknown_column'
  | 'length_mismatch'
  | 'missing_values'
  | 'too_few_rows'
  | 'no_variation'
  | 'not_binary'
  | 'perfect_separation'
  | 'no_overlap'
  | 'not_identifiable'
  | 'invalid_argument';

/**
 * Thrown for input the engine cannot answer: the message says what and where.
 *
 * @example
 * try {
 *   estimateEffect(data, { treatment: 't', outcome: 'y', covariates: [] });
 * } catch (err) {
 *   if (err instanceof CausalInputError) console.log(err.status, err.code, err.message);
 * }
 */
export class CausalInputError extends Error {
  override readonly name = 'CausalInputError';
  readonly code: CausalErrorCode;
  /** HTTP-style status the API should answer with (400 malformed, 422 unanswerable). */
  readonly status: 400 | 422;
  /** The column, node or argument at fault, when there is one. */
  readonly field: string | undefined;

  constructor(
    code: CausalErrorCode,
    message: string,
    options: { field?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.field = options.field;
    this.status = STATUS[code];
  }
}

const STATUS: Record<CausalErrorCode, 400 | 422> = {
  cyclic_graph: 400,
  unknown_node: 400,
  invalid_graph: 400,
  unknown_column: 400,
  length_mismatch: 400,
  missing_values: 400,
  too_few_rows: 422,
  no_variation: 422,
  not_binary: 400,
  perfect_separation: 422,
  no_overlap: 422,
  not_identifiable: 422,
  invalid_argument: 400,
};
