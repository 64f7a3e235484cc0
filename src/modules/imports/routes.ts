import multipart from '@fastify/multipart';
import { Type } from '@sinclair/typebox';
import { jobView } from '../jobs/routes.js';
import type { ApiApp } from '../../platform/http/api-app.js';
import { AppError } from '../../platform/errors/app-error.js';
import type { Database } from '../../platform/db/types.js';
import type { JobQueue } from '../../platform/jobs/queue.js';
import { IdParams } from '../../platform/http/schemas.js';
import type { Delimiter } from './csv/dialect.js';
import type { DateOrder, DecimalSeparator } from './csv/values.js';
import { IMPORT_KINDS, type ImportKind } from './kinds.js';
import * as s from './schemas.js';
import { ImportsService, type ImportOutcome } from './service.js';
import { importView } from './views.js';

export interface ImportsRouteDeps {
  db: Database;
  jobs: JobQueue;
  /** Largest accepted file (default 250 MB). */
  maxBytes?: number;
}

const FIELD_NAMES = ['kind', 'mapping', 'dateFormat', 'delimiter', 'decimal', 'dryRun'] as const;

const bad = (path: string, message: string) =>
  new AppError('validation_failed', `${path} ${message}`, { errors: [{ path, message }] });

interface UploadOptions {
  kind: ImportKind;
  mapping: Record<string, string | null>;
  dateFormat: DateOrder | null;
  delimiter: Delimiter | null;
  decimal: DecimalSeparator | null;
  dryRun: boolean;
}

/** Options from the query string and the multipart fields sent before the file (fields win). */
function uploadOptions(
  query: Record<string, unknown>,
  fields: Record<string, string>,
): UploadOptions {
  const get = (k: string): unknown => fields[k] ?? query[k];
  const kind = get('kind');
  if (kind === undefined) {
    throw bad(
      '/body/kind',
      `is required (${IMPORT_KINDS.join(', ')}); send it before the file part, or in the query string`,
    );
  }
  if (!IMPORT_KINDS.includes(kind as ImportKind))
    throw bad('/body/kind', `must be one of ${IMPORT_KINDS.join(', ')}`);
  let mapping: Record<string, string | null> = {};
  const m = get('mapping');
  if (m !== undefined && m !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(String(m));
    } catch {
      throw bad('/body/mapping', 'is not valid JSON (expected {"field": "Header", …})');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw bad('/body/mapping', 'must be a JSON object of field → header');
    }
    for (const [k, v] of Object.entries(parsed)) {
      if (v !== null && typeof v !== 'string')
        throw bad(`/body/mapping/${k}`, 'must be a header name or null');
    }
    mapping = parsed as Record<string, string | null>;
  }
  const dateFormat = get('dateFormat');
  if (dateFormat !== undefined && !['DMY', 'MDY', 'YMD'].includes(String(dateFormat))) {
    throw bad('/body/dateFormat', 'must be DMY, MDY or YMD');
  }
  const delimiter = get('delimiter');
  const delimiters: Record<string, Delimiter> = {
    ',': ',',
    ';': ';',
    tab: '\t',
    '\t': '\t',
    '|': '|',
  };
  if (delimiter !== undefined && !delimiters[String(delimiter)])
    throw bad('/body/delimiter', 'must be one of , ; tab |');
  const decimal = get('decimal');
  if (decimal !== undefined && decimal !== '.' && decimal !== ',')
    throw bad('/body/decimal', 'must be . or ,');
  const dry = get('dryRun');
  let dryRun = true;
  if (dry !== undefined) {
    const v = String(dry).toLowerCase();
    if (['true', '1', 'yes'].includes(v)) dryRun = true;
    else if (['false', '0', 'no'].includes(v)) dryRun = false;
    else throw bad('/body/dryRun', 'must be true or false');
  }
  return {
    kind: kind as ImportKind,
    mapping,
    dateFormat: (dateFormat as DateOrder | undefined) ?? null,
    delimiter: delimiter === undefined ? null : delimiters[String(delimiter)]!,
    decimal: (decimal as DecimalSeparator | undefined) ?? null,
    dryRun,
  };
}

const respond = (o: ImportOutcome) => ({
  import: importView(o.import, o.errors),
  job: o.job ? jobView(o.job) : null,
});

/**
 * CSV imports: upload (multipart, streamed), commit, status, error report. Registers
 * @fastify/multipart in its own scope, so only these routes accept multipart bodies.
 */
