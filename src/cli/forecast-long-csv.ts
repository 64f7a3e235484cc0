/**
 * The long CSV format of `dyocense forecast`: a header with `series_id,date,value` (any column
 * order, extra columns ignored), one observation per row.
 */

/** Observations of one series, in file order. */
export interface LongSeries {
  id: string;
  dates: string[];
  values: (number | null)[];
}

/** Splits one CSV line, honouring double quotes (""-escaped). */
function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((s) => s.trim());
}

/**
 * Parses a long CSV into series. Empty, `NA`, `NaN` and `null` values become missing (the
 * engine imputes them); other non-numbers are an error naming the line.
 *
 * @example
 * parseLongCsv('series_id,date,value\nA,2024-01-01,5\nA,2024-01-02,\n');
 * // [{ id: 'A', dates: ['2024-01-01', '2024-01-02'], values: [5, null] }]
 */
export function parseLongCsv(text: string): LongSeries[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = splitCsvLine(lines[0] ?? '').map((h) => h.toLowerCase());
  const col = (name: string): number => {
    const i = header.indexOf(name);
    if (i < 0)
      throw new Error(
        `the CSV header must contain series_id, date and value (found: ${header.join(', ') || 'nothing'})`,
      );
    return i;
  };
  const [ci, cd, cv] = [col('series_id'), col('date'), col('value')];
  const byId = new Map<string, LongSeries>();
  lines.slice(1).forEach((line, k) => {
    const cells = splitCsvLine(line);
    const id = cells[ci] ?? '';
    const date = cells[cd] ?? '';
    const raw = cells[cv] ?? '';
    if (!id || !date) throw new Error(`line ${k + 2}: series_id and date are required`);
    let value: number | null = null;
    if (!['', 'na', 'nan', 'null'].includes(raw.toLowerCase())) {
      value = Number(raw);
      if (Number.isNaN(value)) throw new Error(`line ${k + 2}: value "${raw}" is not a number`);
    }
    let s = byId.get(id);
    if (!s) byId.set(id, (s = { id, dates: [], values: [] }));
    s.dates.push(date);
    s.values.push(value);
  });
  return [...byId.values()];
}

/**
 * Quotes a CSV field when it needs it.
 *
 * @example
 * csvField('a,b'); // '"a,b"'
 */
export function csvField(v: string | number): string {
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
