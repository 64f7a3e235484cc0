import { dSeparated, reachableFrom } from './d-separation.js';
import { adjacency, ancestorsOf, descendantsOf, requireNodes, validateGraph } from './graph.js';
import type { CausalGraph } from './types.js';

/** How (and whether) the effect of a treatment on an outcome can be computed from data. */
export type Identification =
  | { kind: 'backdoor'; adjustmentSet: string[]; explanation: string }
  | { kind: 'frontdoor'; mediators: string[]; explanation: string }
  | { kind: 'not_identifiable'; explanation: string };

/**
 * Finds how to estimate the effect of `treatment` on `outcome` from `graph`:
 * a backdoor adjustment set when one exists among the observed nodes (the efficient
 * "O-set" of Henckel, Perković & Maathuis when valid, else the canonical set of
 * Perković et al., made minimal), otherwise a frontdoor mediator set, otherwise a clear
 * `not_identifiable` answer naming the open backdoor path's hidden node.
 * Nodes listed in `unobserved` (or missing from the data) cannot be adjusted for.
 *
 * @example
 * identifyEffect(graph, 'promo', 'revenue'); // { kind: 'backdoor', adjustmentSet: ['season'], … }
 */
export function identifyEffect(
  graph: CausalGraph,
  treatment: string,
  outcome: string,
  unobserved: string[] = [],
): Identification {
  validateGraph(graph);
  requireNodes(graph, [treatment, outcome]);
  const hidden = new Set(unobserved);
  const observed = (id: string): boolean => !hidden.has(id);
  const forbidden = forbiddenSet(graph, treatment, outcome);
  const causalPathNodes = causalNodes(graph, treatment, outcome);
  if (causalPathNodes.size === 0) {
    return {
      kind: 'backdoor',
      adjustmentSet: [],
      explanation: `no directed path from ${treatment} to ${outcome}: the graph says the effect is zero`,
    };
  }
  const parents = adjacency(graph, 'parents');
  const oSet = new Set<string>();
  for (const c of causalPathNodes)
    for (const p of parents.get(c) ?? []) if (!forbidden.has(p) && p !== treatment) oSet.add(p);
  const oList = [...oSet].sort();
  if (oList.every(observed) && isValidBackdoor(graph, treatment, outcome, oList)) {
    return {
      kind: 'backdoor',
      adjustmentSet: oList,
      explanation: explainBackdoor(treatment, outcome, oList),
    };
  }
  const relevant = ancestorsOf(graph, [treatment, outcome]);
  const canonical = [...relevant]
    .filter((v) => observed(v) && !forbidden.has(v) && v !== treatment && v !== outcome)
    .sort();
  if (isValidBackdoor(graph, treatment, outcome, canonical)) {
    const minimal = [...canonical];
    for (const v of canonical) {
      const without = minimal.filter((m) => m !== v);
      if (isValidBackdoor(graph, treatment, outcome, without))
        minimal.splice(minimal.indexOf(v), 1);
    }
    return {
      kind: 'backdoor',
      adjustmentSet: minimal,
      explanation: explainBackdoor(treatment, outcome, minimal),
    };
  }
  const mediators = [...causalPathNodes].filter((v) => v !== outcome && observed(v)).sort();
  if (mediators.length > 0 && isFrontdoor(graph, treatment, outcome, mediators)) {
    return {
      kind: 'frontdoor',
      mediators,
      explanation: `no set of observed variables blocks every backdoor path, but ${mediators.join(', ')} carr${mediators.length > 1 ? 'y' : 'ies'} the whole effect and is unconfounded with ${treatment}: frontdoor adjustment applies`,
    };
  }
  const culprits = [...hidden].filter((h) => relevant.has(h)).sort();
  return {
    kind: 'not_identifiable',
    explanation: `the effect of ${treatment} on ${outcome} is not identifiable: a backdoor path stays open through unobserved ${culprits.join(', ') || 'variables'}, and no observed mediator set satisfies the frontdoor criterion. Measure ${culprits[0] ?? 'the hidden confounder'} or add an assumption.`,
  };
}

/**
 * Backdoor criterion: no node of `set` descends from the treatment, and `set` blocks
 * every path between treatment and outcome that starts with an arrow into the treatment.
 *
 * @example
 * isValidBackdoor(graph, 'promo', 'revenue', ['season']); // true
 */
export function isValidBackdoor(
  graph: CausalGraph,
  treatment: string,
  outcome: string,
  set: string[],
): boolean {
  const desc = descendantsOf(graph, [treatment]);
  if (set.some((s) => desc.has(s) || s === treatment || s === outcome)) return false;
  const cut: CausalGraph = {
    nodes: graph.nodes,
    edges: graph.edges.filter((e) => e.from !== treatment),
  };
  return dSeparated(cut, [treatment], [outcome], set);
}

/** Descendants of nodes on causal paths, plus the treatment (Perković et al. "forb"). */
function forbiddenSet(graph: CausalGraph, treatment: string, outcome: string): Set<string> {
  const cn = causalNodes(graph, treatment, outcome);
  const forb = descendantsOf(graph, [...cn]);
  for (const c of cn) forb.add(c);
  forb.add(treatment);
  return forb;
}

/** Nodes other than the treatment that lie on a directed path from treatment to outcome. */
function causalNodes(graph: CausalGraph, treatment: string, outcome: string): Set<string> {
  const fromT = descendantsOf(graph, [treatment]);
  if (!fromT.has(outcome)) return new Set();
  const toY = ancestorsOf(graph, [outcome]);
  const out = new Set<string>([outcome]);
  for (const v of fromT) if (toY.has(v)) out.add(v);
  return out;
}

/** Pearl's frontdoor criterion for a mediator set. */
function isFrontdoor(
  graph: CausalGraph,
  treatment: string,
  outcome: string,
  mediators: string[],
): boolean {
  const m = new Set(mediators);
  // (i) every directed path treatment → outcome passes through a mediator.
  const cut: CausalGraph = {
    nodes: graph.nodes,
    edges: graph.edges.filter((e) => !m.has(e.from) && !m.has(e.to)),
  };
  if (descendantsOf(cut, [treatment]).has(outcome)) return false;
  // (ii) no open backdoor path from treatment to the mediators.
  const noOutT: CausalGraph = {
    nodes: graph.nodes,
    edges: graph.edges.filter((e) => e.from !== treatment),
  };
  if (mediators.some((x) => reachableFrom(noOutT, [treatment], []).has(x))) return false;
  // (iii) every backdoor path from a mediator to the outcome is blocked by the treatment.
  const noOutM: CausalGraph = {
    nodes: graph.nodes,
    edges: graph.edges.filter((e) => !m.has(e.from)),
  };
  return dSeparated(noOutM, mediators, [outcome], [treatment]);
}

function explainBackdoor(treatment: string, outcome: string, set: string[]): string {
  return set.length === 0
    ? `no backdoor path connects ${treatment} and ${outcome}: compare directly`
    : `adjusting for ${set.join(', ')} blocks every backdoor path from ${treatment} to ${outcome}`;
}
