import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { parse, type Parser } from 'csv-parse';
import { AppError } from '../../platform/errors/app-error.js';
import type { TenantTx } from '../../platform/tenancy/context.js';
import { SNIFF_BYTES, StreamDecoder, sniffEncoding, type SniffedEncoding } from './csv/decode.js';
import { fieldCounts, sniffDelimiter, DELIMITERS, type Delimiter } from './csv/dialect.js';
import { mapHeaders, type MappingResult } from './csv/mapping.js';
import { detectDecimal, type DateOrder, type DecimalSeparator } from './csv/values.js';
import { KINDS, type ImportKind, type KindSpec, type Payload } from './kinds.js';
import { isAmbiguous, RowReader, type AmbiguousDate } from './row-reader.js';
import * as repo from './repo.js';

/**
 * Streams one CSV upload through decoding, parsing and per-row validation into the staging
 * tables, in batches, so memory stays bounded whatever the file size; then runs the checks
 * that need the whole file (date order, duplicates, order lines that disagree) in SQL.
 */

export const DEFAULT_MAX_BYTES = 250 * 1024 * 1024;
/** Errors kept per import (all are counted). */
export const MAX_STORED_ERRORS = 10_000;
const BATCH_ROWS = 2_000;
const WARMUP_ROWS = 200;
const MAX_RECORD_BYTES = 1024 * 1024;
const PREVIEW_ROWS = 20;
const PROGRESS_EVERY_MS = 1_000;

/** "250 MB", "98 KB". */
export const sizeText = (bytes: number): string =>
  bytes >= 1048576 ? `${Math.round(bytes / 1048576)} MB` : `${Math.round(bytes / 1024)} KB`;

export interface ValidateOptions {
  kind: ImportKind;
  mapping: Record<string, string | null>;
  dateFormat: DateOrder | null;
  delimiter: Delimiter | null;
  decimal: DecimalSeparator | null;
  timeZone: string;
  expectedBytes: number | null;
  maxBytes: number;
}

export interface UploadProgress {
  bytes: number;
  totalBytes: number | null;
  rows: number;
}

export interface ValidationOutcome {
  status: 'invalid' | 'validated';
  sha256: string;
  sizeBytes: number;
  rowCount: number;
  recordCount: number;
  errorCount: number;
  warnings: string[];
  preview: { row: number; values: Payload }[];
  dateFormat: DateOrder | null;
}

type RunTx = <T>(fn: (tx: TenantTx) => Promise<T>) => Promise<T>;

interface PendingRow {
  row: number;
  key: string;
  payload: Payload;
  ambiguous: string[] | null;
}

/** The state of one upload's validation; `run` drives it. */
export class UploadValidator {
  private readonly spec: KindSpec;
  private readonly hash = createHash('sha256');
  private bytes = 0;
  private rows = 0;
  private errorCount = 0;
  private storedErrors = 0;
  private pendingRows: PendingRow[] = [];
  private pendingErrors: repo.StagedError[] = [];
  private inflight: Promise<void> | null = null;
  private readonly warnings: string[] = [];
  private encoding: SniffedEncoding | null = null;
  private delimiter: Delimiter = ',';
  private decimal: DecimalSeparator = '.';
  private mapping: MappingResult | null = null;
  private headers: string[] = [];
  private headerBroken = false;
  private parseBroken = false;
  private readonly evidence = {
    DMY: [] as { row: number; column: string; raw: string }[],
    MDY: [] as { row: number; column: string; raw: string }[],
    nDMY: 0,
    nMDY: 0,
  };
  private ambiguousRows = 0;
  private warmup: { record: string[]; row: number; line: number }[] | null = [];
  private recordNo = 0;
  private nextLine = 1;
  private headerRow = 1;
  private lastProgressAt = 0;

  constructor(
    private readonly importId: string,
    private readonly opts: ValidateOptions,
    private readonly runTx: RunTx,
    private readonly onProgress: (p: UploadProgress) => void,
  ) {
    this.spec = KINDS[opts.kind];
  }

