import { readFile } from 'node:fs/promises';

/** A CSV read into numeric columns: empty or non-numeric cells become NaN (the engine names them). */
export interface NumericCsv {
  columns: Record<string, number[]>;
  header: string[];
  rows: number;
}

/**
 * Parses CSV text (RFC 4180: quoted fields, doubled quotes, CRLF) into numeric columns.
 * `true`/`false`/`yes`/`no` read as 1/0; other non-numbers and empty cells as NaN.
 *
 * @example
 * parseNumericCsv('t,y\n1,2.5\n0,1\n').columns.y; // [2.5, 1]
 */
export function parseNumericCsv(text: string): NumericCsv {
  const records = parseCsvRecords(text);
  const header = (records.shift() ?? []).map((h) => h.trim());
  if (header.length === 0 || header.every((h) => h === ''))
    throw new Error('the CSV has no header row');
  const columns: Record<string, number[]> = {};
  for (const h of header) columns[h] = [];
  let rows = 0;
  for (const rec of records) {
    if (rec.length === 1 && rec[0]?.trim() === '') continue;
    if (rec.length !== header.length)
      throw new Error(
        `CSV row ${rows + 2} has ${rec.length} fields; the header has ${header.length}`,
      );
    header.forEach((h, j) => (columns[h] as number[]).push(toNumber(rec[j] as string)));
    rows++;
  }
  return { columns, header, rows };
}

/**
 * Reads and parses a CSV file.
 *
 * @example
 * const { columns } = await readNumericCsv('data.csv');
 */
export async function readNumericCsv(path: string): Promise<NumericCsv> {
  return parseNumericCsv(await readFile(path, 'utf8'));
}

function toNumber(cell: string): number {
  const s = cell.trim();
  if (s === '') return NaN;
  const lower = s.toLowerCase();
  if (lower === 'true' || lower === 'yes') return 1;
  if (lower === 'false' || lower === 'no') return 0;
  return Number(s);
}

/** Splits CSV text into records of raw fields. */
function parseCsvRecords(text: string): string[][] {
  const out: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  for (let i = 0; i < src.length; i++) {
    const ch = src[i];
    if (quoted) {
      if (ch === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      record.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && src[i + 1] === '\n') i++;
      record.push(field);
      out.push(record);
      record = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || record.length > 0) {
    record.push(field);
    out.push(record);
  }
  return out;
}
