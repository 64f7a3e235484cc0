import { Type } from '@sinclair/typebox';
import {
  Nullable,
  NullableTimestamp,
  Strict,
  Timestamp,
  Uuid,
} from '../../platform/http/schemas.js';
import { MAX_DISCOVERY_VARIABLES } from './ask-discover.js';
import { MAX_EDGES, MAX_NODES } from './graph-check.js';

/** HTTP schemas of the evidence routes (requests and every response). */

const lit = <T extends string>(values: readonly T[]) =>
  Type.Union(values.map((v) => Type.Literal(v)));

export const NodeId = Type.String({
  minLength: 1,
  maxLength: 300,
  description:
    'metric[dimension=value,…] (dimensions channel, location, sku) or a calendar node: weekday, weekend, month, season, trend, holiday, holiday_eve',
});
const Day = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}$',
  description: 'local date YYYY-MM-DD',
});
const Range = Strict({ from: Day, to: Type.String({ ...Day, description: 'exclusive' }) });
const Num = Type.Number();
const Interval = Type.Array(Num, { minItems: 2, maxItems: 2, description: '[low, high]' });
const Provenance = lit(['assumed', 'learned', 'template'] as const);

const NodeFields = {
  id: NodeId,
  kind: Type.Optional(lit(['metric', 'action', 'context'] as const)),
  label: Type.Optional(Type.String({ maxLength: 200 })),
  latent: Type.Optional(
    Type.Boolean({ description: 'a cause you know of but do not measure (never read from data)' }),
  ),
};
const EdgeFields = {
  from: NodeId,
  to: NodeId,
  provenance: Type.Optional(Provenance),
  confidence: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
  analysisId: Type.Optional(Uuid),
  lag: Type.Optional(Type.Integer({ minimum: 0, maximum: 365 })),
  note: Type.Optional(Type.String({ maxLength: 500 })),
};
const NodeInput = Strict(NodeFields);
const EdgeInput = Strict(EdgeFields);
const NodesInput = Type.Array(NodeInput, { maxItems: MAX_NODES });
const EdgesInput = Type.Array(EdgeInput, { maxItems: MAX_EDGES });
export const GraphInput = Strict({ nodes: NodesInput, edges: EdgesInput });
const NodeView = Type.Object(NodeFields);
const EdgeView = Type.Object({ ...EdgeFields, provenance: Provenance });
const GraphBody = Type.Object({ nodes: Type.Array(NodeView), edges: Type.Array(EdgeView) });

export const GraphQuery = Strict({
  version: Type.Optional(Type.Integer({ minimum: 0, description: '0 = the default template' })),
});

export const PutGraphBody = Strict(
  {
    nodes: Type.Optional(NodesInput),
    edges: Type.Optional(EdgesInput),
    proposal: Type.Optional(
      Type.String({
        format: 'uuid',
        description: 'accept this discover analysis’s proposal as is',
      }),
    ),
    note: Type.Optional(Type.String({ maxLength: 500 })),
    baseVersion: Type.Optional(
      Type.Integer({
        minimum: 0,
        description: 'refuse (409) unless the current version is this one',
      }),
    ),
  },
  { description: 'either nodes + edges, or proposal' },
);

const VersionFields = {
  version: Type.Integer(),
  source: lit(['template', 'owner', 'proposal'] as const),
  proposalId: Nullable(Uuid),
  note: Type.String(),
  createdBy: Nullable(Uuid),
  createdAt: NullableTimestamp,
};

export const GraphVersionView = Type.Object({
  ...VersionFields,
  nodes: Type.Array(NodeView),
  edges: Type.Array(EdgeView),
});

export const GraphVersionList = Type.Object({
  items: Type.Array(
    Type.Object({ ...VersionFields, nodeCount: Type.Integer(), edgeCount: Type.Integer() }),
  ),
});

const Gaps = lit(['auto', 'drop', 'error'] as const);
const Tree = Type.Recursive((This) =>
  Strict({
    metric: NodeId,
    op: Type.Optional(lit(['product', 'sum'] as const)),
    children: Type.Optional(Type.Array(This, { maxItems: 12 })),
    aggregate: Type.Optional(lit(['sum', 'mean', 'ratio'] as const)),
  }),
);

