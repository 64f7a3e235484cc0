import {
  looksLikeFormula,
  parseDate,
  parseNumber,
  toInstant,
  toLocalWallAsUtc,
  type DateOrder,
  type DecimalSeparator,
  type WallTime,
} from './csv/values.js';

/** One problem with one cell (or a whole row when `column` is null). */
export interface CellError {
  column: string | null;
  value: string | null;
  reason: string;
}

/** How a date cell becomes a stored value. */
export type TimeMode = 'instant' | 'wall';

export interface ReaderContext {
  timeZone: string;
  decimal: DecimalSeparator;
  /** The date order given by the user, or null (auto: ambiguous cells are resolved later). */
  dateOrder: DateOrder | null;
  /** Called when a cell only reads one way (e.g. 25/03/2026 → DMY). */
  onDateEvidence(order: 'DMY' | 'MDY', column: string, raw: string): void;
}

/** A date cell that reads two ways, staged until the column's order is known. */
export interface AmbiguousDate {
  '?': [string, string];
  raw: string;
  col: string;
}

export const isAmbiguous = (v: unknown): v is AmbiguousDate =>
  typeof v === 'object' && v !== null && '?' in v;

const MAX_TEXT = 1000;

/**
 * Reads the mapped cells of one CSV record as typed values, collecting every problem with
 * its column and the reason instead of stopping at the first.
 */
export class RowReader {
  readonly errors: CellError[] = [];
  readonly ambiguous: string[] = [];

  constructor(
    private readonly cells: string[],
    private readonly columns: Map<string, number>,
    private readonly headers: string[],
    private readonly ctx: ReaderContext,
  ) {}

  header(field: string): string {
    const idx = this.columns.get(field);
    return idx === undefined ? field : (this.headers[idx] ?? field);
  }

  has(field: string): boolean {
    return this.columns.has(field);
  }

  raw(field: string): string | null {
    const idx = this.columns.get(field);
    if (idx === undefined) return null;
    const v = this.cells[idx];
    return v === undefined ? null : v.trim() === '' ? null : v;
  }

  error(field: string | null, reason: string, value?: string | null): void {
    this.errors.push({
      column: field === null ? null : this.header(field),
      value: value ?? (field === null ? null : this.raw(field)),
      reason,
    });
  }

  text(field: string, opts: { required?: boolean; max?: number } = {}): string | null {
    const raw = this.raw(field);
    if (raw === null) {
      if (opts.required) this.error(field, 'is empty; a value is required');
      return null;
    }
    const v = raw.trim();
    const max = opts.max ?? MAX_TEXT;
    if (v.length > max) {
      this.error(
        field,
        `is ${v.length} characters long; at most ${max} are allowed`,
        v.slice(0, 80),
      );
      return null;
    }
    if (looksLikeFormula(v)) {
      this.error(
        field,
        'looks like a spreadsheet formula (starts with =, +, -, @ or a control character followed by a function or reference); formulas are refused so they never run when the data is exported again — remove it, or put an apostrophe in front if it is meant as text',
      );
      return null;
    }
    if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(v)) {
      this.error(field, 'contains control characters');
      return null;
    }
    return v;
  }

  number(
    field: string,
    opts: {
      required?: boolean;
      min?: number;
      greaterThan?: number;
      integer?: boolean;
      hint?: string;
    } = {},
  ): number | null {
    const raw = this.raw(field);
    if (raw === null) {
      if (opts.required) this.error(field, 'is empty; a number is required');
      return null;
    }
    const r = parseNumber(raw, this.ctx.decimal);
    if (!r.ok) {
      this.error(field, r.reason);
      return null;
    }
    const n = r.value;
    if (!Number.isFinite(n) || Math.abs(n) >= 1e12) {
      this.error(field, `${raw} is out of range`);
      return null;
    }
    const hint = opts.hint ? `; ${opts.hint}` : '';
    if (opts.greaterThan !== undefined && !(n > opts.greaterThan)) {
      this.error(field, `must be greater than ${opts.greaterThan}, got ${n}${hint}`);
      return null;
    }
    if (opts.min !== undefined && n < opts.min) {
      this.error(
        field,
        `must not be ${opts.min === 0 ? 'negative' : `below ${opts.min}`}, got ${n}${hint}`,
      );
      return null;
    }
    if (opts.integer && !Number.isInteger(n)) {
      this.error(field, `must be a whole number, got ${n}`);
      return null;
    }
    return n;
  }

  boolean(field: string): boolean | null {
    const raw = this.raw(field);
    if (raw === null) return null;
    const v = raw.trim().toLowerCase();
    if (['true', 'yes', 'y', '1', 'active', 'enabled', 'on'].includes(v)) return true;
    if (['false', 'no', 'n', '0', 'inactive', 'disabled', 'off', 'draft', 'archived'].includes(v))
      return false;
    this.error(field, `"${raw}" is not yes/no (use true/false, yes/no, 1/0 or active/archived)`);
    return null;
  }

  /**
   * A date or date-time as an ISO string: a real instant (`instant`, naive times in the
   * business's time zone) or business-local wall time written as UTC (`wall`). An
   * ambiguous numeric date is staged with both readings under `path`.
   */
  date(
    field: string,
    mode: TimeMode,
    path: string,
    opts: { required?: boolean } = {},
  ): string | AmbiguousDate | null {
    const raw = this.raw(field);
    if (raw === null) {
      if (opts.required) this.error(field, 'is empty; a date is required');
      return null;
    }
    const p = parseDate(raw, this.ctx.dateOrder);
    const convert = (w: WallTime) =>
      (mode === 'instant'
        ? toInstant(w, this.ctx.timeZone)
        : toLocalWallAsUtc(w, this.ctx.timeZone)
      ).toISOString();
    switch (p.kind) {
      case 'error':
        this.error(field, p.reason);
        return null;
      case 'ok':
        if (p.evidence) this.ctx.onDateEvidence(p.evidence, this.header(field), raw.trim());
        return convert(p.value);
      case 'ambiguous':
        this.ambiguous.push(path);
        return { '?': [convert(p.mdy), convert(p.dmy)], raw: raw.trim(), col: this.header(field) };
    }
  }
}
