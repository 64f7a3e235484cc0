/**
 * Header → field mapping. Each import kind declares its fields with synonyms (as exported
 * by Shopify, Square, QuickBooks, Xero, spreadsheets); headers are compared normalised
 * (case, accents, spaces and punctuation ignored). A `mapping` the user passes
 * (`{ "orderId": "Bestellnummer" }`, or `null` to leave a field unmapped) wins.
 */

export interface FieldSpec {
  name: string;
  /** A header for it must exist (else the file is refused at row 1). */
  required: boolean;
  /** Normalised header spellings, most specific first. */
  synonyms: string[];
  description: string;
}

export interface HeaderIssue {
  column: string | null;
  reason: string;
}

export interface MappingResult {
  /** field → column index. */
  columns: Map<string, number>;
  /** field → header text, as reported back. */
  mapping: Record<string, string>;
  errors: HeaderIssue[];
  warnings: string[];
}

/** "Order ID", "order_id", "Order #" → "orderid"; "Café" → "cafe". */
export function normaliseHeader(header: string): string {
  return header
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/#/g, 'number')
    .replace(/[^a-z0-9]+/g, '');
}

/**
 * Maps `headers` onto `fields`. Auto-detection takes, for each field in declaration order,
 * the first synonym present among the headers not yet taken; `override` replaces it.
 *
 * @example
 * mapHeaders(['Name', 'Created at', 'Lineitem quantity'], ORDER_FIELDS, {}).mapping.orderId // 'Name'
 */
export function mapHeaders(
  headers: string[],
  fields: readonly FieldSpec[],
  override: Record<string, string | null>,
): MappingResult {
  const errors: HeaderIssue[] = [];
  const warnings: string[] = [];
  const norm = headers.map(normaliseHeader);
  const columns = new Map<string, number>();
  const taken = new Set<number>();
  const known = new Set(fields.map((f) => f.name));

  for (const [field, header] of Object.entries(override)) {
    if (!known.has(field)) {
      errors.push({
        column: null,
        reason: `mapping names an unknown field "${field}"; fields of this kind: ${[...known].join(', ')}`,
      });
      continue;
    }
    if (header === null) continue;
    const exact = headers.findIndex((h) => h.trim() === header.trim());
    const idx = exact >= 0 ? exact : norm.indexOf(normaliseHeader(header));
    if (idx < 0) {
      errors.push({
        column: header,
        reason: `mapping sends "${field}" to column "${header}", which the header row does not have`,
      });
      continue;
    }
    columns.set(field, idx);
    taken.add(idx);
  }

  for (const f of fields) {
    if (f.name in override) continue;
    for (const syn of f.synonyms) {
      const idx = norm.findIndex((h, i) => h === syn && !taken.has(i));
      if (idx >= 0) {
        columns.set(f.name, idx);
        taken.add(idx);
        break;
      }
    }
  }

  // A header that appears twice is only a problem when one of the copies is used.
  const seen = new Map<string, number>();
  norm.forEach((h, i) => {
    if (!h) return;
    const first = seen.get(h);
    if (first === undefined) {
      seen.set(h, i);
      return;
    }
    const usedBy = [...columns].find(([, c]) => c === first || c === i)?.[0];
    if (usedBy) {
      errors.push({
        column: headers[i]!,
        reason: `column "${headers[i]}" appears twice (columns ${first + 1} and ${i + 1}), so "${usedBy}" is ambiguous; rename one or pass a mapping`,
      });
    } else {
      warnings.push(
        `column "${headers[i]}" appears twice (columns ${first + 1} and ${i + 1}); both are ignored`,
      );
    }
  });

  for (const f of fields) {
    if (f.required && !columns.has(f.name) && override[f.name] !== null) {
      errors.push({
        column: null,
        reason: `no column for required field "${f.name}" (${f.description}); looked for headers like ${f.synonyms
          .slice(0, 4)
          .map((s) => `"${s}"`)
          .join(
            ', ',
          )}. Found: ${headers.map((h) => `"${h}"`).join(', ')}. Rename the column or pass mapping={"${f.name}":"<your header>"}`,
      });
    } else if (f.required && override[f.name] === null) {
      errors.push({ column: null, reason: `field "${f.name}" is required and cannot be unmapped` });
    }
  }

  const unused = headers.filter((h, i) => h.trim() && ![...columns.values()].includes(i));
  if (unused.length)
    warnings.push(`columns not imported: ${unused.map((h) => `"${h}"`).join(', ')}`);

  const mapping: Record<string, string> = {};
  for (const [field, idx] of columns) mapping[field] = headers[idx]!;
  return { columns, mapping, errors, warnings };
}
