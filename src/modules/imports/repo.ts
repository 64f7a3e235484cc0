import type { TenantTx } from '../../platform/tenancy/context.js';
import type { ImportKind, Payload } from './kinds.js';

/**
 * SQL of the imports module: the import record, its staged rows and errors, and the
 * fingerprints of committed records. Every function takes a tenant transaction (RLS).
 */

export type ImportStatus =
  'receiving' | 'invalid' | 'validated' | 'committing' | 'committed' | 'failed';

export interface ImportRow {
  id: string;
  kind: ImportKind;
  status: ImportStatus;
  file_name: string;
  size_bytes: number;
  expected_bytes: number | null;
  sha256: string | null;
  encoding: string | null;
  delimiter: string | null;
  decimal_separator: string | null;
  date_format: string | null;
  options: Record<string, unknown>;
  mapping: Record<string, string>;
  headers: string[];
  warnings: string[];
  preview: { row: number; values: Payload }[];
  row_count: number;
  record_count: number;
  error_count: number;
  progress: number;
  progress_message: string | null;
  result: CommitResult | null;
  job_id: string | null;
  duplicate_of: string | null;
  failure: string | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
  validated_at: Date | null;
  committed_at: Date | null;
}

export interface CommitResult {
  inserted: number;
  updated: number;
  unchanged: number;
  /** Inventory snapshots written with a products import. */
  stockSnapshots?: { inserted: number; updated: number };
  derivedDays: { from: string; to: string } | null;
  derivedPoints: number;
  seconds: number;
}

export interface StagedError {
  row: number | null;
  line: number | null;
  column: string | null;
  value: string | null;
  reason: string;
}

const COLUMNS = `id, kind, status, file_name, size_bytes, expected_bytes, sha256, encoding, delimiter, decimal_separator,
  date_format, options, mapping, headers, warnings, preview, row_count, record_count, error_count, progress,
  progress_message, result, job_id, duplicate_of, failure, created_by, created_at, updated_at, validated_at, committed_at`;

export async function insertImport(
  tx: TenantTx,
  i: {
    id: string;
    kind: ImportKind;
    fileName: string;
    expectedBytes: number | null;
    options: unknown;
    createdBy: string | null;
  },
): Promise<ImportRow> {
  const { rows } = await tx.query<ImportRow>(
    `insert into imports (tenant_id, id, kind, file_name, expected_bytes, options, created_by, progress_message)
     values ($1::uuid, $2::uuid, $3, $4, $5, $6::jsonb, $7::uuid, 'receiving the file')
     returning ${COLUMNS}`,
    [
      tx.tenantId,
      i.id,
      i.kind,
      i.fileName,
      i.expectedBytes,
      JSON.stringify(i.options),
      i.createdBy,
    ],
    'imports.insert',
  );
  return rows[0]!;
}

export async function getImport(
  tx: TenantTx,
  id: string,
  forUpdate = false,
): Promise<ImportRow | null> {
  const { rows } = await tx.query<ImportRow>(
    `select ${COLUMNS} from imports where id = $1::uuid${forUpdate ? ' for update' : ''}`,
    [id],
    'imports.get',
  );
  return rows[0] ?? null;
}

export async function listImports(
  tx: TenantTx,
  q: { kind: ImportKind | null; status: ImportStatus | null; limit: number; before: Date | null },
): Promise<ImportRow[]> {
  const { rows } = await tx.query<ImportRow>(
    `select ${COLUMNS} from imports
      where ($1::text is null or kind = $1) and ($2::text is null or status = $2)
        and ($3::timestamptz is null or created_at < $3)
      order by created_at desc, id desc limit $4`,
    [q.kind, q.status, q.before, q.limit],
    'imports.list',
  );
  return rows;
}