const Common = {
  from: Type.Optional(Day),
  to: Type.Optional(Type.String({ ...Day, description: 'exclusive' })),
  gaps: Type.Optional(Gaps),
  graph: Type.Optional(GraphInput),
};

export const AnalyzeBody = Strict(
  {
    kind: lit(['effect', 'why', 'what_if', 'intervention'] as const),
    ...Common,
    treatment: Type.Optional(
      Type.String({
        maxLength: 400,
        description: 'effect: a 0/1 node or a condition "node > 0" (>, >=, <, <=, ==, !=)',
      }),
    ),
    outcome: Type.Optional(NodeId),
    estimand: Type.Optional(lit(['ate', 'att'] as const)),
    method: Type.Optional(
      lit(['auto', 'difference', 'ols', 'ols_constant', 'ipw', 'aipw', 'matching'] as const),
    ),
    adjustFor: Type.Optional(Type.Array(NodeId, { maxItems: 50 })),
    seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 2 ** 31 - 1 })),
    metric: Type.Optional(NodeId),
    periodA: Type.Optional(Range),
    periodB: Type.Optional(Range),
    tree: Type.Optional(Tree),
    variable: Type.Optional(NodeId),
    value: Type.Optional(Type.Number()),
    period: Type.Optional(Range),
    where: Type.Optional(Type.String({ maxLength: 400 })),
    series: Type.Optional(NodeId),
    eventDay: Type.Optional(Day),
    endDay: Type.Optional(Type.String({ ...Day, description: 'exclusive' })),
    controls: Type.Optional(Type.Array(NodeId, { maxItems: 10 })),
    seasonalPeriod: Type.Optional(Type.Integer({ minimum: 0, maximum: 31 })),
  },
  {
    description:
      'effect: treatment, outcome [estimand, method, adjustFor, seed] · why: metric, periodA, periodB [tree] · what_if: variable, value, outcome [period, where] · intervention: series, eventDay [endDay, controls, seasonalPeriod]. All: [from, to, gaps, graph]. See docs/evidence.md.',
  },
);

export const DiscoverBody = Strict({
  ...Common,
  variables: Type.Optional(Type.Array(NodeId, { minItems: 2, maxItems: MAX_DISCOVERY_VARIABLES })),
  lagged: Type.Optional(Type.Boolean()),
  maxLag: Type.Optional(Type.Integer({ minimum: 1, maximum: 14 })),
  alpha: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 0.2 })),
});

const Refutation = Type.Object({
  name: Type.String(),
  passed: Type.Boolean(),
  newEffect: Nullable(Num),
  details: Type.Record(Type.String(), Num),
  summary: Type.String(),
});
const Strings = Type.Array(Type.String());

const EffectResult = Type.Object({
  kind: Type.Literal('effect'),
  treatment: Type.String(),
  treatedWhen: Type.String(),
  outcome: Type.String(),
  estimand: Type.String(),
  estimate: Num,
  interval: Interval,
  confidence: Num,
  se: Num,
  method: Type.String(),
  methodUsed: Type.String(),
  adjustmentSet: Strings,
  adjustmentColumns: Strings,
  identification: Type.String(),
  n: Type.Integer(),
  nTreated: Type.Integer(),
  nControl: Type.Integer(),
  naive: Type.Object({ estimate: Num, interval: Interval, se: Num }),
  balance: Type.Array(
    Type.Object({
      node: Type.String(),
      column: Type.String(),
      treatedMean: Num,
      untreatedMean: Num,
    }),
  ),
  refutations: Type.Array(Refutation),
  details: Type.Record(Type.String(), Num),
  warnings: Strings,
  summary: Type.String(),
});

const Driver = Type.Object({
  driver: Type.String(),
  amount: Num,
  share: Num,
  path: Type.String(),
  valueA: Nullable(Num),
  valueB: Nullable(Num),
  anomalyScore: Type.Optional(Num),
});
const PeriodView = Type.Object({ from: Type.String(), to: Type.String(), days: Type.Integer() });
const WhyResult = Type.Object({
  kind: Type.Literal('why'),
  metric: Type.String(),
  aggregate: lit(['sum', 'mean'] as const),
  periodA: PeriodView,
  periodB: PeriodView,
  valueA: Num,
  valueB: Num,
  change: Num,
  changePercent: Nullable(Num),
  tree: Type.Unknown({ description: 'the metric tree used (null: none)' }),
  treeDrivers: Type.Array(Driver),
  parentDrivers: Type.Array(Driver),
  rootCauses: Type.Array(Driver),
  warnings: Strings,
  summary: Type.String(),
});

