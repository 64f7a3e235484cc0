/**
 * Delimiter sniffing: which of `,` `;` tab `|` splits the first records of the file into
 * the same number of fields as its header (quotes respected, quoted newlines included).
 */

export type Delimiter = ',' | ';' | '\t' | '|';
export const DELIMITERS: readonly Delimiter[] = [',', ';', '\t', '|'];

export interface SniffedDialect {
  delimiter: Delimiter;
  /** False when no candidate split the sample consistently (a one-column file, or a mess). */
  confident: boolean;
}

/** Field counts of the first `maxRecords` records of `sample` when split on `delimiter`. */
export function fieldCounts(sample: string, delimiter: string, maxRecords = 50): number[] {
  const counts: number[] = [];
  let fields = 1;
  let quoted = false;
  let atFieldStart = true;
  let nonEmpty = false;
  for (let i = 0; i < sample.length && counts.length < maxRecords; i++) {
    const c = sample[i]!;
    if (quoted) {
      if (c === '"') {
        if (sample[i + 1] === '"') i++;
        else quoted = false;
      }
      continue;
    }
    if (c === '"' && atFieldStart) {
      quoted = true;
      atFieldStart = false;
      nonEmpty = true;
      continue;
    }
    if (c === delimiter) {
      fields++;
      atFieldStart = true;
      nonEmpty = true;
      continue;
    }
    if (c === '\n' || c === '\r') {
      if (c === '\r' && sample[i + 1] === '\n') i++;
      if (nonEmpty) counts.push(fields);
      fields = 1;
      atFieldStart = true;
      nonEmpty = false;
      continue;
    }
    atFieldStart = false;
    nonEmpty = true;
  }
  return counts;
}

/**
 * Picks the delimiter whose split is most consistent with the header (ties: more fields).
 *
 * @example
 * sniffDelimiter('a;b;c\n1;2,5;3\n').delimiter // ';'
 */
export function sniffDelimiter(sample: string): SniffedDialect {
  let best: { d: Delimiter; score: number; fields: number } | null = null;
  for (const d of DELIMITERS) {
    const counts = fieldCounts(sample, d);
    if (!counts.length) continue;
    const header = counts[0]!;
    if (header < 2) continue;
    const rest = counts.slice(1);
    const agree = rest.length ? rest.filter((n) => n === header).length / rest.length : 1;
    const score = agree * 1000 + Math.min(header, 999);
    if (!best || score > best.score) best = { d, score, fields: header };
  }
  if (!best) return { delimiter: ',', confident: false };
  return { delimiter: best.d, confident: best.score >= 500 };
}
