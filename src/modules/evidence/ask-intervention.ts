import { analyzeIntervention, type InterventionResult } from '../../engines/causal/index.js';
import {
  checkDay,
  knownNode,
  need,
  requireObserved,
  resolveWindow,
  windowOf,
  type Answer,
  type AskContext,
} from './ask-context.js';
import { addDays, columnsOf, daysBetween, loadDaily, requireConsecutive } from './daily-data.js';
import { evidenceError, fromEngine } from './errors.js';
import { refutationView } from './sanitize.js';
import type { AnalyzeInput } from './question-types.js';

/**
 * "How much did the event on day D move this series?": an interrupted time series on the
 * window's consecutive days (level, trend and weekday fitted before D, optionally with
 * unaffected control series), the forecast after D being the counterfactual.
 */
export async function askIntervention(ctx: AskContext, q: AnalyzeInput): Promise<Answer> {
  const warnings: string[] = [];
  const { loader } = ctx;
  const S = (await knownNode(loader, need(q.series, 'series', 'intervention'), '/body/series')).id;
  const eventDay = checkDay(need(q.eventDay, 'eventDay', 'intervention'), '/body/eventDay');
  const controls: string[] = [];
  for (const [i, id] of (q.controls ?? []).entries()) {
    const c = (await knownNode(loader, id, `/body/controls/${i}`)).id;
    if (c === S)
      throw evidenceError(
        'invalid_argument',
        'the series cannot be its own control',
        `/body/controls/${i}`,
      );
    if (columnsOf(c).length > 1)
      throw evidenceError(
        'invalid_argument',
        `${c} has several categories; a control is one series`,
        `/body/controls/${i}`,
      );
    controls.push(c);
  }
  const window = await resolveWindow(
    loader,
    { ...q, ...(q.endDay ? { to: checkDay(q.endDay, '/body/endDay') } : {}) },
    [S],
    warnings,
  );
  if (!(eventDay > window.from && eventDay < window.to))
    throw evidenceError(
      'invalid_argument',
      `eventDay ${eventDay} must fall inside the window (${window.from} to ${addDays(window.to, -1)}), after its first day`,
      '/body/eventDay',
    );
  const data = await loadDaily(loader, [S, ...controls], window.from, window.to, q.gaps ?? 'auto');
  requireObserved(data, S, '/body/series');
  for (const c of controls) requireObserved(data, c, '/body/controls');
  requireConsecutive(data, [S, ...controls], 'an intervention question');
  const series = data.values.get(S)! as number[];
  let r: InterventionResult;
  try {
    r = analyzeIntervention(series, daysBetween(window.from, eventDay), {
      controls: Object.fromEntries(
        controls.flatMap((c) =>
          columnsOf(c).map((col) => [col, data.values.get(col)! as number[]]),
        ),
      ),
      ...(q.seasonalPeriod !== undefined ? { seasonalPeriod: q.seasonalPeriod } : {}),
    });
  } catch (err) {
    fromEngine(err, (c) => c);
  }
  const start = daysBetween(window.from, eventDay);
  return {
    summary: r.summary,
    window: windowOf(data, data.days.length, [S, ...controls]),
    result: {
      kind: 'intervention',
      series: S,
      eventDay,
      endDay: window.to,
      controls,
      postDays: r.postPeriods,
      effectTotal: r.effectTotal,
      interval: r.interval,
      effectMean: r.effectMean,
      intervalMean: r.intervalMean,
      relativeEffect: r.relativeEffect,
      preFitR2: r.preFitR2,
      perDay: r.pointwise.map((effect, k) => ({
        day: data.days[start + k]!,
        actual: series[start + k]!,
        counterfactual: r.counterfactual[k]!,
        effect,
      })),
      refutations: r.refutations.map(refutationView),
      warnings,
      summary: r.summary,
    },
  };
}
