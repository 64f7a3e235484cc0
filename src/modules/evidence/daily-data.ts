import type { MetricDefinition } from '../metrics/catalogue.js';
import type { MetricsService } from '../metrics/service.js';
import type { TenantTx } from '../../platform/tenancy/context.js';
import { CALENDAR_COLUMNS, calendarColumns } from './calendar.js';
import { evidenceError } from './errors.js';
import { parseNode, type ParsedNode } from './nodes.js';

/**
 * Daily data for the engine, read through `MetricsService.series` (day buckets, the
 * business's local wall time). Gap rule (`gaps: 'auto'`, the default):
 * - metrics summed per day (orders, revenue, spend…): a day without points is 0 —
 *   nothing was sold or spent;
 * - level metrics (`last`: cash balance, stock value, active customers) carry their last
 *   value forward — a balance stays what it was until it is observed again;
 * - averaged and ratio metrics (custom metrics, average order value…) stay missing: the
 *   day is left out of effect, why, what-if and PC discovery questions, and a time-series
 *   question (intervention, lagged discovery) is refused with the metric and first day.
 * `gaps: 'drop'` treats every gap as missing; `gaps: 'error'` refuses any gap.
 */
export type GapMode = 'auto' | 'drop' | 'error';

const DAY_MS = 86_400_000;
/** Default look-back: about three years of days. */
export const DEFAULT_SPAN_DAYS = 1096;
/** Longest window a question may ask for. */
export const MAX_SPAN_DAYS = 3660;
/** Fewest usable days any question is answered on. */
export const MIN_DAYS = 14;

export const addDays = (day: string, n: number): string =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
export const daysBetween = (from: string, to: string): number =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);

/** The local calendar date of an instant in a time zone. */
export function localDate(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(instant);
}

/** Every day of [from, to). */
export function dayRange(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d < to; d = addDays(d, 1)) out.push(d);
  return out;
}

/** How a node's gaps were handled. */
export interface NodeReport {
  node: string;
  /** False when the metric has no data in the window (it is then unobserved). */
  observed: boolean;
  zeroFilled: number;
  carriedForward: number;
  /** Days still without a value after the gap rule. */
  missing: number;
  firstDay: string | null;
  lastDay: string | null;
}

interface Loaded {
  from: string;
  values: (number | null)[];
}

/**
 * Reads metric nodes' daily series for one tenant (cached per request) and knows which
 * metrics exist. Calendar nodes are computed, never read.
 */
export class DailyLoader {
  private readonly cache = new Map<string, Loaded>();
  private readonly custom = new Map<string, boolean>();

  constructor(
    private readonly tx: TenantTx,
    private readonly metrics: MetricsService,
    readonly timeZone: string,
    /** The business's local date today (excluded from every window: it is not complete). */
    readonly today: string,
  ) {}

  /** The metric's definition: a catalogue metric, or a custom one with data; else null. */
  async definition(metric: string): Promise<MetricDefinition | null> {
    const def = this.metrics.definition(metric);
    if (def.derived) return def;
    let exists = this.custom.get(metric);
    if (exists === undefined) {
      exists = await this.metrics.exists(this.tx, metric);
      this.custom.set(metric, exists);
    }
    return exists ? def : null;
  }

  /** Why a node id is not usable (syntax, unknown metric, dimension it lacks), or null. */
  async problemWith(id: string): Promise<string | null> {
    const parsed = parseNode(id);
    if (typeof parsed === 'string') return parsed;
    if (parsed.kind === 'calendar') return null;
    const def = await this.definition(parsed.metric);
    if (!def)
      return `unknown metric "${parsed.metric}" (not in the catalogue and no data pushed under that name)`;
    if (!def.derived) return null; // custom metrics carry any dimension
    const allowed =
      def.aggregation === 'ratio'
        ? this.metrics
            .definition(def.numerator!)
            .dimensions.filter((d) =>
              this.metrics.definition(def.denominator!).dimensions.includes(d),
            )
        : def.dimensions;
    const bad = Object.keys(parsed.dims).find((d) => !(allowed as string[]).includes(d));
    return bad
      ? `metric "${parsed.metric}" has no dimension "${bad}"${allowed.length ? ` (it has ${allowed.join(', ')})` : ''}`
      : null;
  }

  /** The daily values of a metric node over [from, to) (null = no data that day). */
  async values(
    node: ParsedNode & { kind: 'metric' },
    from: string,
    to: string,
  ): Promise<(number | null)[]> {
    const hit = this.cache.get(node.id);
    if (hit && hit.from <= from && addDays(hit.from, hit.values.length) >= to) {
      const start = daysBetween(hit.from, from);
      return hit.values.slice(start, start + daysBetween(from, to));
    }
    const s = await this.metrics.series(this.tx, this.timeZone, node.metric, {
      interval: 'day',
      from,
      to,
      dims: node.dims,
    });
    const values = s.points.map((p) => p.value);
    this.cache.set(node.id, { from, values });
    return values;
  }

  /**
   * The days a node has data: from its first to its last day with a value among the last
   * `DEFAULT_SPAN_DAYS` days before today. Null when it has none there.
   */
  async span(id: string): Promise<{ from: string; to: string } | null> {
    const node = parseNode(id);
    if (typeof node === 'string' || node.kind === 'calendar') return null;
    const from = addDays(this.today, -DEFAULT_SPAN_DAYS);
    const values = await this.values(node, from, this.today);
    const first = values.findIndex((v) => v !== null);
    if (first < 0) return null;
    let last = values.length - 1;
    while (values[last] === null) last--;
    return { from: addDays(from, first), to: addDays(from, last + 1) };
  }

