import type { EffectMethod, Estimand } from '../../engines/causal/index.js';
import type { GapMode } from './daily-data.js';
import type { GraphInput } from './graph-types.js';

/** A date range of local days: `from` inclusive, `to` exclusive (YYYY-MM-DD). */
export interface DayRange {
  from: string;
  to: string;
}

/** A metric tree for "why" questions, by node id (see the engine's MetricTree). */
export interface TreeInput {
  metric: string;
  op?: 'product' | 'sum';
  children?: TreeInput[];
  aggregate?: 'sum' | 'mean' | 'ratio';
}

/** Fields every question may carry: the data window, the gap rule, an inline graph. */
export interface QuestionBase {
  from?: string;
  to?: string;
  gaps?: GapMode;
  /** Answer with this graph instead of the stored one (not stored as a version). */
  graph?: GraphInput;
}

/** The body of `POST /v1/evidence/analyze`. */
export interface AnalyzeInput extends QuestionBase {
  kind: 'effect' | 'why' | 'what_if' | 'intervention';
  // effect
  treatment?: string;
  outcome?: string;
  estimand?: Estimand;
  method?: EffectMethod;
  adjustFor?: string[];
  seed?: number;
  // why
  metric?: string;
  periodA?: DayRange;
  periodB?: DayRange;
  tree?: TreeInput;
  // what_if
  variable?: string;
  value?: number;
  period?: DayRange;
  where?: string;
  // intervention
  series?: string;
  eventDay?: string;
  endDay?: string;
  controls?: string[];
  seasonalPeriod?: number;
}

/** The body of `POST /v1/evidence/discover`. */
export interface DiscoverInput extends QuestionBase {
  variables?: string[];
  lagged?: boolean;
  maxLag?: number;
  alpha?: number;
}

export type AnalysisKind = AnalyzeInput['kind'] | 'discover';
