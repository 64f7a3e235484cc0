import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { JobView } from '../jobs/routes.js';
import {
  Nullable,
  NullableTimestamp,
  Strict,
  Timestamp,
  Uuid,
} from '../../platform/http/schemas.js';

/**
 * HTTP schemas of the plans routes. Requests are strict (unknown fields → 400 with the path);
 * every number has bounds, so no request can put ±Infinity or absurd magnitudes into a model.
 */

const MONEY_MAX = 1e9;
const QTY_MAX = 1e9;

const Money = (description?: string) =>
  Type.Number({ minimum: 0, maximum: MONEY_MAX, ...(description ? { description } : {}) });
const opt = <T extends TSchema>(schema: T) => Type.Optional(schema);
const Day = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}$',
  description: 'local date YYYY-MM-DD',
});
const Name = Type.String({ minLength: 1, maxLength: 100 });

export const PLAN_KINDS = ['inventory', 'staffing', 'budget'] as const;
export type PlanKind = (typeof PLAN_KINDS)[number];
export const PlanKindSchema = Type.Union(PLAN_KINDS.map((k) => Type.Literal(k)));

/** Solver settings every plan request accepts. */
const settings = {
  timeLimitSeconds: opt(
    Type.Number({
      minimum: 1,
      maximum: 60,
      description: 'solver time limit (default 10 s); the plan says how far from proven it is',
    }),
  ),
  mipRelGap: opt(
    Type.Number({
      minimum: 1e-6,
      maximum: 0.5,
      description: 'stop when proven within this relative gap (default 0.0001)',
    }),
  ),
  run: opt(
    Type.Union([Type.Literal('auto'), Type.Literal('job')], {
      description:
        '`auto` (default): inline when small, a background job when large; `job`: always a job',
    }),
  ),
};

/** One forecast step of demand (units per day), as the forecasting engine gives it. */
const DemandStep = Strict({
  mean: opt(Type.Number({ minimum: -QTY_MAX, maximum: QTY_MAX })),
  sd: opt(Type.Number({ minimum: 0, maximum: QTY_MAX })),
  lower80: opt(Type.Number({ minimum: -QTY_MAX, maximum: QTY_MAX })),
  upper80: opt(Type.Number({ minimum: -QTY_MAX, maximum: QTY_MAX })),
  lower95: opt(Type.Number({ minimum: -QTY_MAX, maximum: QTY_MAX })),
  upper95: opt(Type.Number({ minimum: -QTY_MAX, maximum: QTY_MAX })),
});

