import { createReadStream, statSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { getTenant } from '../modules/accounts/repo.js';
import { IMPORT_KINDS, type ImportKind } from '../modules/imports/kinds.js';
import { ImportsService, problemError } from '../modules/imports/service.js';
import type { Delimiter } from '../modules/imports/csv/dialect.js';
import type { DateOrder, DecimalSeparator } from '../modules/imports/csv/values.js';
import { AppError } from '../platform/errors/app-error.js';
import { ensureSchema, loadConfigOrExit, openRuntime } from '../platform/runtime/bootstrap.js';
import { isUuid, withTenant } from '../platform/tenancy/context.js';
import { parseCommandArgs } from './forecast-args.js';

const USAGE = `usage: dyocense import --tenant <tenant id> --kind ${IMPORT_KINDS.join('|')} --file <file.csv>
                        [--mapping '{"orderId":"Bestellnummer"}'] [--date-format DMY|MDY|YMD]
                        [--delimiter ,|;|tab|'|'] [--decimal .|,] [--dry-run] [--report errors.csv]

Validates the CSV (every row, streamed) and, unless --dry-run, commits it in one transaction
(all rows or none) to the configured database. Progress goes to stderr; the summary to stdout.
Exit codes: 0 done, 1 the file has errors (nothing written), 2 bad arguments.`;

const DELIMITERS: Record<string, Delimiter> = { ',': ',', ';': ';', tab: '\t', '|': '|' };

/** A progress bar on stderr (a line per 10% when stderr is not a terminal). */
class ProgressBar {
  private lastDecile = -1;
  private lastDraw = 0;
  constructor(private readonly tty: boolean) {}

  draw(fraction: number, label: string): void {
    const f = Math.min(1, Math.max(0, fraction));
    if (this.tty) {
      const now = Date.now();
      if (now - this.lastDraw < 100 && f < 1) return;
      this.lastDraw = now;
      const width = 30;
      const full = Math.round(f * width);
      process.stderr.write(
        `\r[${'#'.repeat(full)}${' '.repeat(width - full)}] ${(f * 100).toFixed(0).padStart(3)}% ${label}\x1b[K`,
      );
    } else {
      const decile = Math.floor(f * 10);
      if (decile === this.lastDecile) return;
      this.lastDecile = decile;
      process.stderr.write(`${(f * 100).toFixed(0)}% ${label}\n`);
    }
  }

  done(): void {
    if (this.tty) process.stderr.write('\n');
    this.lastDecile = -1;
  }
}

const mb = (n: number) => `${(n / 1048576).toFixed(1)} MB`;

/** `dyocense import …` — a CSV import from the command line, through the same service as the API. */
export async function run(args: string[]): Promise<number> {
  const values = parseCommandArgs(
    () =>
      parseArgs({
        args,
        strict: true,
        options: {
          tenant: { type: 'string' },
          kind: { type: 'string' },
          file: { type: 'string' },
          mapping: { type: 'string' },
          'date-format': { type: 'string' },
          delimiter: { type: 'string' },
          decimal: { type: 'string' },
          'dry-run': { type: 'boolean' },
          report: { type: 'string' },
          help: { type: 'boolean', short: 'h' },
        },
      }).values,
    USAGE,
  );
  if (typeof values === 'number') return values;
  const usage = (msg: string) => {
    console.error(`${msg}\n\n${USAGE}`);
    return 2;
  };
  if (!values.tenant || !isUuid(values.tenant)) return usage('--tenant must be a tenant id (UUID)');
  if (!values.kind || !IMPORT_KINDS.includes(values.kind as ImportKind))
    return usage(`--kind must be one of ${IMPORT_KINDS.join(', ')}`);
  if (!values.file) return usage('--file is required');
  let size: number;
  try {
    size = statSync(values.file).size;
  } catch {
    return usage(`cannot read ${values.file}`);
  }
  let mapping: Record<string, string | null> = {};
  if (values.mapping) {
    try {
      mapping = JSON.parse(values.mapping) as Record<string, string | null>;
      if (typeof mapping !== 'object' || mapping === null || Array.isArray(mapping))
        throw new Error('not an object');
    } catch {
      return usage('--mapping must be a JSON object of field → header');
    }
  }
  const dateFormat = values['date-format'];
  if (dateFormat && !['DMY', 'MDY', 'YMD'].includes(dateFormat))
    return usage('--date-format must be DMY, MDY or YMD');
  if (values.delimiter && !DELIMITERS[values.delimiter])
    return usage('--delimiter must be , ; tab or |');
  if (values.decimal && values.decimal !== '.' && values.decimal !== ',')
    return usage('--decimal must be . or ,');

  const config = loadConfigOrExit();
  const rt = await openRuntime(config, 'import');
  const bar = new ProgressBar(Boolean(process.stderr.isTTY));
  try {
    await ensureSchema(rt);
    const tenant = await withTenant(rt.db, values.tenant, (tx) => getTenant(tx));
    if (!tenant) {
      console.error(`no business with id ${values.tenant} in ${rt.db.description}`);
      return 2;
    }
    const service = new ImportsService({ db: rt.db, jobs: null });
    let phase: 'upload' | 'commit' = 'upload';
    const outcome = await service.upload(values.tenant, {
      kind: values.kind as ImportKind,
      fileName: basename(values.file),
      source: createReadStream(values.file, { highWaterMark: 256 * 1024 }),
      expectedBytes: size,
      mapping,
      dateFormat: (dateFormat as DateOrder | undefined) ?? null,
      delimiter: values.delimiter ? DELIMITERS[values.delimiter]! : null,
      decimal: (values.decimal as DecimalSeparator | undefined) ?? null,
      dryRun: Boolean(values['dry-run']),
      createdBy: null,
      forceInline: true,
      onUploadProgress: (p) =>
        bar.draw(size ? p.bytes / size : 0, `${mb(p.bytes)} / ${mb(size)} · ${p.rows} rows`),
      onCommitProgress: (f, message) => {
        if (phase === 'upload') {
          bar.done();
          phase = 'commit';
        }
        bar.draw(f, message);
      },
    });
    bar.done();
    const imp = outcome.import;
    console.log(`import ${imp.id} (${tenant.name}): ${imp.status}`);
    console.log(
      `  ${imp.row_count} rows, ${imp.record_count} records, ${imp.error_count} errors · ${imp.encoding ?? '?'} · delimiter ${JSON.stringify(imp.delimiter)} · decimal ${JSON.stringify(imp.decimal_separator)}${imp.date_format ? ` · dates ${imp.date_format}` : ''}`,
    );
    for (const w of imp.warnings) console.log(`  warning: ${w}`);
    if (imp.result) {
      const r = imp.result;
      console.log(
        `  inserted ${r.inserted}, updated ${r.updated}, unchanged ${r.unchanged}; ${r.derivedPoints} metric points derived${r.derivedDays ? ` for ${r.derivedDays.from} … ${r.derivedDays.to}` : ''} in ${r.seconds}s`,
      );
    }
    if (imp.status === 'invalid') {
      for (const e of outcome.errors.slice(0, 20)) {
        const p = problemError(e);
        console.log(`  ${p.path}: ${p.message}`);
      }
      if (imp.error_count > 20) console.log(`  … ${imp.error_count - 20} more`);
      if (values.report) {
        const report = await service.errorsCsv(values.tenant, imp.id);
        writeFileSync(values.report, report.csv);
        console.log(`  error report written to ${values.report}`);
      }
      console.log('nothing was written');
      return 1;
    }
    return 0;
  } catch (err) {
    bar.done();
    if (err instanceof AppError) {
      console.error(`dyocense import: ${err.message}`);
      return 1;
    }
    throw err;
  } finally {
    await rt.db.close();
  }
}
