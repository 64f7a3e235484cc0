import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import type { Forecast, Series } from '../api/types';
import { bandPath, extent, linePath, linearScale, niceTicks, tickIndexes } from '../lib/chart';
import { formatBucket, wallTimeMs } from '../lib/format';

interface Props {
  series: Series;
  forecast: Forecast | null;
  format: (v: number | null) => string;
  /** Short numbers for the axis. */
  formatAxis: (v: number) => string;
}

const M = { top: 12, right: 16, bottom: 30, left: 68 };
const HEIGHT = 300;

interface Row {
  t: string;
  ms: number;
  value: number | null;
  forecast?: { value: number; lower80: number; upper80: number; lower95: number; upper95: number };
}

/**
 * The metric over time as an SVG line: one dot per bucket with data, the line broken where
 * buckets have none, and the forecast (dashed) with its 80% and 95% bands when given.
 * Pointer or arrow keys show a bucket's value.
 */
export function MetricChart({ series, forecast, format, formatAxis }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(800);
  const [cursor, setCursor] = useState<number | null>(null);

  useEffect(() => {
    const el = box.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(([entry]) => {
      const w = Math.round(entry?.contentRect.width ?? 0);
      if (w > 0) setWidth(Math.max(280, w));
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const rows: Row[] = useMemo(() => {
    const hist: Row[] = series.points.map((p) => ({
      t: p.t,
      ms: wallTimeMs(p.t),
      value: p.gap ? null : p.value,
    }));
    const last = hist.length ? hist[hist.length - 1]!.ms : -Infinity;
    const fc: Row[] = (forecast?.points ?? [])
      .map((p) => ({ t: p.t, ms: wallTimeMs(p.t), value: null, forecast: p }))
      .filter((r) => r.ms > last);
    // Forecast steps inside the shown history window annotate those buckets.
    const byMs = new Map(hist.map((r) => [r.ms, r]));
    for (const p of forecast?.points ?? []) {
      const r = byMs.get(wallTimeMs(p.t));
      if (r) r.forecast = p;
    }
    return [...hist, ...fc];
  }, [series, forecast]);

  const plotW = width - M.left - M.right;
  const plotH = HEIGHT - M.top - M.bottom;
  const withData = rows.filter((r) => r.value !== null);
  const ext = extent(rows.flatMap((r) => [r.value, r.forecast?.lower95, r.forecast?.upper95])) ?? [
    0, 1,
  ];
  if (ext[0] > 0 && ext[0] < ext[1] * 0.35) ext[0] = 0;
  const ticks = niceTicks(ext[0], ext[1], 5);
  const y = linearScale([ticks[0]!, ticks[ticks.length - 1]!], [M.top + plotH, M.top]);
  const x = linearScale(
    [rows[0]?.ms ?? 0, rows[rows.length - 1]?.ms ?? 1],
    [M.left, M.left + plotW],
  );
  const history = rows.slice(0, series.points.length);
  const fc = rows.filter((r) => r.forecast);
  const band = (lo: 'lower80' | 'lower95', hi: 'upper80' | 'upper95') =>
    bandPath(fc.map((r) => ({ x: x(r.ms), lo: y(r.forecast![lo]), hi: y(r.forecast![hi]) })));
  const dot = Math.min(3.5, Math.max(1.5, plotW / Math.max(rows.length, 1) / 3));
  const xTicks = tickIndexes(rows.length, Math.max(2, Math.floor(plotW / 110)));

  const pick = (clientX: number) => {
    const el = box.current;
    if (!el || rows.length === 0) return;
    const px = clientX - el.getBoundingClientRect().left;
    let best = 0;
    for (let i = 1; i < rows.length; i++) {
      if (Math.abs(x(rows[i]!.ms) - px) < Math.abs(x(rows[best]!.ms) - px)) best = i;
    }
    setCursor(best);
  };
  const onKey = (e: KeyboardEvent) => {
    if (rows.length === 0) return;
    const last = rows.length - 1;
    const at = cursor ?? last;
    const next =
      e.key === 'ArrowLeft'
        ? Math.max(0, at - 1)
        : e.key === 'ArrowRight'
          ? Math.min(last, at + 1)
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? last
              : null;
    if (next === null) {
      if (e.key === 'Escape') setCursor(null);
      return;
    }
    e.preventDefault();
    setCursor(next);
  };

  // The series runs to the end of today: its last day, week or month is not over yet.
  const partialT = series.interval === 'hour' ? undefined : series.points.at(-1)?.t;
  const active = cursor !== null ? rows[cursor] : undefined;
  const label = `${series.metric.title} by ${series.interval}: ${series.points.length} buckets, ${withData.length} with data${fc.length ? `, forecast of ${fc.length} steps` : ''}. Use the arrow keys to read values.`;

  return (
    <div className="chart" ref={box}>
      <svg
        width={width}
        height={HEIGHT}
        viewBox={`0 0 ${width} ${HEIGHT}`}
        role="img"
        aria-label={label}
        tabIndex={0}
        onKeyDown={onKey}
        onPointerMove={(e: PointerEvent) => pick(e.clientX)}
        onPointerLeave={() => setCursor(null)}
        onBlur={() => setCursor(null)}
        data-buckets={series.points.length}
        data-points={withData.length}
        data-forecast-points={fc.length}
      >
        <g className="grid">
          {ticks.map((t) => (
            <g key={t}>
              <line x1={M.left} x2={M.left + plotW} y1={y(t)} y2={y(t)} />
              <text x={M.left - 8} y={y(t)} dy="0.32em" textAnchor="end">
                {formatAxis(t)}
              </text>
            </g>
          ))}
        </g>
        <g className="x-axis">
          {xTicks.map((i) => (
            <text key={i} x={x(rows[i]!.ms)} y={HEIGHT - 8} textAnchor="middle">
              {formatBucket(rows[i]!.t, series.interval)}
            </text>
          ))}
        </g>
        {fc.length ? (
          <g className="forecast" data-testid="forecast">
            <path className="band95" d={band('lower95', 'upper95')} />
            <path className="band80" d={band('lower80', 'upper80')} />
            <path
              className="mean"
              d={linePath(fc.map((r) => ({ x: x(r.ms), y: y(r.forecast!.value) })))}
            />
          </g>
        ) : null}
        <path
          className="line"
          d={linePath(
            history.map((r) => ({ x: x(r.ms), y: r.value === null ? null : y(r.value) })),
          )}
        />
        <g className="points">
          {withData.map((r) => (
            <circle
              key={r.t}
              className={r.t === partialT ? 'point partial' : 'point'}
              cx={x(r.ms)}
              cy={y(r.value!)}
              r={dot}
              data-t={r.t}
            />
          ))}
        </g>
        {active ? (
          <line
            className="cursor"
            x1={x(active.ms)}
            x2={x(active.ms)}
            y1={M.top}
            y2={M.top + plotH}
          />
        ) : null}
      </svg>
      <div className="chart-readout" aria-live="polite">
        {active ? (
          <>
            <strong>{formatBucket(active.t, series.interval)}</strong>
            {active.t === partialT ? ' (so far)' : ''}:{' '}
            {active.value !== null ? format(active.value) : active.forecast ? null : 'no data'}
            {active.forecast ? (
              <span>
                {active.value !== null ? ' · ' : ''}forecast {format(active.forecast.value)} (80%:{' '}
                {format(active.forecast.lower80)} – {format(active.forecast.upper80)}; 95%:{' '}
                {format(active.forecast.lower95)} – {format(active.forecast.upper95)})
              </span>
            ) : null}
          </>
        ) : (
          <span className="muted">
            Point at the chart, or focus it and use the arrow keys, to read a value.
          </span>
        )}
      </div>
    </div>
  );
}
