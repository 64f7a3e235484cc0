import { useState } from 'react';
import { api, apiResponse, download, parseResponse, upload } from '../api/client';
import type { ImportKind, ImportResponse, ImportView, Job } from '../api/types';
import { roleAtLeast, useMe } from '../auth';
import {
  ErrorMessage,
  Loading,
  Notice,
  Panel,
  ProgressBar,
  StatusBadge,
  Table,
} from '../components/ui';
import { formatBytes, formatInstant } from '../lib/format';
import { usePageTitle } from '../lib/page';
import { useAction, useInterval, useItems } from '../lib/use-api';

const KINDS: { id: ImportKind; label: string; hint: string }[] = [
  {
    id: 'orders',
    label: 'Orders',
    hint: 'one row per order line: order id, date, SKU, quantity, unit price …',
  },
  {
    id: 'products',
    label: 'Products',
    hint: 'one row per SKU: name, cost, price, stock on hand …',
  },
  {
    id: 'expenses',
    label: 'Expenses',
    hint: 'one row per expense: date, amount, vendor, category …',
  },
  {
    id: 'metrics',
    label: 'Metric points',
    hint: 'one row per point: metric, time, value (optional channel, location, SKU)',
  },
];
const ACTIVE = new Set(['queued', 'running', 'retrying']);

const cell = (v: unknown) =>
  v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);

function ImportErrors({ imp }: { imp: ImportView }) {
  const report = useAction();
  return (
    <div className="import-errors">
      <p role="alert">
        <strong>
          {imp.errorCount} {imp.errorCount === 1 ? 'problem' : 'problems'} found
        </strong>{' '}
        — nothing was written. Fix the file and upload it again.
        {imp.errors.length < imp.errorCount ? ` The first ${imp.errors.length} are shown.` : ''}
      </p>
      <Table
        testId="import-errors"
        caption={`Problems in ${imp.fileName}`}
        captionHidden
        columns={[{ label: 'Row', num: true }, 'Column', 'Value', 'Problem']}
      >
        {imp.errors.map((e, i) => (
          <tr key={i}>
            <td className="num">{e.row ?? 'file'}</td>
            <td>{e.column ?? '—'}</td>
            <td>
              <code>{e.value ?? ''}</code>
            </td>
            <td>{e.reason}</td>
          </tr>
        ))}
      </Table>
      <button
        type="button"
        onClick={() =>
          void report.run(() =>
            download(imp.errorsUrl, `${imp.fileName.replace(/\.csv$/i, '')}-errors.csv`),
          )
        }
      >
        Download the full error report (CSV)
      </button>
      <ErrorMessage error={report.error} />
    </div>
  );
}

