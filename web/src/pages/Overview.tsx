import { useEffect, useRef } from 'react';
import { api } from '../api/client';
import type { Job, Summary, SummaryItem } from '../api/types';
import { useMe } from '../auth';
import { ErrorMessage, Loading, ProgressBar, Sparkline } from '../components/ui';
import { changeTone, describeChange, formatChange, formatDay, formatValue } from '../lib/format';
import { groupItems } from '../lib/groups';
import { usePageTitle } from '../lib/page';
import { useApi, useInterval } from '../lib/use-api';
import { Link } from '../router';

const ACTIVE = new Set(['queued', 'running', 'retrying']);

function MetricCard({
  item,
  currency,
  days,
}: {
  item: SummaryItem;
  currency: string;
  days: number;
}) {
  const { metric } = item;
  const tone = changeTone(item.change, metric.higherIsBetter);
  const arrow = item.change === null || tone === 'neutral' ? '' : item.change > 0 ? '▲ ' : '▼ ';
  return (
    <li>
      <Link to={`/metric/${metric.name}`} className="card metric-card" data-metric={metric.name}>
        <span className="card-title">{metric.title}</span>
        <span className="card-value">
          {formatValue(item.value, metric.unit, { currency, compact: true })}
        </span>
        <span className={`card-change tone-${tone}`}>
          <span aria-hidden="true">
            {arrow}
            {formatChange(item.change)}
          </span>
          <span className="sr-only">{describeChange(item.change, metric.higherIsBetter)}</span>
          <span className="muted"> vs previous {days} days</span>
        </span>
        <Sparkline values={item.sparkline} label={`${metric.title}, last 30 days`} />
      </Link>
    </li>
  );
}

/** The demo business's data load, while it runs: a banner with its progress. */
function useDemoLoad(onDone: () => void): Job | null {
  const jobs = useApi(
    (signal) =>
      api<{ items: Job[] }>('/v1/jobs', { query: { task: 'demo.load', limit: 1 }, signal }),
    'demo',
  );
  const job = jobs.data?.items[0] ?? null;
  const running = !!job && ACTIVE.has(job.status);
  useInterval(() => jobs.reload(true), 2000, running);
  const was = useRef(false);
  useEffect(() => {
    if (was.current && !running) onDone();
    was.current = running;
  }, [running, onDone]);
  return running ? job : null;
}

export function OverviewPage() {
  usePageTitle('Overview');
  const me = useMe();
  const summary = useApi((signal) => api<Summary>('/v1/metrics/summary', { signal }), 'summary');
  const reload = summary.reload;
  const demo = useDemoLoad(() => reload(true));
  // While the demo data loads, refresh the numbers now and then.
  useInterval(() => reload(true), 10_000, !!demo);
  const currency = me.tenant.currency;
  const s = summary.data;

  return (
    <>
      <div className="page-head">
        <h1 tabIndex={-1}>Overview</h1>
        {s?.asOf ? (
          <p className="muted" data-testid="as-of">
            As of {formatDay(s.asOf)} · last {s.days} complete days against the {s.days} before
          </p>
        ) : null}
      </div>
      {demo ? (
        <section className="banner" aria-label="Demo data" data-testid="demo-banner">
          <p>
            <strong>Loading the demo business's data.</strong> The numbers fill in as it goes.
          </p>
          <ProgressBar value={demo.progress} label={demo.progressMessage ?? 'Starting'} />
        </section>
      ) : null}
      {summary.loading && !s ? <Loading what="your numbers" /> : null}
      <ErrorMessage error={summary.error} title="The numbers could not be loaded" />
      {s && s.items.length === 0 && !demo ? (
        <div className="empty">
          <h2>No numbers yet</h2>
          <p>
            Bring your history in on the <Link to="/data">Data</Link> page (orders, products,
            expenses or metric points as CSV), or push metric points with{' '}
            <code>POST /v1/metrics:batch</code>.
          </p>
        </div>
      ) : null}
      {s
        ? groupItems(s.items).map((g) => (
            <section key={g.id} className="group" aria-labelledby={`group-${g.id}`}>
              <h2 id={`group-${g.id}`}>{g.title}</h2>
              <ul className="cards">
                {g.items.map((item) => (
                  <MetricCard
                    key={item.metric.name}
                    item={item}
                    currency={currency}
                    days={s.days}
                  />
                ))}
              </ul>
            </section>
          ))
        : null}
    </>
  );
}