const WhatIfResult = Type.Object({
  kind: Type.Literal('what_if'),
  variable: Type.String(),
  value: Num,
  outcome: Type.String(),
  days: Type.Integer(),
  on: Type.Object({
    period: Nullable(Type.Object({ from: Type.String(), to: Type.String() })),
    where: Nullable(Type.String()),
  }),
  actualTotal: Num,
  counterfactualTotal: Num,
  difference: Num,
  interval: Interval,
  actualMean: Num,
  counterfactualMean: Num,
  perDay: Type.Array(Type.Object({ day: Type.String(), actual: Num, counterfactual: Num })),
  warnings: Strings,
  summary: Type.String(),
});

const InterventionResult = Type.Object({
  kind: Type.Literal('intervention'),
  series: Type.String(),
  eventDay: Type.String(),
  endDay: Type.String(),
  controls: Strings,
  postDays: Type.Integer(),
  effectTotal: Num,
  interval: Interval,
  effectMean: Num,
  intervalMean: Interval,
  relativeEffect: Nullable(Num),
  preFitR2: Num,
  perDay: Type.Array(
    Type.Object({ day: Type.String(), actual: Num, counterfactual: Num, effect: Num }),
  ),
  refutations: Type.Array(Refutation),
  warnings: Strings,
  summary: Type.String(),
});

const FoundEdge = Type.Object({
  from: Type.String(),
  to: Type.String(),
  directed: Type.Boolean(),
  confidence: Num,
  pValue: Num,
  orientationConfidence: Type.Optional(Num),
  lag: Type.Optional(Type.Integer()),
  strength: Type.Optional(Num),
});
const DiscoverResult = Type.Object({
  kind: Type.Literal('discover'),
  method: lit(['pc', 'lagged'] as const),
  variables: Strings,
  conditionedOn: Strings,
  tests: Nullable(Type.Integer()),
  edges: Type.Array(FoundEdge),
  proposal: GraphBody,
  added: Type.Array(EdgeView),
  supported: Type.Array(EdgeView),
  undecided: Type.Array(FoundEdge),
  conflicts: Type.Array(Type.Intersect([FoundEdge, Type.Object({ reason: Type.String() })])),
  unsupported: Type.Array(EdgeView),
  warnings: Strings,
  summary: Type.String(),
});

const DataWindow = Type.Object({
  from: Type.String(),
  to: Type.String({ description: 'exclusive' }),
  days: Type.Integer({ description: 'days the answer used' }),
  droppedDays: Type.Integer({ description: 'days of the window left out for missing values' }),
  nodes: Type.Array(
    Type.Object({
      node: Type.String(),
      observed: Type.Boolean(),
      zeroFilled: Type.Integer(),
      carriedForward: Type.Integer(),
      missing: Type.Integer(),
      firstDay: Nullable(Type.String()),
      lastDay: Nullable(Type.String()),
    }),
  ),
});

const AnalysisKind = lit(['effect', 'why', 'what_if', 'intervention', 'discover'] as const);
const AnalysisFields = {
  id: Uuid,
  kind: AnalysisKind,
  question: Type.Unknown({ description: 'the question as asked' }),
  graphVersion: Nullable(
    Type.Integer({ description: '0 = the default template; null = a graph sent inline' }),
  ),
  data: DataWindow,
  summary: Type.String(),
  durationMs: Type.Integer(),
  createdBy: Nullable(Uuid),
  createdAt: Timestamp,
};

export const AnalysisView = Type.Object({
  ...AnalysisFields,
  result: Type.Union([EffectResult, WhyResult, WhatIfResult, InterventionResult, DiscoverResult]),
});

export const AnalysisList = Type.Object({ items: Type.Array(Type.Object(AnalysisFields)) });

export const AnalysisListQuery = Strict({
  kind: Type.Optional(AnalysisKind),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  before: Type.Optional(Timestamp),
});
