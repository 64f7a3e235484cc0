/**
 * Thrown when the caller's data cannot be turned into a model at all (wrong shape, duplicate
 * ids, an unknown reference). The API layer maps it to a 4xx answer; `path` says where.
 *
 * Data problems that still allow a plan (a negative forecast, a SKU without a cost) are NOT
 * thrown: they are reported in the result's `issues` and the plan is computed without them.
 *
 * @example
 * try {
 *   await solveInventory(input);
 * } catch (err) {
 *   if (err instanceof OptimizeInputError) console.log(err.path, err.message);
 * }
 */
export class OptimizeInputError extends Error {
  readonly code = 'OPTIMIZE_INVALID_INPUT';
  override readonly name = 'OptimizeInputError';
  constructor(
    /** Where in the input the problem is, e.g. `skus[3].casePack`. */
    readonly path: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(`${path}: ${message}`, options);
  }
}

/**
 * Thrown when the solver itself fails (the WebAssembly runtime aborts twice in a row, or the
 * model text is rejected). Not used for infeasible or unbounded models: those are statuses.
 *
 * @example
 * if (err instanceof OptimizeSolverError) log.error(err.message, { cause: err.cause });
 */
export class OptimizeSolverError extends Error {
  readonly code = 'OPTIMIZE_SOLVER_FAILED';
  override readonly name = 'OptimizeSolverError';
}
