/**
 * Error codes the forecasting engine throws. The API layer maps every code to a 4xx response;
 * the CLI prints the message and exits non-zero.
 */
export type ForecastErrorCode =
  | 'EMPTY_SERIES'
  | 'BAD_HORIZON'
  | 'BAD_VALUES'
  | 'BAD_TIMESTAMPS'
  | 'BAD_OPTIONS'
  | 'NOT_INITIALISED';

/**
 * Thrown for input the engine cannot forecast from (the caller's fault, never a crash).
 *
 * @example
 * try { forecast({ values: [] }, { horizon: 3 }); }
 * catch (e) { if (e instanceof ForecastInputError) console.log(e.code); } // 'EMPTY_SERIES'
 */
export class ForecastInputError extends Error {
  readonly code: ForecastErrorCode;
  constructor(code: ForecastErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ForecastInputError';
    this.code = code;
  }
}
