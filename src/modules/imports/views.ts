import type { Static } from '@sinclair/typebox';
import type { ImportRow, StagedError } from './repo.js';
import type { ImportView } from './schemas.js';

export function importView(i: ImportRow, errors: StagedError[]): Static<typeof ImportView> {
  return {
    id: i.id,
    kind: i.kind,
    status: i.status,
    fileName: i.file_name,
    sizeBytes: i.size_bytes,
    sha256: i.sha256,
    encoding: i.encoding,
    delimiter: i.delimiter === '\t' ? 'tab' : i.delimiter,
    decimalSeparator: i.decimal_separator,
    dateFormat: i.date_format,
    mapping: i.mapping,
    headers: i.headers,
    warnings: i.warnings,
    rowCount: i.row_count,
    recordCount: i.record_count,
    errorCount: i.error_count,
    errors,
    preview: i.preview,
    progress: i.progress,
    progressMessage: i.progress_message,
    result: i.result,
    jobId: i.job_id,
    duplicateOf: i.duplicate_of,
    failure: i.failure,
    errorsUrl: `/v1/imports/${i.id}/errors.csv`,
    createdAt: i.created_at.toISOString(),
    validatedAt: i.validated_at?.toISOString() ?? null,
    committedAt: i.committed_at?.toISOString() ?? null,
  };
}
