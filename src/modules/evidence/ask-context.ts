import type { CausalGraph } from '../../engines/causal/index.js';
import {
  addDays,
  daysBetween,
  MAX_SPAN_DAYS,
  type DailyData,
  type DailyLoader,
  type NodeReport,
} from './daily-data.js';
import { evidenceError } from './errors.js';
import type { EvidenceGraph } from './graph-types.js';
import { substituteSlices, toEngineGraph } from './graph-rules.js';
import { parseNode, type ParsedNode } from './nodes.js';
import type { DayRange, QuestionBase } from './question-types.js';

/** What every question handler gets: the data reader and the graph to answer with. */
export interface AskContext {
  loader: DailyLoader;
  graph: EvidenceGraph;
  /** How to name the graph in messages ("graph version 3", "the default graph"). */
  graphName: string;
}

/** The data an answer rests on, stored and returned with it. */
export interface DataWindow {
  from: string;
  /** Exclusive. */
  to: string;
  /** Days the answer used. */
  days: number;
  /** Days of the window left out for missing values. */
  droppedDays: number;
  nodes: NodeReport[];
}

/** A handler's answer: the result view, the data window and a one-line summary. */
export interface Answer {
  result: Record<string, unknown>;
  window: DataWindow;
  summary: string;
}

/** Refuses a question that lacks a field its kind needs. */
export function need<T>(value: T | undefined, field: string, kind: string): T {
  if (value === undefined || value === null)
    throw evidenceError(
      'invalid_argument',
      `${field} is required for ${kind} questions`,
      `/body/${field}`,
    );
  return value;
}

/** Reads a node id the business can use, or refuses it (400, reason unknown_node). */
export async function knownNode(
  loader: DailyLoader,
  id: string,
  path: string,
): Promise<ParsedNode> {
  const parsed = parseNode(id);
  const problem = typeof parsed === 'string' ? parsed : await loader.problemWith(parsed.id);
  if (problem || typeof parsed === 'string')
    throw evidenceError('unknown_node', problem ?? String(parsed), path, id);
  return parsed;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Checks a YYYY-MM-DD day (a real calendar date). */
export function checkDay(day: string, path: string): string {
  if (!DATE.test(day) || new Date(`${day}T00:00:00Z`).toISOString().slice(0, 10) !== day)
    throw evidenceError('invalid_argument', `${day} is not a date (YYYY-MM-DD)`, path);
  return day;
}

/** Checks a day range (from < to, at most MAX_SPAN_DAYS). */
export function checkRange(range: DayRange, path: string): DayRange {
  checkDay(range.from, `${path}/from`);
  checkDay(range.to, `${path}/to`);
  if (range.from >= range.to)
    throw evidenceError('invalid_argument', `${path}: from must be before to`, path);
  if (daysBetween(range.from, range.to) > MAX_SPAN_DAYS)
    throw evidenceError(
      'invalid_argument',
      `${path}: at most ${MAX_SPAN_DAYS} days can be analysed at once`,
      path,
    );
  return range;
}

/**
 * The window a question is answered on: `from`/`to` as given, or else the span of the
 * `primary` nodes' data (first to last day with data, at most about three years, never
 * today or later). Refuses (422 no_data) when none of them has any data.
 */
export async function resolveWindow(
  loader: DailyLoader,
  q: QuestionBase,
  primary: string[],
  warnings: string[],
): Promise<DayRange> {
  if (q.from) checkDay(q.from, '/body/from');
  if (q.to) checkDay(q.to, '/body/to');
  let from = q.from;
  let to = q.to;
  if (!from || !to) {
    const spans = (await Promise.all(primary.map((id) => loader.span(id)))).filter(
      (s): s is DayRange => s !== null,
    );
    if (spans.length === 0)
      throw evidenceError(
        'no_data',
        `${primary.join(', ')} ${primary.length > 1 ? 'have' : 'has'} no data before ${loader.today}`,
        '/body',
        primary[0],
      );
    from ??= spans.map((s) => s.from).sort()[0]!;
    to ??= spans
      .map((s) => s.to)
      .sort()
      .at(-1)!;
    if (from >= to) from = addDays(to, -1);
  }
  if (to > loader.today) {
    warnings.push(`the window was cut at ${loader.today} (today is not complete yet)`);
    to = loader.today;
  }
  return checkRange({ from, to }, '/body');
}

/** The engine graph after slices in the question took their metric's place; refuses unknown nodes. */
export function questionGraph(
  ctx: AskContext,
  names: { id: string; path: string }[],
  warnings: string[],
): { graph: CausalGraph; latent: Set<string> } {
  const sub = substituteSlices(
    toEngineGraph(ctx.graph),
    names.map((n) => n.id),
  );
  const missing = names.find((n) => sub.missing.includes(n.id));
  if (missing)
    throw evidenceError(
      'unknown_node',
      `"${missing.id}" is not a node of ${ctx.graphName} (nor a slice of one of its metrics); add it with PUT /v1/evidence/graph, send a graph with the question, or give adjustFor`,
      missing.path,
      missing.id,
    );
  for (const r of sub.replaced)
    warnings.push(`${r.by} took the place of ${r.node} in the graph (same causes and effects)`);
  const renamed = new Map(sub.replaced.map((r) => [r.node, r.by]));
  const latent = new Set(
    ctx.graph.nodes.filter((n) => n.latent).map((n) => renamed.get(n.id) ?? n.id),
  );
  return { graph: sub.graph, latent };
}

/** The data window report for the rows used. */
export function windowOf(data: DailyData, used: number, nodes: string[]): DataWindow {
  return {
    from: data.days[0]!,
    to: addDays(data.days.at(-1)!, 1),
    days: used,
    droppedDays: data.days.length - used,
    nodes: data.reports.filter((r) => nodes.includes(r.node)),
  };
}

/** Refuses a question node with no data in the window (422 no_data). */
export function requireObserved(data: DailyData, id: string, path: string): void {
  const r = data.reports.find((x) => x.node === id);
  if (r && !r.observed)
    throw evidenceError(
      'no_data',
      `${id} has no data between ${data.days[0]} and ${data.days.at(-1)}`,
      path,
      id,
    );
}

/** Metric nodes (not latent, not calendar) among `ids`. */
export function metricNodes(ids: Iterable<string>, latent: Set<string>): string[] {
  return [...ids].filter((id) => {
    if (latent.has(id)) return false;
    const p = parseNode(id);
    return typeof p === 'object' && p.kind === 'metric';
  });
}

/** Calendar nodes among `ids`. */
export function calendarNodes(ids: Iterable<string>): string[] {
  return [...ids].filter((id) => {
    const p = parseNode(id);
    return typeof p === 'object' && p.kind === 'calendar';
  });
}