export async function recordProgress(
  tx: TenantTx,
  id: string,
  p: { progress: number; message: string; sizeBytes?: number; rowCount?: number },
): Promise<void> {
  await tx.query(
    `update imports set progress = $2, progress_message = $3, size_bytes = coalesce($4, size_bytes),
            row_count = coalesce($5, row_count), updated_at = now()
      where id = $1::uuid`,
    [id, Math.min(1, Math.max(0, p.progress)), p.message, p.sizeBytes ?? null, p.rowCount ?? null],
    'imports.progress',
  );
}

export async function setDetected(
  tx: TenantTx,
  id: string,
  d: {
    encoding: string;
    delimiter: string;
    decimal: string;
    headers: string[];
    mapping: Record<string, string>;
  },
): Promise<void> {
  await tx.query(
    `update imports set encoding = $2, delimiter = $3, decimal_separator = $4, headers = $5::jsonb, mapping = $6::jsonb,
            updated_at = now()
      where id = $1::uuid`,
    [id, d.encoding, d.delimiter, d.decimal, JSON.stringify(d.headers), JSON.stringify(d.mapping)],
    'imports.setDetected',
  );
}

export async function insertStagedRows(
  tx: TenantTx,
  importId: string,
  rows: { row: number; key: string; payload: Payload; ambiguous: string[] | null }[],
): Promise<void> {
  if (!rows.length) return;
  await tx.query(
    `insert into import_rows (tenant_id, import_id, row_no, key, payload, ambiguous)
     select $1::uuid, $2::uuid, r.row_no, r.key, r.payload, r.ambiguous
       from jsonb_to_recordset($3::jsonb) as r(row_no int, key text, payload jsonb, ambiguous text[])`,
    [
      tx.tenantId,
      importId,
      JSON.stringify(
        rows.map((r) => ({
          row_no: r.row,
          key: r.key,
          payload: r.payload,
          ambiguous: r.ambiguous,
        })),
      ),
    ],
    'imports.insertRows',
  );
}

/** Appends errors numbered from `firstSeq`. */
export async function insertErrors(
  tx: TenantTx,
  importId: string,
  firstSeq: number,
  errors: StagedError[],
): Promise<void> {
  if (!errors.length) return;
  await tx.query(
    `insert into import_errors (tenant_id, import_id, seq, row_no, line_no, column_name, value, reason)
     select $1::uuid, $2::uuid, e.seq, e.row, e.line, e.col, e.value, e.reason
       from jsonb_to_recordset($3::jsonb) as e(seq int, row int, line int, col text, value text, reason text)`,
    [
      tx.tenantId,
      importId,
      JSON.stringify(
        errors.map((e, i) => ({
          seq: firstSeq + i,
          row: e.row,
          line: e.line,
          col: e.column,
          value: e.value?.slice(0, 200) ?? null,
          reason: e.reason,
        })),
      ),
    ],
    'imports.insertErrors',
  );
}

export async function listErrors(
  tx: TenantTx,
  importId: string,
  afterSeq: number,
  limit: number,
): Promise<(StagedError & { seq: number })[]> {
  const { rows } = await tx.query<{
    seq: number;
    row_no: number | null;
    line_no: number | null;
    column_name: string | null;
    value: string | null;
    reason: string;
  }>(
    `select seq, row_no, line_no, column_name, value, reason from import_errors
      where import_id = $1::uuid and seq > $2 order by seq limit $3`,
    [importId, afterSeq, limit],
    'imports.listErrors',
  );
  return rows.map((r) => ({
    seq: r.seq,
    row: r.row_no,
    line: r.line_no,
    column: r.column_name,
    value: r.value,
    reason: r.reason,
  }));
}

