import { useId, type ReactNode } from 'react';
import { ApiError } from '../api/client';
import { sparklinePath } from '../lib/chart';

/** A determinate progress bar with its label and percentage. */
export function ProgressBar({ value, label }: { value: number; label: string }) {
  const pct = Math.round(Math.min(1, Math.max(0, value)) * 100);
  const id = useId();
  return (
    <div className="progress">
      <div className="progress-label" id={id}>
        {label} <span className="muted">{pct}%</span>
      </div>
      <div
        className="progress-track"
        role="progressbar"
        aria-labelledby={id}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct}
      >
        <div className="progress-fill" style={{ width: `${pct}%` }} />
      </div>
    </div>
  );
}

/** An error from the API (or any other) for people, with the field errors when there are some. */
export function ErrorMessage({ error, title }: { error: unknown; title?: string }) {
  if (!error) return null;
  const message = error instanceof Error ? error.message : String(error);
  const fields = error instanceof ApiError ? (error.problem?.errors ?? []) : [];
  return (
    <div className="alert alert-error" role="alert">
      {title ? <strong>{title}: </strong> : null}
      {message}
      {fields.length > 1 ? (
        <ul>
          {fields.map((f) => (
            <li key={f.path + f.message}>
              <code>{f.path.replace(/^\/body\//, '')}</code> {f.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

export function Notice({
  children,
  tone = 'info',
}: {
  children: ReactNode;
  tone?: 'info' | 'success' | 'warning';
}) {
  return (
    <div className={`alert alert-${tone}`} role="status">
      {children}
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="muted" role="status" aria-live="polite">
      Loading {what}…
    </p>
  );
}

/** A 30-day trend line; missing days stay missing. Decorative next to the card's numbers. */
export function Sparkline({ values, label }: { values: (number | null)[]; label: string }) {
  const w = 120;
  const h = 32;
  const d = sparklinePath(values, w, h, 3);
  return (
    <svg
      className="sparkline"
      viewBox={`0 0 ${w} ${h}`}
      preserveAspectRatio="none"
      role="img"
      aria-label={label}
    >
      {d ? <path d={d} /> : null}
    </svg>
  );
}

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge badge-${status}`}>{status}</span>;
}

export type Column = string | { label: string; num?: boolean; srOnly?: boolean };

/** A scrollable table with column headers; rows are the children. */
export function Table({
  columns,
  children,
  caption,
  captionHidden = false,
  testId,
}: {
  columns: Column[];
  children: ReactNode;
  caption?: ReactNode;
  captionHidden?: boolean;
  testId?: string;
}) {
  return (
    <div className="table-scroll">
      <table data-testid={testId}>
        {caption ? (
          <caption className={captionHidden ? 'sr-only' : undefined}>{caption}</caption>
        ) : null}
        <thead>
          <tr>
            {columns.map((c) => {
              const col = typeof c === 'string' ? { label: c } : c;
              return (
                <th scope="col" key={col.label} className={col.num ? 'num' : undefined}>
                  {col.srOnly ? <span className="sr-only">{col.label}</span> : col.label}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

/** A titled section of a page; `actions` sit at the right of the title. */
export function Panel({
  id,
  title,
  actions,
  testId,
  children,
}: {
  id: string;
  title: string;
  actions?: ReactNode;
  testId?: string;
  children: ReactNode;
}) {
  return (
    <section className="panel" aria-labelledby={`${id}-title`} data-testid={testId}>
      <div className="panel-head">
        <h2 id={`${id}-title`}>{title}</h2>
        {actions}
      </div>
      {children}
    </section>
  );
}
