/**
 * The evidence (causal) engine: causal graphs, identification, effect estimators with
 * refuters, discovery, counterfactuals, change decomposition and intervention analysis.
 * Pure computation: numeric columns and plain JSON in, plain JSON out.
 */
export { analyze } from './analyze.js';
export type { EvidenceAnswer, EvidenceQuestion } from './analyze.js';
export { whatIf } from './counterfactual.js';
export type { WhatIfQuestion, WhatIfResult } from './counterfactual.js';
export { dSeparated } from './d-separation.js';
export { counterfactualGraph } from './default-graph.js';
export { eValue, intervalEValue } from './e-value.js';
export { CausalInputError } from './errors.js';
export type { CausalErrorCode } from './errors.js';
export type { EffectSample, RawEstimate } from './effect-sample.js';
export { estimateEffect } from './estimate-effect.js';
export type { EffectOptions, EffectResult } from './estimate-effect.js';
export { ancestorsOf, descendantsOf, parentsOf, validateGraph } from './graph.js';
export { identifyEffect, isValidBackdoor } from './identification.js';
export type { Identification } from './identification.js';
export { analyzeIntervention } from './intervention-analysis.js';
export type { InterventionOptions, InterventionResult } from './intervention-analysis.js';
export { discoverLagged } from './lagged-discovery.js';
export type {
  LaggedDiscoveryOptions,
  LaggedDiscoveryResult,
  LaggedEdge,
} from './lagged-discovery.js';
export { normalCdf, normalQuantile } from './normal.js';
export { discoverPc } from './pc-discovery.js';
export type { CandidateEdge, DiscoveryResult, PcOptions } from './pc-discovery.js';
export { refuteEstimate } from './refuters.js';
export type { RefuterOptions } from './refuters.js';
export { fitStructuralModel } from './structural-model.js';
export type { NodeMechanism, StructuralModel } from './structural-model.js';
export { randomLinearScm, simulateLinearScm } from './synthetic-data.js';
export type { LinearScmSpec } from './synthetic-data.js';
export type {
  CausalGraph,
  Dataset,
  EdgeProvenance,
  EffectMethod,
  Estimand,
  GraphEdge,
  GraphNode,
  Interval,
  NodeKind,
  Refutation,
} from './types.js';
export { explainChange } from './why-changed.js';
export type { Driver, MetricTree, Period, WhyResult } from './why-changed.js';