/** Errors ordered for people: by row (file-level first), then as found. */
export async function firstErrors(
  tx: TenantTx,
  importId: string,
  limit: number,
): Promise<StagedError[]> {
  const { rows } = await tx.query<{
    row_no: number | null;
    line_no: number | null;
    column_name: string | null;
    value: string | null;
    reason: string;
  }>(
    `select row_no, line_no, column_name, value, reason from import_errors
      where import_id = $1::uuid order by row_no nulls first, seq limit $2`,
    [importId, limit],
    'imports.firstErrors',
  );
  return rows.map((r) => ({
    row: r.row_no,
    line: r.line_no,
    column: r.column_name,
    value: r.value,
    reason: r.reason,
  }));
}

export async function pageAmbiguous(
  tx: TenantTx,
  importId: string,
  afterRow: number,
  limit: number,
): Promise<{ row_no: number; payload: Payload; ambiguous: string[] }[]> {
  const { rows } = await tx.query<{ row_no: number; payload: Payload; ambiguous: string[] }>(
    `select row_no, payload, ambiguous from import_rows
      where import_id = $1::uuid and ambiguous is not null and row_no > $2 order by row_no limit $3`,
    [importId, afterRow, limit],
    'imports.pageAmbiguous',
  );
  return rows;
}

export async function rewriteRows(
  tx: TenantTx,
  importId: string,
  rows: { row: number; key: string; payload: Payload }[],
): Promise<void> {
  if (!rows.length) return;
  await tx.query(
    `update import_rows r set key = x.key, payload = x.payload, ambiguous = null
       from jsonb_to_recordset($2::jsonb) as x(row_no int, key text, payload jsonb)
      where r.import_id = $1::uuid and r.row_no = x.row_no`,
    [
      importId,
      JSON.stringify(rows.map((r) => ({ row_no: r.row, key: r.key, payload: r.payload }))),
    ],
    'imports.rewriteRows',
  );
}

/** Rows whose key an earlier row already has (`sameLine`: only when the whole row is the same too). */
export async function findDuplicates(
  tx: TenantTx,
  importId: string,
  sameLine: boolean,
  limit: number,
): Promise<{ row_no: number; key: string; first_row: number }[]> {
  const part = sameLine ? 'key, md5(payload::text)' : 'key';
  const { rows } = await tx.query<{ row_no: number; key: string; first_row: number }>(
    `select row_no, key, first_row from (
       select row_no, key, first_value(row_no) over (partition by ${part} order by row_no) as first_row
         from import_rows where import_id = $1::uuid) d
      where row_no <> first_row order by row_no limit $2`,
    [importId, limit],
    'imports.findDuplicates',
  );
  return rows;
}

/** Order lines whose order-level values differ from the order's first line that states them. */
export async function findOrderConflicts(
  tx: TenantTx,
  importId: string,
  limit: number,
): Promise<
  {
    row_no: number;
    key: string;
    field: string;
    value: unknown;
    first_value: unknown;
    first_row: number;
  }[]
> {
  const { rows } = await tx.query<{
    row_no: number;
    key: string;
    field: string;
    value: unknown;
    first_value: unknown;
    first_row: number;
  }>(
    `with f as (
       select r.key, r.row_no, e.key as field, e.value
         from import_rows r cross join lateral jsonb_each(r.payload -> 'o') e
        where r.import_id = $1::uuid),
     firsts as (
       select distinct on (key, field) key, field, value, row_no from f order by key, field, row_no)
     select f.row_no, f.key, f.field, f.value, firsts.value as first_value, firsts.row_no as first_row
       from f join firsts using (key, field)
      where f.value <> firsts.value
      order by f.row_no limit $2`,
    [importId, limit],
    'imports.findOrderConflicts',
  );
  return rows;
}

export async function countRecords(
  tx: TenantTx,
  importId: string,
): Promise<{ rows: number; records: number }> {
  const { rows } = await tx.query<{ rows: number; records: number }>(
    `select count(*)::int as rows, count(distinct key)::int as records from import_rows where import_id = $1::uuid`,
    [importId],
    'imports.countRecords',
  );
  return rows[0] ?? { rows: 0, records: 0 };
}

