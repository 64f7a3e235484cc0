import { randomUUID } from 'node:crypto';
import { getTenant } from '../accounts/repo.js';
import { AppError, notFound } from '../../platform/errors/app-error.js';
import { registerErrorCodes } from '../../platform/errors/codes.js';
import type { Database } from '../../platform/db/types.js';
import type { JobQueue } from '../../platform/jobs/queue.js';
import type { JobRow } from '../../platform/jobs/repo.js';
import { withTenant, type TenantTx } from '../../platform/tenancy/context.js';
import type { Delimiter } from './csv/dialect.js';
import { csvCell, type DateOrder, type DecimalSeparator } from './csv/values.js';
import { commitStaged } from './commit.js';
import type { ImportKind } from './kinds.js';
import * as repo from './repo.js';
import { IMPORT_COMMIT_TASK, type CommitJobPayload } from './task.js';
import { DEFAULT_MAX_BYTES, sizeText, UploadValidator, type UploadProgress } from './validate.js';

registerErrorCodes({
  import_invalid: { status: 422, title: 'The import has errors and cannot be committed' },
});

/** Imports with more data rows than this commit in a background job (202) instead of inline. */
export const INLINE_COMMIT_MAX_ROWS = 5_000;
/** Errors returned inline with an import; all of them are in the errors.csv report. */
export const INLINE_ERRORS = 100;

export interface ImportsServiceDeps {
  db: Database;
  /** Absent in the CLI, which always commits inline. */
  jobs: JobQueue | null;
  maxBytes?: number;
  inlineCommitMaxRows?: number;
}

export interface UploadRequest {
  kind: ImportKind;
  fileName: string;
  source: AsyncIterable<Uint8Array>;
  /** Size of the upload when known (Content-Length, file size), for progress. */
  expectedBytes: number | null;
  mapping: Record<string, string | null>;
  dateFormat: DateOrder | null;
  delimiter: Delimiter | null;
  decimal: DecimalSeparator | null;
  /** Validate only (default); false = validate, then commit when valid. */
  dryRun: boolean;
  createdBy: string | null;
  onUploadProgress?: (p: UploadProgress) => void;
  onCommitProgress?: (fraction: number, message: string) => void;
  /** Commit inline whatever the size (the CLI). */
  forceInline?: boolean;
}

export interface ImportOutcome {
  import: repo.ImportRow;
  /** The first errors, by row. */
  errors: repo.StagedError[];
  /** The commit job, when the commit runs in the background. */
  job: JobRow | null;
}

/**
 * CSV imports: upload (streamed into staging and validated), commit (all or nothing, inline
 * or as a job), status, and the error report. The HTTP routes and the CLI both use it.
 */
export class ImportsService {
  private readonly maxBytes: number;
  private readonly inlineMax: number;

  constructor(private readonly deps: ImportsServiceDeps) {
    this.maxBytes = deps.maxBytes ?? DEFAULT_MAX_BYTES;
    this.inlineMax = deps.inlineCommitMaxRows ?? INLINE_COMMIT_MAX_ROWS;
  }

  get maxUploadBytes(): number {
    return this.maxBytes;
  }

  private tx<T>(tenantId: string, fn: (tx: TenantTx) => Promise<T>): Promise<T> {
    return withTenant(this.deps.db, tenantId, fn);
  }

  async upload(tenantId: string, req: UploadRequest): Promise<ImportOutcome> {
    const id = randomUUID();
    const timeZone = await this.tx(
      tenantId,
      async (tx) => (await getTenant(tx))?.timezone ?? 'UTC',
    );
    await this.tx(tenantId, (tx) =>
      repo.insertImport(tx, {
        id,
        kind: req.kind,
        fileName: req.fileName.slice(0, 255),
        expectedBytes: req.expectedBytes,
        options: {
          mapping: Object.keys(req.mapping).length ? req.mapping : undefined,
          dateFormat: req.dateFormat ?? undefined,
          delimiter: req.delimiter ?? undefined,
          decimal: req.decimal ?? undefined,
          dryRun: req.dryRun,
        },
        createdBy: req.createdBy,
      }),
    );
    let bytes = 0;
    const validator = new UploadValidator(
      id,
      {
        kind: req.kind,
        mapping: req.mapping,
        dateFormat: req.dateFormat,
        delimiter: req.delimiter,
        decimal: req.decimal,
        timeZone,
        expectedBytes: req.expectedBytes,
        maxBytes: this.maxBytes,
      },
      (fn) => this.tx(tenantId, fn),
      (p) => {
        bytes = p.bytes;
        req.onUploadProgress?.(p);
      },
    );
    let outcome;
    try {
      outcome = await validator.run(req.source);
    } catch (err) {
      const code = (err as { code?: string }).code;
      const tooLarge =
        code === 'FST_REQ_FILE_TOO_LARGE' ||
        (err instanceof AppError && err.code === 'payload_too_large');
      const reason = tooLarge
        ? `the file is larger than the ${sizeText(this.maxBytes)} an import accepts; split it`
        : `the upload did not complete: ${err instanceof Error ? err.message : String(err)}`;
      await this.tx(tenantId, (tx) => repo.markUploadFailed(tx, id, reason, bytes)).catch(
        () => undefined,
      );
      if (tooLarge)
        throw new AppError('payload_too_large', reason, { importId: id }, { cause: err });
      throw err;
    }
    const warnings = [...outcome.warnings];
    let duplicateOf: string | null = null;
    if (outcome.status === 'validated') {
      const same = await this.tx(tenantId, (tx) =>
        repo.findCommittedSameFile(tx, id, req.kind, outcome.sha256),
      );
      if (same) {
        duplicateOf = same.id;
        warnings.push(
          `this file is identical (same SHA-256) to import ${same.id}, committed ${same.committed_at?.toISOString()}; committing it again changes nothing`,
        );
      }
    }
    const row = await this.tx(tenantId, (tx) =>
      repo.finishValidation(tx, id, { ...outcome, warnings, duplicateOf }),
    );
    if (!req.dryRun && row.status === 'validated') {
      return this.commit(tenantId, id, {
        createdBy: req.createdBy,
        forceInline: req.forceInline ?? false,
        ...(req.onCommitProgress ? { onProgress: req.onCommitProgress } : {}),
      });
    }
    return { import: row, errors: await this.firstErrors(tenantId, id), job: null };
  }

