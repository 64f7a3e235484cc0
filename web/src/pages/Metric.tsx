import { useEffect, useState, type FormEvent } from 'react';
import { ApiError, api, apiResponse, parseResponse } from '../api/client';
import type { Forecast, Interval, Job, Series } from '../api/types';
import { useMe } from '../auth';
import { MetricChart } from '../components/MetricChart';
import { ErrorMessage, Loading, Table } from '../components/ui';
import { addDays, formatBucket, formatValue, todayIn } from '../lib/format';
import { usePageTitle } from '../lib/page';
import { useApi } from '../lib/use-api';
import { Link, setQuery, useLocation } from '../router';

const INTERVALS: Interval[] = ['hour', 'day', 'week', 'month'];
const RANGES = [
  { id: '7d', label: '7 days', days: 7 },
  { id: '30d', label: '30 days', days: 30 },
  { id: '90d', label: '90 days', days: 90 },
  { id: '1y', label: '1 year', days: 365 },
  { id: '2y', label: '2 years', days: 730 },
] as const;
type RangeId = (typeof RANGES)[number]['id'];
const DIMENSIONS = ['channel', 'location', 'sku'] as const;
const MAX_BUCKETS = 5000; // the API's limit per request
const HOURS_PER = { hour: 24, day: 1, week: 1 / 7, month: 1 / 28 };

const capitalize = (w: string) => w[0]!.toUpperCase() + w.slice(1);
const fits = (interval: Interval, days: number) => days * HOURS_PER[interval] <= MAX_BUCKETS;

type ForecastState =
  | { kind: 'off' }
  | { kind: 'loading' }
  | { kind: 'ready'; forecast: Forecast }
  | { kind: 'unavailable'; reason: string | null };

/**
 * The current forecast of what is shown, when the API has forecasts: polls while it is being
 * computed in the background; a 404 for the route (no forecasts API) hides the overlay.
 */
function useForecast(path: string | null): ForecastState {
  // The answer for a path; a path with no answer yet is loading.
  const [result, setResult] = useState<{ path: string; state: ForecastState } | null>(null);
  useEffect(() => {
    if (!path) return;
    const ctrl = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const settle = (state: ForecastState) => {
      if (!ctrl.signal.aborted) setResult({ path, state });
    };
    const attempt = async (n: number) => {
      try {
        const res = await apiResponse(path, { signal: ctrl.signal });
        if (res.status === 404) return settle({ kind: 'unavailable', reason: null });
        const body = await parseResponse<{ forecast: Forecast; job: Job | null }>(res);
        const f = body.forecast;
        if (f.status === 'running') {
          if (n < 90 && !ctrl.signal.aborted) timer = setTimeout(() => void attempt(n + 1), 2000);
          else
            settle({
              kind: 'unavailable',
              reason: 'The forecast is taking long; try again later.',
            });
          return;
        }
        if (f.status === 'failed' || f.points.length === 0) {
          return settle({
            kind: 'unavailable',
            reason: f.error?.message ?? 'No forecast could be made.',
          });
        }
        settle({ kind: 'ready', forecast: f });
      } catch (err) {
        settle({
          kind: 'unavailable',
          reason:
            err instanceof ApiError && err.status === 422
              ? `No forecast: ${err.message}`
              : err instanceof ApiError && err.status >= 500
                ? 'The forecast could not be computed.'
                : err instanceof Error
                  ? err.message
                  : null,
        });
      }
    };
    void attempt(0);
    return () => {
      ctrl.abort();
      if (timer) clearTimeout(timer);
    };
  }, [path]);
  if (!path) return { kind: 'off' };
  return result?.path === path ? result.state : { kind: 'loading' };
}

function Segmented<T extends string>({
  legend,
  options,
  value,
  onChange,
  disabled,
  name,
}: {
  legend: string;
  name: string;
  options: readonly { id: T; label: string }[];
  value: T;
  onChange: (v: T) => void;
  disabled?: (v: T) => string | null;
}) {
  return (
    <fieldset className="segmented">
      <legend>{legend}</legend>
      {options.map((o) => {
        const why = disabled?.(o.id) ?? null;
        return (
          <label key={o.id} className={value === o.id ? 'on' : undefined} title={why ?? undefined}>
            <input
              type="radio"
              name={name}
              value={o.id}
              checked={value === o.id}
              disabled={why !== null}
              onChange={() => onChange(o.id)}
            />
            {o.label}
          </label>
        );
      })}
    </fieldset>
  );
}

function DimensionFilter({ dims, query }: { dims: string[]; query: URLSearchParams }) {
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(dims.map((d) => [d, query.get(d) ?? ''])),
  );
  const active = dims.some((d) => query.get(d));
  const apply = (e: FormEvent) => {
    e.preventDefault();
    setQuery(Object.fromEntries(dims.map((d) => [d, values[d]?.trim() || null])));
  };
  return (
    <form className="dim-filter" onSubmit={apply} aria-label="Filter by dimension">
      {dims.map((d) => (
        <label key={d}>
          {d === 'sku' ? 'SKU' : capitalize(d)}
          <input
            name={d}
            value={values[d] ?? ''}
            placeholder="all"
            onChange={(e) => setValues((v) => ({ ...v, [d]: e.target.value }))}
          />
        </label>
      ))}
      <button type="submit">Apply filter</button>
      {active ? (
        <button
          type="button"
          onClick={() => {
            setValues(Object.fromEntries(dims.map((d) => [d, ''])));
            setQuery(Object.fromEntries(dims.map((d) => [d, null])));
          }}
        >
          Clear
        </button>
      ) : null}
    </form>
  );
}