export async function previewRows(
  tx: TenantTx,
  importId: string,
  limit: number,
): Promise<{ row: number; values: Payload }[]> {
  const { rows } = await tx.query<{ row_no: number; payload: Payload }>(
    `select row_no, payload from import_rows where import_id = $1::uuid order by row_no limit $2`,
    [importId, limit],
    'imports.preview',
  );
  return rows.map((r) => ({ row: r.row_no, values: r.payload }));
}

export async function findCommittedSameFile(
  tx: TenantTx,
  importId: string,
  kind: ImportKind,
  sha256: string,
): Promise<ImportRow | null> {
  const { rows } = await tx.query<ImportRow>(
    `select ${COLUMNS} from imports
      where sha256 = $1 and kind = $2 and status = 'committed' and id <> $3::uuid
      order by committed_at desc limit 1`,
    [sha256, kind, importId],
    'imports.findSameFile',
  );
  return rows[0] ?? null;
}

export async function finishValidation(
  tx: TenantTx,
  id: string,
  v: {
    status: 'invalid' | 'validated';
    sha256: string;
    sizeBytes: number;
    rowCount: number;
    recordCount: number;
    errorCount: number;
    warnings: string[];
    preview: { row: number; values: Payload }[];
    dateFormat: string | null;
    duplicateOf: string | null;
  },
): Promise<ImportRow> {
  const { rows } = await tx.query<ImportRow>(
    `update imports set status = $2, sha256 = $3, size_bytes = $4, row_count = $5, record_count = $6, error_count = $7,
            warnings = $8::jsonb, preview = $9::jsonb, date_format = $10, duplicate_of = $11::uuid,
            progress = 1, progress_message = case when $2 = 'invalid' then 'the file has errors' else 'ready to commit' end,
            validated_at = now(), updated_at = now()
      where id = $1::uuid
      returning ${COLUMNS}`,
    [
      id,
      v.status,
      v.sha256,
      v.sizeBytes,
      v.rowCount,
      v.recordCount,
      v.errorCount,
      JSON.stringify(v.warnings),
      JSON.stringify(v.preview),
      v.dateFormat,
      v.duplicateOf,
    ],
    'imports.finishValidation',
  );
  // An invalid import can never be committed: its staged rows have served their purpose.
  if (v.status === 'invalid')
    await tx.query(`delete from import_rows where import_id = $1::uuid`, [id], 'imports.dropRows');
  return rows[0]!;
}

/** The upload itself failed (too large, connection lost): no staged data is kept. */
export async function markUploadFailed(
  tx: TenantTx,
  id: string,
  failure: string,
  sizeBytes: number,
): Promise<void> {
  await tx.query(`delete from import_rows where import_id = $1::uuid`, [id], 'imports.dropRows');
  await tx.query(
    `update imports set status = 'failed', failure = $2, size_bytes = $3, progress_message = $2, updated_at = now()
      where id = $1::uuid`,
    [id, failure, sizeBytes],
    'imports.uploadFailed',
  );
}

/** validated → committing, atomically; returns false when the import was not in `from`. */
export async function claimForCommit(
  tx: TenantTx,
  id: string,
  from: ImportStatus[],
  jobId: string | null,
): Promise<boolean> {
  const { rows } = await tx.query<{ id: string }>(
    `update imports set status = 'committing', job_id = coalesce($3::uuid, job_id), failure = null, progress = 0,
            progress_message = 'writing records', updated_at = now()
      where id = $1::uuid and status = any($2::text[]) returning id`,
    [id, from, jobId],
    'imports.claim',
  );
  return rows.length === 1;
}

export async function markCommitted(
  tx: TenantTx,
  id: string,
  result: CommitResult,
): Promise<ImportRow> {
  await tx.query(`delete from import_rows where import_id = $1::uuid`, [id], 'imports.dropRows');
  const { rows } = await tx.query<ImportRow>(
    `update imports set status = 'committed', result = $2::jsonb, progress = 1, progress_message = 'committed',
            committed_at = now(), updated_at = now()
      where id = $1::uuid returning ${COLUMNS}`,
    [id, JSON.stringify(result)],
    'imports.committed',
  );
  return rows[0]!;
}