  /** How a node's days aggregate (`sum` for flows; calendar nodes are `none`). */
  async aggregation(id: string): Promise<MetricDefinition['aggregation'] | 'none'> {
    const node = parseNode(id);
    if (typeof node === 'string' || node.kind === 'calendar') return 'none';
    return this.metrics.definition(node.metric).aggregation;
  }

  /** The gap rule of a metric (see the file comment). */
  async fillRule(id: string): Promise<'zero' | 'carry' | 'none'> {
    const aggregation = await this.aggregation(id);
    if (aggregation === 'sum') return 'zero';
    if (aggregation === 'last') return 'carry';
    return 'none';
  }
}

/** Daily columns of the nodes a question uses, with the gap report. */
export interface DailyData {
  /** All days of the window, before any row is left out. */
  days: string[];
  /** Per node: one value per day of `days` (null = missing after the gap rule). */
  values: Map<string, (number | null)[]>;
  reports: NodeReport[];
}

/**
 * Reads the nodes over [from, to) and applies the gap rule. Calendar nodes are computed
 * (`trend` counts years from `from`). A metric with no data at all in the window is
 * reported unobserved and left out of `values`.
 */
export async function loadDaily(
  loader: DailyLoader,
  ids: string[],
  from: string,
  to: string,
  gaps: GapMode,
): Promise<DailyData> {
  const days = dayRange(from, to);
  const values = new Map<string, (number | null)[]>();
  const reports: NodeReport[] = [];
  for (const id of new Set(ids)) {
    const node = parseNode(id);
    if (typeof node === 'string') throw evidenceError('unknown_node', node, '/body', id);
    if (node.kind === 'calendar') {
      for (const [col, v] of Object.entries(calendarColumns(node.name, days, from)))
        values.set(col, v);
      continue;
    }
    const raw = await loader.values(node, from, to);
    const first = raw.findIndex((v) => v !== null);
    const report: NodeReport = {
      node: id,
      observed: first >= 0,
      zeroFilled: 0,
      carriedForward: 0,
      missing: 0,
      firstDay: first >= 0 ? days[first]! : null,
      lastDay: null,
    };
    reports.push(report);
    if (first < 0) continue;
    let last = raw.length - 1;
    while (raw[last] === null) last--;
    report.lastDay = days[last]!;
    const rule = gaps === 'auto' ? await loader.fillRule(id) : 'none';
    let previous: number | null = null;
    const filled = raw.map((v) => {
      if (v !== null) {
        previous = v;
        return v;
      }
      if (rule === 'zero') {
        report.zeroFilled++;
        return 0;
      }
      if (rule === 'carry' && previous !== null) {
        report.carriedForward++;
        return previous;
      }
      report.missing++;
      return null;
    });
    if (gaps === 'error' && report.missing > 0) {
      throw evidenceError(
        'missing_values',
        `${id} has no value on ${report.missing} of ${days.length} days between ${from} and ${addDays(to, -1)} (first ${days[raw.findIndex((v) => v === null)]}); with gaps "error" every day needs one`,
        '/body/gaps',
        id,
      );
    }
    values.set(id, filled);
  }
  return { days, values, reports };
}

/** The engine columns of a node: a metric is one column, a calendar node one per indicator. */
export function columnsOf(id: string): readonly string[] {
  const parsed = parseNode(id);
  if (typeof parsed === 'object' && parsed.kind === 'calendar')
    return CALENDAR_COLUMNS[parsed.name];
  return [id];
}

/**
 * Rows (days) where every column of `ids` has a value; refuses a window left with fewer
 * than `MIN_DAYS` days, saying how many and why.
 */
export function completeRows(data: DailyData, ids: string[], what: string): number[] {
  const cols = [...new Set(ids.flatMap(columnsOf))].map((c) => data.values.get(c));
  const rows: number[] = [];
  for (let i = 0; i < data.days.length; i++)
    if (cols.every((c) => c !== undefined && c[i] !== null)) rows.push(i);
  if (rows.length < MIN_DAYS) {
    const gappy = data.reports.filter((r) => ids.includes(r.node) && r.missing > 0);
    throw evidenceError(
      'too_few_rows',
      `${what} needs at least ${MIN_DAYS} days with data; only ${rows.length} of the ${data.days.length} days from ${data.days[0] ?? '?'} to ${data.days.at(-1) ?? '?'} have a value for every node${gappy.length ? ` (missing: ${gappy.map((r) => `${r.node} on ${r.missing} days`).join(', ')})` : ''}`,
    );
  }
  return rows;
}

/**
 * For time-series questions (consecutive days): refuses any node with missing days after
 * the gap rule, naming it, the count and the first day.
 */
export function requireConsecutive(data: DailyData, ids: string[], what: string): void {
  for (const r of data.reports) {
    if (!ids.includes(r.node) || r.missing === 0) continue;
    const col = data.values.get(r.node)!;
    const first = data.days[col.findIndex((v) => v === null)];
    throw evidenceError(
      'missing_values',
      `${what} needs a value for every day, but ${r.node} has none on ${r.missing} day(s) between ${data.days[0]} and ${data.days.at(-1)} (first ${first}); choose a window without gaps or push the missing days`,
      '/body',
      r.node,
    );
  }
  if (data.days.length < MIN_DAYS)
    throw evidenceError(
      'too_few_rows',
      `${what} needs at least ${MIN_DAYS} days; the window has ${data.days.length}`,
    );
}

/** Engine columns restricted to `rows`. */
export function columnsAt(
  data: DailyData,
  columns: readonly string[],
  rows: number[],
): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const c of columns) {
    const v = data.values.get(c);
    if (v) out[c] = rows.map((i) => v[i] as number);
  }
  return out;
}
