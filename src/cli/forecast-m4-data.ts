/**
 * Reading and writing M4's wide CSV format: a header row, then one row per series with the id
 * in the first column and values after it; short rows are padded with empty fields ("").
 */

/** One series of an M4-format file. */
export interface WideSeries {
  id: string;
  values: number[];
}

const unquote = (s: string): string => s.trim().replace(/^"(.*)"$/, '$1');

/**
 * Parses an M4-format wide CSV. Empty fields end a row; any non-numeric field is an error that
 * names the row and column.
 *
 * @example
 * parseWideCsv('"V1","V2","V3"\n"W1","1","2"\n'); // [{ id: 'W1', values: [1, 2] }]
 */
export function parseWideCsv(text: string): WideSeries[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const out: WideSeries[] = [];
  lines.slice(1).forEach((line, row) => {
    const cells = line.split(',').map(unquote);
    const id = cells[0] ?? '';
    const values: number[] = [];
    for (let c = 1; c < cells.length; c++) {
      const cell = cells[c] as string;
      if (cell === '' || cell === 'NA') continue;
      const v = Number(cell);
      if (!Number.isFinite(v))
        throw new Error(`row ${row + 2} (${id}), column ${c + 1}: "${cell}" is not a number`);
      values.push(v);
    }
    out.push({ id, values });
  });
  return out;
}

/**
 * Formats series as an M4-style wide CSV with columns `id,F1..FH`.
 *
 * @example
 * formatWideCsv([{ id: 'W1', values: [1.5, 2] }]); // 'id,F1,F2\nW1,1.5,2\n'
 */
export function formatWideCsv(rows: readonly WideSeries[]): string {
  const width = Math.max(0, ...rows.map((r) => r.values.length));
  const header = ['id', ...Array.from({ length: width }, (_, i) => `F${i + 1}`)].join(',');
  const body = rows.map((r) =>
    [r.id, ...r.values.map((v) => String(Number(v.toPrecision(10))))].join(','),
  );
  return [header, ...body].join('\n') + '\n';
}
