import { counterfactualGraph } from './default-graph.js';
import { whatIf } from './counterfactual.js';
import type { WhatIfResult } from './counterfactual.js';
import { CausalInputError } from './errors.js';
import { estimateEffect } from './estimate-effect.js';
import type { EffectResult } from './estimate-effect.js';
import { analyzeIntervention } from './intervention-analysis.js';
import type { InterventionResult } from './intervention-analysis.js';
import { discoverLagged } from './lagged-discovery.js';
import type { LaggedDiscoveryResult } from './lagged-discovery.js';
import { discoverPc } from './pc-discovery.js';
import type { DiscoveryResult } from './pc-discovery.js';
import { explainChange } from './why-changed.js';
import type { MetricTree, Period, WhyResult } from './why-changed.js';
import type { CausalGraph, Dataset, EffectMethod, Estimand } from './types.js';

/** A question for `analyze` (the body of `POST /v1/evidence/analyze`). */
export type EvidenceQuestion =
  | {
      kind: 'effect';
      treatment: string;
      outcome: string;
      estimand?: Estimand;
      method?: EffectMethod;
      covariates?: string[];
      bootstrap?: number;
      seed?: number;
    }
  | { kind: 'why'; metric: string; periodA: Period; periodB: Period; tree?: MetricTree }
  | {
      kind: 'what_if';
      variable: string;
      value: number;
      outcome: string;
      rows?: number[];
      seed?: number;
    }
  | {
      kind: 'intervention';
      series: string | number[];
      eventIndex: number;
      controls?: string[];
      endIndex?: number;
      seasonalPeriod?: number;
    }
  | { kind: 'discover'; variables?: string[]; lagged?: boolean; maxLag?: number; alpha?: number };

/** What `analyze` returns: the question's kind, its numbers, warnings and a summary. All plain JSON. */
export type EvidenceAnswer =
  | ({ kind: 'effect' } & EffectResult)
  | ({ kind: 'why' } & WhyResult & { warnings: string[] })
  | ({ kind: 'what_if' } & WhatIfResult & { warnings: string[] })
  | ({ kind: 'intervention' } & InterventionResult & { warnings: string[] })
  | ({ kind: 'discover'; warnings: string[]; summary: string } & (
      DiscoveryResult | LaggedDiscoveryResult
    ));

/**
 * The single entry of the evidence engine: answers an effect, why, what-if, intervention
 * or discovery question on numeric columns, with an optional causal graph. Throws
 * `CausalInputError` (with an HTTP-style `status`) for input it cannot answer.
 *
 * Without a graph an effect question adjusts for the given covariates, or for every other
 * column (with a warning: those must all be pre-treatment); a what-if question assumes
 * every other column is a common cause of variable and outcome.
 *
 * @example
 * analyze({ kind: 'effect', treatment: 'promo', outcome: 'revenue', estimand: 'att' }, data, graph);
 * // → { kind: 'effect', estimate: 412.5, interval: [120.3, 704.8], refutations: [...], summary: '…' }
 */
export function analyze(
  question: EvidenceQuestion,
  data: Dataset,
  graph?: CausalGraph,
): EvidenceAnswer {
  if (!question || typeof question !== 'object')
    throw new CausalInputError('invalid_argument', 'question must be an object with a "kind"');
  switch (question.kind) {
    case 'effect': {
      const warnings: string[] = [];
      let covariates = question.covariates;
      if (!graph && !covariates) {
        covariates = Object.keys(data).filter(
          (c) => c !== question.treatment && c !== question.outcome,
        );
        warnings.push(
          `no graph or covariates given: adjusted for every other column (${covariates.join(', ') || 'none'}); that is only right if none of them is affected by ${question.treatment}`,
        );
      }
      const result = estimateEffect(data, {
        treatment: question.treatment,
        outcome: question.outcome,
        covariates,
        graph,
        estimand: question.estimand,
        method: question.method,
        bootstrap: question.bootstrap,
        seed: question.seed,
      });
      return { kind: 'effect', ...result, warnings: [...warnings, ...result.warnings] };
    }
    case 'why':
      return { kind: 'why', ...explainChange(data, { ...question, graph }), warnings: [] };
    case 'what_if': {
      const warnings: string[] = [];
      const g = graph ?? counterfactualGraph(data, question.variable, question.outcome);
      if (!graph)
        warnings.push(
          `no graph given: assumed every other column is a common cause of ${question.variable} and ${question.outcome}`,
        );
      return { kind: 'what_if', ...whatIf(data, g, question), warnings };
    }
    case 'intervention': {
      const series =
        typeof question.series === 'string' ? columnOf(data, question.series) : question.series;
      const controls = Object.fromEntries(
        (question.controls ?? []).map((c) => [c, columnOf(data, c)]),
      );
      const result = analyzeIntervention(series, question.eventIndex, {
        controls,
        endIndex: question.endIndex,
        seasonalPeriod: question.seasonalPeriod,
      });
      return { kind: 'intervention', ...result, warnings: [] };
    }
    case 'discover': {
      const result = question.lagged
        ? discoverLagged(data, {
            variables: question.variables,
            maxLag: question.maxLag,
            alpha: question.alpha,
          })
        : discoverPc(data, { variables: question.variables, alpha: question.alpha });
      return { kind: 'discover', ...result, warnings: [] };
    }
    default:
      throw new CausalInputError(
        'invalid_argument',
        `unknown question kind "${String((question as { kind?: unknown }).kind)}" (use effect, why, what_if, intervention or discover)`,
      );
  }
}

function columnOf(data: Dataset, name: string): number[] {
  const col = data[name];
  if (!col)
    throw new CausalInputError('unknown_column', `no column "${name}" in the data`, {
      field: name,
    });
  return col;
}