  /** Consumes the whole upload; throws AppError('payload_too_large') past `maxBytes`. */
  async run(source: AsyncIterable<Uint8Array>): Promise<ValidationOutcome> {
    let sniffBuf: Uint8Array[] = [];
    let sniffLen = 0;
    let decoder: StreamDecoder | null = null;
    let parser: Parser | null = null;
    let consumer: Promise<void> | null = null;

    const feed = async (text: string) => {
      if (!text || this.parseBroken || (parser as Parser | null)?.destroyed) return;
      if (!parser) {
        this.delimiter = this.opts.delimiter ?? this.sniffDelimiter(text);
        parser = this.createParser();
        consumer = this.consume(parser);
        consumer.catch(() => undefined); // awaited below; this only marks it handled meanwhile
      }
      if (!parser.write(text)) {
        await Promise.race([once(parser, 'drain'), consumer!.then(() => undefined)]);
      }
    };
    const start = (prefix: Uint8Array) => {
      this.encoding = sniffEncoding(prefix.subarray(0, SNIFF_BYTES));
      if (this.encoding.notText) {
        this.fileError(this.encoding.notText);
        this.parseBroken = true;
      }
      if (this.encoding.warning) this.warnings.push(this.encoding.warning);
      decoder = new StreamDecoder(this.encoding.encoding, (offset) =>
        this.fileError(
          `the file is not valid UTF-8 at byte ${offset}: it mixes encodings; save it as "CSV UTF-8" and upload it again`,
        ),
      );
      return decoder.push(prefix.subarray(this.encoding.bomLength));
    };

    for await (const chunk of source) {
      this.bytes += chunk.length;
      if (this.bytes > this.opts.maxBytes) {
        throw new AppError(
          'payload_too_large',
          `the file is larger than the ${sizeText(this.opts.maxBytes)} an import accepts; split it`,
        );
      }
      this.hash.update(chunk);
      if (!decoder) {
        sniffBuf.push(chunk);
        sniffLen += chunk.length;
        if (sniffLen < SNIFF_BYTES) continue;
        const prefix = Buffer.concat(sniffBuf);
        sniffBuf = [];
        await feed(start(prefix));
      } else {
        await feed((decoder as StreamDecoder).push(chunk));
      }
      await this.maybeReportProgress();
    }
    if (!decoder) {
      const prefix = Buffer.concat(sniffBuf);
      sniffBuf = [];
      if (prefix.length === 0) {
        this.fileError('the file is empty');
        this.parseBroken = true;
      } else {
        await feed(start(prefix));
      }
    }
    if (decoder) await feed((decoder as StreamDecoder).end());
    if (parser) {
      if (!(parser as Parser).destroyed) (parser as Parser).end();
      await consumer;
    }
    return this.finish();
  }

  private sniffDelimiter(text: string): Delimiter {
    const sniffed = sniffDelimiter(text);
    if (!sniffed.confident) {
      this.warnings.push(
        `could not tell the delimiter for sure; used "${sniffed.delimiter === '\t' ? 'tab' : sniffed.delimiter}" (pass delimiter to choose)`,
      );
    }
    return sniffed.delimiter;
  }

  private createParser(): Parser {
    const parser = parse({
      delimiter: this.delimiter,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
      max_record_size: MAX_RECORD_BYTES,
      bom: false,
    });
    // Errors reach the consumer through iteration; this keeps a late one from going unhandled.
    parser.on('error', () => {});
    return parser;
  }

  private async consume(parser: Parser): Promise<void> {
    try {
      for await (const record of parser as AsyncIterable<string[]>) {
        // Rows as a spreadsheet numbers them (blank lines count); lines as an editor does.
        const row = ++this.recordNo;
        const line = this.nextLine;
        this.nextLine += 1;
        for (const cell of record)
          if (cell.includes('\n')) this.nextLine += cell.split('\n').length - 1;
        const empty = record.every((c) => c.trim() === ''); // a blank line, or ",,,"
        if (!this.headers.length) {
          if (!empty) {
            this.headerRow = row;
            this.readHeader(record);
          }
          continue;
        }
        if (empty) continue;
        this.rows++;
        if (this.warmup) {
          this.warmup.push({ record, row, line });
          if (this.warmup.length >= WARMUP_ROWS) await this.endWarmup();
          continue;
        }
        await this.handleRecord(record, row, line);
      }
    } catch (err) {
      const e = err as { code?: string; message?: string; lines?: number; records?: number };
      if (!e.code?.startsWith('CSV_')) throw err;
      this.parseBroken = true;
      const row = (e.records ?? this.recordNo) + 1;
      // The line is known when this consumer had caught up with the parser.
      const from = row === this.recordNo + 1 ? this.nextLine : null;
      const where = from ? ` at or after line ${from}` : '';
      const reason =
        e.code === 'CSV_MAX_RECORD_SIZE'
          ? `a row is larger than 1 MB: most likely a quote opened${where} is never closed; nothing after it can be read`
          : e.code === 'CSV_QUOTE_NOT_CLOSED'
            ? `a quoted value opened${where} is never closed; check the quotes around it`
            : e.code === 'CSV_INVALID_CLOSING_QUOTE'
              ? `broken quoting at line ${e.lines}: a quoted value is followed by more text before the delimiter; nothing after it can be read`
              : `the CSV cannot be read${e.lines ? ` at line ${e.lines}` : ''}: ${e.message}`;
      this.addError({
        row,
        line: e.code === 'CSV_INVALID_CLOSING_QUOTE' ? (e.lines ?? null) : from,
        column: null,
        value: null,
        reason,
      });
    }
    if (this.warmup) await this.endWarmup();
  }

