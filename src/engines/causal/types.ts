/**
 * Shared, JSON-friendly types of the causal engine (the API stores graphs in JSONB).
 */

/** Numeric columns by name, all of the same length (one entry per row or per day). */
export type Dataset = Record<string, number[]>;

/** What a node stands for in the business. */
export type NodeKind = 'metric' | 'action' | 'context';

/** Where an edge came from: stated by the owner, learned from data, or from a template. */
export type EdgeProvenance = 'assumed' | 'learned' | 'template';

/** A variable of the causal graph. `id` is the column name in the data. */
export interface GraphNode {
  id: string;
  kind?: NodeKind;
  label?: string;
}

/** A directed edge `from → to` ("from causes to"). */
export interface GraphEdge {
  from: string;
  to: string;
  provenance?: EdgeProvenance;
  /** 0..1: how sure the source is (discovery fills it in). */
  confidence?: number;
  /** Lag in periods for time-series edges (0 or absent = same period). */
  lag?: number;
}

/** A causal DAG as plain JSON. */
export interface CausalGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** Which average effect: over everyone (ATE) or over the treated (ATT). */
export type Estimand = 'ate' | 'att';

/**
 * Effect estimators: `ols` is estimand-aware regression adjustment, `ols_constant` the
 * plain one-coefficient regression; `auto` is the doubly robust estimator with overlap handling.
 */
export type EffectMethod =
  'difference' | 'ols' | 'ols_constant' | 'ipw' | 'aipw' | 'matching' | 'auto';

/** A two-sided interval `[lo, hi]`. */
export type Interval = [number, number];

/** One refutation test: pass/fail with the numbers behind it. */
export interface Refutation {
  name:
    | 'placebo_treatment'
    | 'random_common_cause'
    | 'data_subset'
    | 'unobserved_confounder'
    | 'placebo_time';
  passed: boolean;
  /** The effect the test re-estimated (when it re-estimates one). */
  newEffect?: number;
  /** Named numbers the verdict rests on (p-values, E-values, shifts …). */
  details: Record<string, number>;
  summary: string;
}
