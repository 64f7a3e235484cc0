import { errorCodes, type ErrorCode } from './codes.js';

export interface FieldError {
  /** JSON pointer-ish location, e.g. `/body/email` or `row 12, column "price"`. */
  path: string;
  message: string;
}

/**
 * An error meant for the client: a stable code, a human message saying what was wrong and
 * where, and optional field errors. Anything else thrown becomes a generic 500.
 *
 * @example
 * throw new AppError('not_found', `goal ${id} not found`);
 */
export class AppError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode | (string & {}),
    message: string,
    readonly extra: { errors?: FieldError[]; [key: string]: unknown } = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'AppError';
    const def = (errorCodes as Record<string, { status: number }>)[code];
    if (!def) throw new Error(`unregistered error code: ${code}`, { cause: this });
    this.status = def.status;
  }
}

export const notFound = (what: string) => new AppError('not_found', `${what} not found`);