  private readHeader(record: string[]): void {
    this.headers = record.map((h, i) => h.replace(/^\ufeff/, '').trim() || `column ${i + 1}`);
    const m = mapHeaders(this.headers, this.spec.fields, this.opts.mapping);
    this.mapping = m;
    const issues = [
      ...m.errors,
      ...(m.errors.length ? [] : this.spec.checkMapping(new Set(m.columns.keys()))),
    ];
    if (this.headers.length === 1) {
      const h = this.headers[0]!;
      const other = DELIMITERS.find(
        (d) => d !== this.delimiter && fieldCounts(`${h}\n`, d)[0]! > 1,
      );
      if (other) {
        issues.unshift({
          column: h,
          reason: `the header row is one single column when split on "${this.delimiter === '\t' ? 'tab' : this.delimiter}"; the file looks separated by "${other === '\t' ? 'tab' : other}" — pass delimiter=${other === '\t' ? 'tab' : other} or leave delimiter out to detect it`,
        });
      }
    }
    for (const i of issues)
      this.addError({
        row: this.headerRow,
        line: this.headerRow,
        column: i.column,
        value: null,
        reason: i.reason,
      });
    this.headerBroken = issues.length > 0;
    this.warnings.push(...m.warnings);
  }

  private async endWarmup(): Promise<void> {
    const rows = this.warmup ?? [];
    this.warmup = null;
    this.decimal = this.opts.decimal ?? this.detectDecimal(rows.map((r) => r.record));
    for (const r of rows) await this.handleRecord(r.record, r.row, r.line);
  }

  private detectDecimal(records: string[][]): DecimalSeparator {
    if (!this.mapping) return '.';
    const numeric = [
      'quantity',
      'unitPrice',
      'lineTotal',
      'unitCost',
      'discount',
      'tax',
      'shipping',
      'amount',
      'value',
      'onHand',
    ];
    const cols = numeric
      .map((f) => this.mapping!.columns.get(f))
      .filter((c): c is number => c !== undefined);
    const cells = records.flatMap((r) => cols.map((c) => r[c] ?? ''));
    const found = detectDecimal(cells);
    if (found) return found;
    return this.delimiter === ';' ? ',' : '.';
  }

  private async handleRecord(record: string[], row: number, line: number): Promise<void> {
    if (this.headerBroken || !this.mapping) return;
    const n = this.headers.length;
    if (record.length < n) {
      this.addError({
        row,
        line,
        column: null,
        value: null,
        reason: `the row has ${record.length} field${record.length === 1 ? '' : 's'} but the header has ${n}: a value or delimiter is missing${record.length === 1 ? ' (or the row uses another delimiter)' : ''}`,
      });
      return;
    }
    if (record.length > n && record.slice(n).some((c) => c.trim() !== '')) {
      this.addError({
        row,
        line,
        column: null,
        value: record.slice(n).join(this.delimiter).slice(0, 80),
        reason: `the row has ${record.length} fields but the header has ${n}: an unquoted "${this.delimiter}" inside a value? Quote values that contain the delimiter`,
      });
      return;
    }
    const reader = new RowReader(record, this.mapping.columns, this.headers, {
      timeZone: this.opts.timeZone,
      decimal: this.decimal,
      dateOrder: this.opts.dateFormat,
      onDateEvidence: (order, column, raw) => {
        const list = this.evidence[order];
        if (order === 'DMY') this.evidence.nDMY++;
        else this.evidence.nMDY++;
        if (list.length < 1000 && list.at(-1)?.row !== row) list.push({ row, column, raw });
      },
    });
    const payload = this.spec.read(reader);
    for (const e of reader.errors) this.addError({ row, line, ...e });
    if (!payload) return;
    const ambiguous = reader.ambiguous.length ? reader.ambiguous : null;
    if (ambiguous) this.ambiguousRows++;
    this.pendingRows.push({ row, key: this.spec.keyOf(payload), payload, ambiguous });
    if (this.pendingRows.length >= BATCH_ROWS) await this.flush();
  }

