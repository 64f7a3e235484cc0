import {
  discoverLagged,
  discoverPc,
  type DiscoveryResult,
  type LaggedDiscoveryResult,
} from '../../engines/causal/index.js';
import {
  knownNode,
  metricNodes,
  resolveWindow,
  windowOf,
  type Answer,
  type AskContext,
} from './ask-context.js';
import { residualize } from './calendar-adjust.js';
import { columnsAt, columnsOf, completeRows, loadDaily, requireConsecutive } from './daily-data.js';
import { evidenceError, fromEngine } from './errors.js';
import { mergeProposal, type FoundEdge, type Proposal } from './proposal.js';
import type { DiscoverInput } from './question-types.js';

/** Calendar nodes every discovery test conditions on. */
const CONDITION_ON = ['weekday', 'season', 'trend', 'holiday', 'holiday_eve'];
/** Most variables one discovery may test. */
export const MAX_DISCOVERY_VARIABLES = 30;

/**
 * "Which metrics drive which?": the engine's PC algorithm (or, with `lagged`, its PCMCI-style
 * lagged discovery) on the metrics' daily values after removing what the calendar explains,
 * so every test is conditional on weekday, season, trend and holidays. The links found are
 * merged into the current graph as a proposal the owner can accept with PUT.
 */
export async function askDiscover(
  ctx: AskContext,
  q: DiscoverInput,
  analysisId: string,
): Promise<Answer & { proposal: Proposal }> {
  const warnings: string[] = [];
  const { loader } = ctx;
  const latent = new Set(ctx.graph.nodes.filter((n) => n.latent).map((n) => n.id));
  let variables: string[];
  if (q.variables) {
    variables = [];
    for (const [i, id] of q.variables.entries()) {
      const node = await knownNode(loader, id, `/body/variables/${i}`);
      if (node.kind === 'calendar')
        throw evidenceError(
          'invalid_argument',
          `${node.id} is a calendar node: every test already conditions on the calendar, it is not discovered`,
          `/body/variables/${i}`,
        );
      variables.push(node.id);
    }
    variables = [...new Set(variables)];
  } else
    variables = metricNodes(
      ctx.graph.nodes.map((n) => n.id),
      latent,
    );
  if (variables.length > MAX_DISCOVERY_VARIABLES)
    throw evidenceError(
      'invalid_argument',
      `at most ${MAX_DISCOVERY_VARIABLES} variables can be tested at once (got ${variables.length})`,
      '/body/variables',
    );
  const window = await resolveWindow(loader, q, variables, warnings);
  const data = await loadDaily(
    loader,
    [...variables, ...CONDITION_ON],
    window.from,
    window.to,
    q.gaps ?? 'auto',
  );
  const noData = data.reports.filter((r) => !r.observed).map((r) => r.node);
  if (noData.length) warnings.push(`no data in the window for ${noData.join(', ')}: left out`);
  let tested = variables.filter((v) => !noData.includes(v));
  if (tested.length < 2)
    throw evidenceError(
      'no_data',
      `discovery needs at least two metrics with data between ${window.from} and ${window.to}; ${tested.length ? `only ${tested.join(', ')} has` : 'none has'}`,
    );
  let rows: number[];
  if (q.lagged) {
    requireConsecutive(data, tested, 'lagged discovery');
    rows = data.days.map((_, i) => i);
  } else rows = completeRows(data, tested, 'discovery');
  const residuals = residualize(
    columnsAt(data, tested, rows),
    columnsAt(data, CONDITION_ON.flatMap(columnsOf), rows),
  );
  const flat = tested.filter((v) =>
    residuals[v]!.every((x) => Math.abs(x - residuals[v]![0]!) < 1e-9),
  );
  if (flat.length) {
    warnings.push(
      `${flat.join(', ')} ${flat.length > 1 ? 'vary' : 'varies'} only with the calendar: left out`,
    );
    tested = tested.filter((v) => !flat.includes(v));
  }
  if (tested.length < 2)
    throw evidenceError(
      'no_variation',
      'fewer than two metrics vary beyond the calendar: nothing to discover',
    );
  let found: FoundEdge[];
  let summary: string;
  let tests: number | null = null;
  try {
    if (q.lagged) {
      const r: LaggedDiscoveryResult = discoverLagged(residuals, {
        variables: tested,
        ...(q.maxLag !== undefined ? { maxLag: q.maxLag } : {}),
        ...(q.alpha !== undefined ? { alpha: q.alpha } : {}),
        seasonalPeriod: 0,
      });
      found = strongestLag(r.edges.filter((e) => e.from !== e.to)).map((e) => ({
        from: e.from,
        to: e.to,
        directed: true,
        confidence: e.confidence,
        pValue: e.pValue,
        lag: e.lag,
        strength: e.strength,
      }));
      summary = r.summary;
    } else {
      const r: DiscoveryResult = discoverPc(residuals, {
        variables: tested,
        ...(q.alpha !== undefined ? { alpha: q.alpha } : {}),
      });
      found = r.edges.map((e) => ({
        from: e.from,
        to: e.to,
        directed: e.directed,
        confidence: e.confidence,
        pValue: e.pValue,
        orientationConfidence: e.orientationConfidence,
      }));
      summary = r.summary;
      tests = r.tests;
    }
  } catch (err) {
    fromEngine(err, (c) => c);
  }
  const proposal = mergeProposal(ctx.graph, found, analysisId, tested);
  summary +=
    ` Proposal: ${proposal.added.length} edge(s) added, ${proposal.supported.length} of the graph's supported,` +
    ` ${proposal.undecided.length} undecided, ${proposal.conflicts.length} in conflict; accept it with PUT /v1/evidence/graph {"proposal": "${analysisId}"}.`;
  return {
    summary,
    window: windowOf(data, rows.length, tested),
    proposal,
    result: {
      kind: 'discover',
      method: q.lagged ? 'lagged' : 'pc',
      variables: tested,
      conditionedOn: CONDITION_ON,
      tests,
      edges: found,
      proposal: proposal.graph,
      added: proposal.added,
      supported: proposal.supported,
      undecided: proposal.undecided,
      conflicts: proposal.conflicts,
      unsupported: proposal.unsupported,
      warnings,
      summary,
    },
  };
}

/** One lagged link per ordered pair: the lag with the strongest partial correlation. */
function strongestLag<T extends { from: string; to: string; strength: number }>(edges: T[]): T[] {
  const best = new Map<string, T>();
  for (const e of edges) {
    const k = `${e.from}\u0000${e.to}`;
    const seen = best.get(k);
    if (!seen || Math.abs(e.strength) > Math.abs(seen.strength)) best.set(k, e);
  }
  return [...best.values()];
}