/** A commit that failed: back to validated (staged rows kept) so it can be retried. */
export async function markCommitFailed(tx: TenantTx, id: string, failure: string): Promise<void> {
  await tx.query(
    `update imports set status = 'validated', failure = $2, progress = 0, progress_message = $2, updated_at = now()
      where id = $1::uuid and status = 'committing'`,
    [id, failure],
    'imports.commitFailed',
  );
}

/** Staged rows in (key, row) order after the given position: an index range scan. */
export async function pageStaged(
  tx: TenantTx,
  importId: string,
  after: { key: string; row: number },
  limit: number,
): Promise<{ key: string; row_no: number; payload: Payload }[]> {
  const { rows } = await tx.query<{ key: string; row_no: number; payload: Payload }>(
    `select key, row_no, payload from import_rows
      where import_id = $1::uuid and (key, row_no) > ($2, $3)
      order by key, row_no limit $4`,
    [importId, after.key, after.row, limit],
    'imports.pageStaged',
  );
  return rows;
}

/** The fingerprints the last imports of `kind` left for `keys`. */
export async function fingerprintsOf(
  tx: TenantTx,
  kind: ImportKind,
  keys: string[],
): Promise<Map<string, string>> {
  if (!keys.length) return new Map();
  const { rows } = await tx.query<{ key: string; fingerprint: string }>(
    `select key, fingerprint from import_fingerprints where kind = $1 and key = any($2::text[])`,
    [kind, keys],
    'imports.fingerprintsOf',
  );
  return new Map(rows.map((r) => [r.key, r.fingerprint]));
}

export async function saveFingerprints(
  tx: TenantTx,
  kind: ImportKind,
  importId: string,
  items: { key: string; fingerprint: string }[],
): Promise<void> {
  if (!items.length) return;
  await tx.query(
    `insert into import_fingerprints (tenant_id, kind, key, fingerprint, import_id)
     select $1::uuid, $2, k, f, $3::uuid from unnest($4::text[], $5::text[]) as x(k, f)
     on conflict (tenant_id, kind, key) do update
       set fingerprint = excluded.fingerprint, import_id = excluded.import_id, updated_at = now()`,
    [tx.tenantId, kind, importId, items.map((i) => i.key), items.map((i) => i.fingerprint)],
    'imports.saveFingerprints',
  );
}

export async function stagedRowCount(tx: TenantTx, importId: string): Promise<number> {
  const { rows } = await tx.query<{ n: number }>(
    `select count(*)::int as n from import_rows where import_id = $1::uuid`,
    [importId],
    'imports.stagedCount',
  );
  return rows[0]?.n ?? 0;
}

export async function setJob(tx: TenantTx, id: string, jobId: string): Promise<void> {
  await tx.query(
    `update imports set job_id = $2::uuid, updated_at = now() where id = $1::uuid`,
    [id, jobId],
    'imports.setJob',
  );
}

/** Serialises commits of one import (without locking its row, so progress stays writable). */
export async function lockForCommit(tx: TenantTx, id: string): Promise<void> {
  await tx.query(
    `select pg_advisory_xact_lock(hashtextextended('import:' || $1, 0))`,
    [id],
    'imports.lock',
  );
}

/** Progress of a running commit, from outside its transaction (ignored once it finished). */
export async function recordCommitProgress(
  tx: TenantTx,
  id: string,
  progress: number,
  message: string,
): Promise<void> {
  await tx.query(
    `update imports set progress = $2, progress_message = $3, updated_at = now() where id = $1::uuid and status = 'committing'`,
    [id, Math.min(1, Math.max(0, progress)), message],
    'imports.commitProgress',
  );
}