  private fileError(reason: string): void {
    this.addError({ row: null, line: null, column: null, value: null, reason });
  }

  private addError(e: repo.StagedError): void {
    this.errorCount++;
    if (this.storedErrors >= MAX_STORED_ERRORS) return;
    this.storedErrors++;
    this.pendingErrors.push(e);
  }

  private async maybeReportProgress(): Promise<void> {
    const now = Date.now();
    if (now - this.lastProgressAt < PROGRESS_EVERY_MS) return;
    this.lastProgressAt = now;
    this.onProgress({ bytes: this.bytes, totalBytes: this.opts.expectedBytes, rows: this.rows });
    await this.runTx((tx) => repo.recordProgress(tx, this.importId, this.progressFields()));
  }

  private progressFields() {
    const total = this.opts.expectedBytes;
    return {
      progress: total ? Math.min(0.99, this.bytes / total) * 0.9 : 0,
      message: `read ${this.rows} rows (${(this.bytes / 1048576).toFixed(1)} MB)`,
      sizeBytes: this.bytes,
      rowCount: this.rows,
    };
  }

  /**
   * Writes the pending rows and errors. The write runs while the next batch is parsed (at most
   * one in flight), so parsing and the database overlap; `settle` waits for it.
   */
  private async flush(): Promise<void> {
    await this.settle();
    const rows = this.pendingRows;
    const errors = this.pendingErrors;
    this.pendingRows = [];
    this.pendingErrors = [];
    if (!rows.length && !errors.length) return;
    const firstSeq = this.storedErrors - errors.length + 1;
    this.inflight = this.runTx(async (tx) => {
      await repo.insertStagedRows(tx, this.importId, rows);
      await repo.insertErrors(tx, this.importId, firstSeq, errors);
    });
    // Surfaced by the next settle(); keeps an early failure from going unhandled meanwhile.
    this.inflight.catch(() => undefined);
  }

  private async settle(): Promise<void> {
    const pending = this.inflight;
    this.inflight = null;
    if (pending) await pending;
  }

  private async finish(): Promise<ValidationOutcome> {
    if (this.encoding && !this.parseBroken && this.headers.length === 0)
      this.fileError('the file has no rows, only blank lines');
    else if (this.headers.length && this.rows === 0 && !this.parseBroken) {
      this.addError({
        row: this.headerRow,
        line: this.headerRow,
        column: null,
        value: null,
        reason: 'the file has a header row but no data rows',
      });
    }
    await this.flush();
    await this.settle();
    this.onProgress({ bytes: this.bytes, totalBytes: this.bytes, rows: this.rows });
    await this.runTx((tx) =>
      repo.recordProgress(tx, this.importId, {
        progress: 0.92,
        message: 'checking the whole file (dates, duplicates)',
        sizeBytes: this.bytes,
        rowCount: this.rows,
      }),
    );
    if (this.encoding && this.mapping) {
      await this.runTx((tx) =>
        repo.setDetected(tx, this.importId, {
          encoding: this.encoding!.encoding + (this.encoding!.bom ? ' (BOM)' : ''),
          delimiter: this.delimiter,
          decimal: this.decimal,
          headers: this.headers,
          mapping: this.mapping!.mapping,
        }),
      );
    }
    const dateFormat = await this.resolveDates();
    await this.wholeFileChecks();
    await this.flush();
    await this.settle();
    const sha256 = this.hash.digest('hex');
    const { preview, records } = await this.runTx(async (tx) => ({
      preview: await repo.previewRows(tx, this.importId, PREVIEW_ROWS),
      records: (await repo.countRecords(tx, this.importId)).records,
    }));
    if (this.errorCount > this.storedErrors) {
      this.warnings.push(
        `${this.errorCount} errors found; the first ${this.storedErrors} are kept in the report`,
      );
    }
    return {
      status: this.errorCount > 0 ? 'invalid' : 'validated',
      sha256,
      sizeBytes: this.bytes,
      rowCount: this.rows,
      recordCount: this.errorCount > 0 ? 0 : records,
      errorCount: this.errorCount,
      warnings: this.warnings,
      preview: this.errorCount > 0 ? preview.slice(0, 5) : preview,
      dateFormat,
    };
  }