function Preview({ imp }: { imp: ImportView }) {
  const columns = [...new Set(imp.preview.flatMap((r) => Object.keys(r.values)))];
  return (
    <div>
      <p>
        <strong>{imp.recordCount.toLocaleString()}</strong> records in{' '}
        {imp.rowCount.toLocaleString()} rows are ready. Read as {imp.encoding ?? 'UTF-8'}, delimiter{' '}
        <code>{imp.delimiter ?? ','}</code>, decimal <code>{imp.decimalSeparator ?? '.'}</code>
        {imp.dateFormat ? `, dates ${imp.dateFormat}` : ''}.
      </p>
      {imp.warnings.length ? (
        <ul className="warnings">
          {imp.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      ) : null}
      {imp.preview.length ? (
        <Table
          testId="import-preview"
          caption={`First ${imp.preview.length} rows as they will be written`}
          columns={[{ label: 'Row', num: true }, ...columns]}
        >
          {imp.preview.map((r) => (
            <tr key={r.row}>
              <td className="num">{r.row}</td>
              {columns.map((c) => (
                <td key={c}>{cell(r.values[c])}</td>
              ))}
            </tr>
          ))}
        </Table>
      ) : null}
    </div>
  );
}

function Uploader({ onChanged }: { onChanged: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [kind, setKind] = useState<ImportKind>('orders');
  const [dateFormat, setDateFormat] = useState('');
  const [uploading, setUploading] = useState<number | null>(null);
  const [imp, setImp] = useState<ImportView | null>(null);
  const action = useAction();

  const check = async () => {
    if (!file) throw new Error('Choose a CSV file first.');
    setImp(null);
    setUploading(0);
    const form = new FormData();
    // Options go before the file part: the server reads them before streaming the file.
    form.append('kind', kind);
    form.append('dryRun', 'true');
    if (dateFormat) form.append('dateFormat', dateFormat);
    form.append('file', file, file.name);
    try {
      const { body } = await upload<ImportResponse>('/v1/imports', form, setUploading);
      setImp(body.import);
      onChanged();
    } finally {
      setUploading(null);
    }
  };

  const commit = async () => {
    if (!imp) return;
    const res = await apiResponse(`/v1/imports/${imp.id}/commit`, { method: 'POST' });
    let body = await parseResponse<ImportResponse>(res);
    setImp(body.import);
    onChanged();
    // A large import commits in a background job: follow it.
    while (body.import.status === 'committing') {
      await new Promise((r) => setTimeout(r, 1000));
      body = await api<ImportResponse>(`/v1/imports/${imp.id}`);
      setImp(body.import);
    }
    onChanged();
  };

  const hint = KINDS.find((k) => k.id === kind)?.hint;
  return (
    <Panel id="upload" title="Import a CSV file">
      <form className="upload" onSubmit={action.submit(check)}>
        <label>
          What the file holds
          <select
            value={kind}
            onChange={(e) => setKind(e.target.value as ImportKind)}
            aria-describedby="kind-hint"
          >
            {KINDS.map((k) => (
              <option key={k.id} value={k.id}>
                {k.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Date order
          <select value={dateFormat} onChange={(e) => setDateFormat(e.target.value)}>
            <option value="">Detect</option>
            <option value="DMY">day/month/year</option>
            <option value="MDY">month/day/year</option>
            <option value="YMD">year-month-day</option>
          </select>
        </label>
        <label className="grow">
          CSV file
          <input
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
            type="file"
            name="file"
            accept=".csv,.txt,.tsv,text/csv"
            required
          />
        </label>
        <button type="submit" className="primary" disabled={action.busy}>
          Check the file
        </button>
      </form>
      <p className="muted" id="kind-hint">
        {hint}. Checking writes nothing: you see the problems or a preview first, then commit.
      </p>
      {uploading !== null ? <ProgressBar value={uploading} label="Uploading and checking" /> : null}
      <ErrorMessage error={action.error} />
      {imp ? (
        <div className="import-result" data-testid="import-result" data-status={imp.status}>
          <h3>
            {imp.fileName} <StatusBadge status={imp.status} />
          </h3>
          {imp.status === 'invalid' ? <ImportErrors imp={imp} /> : null}
          {imp.status === 'validated' ? (
            <>
              {imp.duplicateOf ? (
                <Notice tone="warning">This file was imported before.</Notice>
              ) : null}
              <Preview imp={imp} />
              <button
                type="button"
                className="primary"
                onClick={() => void action.run(commit)}
                disabled={action.busy}
              >
                {action.busy ? 'Committing…' : `Commit ${imp.recordCount.toLocaleString()} records`}
              </button>
            </>
          ) : null}
          {imp.status === 'committing' ? (
            <ProgressBar
              value={imp.progress}
              label={imp.progressMessage ?? 'Writing the records'}
            />
          ) : null}
          {imp.status === 'committed' && imp.result ? (
            <Notice tone="success">
              Imported: {imp.result.inserted} new, {imp.result.updated} updated,{' '}
              {imp.result.unchanged} unchanged; {imp.result.derivedPoints} metric points recomputed
              in {imp.result.seconds.toFixed(1)} s.
            </Notice>
          ) : null}
          {imp.failure ? <p role="alert">{imp.failure}</p> : null}
        </div>
      ) : null}
    </Panel>
  );
}

function JobsTable() {
  const jobs = useItems<Job>('/v1/jobs', { limit: 20 });
  const running = jobs.data?.items.some((j) => ACTIVE.has(j.status)) ?? false;
  useInterval(() => jobs.reload(true), 2000, running);
  return (
    <Panel
      id="jobs"
      title="Background jobs"
      actions={
        <button type="button" onClick={() => jobs.reload(true)}>
          Refresh
        </button>
      }
    >
      <ErrorMessage error={jobs.error} />
      {jobs.loading && !jobs.data ? <Loading what="jobs" /> : null}
      {jobs.data && jobs.data.items.length === 0 ? <p className="muted">No jobs yet.</p> : null}
      {jobs.data && jobs.data.items.length ? (
        <Table testId="jobs" columns={['Task', 'Status', 'Progress', 'Started', 'Finished']}>
          {jobs.data.items.map((j) => (
            <tr key={j.id}>
              <td>
                <code>{j.task}</code>
              </td>
              <td>
                <StatusBadge status={j.status} />
                {j.error ? <div className="muted small">{j.error}</div> : null}
              </td>
              <td className="progress-cell">
                <ProgressBar value={j.progress} label={j.progressMessage ?? ''} />
              </td>
              <td>{formatInstant(j.startedAt ?? j.createdAt)}</td>
              <td>{formatInstant(j.finishedAt)}</td>
            </tr>
          ))}
        </Table>
      ) : null}
    </Panel>
  );
}

function ImportsTable({ version }: { version: number }) {
  const list = useItems<ImportView>('/v1/imports', { limit: 20 }, version);
  const num = (label: string) => ({ label, num: true });
  return (
    <Panel id="imports" title="Recent imports">
      <ErrorMessage error={list.error} />
      {list.data && list.data.items.length === 0 ? <p className="muted">No imports yet.</p> : null}
      {list.data && list.data.items.length ? (
        <Table
          testId="imports"
          columns={[
            'File',
            'Kind',
            'Status',
            num('Rows'),
            num('Problems'),
            num('Size'),
            'Uploaded',
          ]}
        >
          {list.data.items.map((i) => (
            <tr key={i.id}>
              <td>{i.fileName}</td>
              <td>{i.kind}</td>
              <td>
                <StatusBadge status={i.status} />
              </td>
              <td className="num">{i.rowCount.toLocaleString()}</td>
              <td className="num">{i.errorCount.toLocaleString()}</td>
              <td className="num">{formatBytes(i.sizeBytes)}</td>
              <td>{formatInstant(i.createdAt)}</td>
            </tr>
          ))}
        </Table>
      ) : null}
    </Panel>
  );
}

export function DataPage() {
  usePageTitle('Data');
  const me = useMe();
  const [version, setVersion] = useState(0);
  const canImport = roleAtLeast(me.role, 'member');
  return (
    <>
      <div className="page-head">
        <h1 tabIndex={-1}>Data</h1>
        <p className="muted">
          Bring your history in as CSV files and follow the work running in the background.
        </p>
      </div>
      {canImport ? (
        <Uploader onChanged={() => setVersion((v) => v + 1)} />
      ) : (
        <Notice>Your role ({me.role}) can look at the data but not import it.</Notice>
      )}
      <ImportsTable version={version} />
      <JobsTable key={version} />
    </>
  );
}