  private firstErrors(tenantId: string, id: string): Promise<repo.StagedError[]> {
    return this.tx(tenantId, (tx) => repo.firstErrors(tx, id, INLINE_ERRORS));
  }

  /**
   * Commits a validated import: inline when small (or `forceInline`), else as a job. Committing
   * a committed import again returns it unchanged.
   */
  async commit(
    tenantId: string,
    id: string,
    opts: {
      createdBy: string | null;
      forceInline?: boolean;
      onProgress?: (fraction: number, message: string) => void;
    },
  ): Promise<ImportOutcome> {
    const imp = await this.tx(tenantId, (tx) => repo.getImport(tx, id));
    if (!imp) throw notFound(`import ${id}`);
    switch (imp.status) {
      case 'committed':
        return { import: imp, errors: [], job: null };
      case 'invalid': {
        const errors = await this.firstErrors(tenantId, id);
        throw new AppError(
          'import_invalid',
          `the file has ${imp.error_count} error${imp.error_count === 1 ? '' : 's'}; nothing was written. Fix them and upload the file again (report: /v1/imports/${id}/errors.csv)`,
          {
            importId: id,
            errorCount: imp.error_count,
            errors: errors.slice(0, 20).map(problemError),
          },
        );
      }
      case 'committing':
        throw new AppError(
          'conflict',
          `import ${id} is being committed${imp.job_id ? ` by job ${imp.job_id}` : ''}`,
        );
      case 'receiving':
        throw new AppError('conflict', `import ${id} is still receiving its file`);
      case 'failed':
        throw new AppError(
          'conflict',
          `import ${id} failed (${imp.failure}); upload the file again`,
        );
      case 'validated':
        break;
    }
    const jobs = this.deps.jobs;
    if (jobs && !opts.forceInline && imp.row_count > this.inlineMax) {
      const claimed = await this.tx(tenantId, (tx) =>
        repo.claimForCommit(tx, id, ['validated'], null),
      );
      if (!claimed) throw new AppError('conflict', `import ${id} changed state; fetch it again`);
      let job: JobRow;
      try {
        job = await jobs.enqueue<CommitJobPayload>(
          tenantId,
          IMPORT_COMMIT_TASK,
          { importId: id, progressWhileWriting: this.deps.db.kind === 'server' },
          { dedupeKey: `import:${id}`, createdBy: opts.createdBy },
        );
      } catch (err) {
        await this.tx(tenantId, (tx) =>
          repo.markCommitFailed(tx, id, 'could not queue the commit'),
        );
        throw err;
      }
      const row = await this.tx(tenantId, async (tx) => {
        await repo.setJob(tx, id, job.id);
        return (await repo.getImport(tx, id))!;
      });
      return { import: row, errors: [], job };
    }
    const row = await commitStaged((fn) => this.tx(tenantId, fn), id, {
      allowed: ['validated'],
      ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    });
    return { import: row, errors: [], job: null };
  }

  async get(tenantId: string, id: string): Promise<ImportOutcome> {
    const imp = await this.tx(tenantId, (tx) => repo.getImport(tx, id));
    if (!imp) throw notFound(`import ${id}`);
    return {
      import: imp,
      errors: imp.error_count ? await this.firstErrors(tenantId, id) : [],
      job: null,
    };
  }

  list(
    tenantId: string,
    q: {
      kind: ImportKind | null;
      status: repo.ImportStatus | null;
      limit: number;
      before: Date | null;
    },
  ): Promise<repo.ImportRow[]> {
    return this.tx(tenantId, (tx) => repo.listImports(tx, q));
  }

  /** The error report as CSV (cells that look like formulas are escaped). */
  async errorsCsv(tenantId: string, id: string): Promise<{ fileName: string; csv: string }> {
    return this.tx(tenantId, async (tx) => {
      const imp = await repo.getImport(tx, id);
      if (!imp) throw notFound(`import ${id}`);
      const lines = ['row,line,column,value,reason'];
      let after = 0;
      for (;;) {
        const page = await repo.listErrors(tx, id, after, 2_000);
        if (!page.length) break;
        after = page.at(-1)!.seq;
        for (const e of page)
          lines.push([e.row, e.line, e.column, e.value, e.reason].map(csvCell).join(','));
      }
      const base = imp.file_name.replace(/\.[^.]*$/, '').replace(/[^\w.-]+/g, '_') || 'import';
      return { fileName: `${base}-errors.csv`, csv: `${lines.join('\r\n')}\r\n` };
    });
  }
}

/** An error as a problem+json field error: path `row 12, column "Price"`. */
export function problemError(e: repo.StagedError): { path: string; message: string } {
  const where = [
    e.row !== null ? `row ${e.row}` : 'file',
    e.column !== null ? `column "${e.column}"` : null,
  ]
    .filter(Boolean)
    .join(', ');
  return { path: where, message: e.reason };
}