  /**
   * Settles the date order over the whole file: the user's, else the one the unambiguous
   * dates show. Dates that read two ways are rewritten with it; when nothing shows the order
   * they become errors asking for `dateFormat`; dates contradicting the majority are errors.
   */
  private async resolveDates(): Promise<DateOrder | null> {
    if (this.opts.dateFormat) return this.opts.dateFormat;
    const { nDMY, nMDY } = this.evidence;
    let order: 'DMY' | 'MDY' | null = null;
    if (nDMY || nMDY) {
      order = nDMY >= nMDY ? 'DMY' : 'MDY';
      const minority = order === 'DMY' ? this.evidence.MDY : this.evidence.DMY;
      const example = (order === 'DMY' ? this.evidence.DMY : this.evidence.MDY)[0];
      const name = (o: string) => (o === 'DMY' ? 'day/month/year' : 'month/day/year');
      for (const m of minority) {
        this.addError({
          row: m.row,
          line: null,
          column: m.column,
          value: m.raw,
          reason: `"${m.raw}" only reads as ${name(order === 'DMY' ? 'MDY' : 'DMY')}, but the other dates in this file are ${name(order)} (e.g. row ${example?.row}: "${example?.raw}"); fix the date or pass dateFormat`,
        });
      }
      if (nDMY && nMDY) await this.flush();
    }
    if (!this.ambiguousRows) return order;
    let after = 0;
    for (;;) {
      const page = await this.runTx((tx) =>
        repo.pageAmbiguous(tx, this.importId, after, BATCH_ROWS),
      );
      if (!page.length) break;
      after = page.at(-1)!.row_no;
      if (order) {
        const idx = order === 'MDY' ? 0 : 1;
        const rewritten = page.map((r) => {
          const payload = structuredClone(r.payload);
          for (const path of r.ambiguous)
            setPath(payload, path, (v) => (isAmbiguous(v) ? v['?'][idx] : v));
          return { row: r.row_no, key: this.spec.keyOf(payload), payload };
        });
        await this.runTx((tx) => repo.rewriteRows(tx, this.importId, rewritten));
      } else {
        for (const r of page) {
          for (const path of r.ambiguous) {
            const v = getPath(r.payload, path) as AmbiguousDate;
            this.addError({
              row: r.row_no,
              line: null,
              column: v.col,
              value: v.raw,
              reason: `"${v.raw}" is ambiguous: it could be day/month or month/day, and no date in the file settles it; pass dateFormat=DMY or dateFormat=MDY`,
            });
          }
        }
        await this.flush();
      }
    }
    return order;
  }

  private async wholeFileChecks(): Promise<void> {
    if (this.headerBroken || this.parseBroken || this.storedErrors >= MAX_STORED_ERRORS) return;
    const room = MAX_STORED_ERRORS - this.storedErrors;
    const dups = await this.runTx((tx) =>
      repo.findDuplicates(tx, this.importId, this.spec.sameKey === 'group', room),
    );
    for (const d of dups) {
      this.addError({
        row: d.row_no,
        line: null,
        column: null,
        value: null,
        reason:
          this.spec.sameKey === 'group'
            ? `duplicate line: the same as row ${d.first_row} of ${this.spec.describe(d.key)}; remove it, or map a line id column if both are real`
            : `duplicate: ${this.spec.describe(d.key)} is also on row ${d.first_row}; keep one row per ${this.spec.kind === 'expenses' && !d.key.startsWith('row:') ? 'expense id' : 'record'}${this.spec.kind === 'expenses' && d.key.startsWith('row:') ? ' (if both are real, add an id column)' : ''}`,
      });
    }
    if (this.spec.sameKey === 'group') {
      const conflicts = await this.runTx((tx) =>
        repo.findOrderConflicts(tx, this.importId, MAX_STORED_ERRORS - this.storedErrors),
      );
      const header = (field: string) => this.mapping?.mapping[field] ?? field;
      for (const c of conflicts) {
        this.addError({
          row: c.row_no,
          line: null,
          column: header(c.field),
          value: typeof c.value === 'string' ? c.value : JSON.stringify(c.value),
          reason: `${this.spec.describe(c.key)} has ${JSON.stringify(c.value)} here but ${JSON.stringify(c.first_value)} on row ${c.first_row}; all lines of an order must agree on ${header(c.field)}`,
        });
      }
    }
  }
}

function getPath(obj: Payload, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o as Payload | undefined)?.[k], obj);
}

function setPath(obj: Payload, path: string, fn: (v: unknown) => unknown): void {
  const keys = path.split('.');
  const last = keys.pop()!;
  const parent = keys.reduce<Payload>((o, k) => o[k] as Payload, obj);
  parent[last] = fn(parent[last]);
}
