import { Type } from '@sinclair/typebox';
import { JobView } from '../jobs/routes.js';
import {
  Nullable,
  NullableTimestamp,
  Strict,
  Timestamp,
  Uuid,
} from '../../platform/http/schemas.js';
import { IMPORT_KINDS } from './kinds.js';

/** HTTP schemas of the imports routes (requests and every response). */

export const Kind = Type.Union(IMPORT_KINDS.map((k) => Type.Literal(k)));
export const Status = Type.Union(
  ['receiving', 'invalid', 'validated', 'committing', 'committed', 'failed'].map((s) =>
    Type.Literal(s),
  ),
);

/** Upload options: multipart fields before the file part, or the query string. */
export const UploadQuery = Strict({
  kind: Type.Optional(Kind),
  mapping: Type.Optional(
    Type.String({
      maxLength: 10_000,
      description: 'JSON object: field → header (null to leave a field out)',
    }),
  ),
  dateFormat: Type.Optional(
    Type.Union([Type.Literal('DMY'), Type.Literal('MDY'), Type.Literal('YMD')]),
  ),
  delimiter: Type.Optional(Type.Union([',', ';', 'tab', '|'].map((d) => Type.Literal(d)))),
  decimal: Type.Optional(Type.Union([Type.Literal('.'), Type.Literal(',')])),
  dryRun: Type.Optional(Type.Boolean({ description: 'default true: validate only' })),
});

export const ImportError = Type.Object({
  row: Nullable(
    Type.Integer({
      description: 'record number as a spreadsheet shows it (header = 1); null for the whole file',
    }),
  ),
  line: Nullable(
    Type.Integer({ description: 'line in the file where the record starts, when known' }),
  ),
  column: Nullable(Type.String()),
  value: Nullable(Type.String()),
  reason: Type.String(),
});

export const CommitResultView = Type.Object({
  inserted: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer(),
  stockSnapshots: Type.Optional(Type.Object({ inserted: Type.Integer(), updated: Type.Integer() })),
  derivedDays: Nullable(Type.Object({ from: Type.String(), to: Type.String() })),
  derivedPoints: Type.Integer(),
  seconds: Type.Number(),
});

export const ImportView = Type.Object({
  id: Uuid,
  kind: Kind,
  status: Status,
  fileName: Type.String(),
  sizeBytes: Type.Integer(),
  sha256: Nullable(Type.String()),
  encoding: Nullable(Type.String()),
  delimiter: Nullable(Type.String()),
  decimalSeparator: Nullable(Type.String()),
  dateFormat: Nullable(Type.String()),
  mapping: Type.Record(Type.String(), Type.String()),
  headers: Type.Array(Type.String()),
  warnings: Type.Array(Type.String()),
  rowCount: Type.Integer(),
  recordCount: Type.Integer(),
  errorCount: Type.Integer(),
  errors: Type.Array(ImportError),
  preview: Type.Array(
    Type.Object({ row: Type.Integer(), values: Type.Record(Type.String(), Type.Unknown()) }),
  ),
  progress: Type.Number({ minimum: 0, maximum: 1 }),
  progressMessage: Nullable(Type.String()),
  result: Nullable(CommitResultView),
  jobId: Nullable(Uuid),
  duplicateOf: Nullable(Uuid),
  failure: Nullable(Type.String()),
  errorsUrl: Type.String(),
  createdAt: Timestamp,
  validatedAt: NullableTimestamp,
  committedAt: NullableTimestamp,
});

export const ImportResponse = Type.Object({ import: ImportView, job: Nullable(JobView) });

export const ListQuery = Strict({
  kind: Type.Optional(Kind),
  status: Type.Optional(Status),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  before: Type.Optional(Timestamp),
});

export const ImportList = Type.Object({ items: Type.Array(ImportView) });