export function importsRoutes(app: ApiApp, deps: ImportsRouteDeps): void {
  const imports = new ImportsService({
    db: deps.db,
    jobs: deps.jobs,
    ...(deps.maxBytes ? { maxBytes: deps.maxBytes } : {}),
  });
  const tags = ['imports'];

  void app.register(async (scope) => {
    await scope.register(multipart, {
      throwFileSizeLimit: true,
      limits: {
        fileSize: imports.maxUploadBytes,
        files: 1,
        fields: 20,
        fieldSize: 64 * 1024,
        parts: 25,
      },
    });
    const api = scope as unknown as ApiApp;

    api.post('/v1/imports', {
      config: { access: 'member' },
      schema: {
        tags,
        summary:
          'Upload a CSV (multipart/form-data, fields before the "file" part): validate, optionally commit',
        description:
          'Streams the file into staging and validates every row. Answers 201 with the import: `invalid` (errors with row, column and reason) or `validated` (preview, detected mapping, delimiter, encoding). With dryRun=false a valid file is committed too: 201 when done inline, 202 with a job when large.',
        consumes: ['multipart/form-data'],
        querystring: s.UploadQuery,
        response: { 201: s.ImportResponse, 202: s.ImportResponse },
      },
      handler: async (req, reply) => {
        const auth = req.requireAuth();
        if (!req.isMultipart()) {
          throw new AppError(
            'unsupported_media_type',
            'send the CSV as multipart/form-data with a "file" part',
          );
        }
        const part = await req.file();
        if (!part)
          throw bad('/body/file', 'is required: a multipart part named "file" with the CSV');
        const fields: Record<string, string> = {};
        for (const name of FIELD_NAMES) {
          const f = part.fields[name];
          const one = Array.isArray(f) ? f[0] : f;
          if (one && one.type === 'field') fields[name] = String(one.value);
        }
        let options: UploadOptions;
        try {
          options = uploadOptions(req.query as Record<string, unknown>, fields);
        } catch (err) {
          part.file.resume(); // drain, so the client gets the answer
          throw err;
        }
        const length = Number(req.headers['content-length']);
        const outcome = await imports.upload(auth.tenantId, {
          ...options,
          fileName: part.filename || 'upload.csv',
          source: part.file,
          expectedBytes: Number.isFinite(length) && length > 0 ? length : null,
          createdBy: auth.userId ?? null,
        });
        return reply.code(outcome.job ? 202 : 201).send(respond(outcome));
      },
    });

    api.post('/v1/imports/:id/commit', {
      config: { access: 'member' },
      schema: {
        tags,
        summary: 'Commit a validated import: all rows or none',
        description:
          'Writes every staged record in one transaction and recomputes the derived metrics of the days it touches. 200 when done inline; 202 with a job for large imports (follow GET /v1/imports/{id} or the job). 422 `import_invalid` when the file had errors.',
        params: IdParams,
        response: { 200: s.ImportResponse, 202: s.ImportResponse },
      },
      handler: async (req, reply) => {
        const auth = req.requireAuth();
        const outcome = await imports.commit(auth.tenantId, req.params.id, {
          createdBy: auth.userId ?? null,
        });
        return reply.code(outcome.job ? 202 : 200).send(respond(outcome));
      },
    });

    api.get('/v1/imports', {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: 'Imports, newest first',
        querystring: s.ListQuery,
        response: { 200: s.ImportList },
      },
      handler: async (req) => {
        const q = req.query;
        const rows = await imports.list(req.requireAuth().tenantId, {
          kind: q.kind ?? null,
          status: (q.status as never) ?? null,
          limit: q.limit ?? 50,
          before: q.before ? new Date(q.before) : null,
        });
        return { items: rows.map((r) => importView(r, [])) };
      },
    });

    api.get('/v1/imports/:id', {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: 'One import: status, progress, counts, first errors, preview, result',
        params: IdParams,
        response: { 200: s.ImportResponse },
      },
      handler: async (req) => respond(await imports.get(req.requireAuth().tenantId, req.params.id)),
    });

    api.get('/v1/imports/:id/errors.csv', {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: 'The error report as CSV (row, line, column, value, reason)',
        params: IdParams,
        produces: ['text/csv'],
        response: { 200: Type.String({ description: 'text/csv' }) },
      },
      handler: async (req, reply) => {
        const report = await imports.errorsCsv(req.requireAuth().tenantId, req.params.id);
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${report.fileName}"`)
          .send(report.csv);
      },
    });
  });
}