const SkuOverride = Strict(
  {
    sku: Name,
    name: opt(Type.String({ maxLength: 200 })),
    exclude: opt(Type.Boolean({ description: 'leave this SKU out of the plan' })),
    supplier: opt(Nullable(Name)),
    unitCost: opt(Nullable(Money('purchase cost per unit; null = unknown (the SKU is left out)'))),
    price: opt(Nullable(Money('selling price per unit'))),
    stock: opt(Type.Number({ minimum: -QTY_MAX, maximum: QTY_MAX, description: 'units on hand' })),
    onOrder: opt(Type.Number({ minimum: 0, maximum: QTY_MAX })),
    leadTimeDays: opt(Nullable(Type.Integer({ minimum: 0, maximum: 365 }))),
    casePack: opt(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
    moq: opt(Type.Integer({ minimum: 0, maximum: QTY_MAX })),
    shelfLifeDays: opt(Nullable(Type.Integer({ minimum: 1, maximum: 3650 }))),
    unitVolume: opt(Type.Number({ minimum: 0, maximum: QTY_MAX })),
    storageId: opt(Name),
    maxStock: opt(Type.Number({ minimum: 0, maximum: QTY_MAX })),
    minServiceLevel: opt(Type.Number({ minimum: 0, maximum: 0.999 })),
    stockoutPenalty: opt(Money()),
    dailyDemand: opt(
      Type.Number({
        minimum: -QTY_MAX,
        maximum: QTY_MAX,
        description: 'expected units per day, instead of the forecast',
      }),
    ),
    demand: opt(
      Type.Array(DemandStep, {
        minItems: 1,
        maxItems: 400,
        description: 'daily demand steps from today, instead of the forecast',
      }),
    ),
  },
  {
    description:
      'Overrides one product by SKU; a SKU the business does not have is added to the plan',
  },
);

export const InventoryRequest = Strict({
  asOf: opt(Day),
  budget: opt(Money('most to spend on this round of orders')),
  reviewPeriodDays: opt(Type.Integer({ minimum: 1, maximum: 90 })),
  holdingCostRate: opt(Type.Number({ minimum: 0, maximum: 5 })),
  minServiceLevel: opt(Type.Number({ minimum: 0, maximum: 0.999 })),
  objective: opt(Type.Union([Type.Literal('profit'), Type.Literal('cost')])),
  historyDays: opt(Type.Integer({ minimum: 14, maximum: 730 })),
  forecastModels: opt(Type.Union([Type.Literal('fast'), Type.Literal('full')])),
  only: opt(Type.Array(Name, { minItems: 1, maxItems: 20_000, uniqueItems: true })),
  skus: opt(Type.Array(SkuOverride, { maxItems: 20_000 })),
  suppliers: opt(
    Type.Array(
      Strict({
        id: Name,
        minOrderValue: opt(Money()),
        orderCost: opt(Money()),
      }),
      { maxItems: 1_000 },
    ),
  ),
  storage: opt(
    Type.Array(Strict({ id: Name, capacity: Type.Number({ minimum: 0, maximum: QTY_MAX }) }), {
      minItems: 1,
      maxItems: 100,
    }),
  ),
  ...settings,
});
export type InventoryRequest = Static<typeof InventoryRequest>;

const Hour = Type.Number({ minimum: 0, maximum: 24 });
const Windows = Type.Array(Type.Array(Hour, { minItems: 2, maxItems: 2 }), { maxItems: 12 });
const Availability = Strict(
  {
    mon: opt(Windows),
    tue: opt(Windows),
    wed: opt(Windows),
    thu: opt(Windows),
    fri: opt(Windows),
    sat: opt(Windows),
    sun: opt(Windows),
  },
  { description: 'windows of local clock hours per weekday, e.g. {"mon": [[6, 19]]}' },
);

const StaffOverride = Strict(
  {
    id: Name,
    name: opt(Type.String({ maxLength: 200 })),
    exclude: opt(Type.Boolean()),
    skills: opt(Type.Array(Name, { maxItems: 50 })),
    hourlyCost: opt(Money()),
    minHours: opt(Type.Number({ minimum: 0, maximum: 168 })),
    maxHours: opt(Type.Number({ minimum: 0, maximum: 168 })),
    maxDays: opt(Type.Integer({ minimum: 0, maximum: 14 })),
    maxShiftHours: opt(Type.Number({ minimum: 1, maximum: 24 })),
    availability: opt(Availability),
  },
  { description: 'Overrides one person by staff id; an unknown id adds a person' },
);

export const StaffingRequest = Strict({
  weekStart: opt(Day),
  days: opt(
    Type.Integer({
      minimum: 1,
      maximum: 7,
      description: 'days to plan from weekStart (default 7)',
    }),
  ),
  openHour: opt(Type.Integer({ minimum: 0, maximum: 23 })),
  closeHour: opt(Type.Integer({ minimum: 1, maximum: 24 })),
  demandMethod: opt(Type.Union([Type.Literal('average'), Type.Literal('forecast')])),
  historyWeeks: opt(Type.Integer({ minimum: 1, maximum: 26 })),
  channel: opt(Type.String({ maxLength: 100 })),
  ordersPerStaffHour: opt(Type.Number({ exclusiveMinimum: 0, maximum: 10_000 })),
  minStaff: opt(Type.Integer({ minimum: 0, maximum: 1_000 })),
  openAtOrders: opt(Type.Number({ minimum: 0, maximum: 10_000 })),
  roles: opt(
    Type.Array(Strict({ skill: Name, minStaff: Type.Integer({ minimum: 1, maximum: 1_000 }) }), {
      maxItems: 20,
    }),
  ),
  requirements: opt(
    Type.Array(
      Strict({
        skill: opt(Name),
        required: Type.Array(
          Type.Array(Type.Number({ minimum: -1_000, maximum: 1_000 }), { maxItems: 24 }),
          { minItems: 1, maxItems: 7, description: 'required[day][hour − openHour]' },
        ),
      }),
      { minItems: 1, maxItems: 20 },
    ),
  ),
  staff: opt(Type.Array(StaffOverride, { maxItems: 2_000 })),
  shiftPatterns: opt(
    Type.Array(
      Strict({
        start: Type.Integer({ minimum: 0, maximum: 23 }),
        hours: Type.Integer({ minimum: 1, maximum: 24 }),
      }),
      { minItems: 1, maxItems: 200 },
    ),
  ),
  minShiftHours: opt(Type.Integer({ minimum: 1, maximum: 24 })),
  maxShiftHours: opt(Type.Integer({ minimum: 1, maximum: 24 })),
  shiftLengthStep: opt(Type.Integer({ minimum: 1, maximum: 24 })),
  shiftStartStep: opt(Type.Integer({ minimum: 1, maximum: 24 })),
  minRestHours: opt(Type.Number({ minimum: 0, maximum: 48 })),
  laborBudget: opt(Money('most to spend on wages in the plan')),
  underCoveragePenalty: opt(Money('cost of one missing staff-hour')),
  ...settings,
});
export type StaffingRequest = Static<typeof StaffingRequest>;

export const BudgetRequest = Strict({
  budget: opt(Money('total to allocate over `days` (default: the spend of the last `days` days)')),
  days: opt(Type.Integer({ minimum: 1, maximum: 366 })),
  historyDays: opt(Type.Integer({ minimum: 14, maximum: 730 })),
  asOf: opt(Day),
  objective: opt(Type.Union([Type.Literal('return'), Type.Literal('profit')])),
  step: opt(Type.Number({ exclusiveMinimum: 0, maximum: MONEY_MAX })),
  channels: opt(
    Type.Array(
      Strict({
        id: Name,
        name: opt(Type.String({ maxLength: 200 })),
        exclude: opt(Type.Boolean()),
        min: opt(Money('least to spend over the period')),
        max: opt(Money('most to spend over the period')),
        history: opt(
          Type.Array(Strict({ spend: Money(), return: Money() }), {
            maxItems: 2_000,
            description: 'daily spend and attributed return, instead of the stored history',
          }),
        ),
        curve: opt(
          Type.Union([
            Strict({
              kind: Type.Literal('log'),
              a: Money(),
              b: Type.Number({ exclusiveMinimum: 0, maximum: MONEY_MAX }),
            }),
            Strict({
              kind: Type.Literal('saturation'),
              a: Money(),
              b: Type.Number({ exclusiveMinimum: 0, maximum: MONEY_MAX }),
            }),
            Strict({ kind: Type.Literal('linear'), a: Type.Number({ minimum: 0, maximum: 1e6 }) }),
          ]),
        ),
      }),
      { maxItems: 200 },
    ),
  ),
  ...settings,
});
export type BudgetRequest = Static<typeof BudgetRequest>;

const Scalar = Type.Union([
  Type.Number(),
  Type.String({ maxLength: 200 }),
  Type.Boolean(),
  Type.Null(),
]);

export const WhatIfRequest = Strict({
  change: Strict(
    {
      path: Type.String({
        minLength: 1,
        maxLength: 300,
        description:
          'dotted path into the plan input, e.g. `skus[id=BNS-01].leadTimeDays`, `budget`',
      }),
      value: opt(Scalar),
      multiplyBy: opt(Type.Number({ minimum: -1e6, maximum: 1e6 })),
      add: opt(Type.Number({ minimum: -1e9, maximum: 1e9 })),
    },
    { description: 'set `value`, or adjust a number with `multiplyBy` and/or `add`' },
  ),
  timeLimitSeconds: settings.timeLimitSeconds,
  run: settings.run,
});
export type WhatIfRequest = Static<typeof WhatIfRequest>;

const Decision = Type.Union([Type.Literal('approved'), Type.Literal('rejected')]);
const Note = Type.String({ maxLength: 1_000 });

export const DecisionRequest = Strict({ decision: Decision, note: opt(Note) });
export type DecisionRequest = Static<typeof DecisionRequest>;

export const BatchDecisionRequest = Strict({
  decision: Decision,
  note: opt(Note),
  itemIds: opt(
    Type.Array(Uuid, {
      minItems: 1,
      maxItems: 10_000,
      uniqueItems: true,
      description: 'items to decide (default: every pending item)',
    }),
  ),
});
export type BatchDecisionRequest = Static<typeof BatchDecisionRequest>;

export const ListQuery = Strict({
  kind: opt(PlanKindSchema),
  limit: opt(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  before: opt(Timestamp),
});

export const ItemParams = Strict({ id: Uuid, itemId: Uuid });

// ---- responses ----

export const PlanItemView = Type.Object({
  id: Uuid,
  position: Type.Integer(),
  kind: Type.Union([Type.Literal('order'), Type.Literal('shift'), Type.Literal('allocation')]),
  ref: Type.String({ description: 'the SKU, staff id or channel' }),
  label: Type.String(),
  quantity: Type.Number({ description: 'units to order, hours of the shift, money to spend' }),
  unit: Type.String(),
  amount: Type.Number({ description: 'money: order cost, wages of the shift, spend' }),
  details: Type.Record(Type.String(), Type.Unknown()),
  decision: Type.Union([
    Type.Literal('pending'),
    Type.Literal('approved'),
    Type.Literal('rejected'),
  ]),
  decidedBy: Nullable(Uuid),
  decidedByToken: Nullable(Uuid),
  decidedAt: NullableTimestamp,
  note: Nullable(Type.String()),
});

const Issue = Type.Object({
  code: Type.String(),
  path: Type.String(),
  message: Type.String(),
  severity: Type.String(),
});

const PlanSummaryFields = {
  id: Uuid,
  kind: PlanKindSchema,
  status: Type.Union(['queued', 'running', 'completed', 'failed'].map((s) => Type.Literal(s))),
  parentId: Nullable(Uuid),
  solveStatus: Nullable(
    Type.String({ description: 'optimal, feasible, no_solution, infeasible or unbounded' }),
  ),
  objective: Nullable(Type.Number()),
  summary: Type.Record(Type.String(), Type.Unknown()),
  itemCounts: Type.Object({
    total: Type.Integer(),
    pending: Type.Integer(),
    approved: Type.Integer(),
    rejected: Type.Integer(),
  }),
  timeLimitSeconds: Type.Number(),
  jobId: Nullable(Uuid),
  error: Nullable(
    Type.Object({
      code: Type.String(),
      message: Type.String(),
      path: Type.Optional(Type.String()),
    }),
  ),
  createdBy: Nullable(Uuid),
  createdAt: Timestamp,
  startedAt: NullableTimestamp,
  completedAt: NullableTimestamp,
};

export const PlanListItem = Type.Object(PlanSummaryFields);

export const PlanView = Type.Object({
  ...PlanSummaryFields,
  advisory: Type.String({ description: 'plans are advice: nothing is executed' }),
  issues: Type.Array(Issue),
  infeasibility: Nullable(Type.Unknown()),
  whatIf: Nullable(
    Type.Object({
      change: Type.Unknown(),
      diff: Type.Unknown(),
    }),
  ),
  request: Type.Unknown({ description: 'the request body as sent' }),
  input: Type.Unknown({ description: 'the optimizer input: tenant data with the overrides' }),
  result: Type.Unknown({ description: 'the optimizer plan (see docs/engines/optimize.md)' }),
  items: Type.Array(PlanItemView),
});

export const PlanResponse = Type.Object({
  plan: PlanView,
  job: Nullable(JobView),
});

export const PlanList = Type.Object({ items: Type.Array(PlanListItem) });

export const DecisionResponse = Type.Object({ item: PlanItemView });
export const BatchDecisionResponse = Type.Object({
  decided: Type.Integer(),
  items: Type.Array(PlanItemView),
});