export function MetricPage({ name }: { name: string }) {
  const me = useMe();
  const { query } = useLocation();
  const currency = me.tenant.currency;
  const interval = (INTERVALS as string[]).includes(query.get('interval') ?? '')
    ? (query.get('interval') as Interval)
    : 'day';
  const rangeParam = RANGES.find((r) => r.id === query.get('range'));
  const range =
    rangeParam && fits(interval, rangeParam.days)
      ? rangeParam
      : interval === 'hour'
        ? RANGES[0]
        : RANGES[2];
  const showForecast = query.get('forecast') !== 'off';
  const dims = Object.fromEntries(
    DIMENSIONS.map((d) => [d, query.get(d) ?? undefined]).filter(([, v]) => v),
  ) as Record<string, string>;
  const from = addDays(todayIn(me.tenant.timezone), -(range.days - 1));
  const seriesKey = JSON.stringify({ name, interval, from, dims });
  const series = useApi(
    (signal) =>
      api<Series>(`/v1/metrics/${encodeURIComponent(name)}/series`, {
        query: { interval, from, ...dims },
        signal,
      }),
    seriesKey,
  );
  const forecastPath = showForecast
    ? `/v1/metrics/${encodeURIComponent(name)}/forecast?${new URLSearchParams({ interval, ...dims })}`
    : null;
  const forecast = useForecast(
    series.data && series.data.points.some((p) => !p.gap) ? forecastPath : null,
  );
  const [showTable, setShowTable] = useState(false);

  const s = series.data;
  const title = s?.metric.title ?? name;
  usePageTitle(title);
  const fmt = (v: number | null) => formatValue(v, s?.metric.unit ?? 'count', { currency });
  const fmtAxis = (v: number) =>
    formatValue(v, s?.metric.unit ?? 'count', { currency, compact: true });
  const notFound = series.error instanceof ApiError && series.error.status === 404;
  const withData = s ? s.points.filter((p) => !p.gap).length : 0;

  return (
    <>
      <p className="crumbs">
        <Link to="/">← Overview</Link>
      </p>
      <div className="page-head">
        <h1 tabIndex={-1}>{title}</h1>
        {s ? <p className="muted">{s.metric.description}</p> : null}
      </div>
      {notFound ? (
        <p role="alert">There is no metric named “{name}”.</p>
      ) : (
        <>
          <div className="controls">
            <Segmented
              legend="Interval"
              name="interval"
              options={INTERVALS.map((i) => ({ id: i, label: capitalize(i) }))}
              value={interval}
              onChange={(v) => setQuery({ interval: v === 'day' ? null : v })}
            />
            <Segmented<RangeId>
              legend="Range"
              name="range"
              options={RANGES}
              value={range.id}
              onChange={(v) => setQuery({ range: v })}
              disabled={(id) =>
                fits(interval, RANGES.find((r) => r.id === id)!.days)
                  ? null
                  : `Too many ${interval}s: choose a coarser interval`
              }
            />
            {forecast.kind === 'unavailable' && forecast.reason === null ? null : (
              <label className="check">
                <input
                  type="checkbox"
                  checked={showForecast}
                  onChange={(e) => setQuery({ forecast: e.target.checked ? null : 'off' })}
                />
                Show forecast
              </label>
            )}
          </div>
          {s && s.metric.dimensions.length ? (
            <DimensionFilter key={seriesKey} dims={s.metric.dimensions} query={query} />
          ) : null}
          <ErrorMessage error={series.error} title="The series could not be loaded" />
          {series.loading && !s ? <Loading what="the series" /> : null}
          {s ? (
            <section
              aria-label="Chart"
              className={series.loading ? 'chart-wrap is-loading' : 'chart-wrap'}
              aria-busy={series.loading}
            >
              <p className="muted chart-caption" data-testid="chart-caption">
                {s.points.length} {interval}s from {formatBucket(s.from, interval)} · {withData}{' '}
                with data
                {withData < s.points.length
                  ? ` · ${s.points.length - withData} without (gaps in the line)`
                  : ''}
                {interval !== 'hour' && s.points.at(-1)?.gap === false
                  ? ` · the last ${interval} is not over yet (hollow dot)`
                  : ''}
                {' · '}times in {s.timezone}
              </p>
              <MetricChart
                series={s}
                forecast={forecast.kind === 'ready' ? forecast.forecast : null}
                format={fmt}
                formatAxis={fmtAxis}
              />
              <p className="muted forecast-status" role="status" data-testid="forecast-status">
                {forecast.kind === 'loading' ? 'Computing the forecast…' : null}
                {forecast.kind === 'ready'
                  ? `Forecast: ${forecast.forecast.points.length} ${interval}s ahead, dashed, with 80% (darker) and 95% (lighter) bands${
                      forecast.forecast.model ? ` · model ${forecast.forecast.model}` : ''
                    }${
                      forecast.forecast.backtest
                        ? ` · backtest MASE ${forecast.forecast.backtest.mase.toFixed(2)}`
                        : ''
                    }`
                  : null}
                {forecast.kind === 'unavailable' && forecast.reason ? forecast.reason : null}
              </p>
              <details onToggle={(e) => setShowTable((e.target as HTMLDetailsElement).open)}>
                <summary>Show the numbers as a table</summary>
                {showTable ? (
                  <Table
                    caption={`${title} by ${interval}`}
                    captionHidden
                    columns={[capitalize(interval), { label: 'Value', num: true }]}
                  >
                    {s.points.map((p) => (
                      <tr key={p.t}>
                        <td>{formatBucket(p.t, interval)}</td>
                        <td className="num">{p.gap ? 'no data' : fmt(p.value)}</td>
                      </tr>
                    ))}
                  </Table>
                ) : null}
              </details>
            </section>
          ) : null}
        </>
      )}
    </>
  );
}
