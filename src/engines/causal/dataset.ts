import { CausalInputError } from './errors.js';
import type { Dataset } from './types.js';

/**
 * Checks that every named column exists, all have the same length and hold finite
 * numbers, and returns the row count. Missing values (null, NaN, ±Infinity) are refused
 * with the column and first row named: the engine never guesses them.
 *
 * @example
 * requireColumns({ a: [1, 2], b: [3, 4] }, ['a', 'b']); // 2
 */
export function requireColumns(data: Dataset, names: string[]): number {
  if (!data || typeof data !== 'object')
    throw new CausalInputError('invalid_argument', 'data must be an object of numeric columns');
  let n = -1;
  for (const name of names) {
    const col = data[name];
    if (!Array.isArray(col) && !ArrayBuffer.isView(col)) {
      throw new CausalInputError(
        'unknown_column',
        `no column "${name}" in the data (columns: ${Object.keys(data).join(', ') || 'none'})`,
        {
          field: name,
        },
      );
    }
    if (n === -1) n = col.length;
    else if (col.length !== n) {
      throw new CausalInputError(
        'length_mismatch',
        `column "${name}" has ${col.length} rows but "${names[0]}" has ${n}`,
        { field: name },
      );
    }
    let missing = 0;
    let first = -1;
    for (let i = 0; i < col.length; i++) {
      const v = col[i];
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        missing++;
        if (first < 0) first = i;
      }
    }
    if (missing > 0) {
      throw new CausalInputError(
        'missing_values',
        `column "${name}" has ${missing} missing or non-numeric value(s) (first at row ${first + 1}); drop or fill those rows first`,
        { field: name },
      );
    }
  }
  return Math.max(n, 0);
}

/**
 * Reads a 0/1 treatment column, refusing other codings and columns without variation.
 *
 * @example
 * binaryColumn({ t: [0, 1, 1] }, 't'); // Float64Array [0, 1, 1]
 */
export function binaryColumn(data: Dataset, name: string): Float64Array {
  const col = data[name] as number[];
  const out = Float64Array.from(col);
  let treated = 0;
  for (let i = 0; i < out.length; i++) {
    const v = out[i]!;
    if (v !== 0 && v !== 1) {
      throw new CausalInputError(
        'not_binary',
        `treatment "${name}" must be coded 0/1; row ${i + 1} has ${v}`,
        { field: name },
      );
    }
    treated += v;
  }
  if (treated === 0 || treated === out.length) {
    throw new CausalInputError(
      'no_variation',
      `treatment "${name}" has no variation: every row is ${treated === 0 ? 'untreated (0)' : 'treated (1)'}`,
      {
        field: name,
      },
    );
  }
  return out;
}

/**
 * Refuses samples too small for the number of parameters to fit.
 *
 * @example
 * requireRows(200, 5, 'effect estimation'); // ok
 * @internal
 */
export function requireRows(n: number, parameters: number, what: string, minimum = 10): void {
  const need = Math.max(minimum, parameters + 5);
  if (n < need) {
    throw new CausalInputError(
      'too_few_rows',
      `${what} needs at least ${need} rows for ${parameters} parameter(s); got ${n}`,
    );
  }
}

/**
 * True when a column only holds 0 and 1.
 * @internal
 */
export function isBinary(col: ArrayLike<number>): boolean {
  for (let i = 0; i < col.length; i++) if (col[i] !== 0 && col[i] !== 1) return false;
  return true;
}

/**
 * Arithmetic mean (0 for an empty array).
 * @internal
 */
export function mean(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i] as number;
  return values.length > 0 ? s / values.length : 0;
}

/**
 * Sample variance (n − 1 denominator; 0 below two values).
 * @internal
 */
export function variance(values: ArrayLike<number>): number {
  const m = mean(values);
  let s = 0;
  for (let i = 0; i < values.length; i++) s += ((values[i] as number) - m) ** 2;
  return values.length > 1 ? s / (values.length - 1) : 0;
}
