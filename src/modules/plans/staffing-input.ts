import type {
  PlanIssue,
  ShiftPattern,
  StaffingInput,
  StaffMember,
  StaffRequirement,
} from '../../engines/optimize/index.js';
import { AppError, type FieldError } from '../../platform/errors/app-error.js';
import { listActiveStaff, type StaffRow } from '../records/read-repo.js';
import {
  definedFields,
  duplicateIds,
  invalidRequest,
  type BuildContext,
  type Built,
} from './build-context.js';
import { addDays, daysBetween, nextMonday, weekdayIndex, weekdayName } from './dates.js';
import { forecastCounts } from './demand-forecast.js';
import type { StaffingRequest } from './schemas.js';

/** Defaults of a staffing plan (docs/plans.md). */
export const STAFFING_DEFAULTS = {
  days: 7,
  historyWeeks: 8,
  ordersPerStaffHour: 10,
  minStaff: 1,
  openAtOrders: 0.5,
  shiftStartStep: 2,
  minShiftHours: 4,
  maxShiftHours: 8,
  shiftLengthStep: 2,
} as const;

/** Open hours when `requirements` are given without them (the engine's defaults). */
const DEFAULT_HOURS = [6, 22] as const;

type StaffOverride = NonNullable<StaffingRequest['staff']>[number];
type Windows = ReadonlyArray<ReadonlyArray<number>>;

/** Checks of a staffing request that need no data: 400 with paths. */
export function validateStaffingRequest(req: StaffingRequest): void {
  const errors: FieldError[] = duplicateIds(req.staff, 'staff', 'id');
  // With explicit requirements the hours default to 6–22; otherwise they come from the orders.
  const open = req.openHour ?? (req.requirements ? DEFAULT_HOURS[0] : undefined);
  const close = req.closeHour ?? (req.requirements ? DEFAULT_HOURS[1] : undefined);
  if (open !== undefined && close !== undefined && close <= open)
    errors.push({ path: '/body/closeHour', message: `must be after the opening hour (${open})` });
  const minShift = req.minShiftHours ?? STAFFING_DEFAULTS.minShiftHours;
  if (req.maxShiftHours !== undefined && req.maxShiftHours < minShift)
    errors.push({
      path: '/body/maxShiftHours',
      message: `must be at least minShiftHours (${minShift})`,
    });
  const days = req.days ?? STAFFING_DEFAULTS.days;
  req.requirements?.forEach((r, i) => {
    if (r.required.length > days)
      errors.push({
        path: `/body/requirements/${i}/required`,
        message: `has ${r.required.length} days but the plan has ${days}`,
      });
  });
  if (errors.length) throw invalidRequest(errors);
}

/** Orders expected per plan day and open clock hour: `[day][hour 0–23]`. */
type HourlyDemand = number[][];

/**
 * Reads hourly orders for `historyWeeks` weeks before the plan and turns them into expected
 * orders per plan day and hour: the average of the same weekday-hour over the days that had
 * any orders (`average`), or a forecast of the hourly series (`forecast`).
 */
async function hourlyDemand(
  ctx: BuildContext,
  req: StaffingRequest,
  weekStart: string,
  days: number,
): Promise<{ demand: HourlyDemand; from: string; to: string; daysWithOrders: number }> {
  const to = daysBetween(ctx.today, weekStart) > 0 ? ctx.today : weekStart;
  const from = addDays(to, -7 * (req.historyWeeks ?? STAFFING_DEFAULTS.historyWeeks));
  const series = await ctx.run((tx) =>
    ctx.metrics.series(tx, ctx.timeZone, 'orders', {
      interval: 'hour',
      from,
      to,
      dims: { channel: req.channel },
    }),
  );
  const nDays = Math.round(series.points.length / 24);
  const byDay: number[][] = [];
  const present: boolean[] = [];
  for (let d = 0; d < nDays; d++) {
    const hours = series.points.slice(d * 24, d * 24 + 24);
    present.push(hours.some((p) => p.value !== null));
    byDay.push(hours.map((p) => p.value ?? 0));
  }
  const daysWithOrders = present.filter(Boolean).length;
  const demand: HourlyDemand = [];
  if (req.demandMethod === 'forecast' && daysWithOrders > 0) {
    const first = present.indexOf(true);
    const last = present.lastIndexOf(true);
    const values = byDay.slice(first, last + 1).flat();
    const gapDays = daysBetween(addDays(from, last + 1), weekStart);
    const fc = forecastCounts(values, (gapDays + days) * 24, {
      frequency: 'hourly',
      seasonalPeriods: [24, 168],
    });
    for (let d = 0; d < days; d++)
      demand.push(fc.steps.slice((gapDays + d) * 24, (gapDays + d + 1) * 24).map((s) => s.mean));
  } else {
    const sums = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
    const counts = new Array<number>(7).fill(0);
    byDay.forEach((hours, d) => {
      if (!present[d]) return;
      const w = weekdayIndex(addDays(from, d));
      counts[w]!++;
      hours.forEach((v, h) => (sums[w]![h]! += v));
    });
    for (let d = 0; d < days; d++) {
      const w = weekdayIndex(addDays(weekStart, d));
      demand.push(sums[w]!.map((s) => (counts[w] ? s / counts[w]! : 0)));
    }
  }
  return { demand, from, to, daysWithOrders };
}

/** Staff as the engine sees them, with the request's overrides and additions. */
function staffMembers(
  rows: StaffRow[],
  overrides: readonly StaffOverride[],
  weekStart: string,
  days: number,
  issues: PlanIssue[],
): StaffMember[] {
  const members = new Map<string, { m: StaffMember; raw: unknown }>();
  for (const r of rows)
    members.set(r.id, {
      m: {
        id: r.id,
        name: r.name,
        skills: r.skills,
        hourlyCost: r.hourly_rate,
        minHours: r.min_hours_per_week,
        maxHours: r.max_hours_per_week,
      },
      raw: r.availability,
    });
  const excluded = new Set<string>();
  for (const o of overrides) {
    const { id, exclude, availability, ...rest } = o;
    const entry = members.get(id) ?? { m: { id }, raw: undefined };
    Object.assign(entry.m, definedFields(rest));
    if (availability !== undefined) entry.raw = availability;
    members.set(id, entry);
    if (exclude) excluded.add(id);
  }
  return [...members.values()]
    .filter(({ m }) => !excluded.has(m.id))
    .map(({ m, raw }) => {
      const availability = availabilityOf(raw, m, weekStart, days, issues);
      return availability ? { ...m, availability } : m;
    });
}

/** `{ mon: [[6, 19]] }` → the engine's windows per plan day; `{}` or none = always available. */
function availabilityOf(
  raw: unknown,
  m: StaffMember,
  weekStart: string,
  days: number,
  issues: PlanIssue[],
): StaffMember['availability'] {
  if (raw === null || raw === undefined || typeof raw !== 'object' || Array.isArray(raw))
    return undefined;
  const byName = raw as Record<string, unknown>;
  if (Object.keys(byName).length === 0) return undefined;
  const out: Array<{ day: number; from: number; to: number }> = [];
  for (let d = 0; d < days; d++) {
    const name = weekdayName(addDays(weekStart, d));
    const windows = byName[name];
    if (windows === undefined) continue;
    const list = Array.isArray(windows) ? (windows as Windows) : null;
    for (const w of list ?? [null]) {
      if (!Array.isArray(w) || w.length !== 2 || !w.every((x) => typeof x === 'number')) {
        issues.push({
          code: 'invalid_availability',
          path: `staff[id=${m.id}].availability.${name}`,
          message: `${m.name ?? m.id}: availability on ${name} is not a list of [from, to] hours; ignored`,
          severity: 'warning',
        });
        continue;
      }
      out.push({ day: d, from: w[0]!, to: w[1]! });
    }
  }
  return out;
}

/** People needed per role and open hour, from expected orders and the staffing rule. */
function requirementsFrom(
  demand: HourlyDemand,
  open: number,
  close: number,
  req: StaffingRequest,
): StaffRequirement[] {
  const perStaff = req.ordersPerStaffHour ?? STAFFING_DEFAULTS.ordersPerStaffHour;
  const minStaff = req.minStaff ?? STAFFING_DEFAULTS.minStaff;
  const openAt = req.openAtOrders ?? STAFFING_DEFAULTS.openAtOrders;
  const roles = req.roles ?? [];
  const roleTotal = roles.reduce((s, r) => s + r.minStaff, 0);
  const total = demand.map((hours) =>
    hours
      .slice(open, close)
      .map((orders) =>
        orders >= openAt && orders > 0
          ? Math.max(minStaff, Math.ceil(orders / perStaff - 1e-9))
          : 0,
      ),
  );
  return [
    { skill: 'any', required: total.map((row) => row.map((n) => Math.max(0, n - roleTotal))) },
    ...roles.map((r) => ({
      skill: r.skill,
      required: total.map((row) => row.map((n) => (n > 0 ? r.minStaff : 0))),
    })),
  ];
}

/** Open hours: where expected orders reach `openAtOrders` on any plan day. */
function openHours(demand: HourlyDemand, openAt: number): [number, number] | null {
  let open = 24;
  let close = 0;
  for (const hours of demand)
    hours.forEach((v, h) => {
      if (v >= openAt && v > 0) {
        open = Math.min(open, h);
        close = Math.max(close, h + 1);
      }
    });
  return close > open ? [open, close] : null;
}

/**
 * Builds the week's staffing problem: staff from the `staff` table, requirements from hourly
 * orders and the required-staff rule (or the request's own `requirements`), shifts generated
 * every `shiftStartStep` hours unless patterns are given.
 */
export async function buildStaffingInput(
  ctx: BuildContext,
  req: StaffingRequest,
): Promise<Built<StaffingInput>> {
  const weekStart = req.weekStart ?? nextMonday(ctx.today);
  const days = req.days ?? STAFFING_DEFAULTS.days;
  const issues: PlanIssue[] = [];
  const rows = await ctx.run((tx) => listActiveStaff(tx));
  const staff = staffMembers(rows, req.staff ?? [], weekStart, days, issues);
  if (staff.length === 0)
    throw new AppError(
      'unprocessable',
      'the business has no active staff: add staff, or give them in /body/staff',
      {
        errors: [{ path: '/body/staff', message: 'no staff to schedule' }],
      },
    );
  let requirements: StaffRequirement[];
  let hours: [number, number];
  const facts: Built<StaffingInput>['facts'] = { weekStart, days };
  if (req.requirements) {
    hours = [req.openHour ?? DEFAULT_HOURS[0], req.closeHour ?? DEFAULT_HOURS[1]];
    requirements = req.requirements.map((r) => ({ skill: r.skill ?? 'any', required: r.required }));
    facts.demandMethod = 'requirements';
  } else {
    const h = await hourlyDemand(ctx, req, weekStart, days);
    const derived = openHours(h.demand, req.openAtOrders ?? STAFFING_DEFAULTS.openAtOrders);
    if (!derived && (req.openHour === undefined || req.closeHour === undefined))
      throw new AppError(
        'unprocessable',
        `no orders by hour between ${h.from} and ${h.to} to size the staffing: give requirements, or openHour and closeHour`,
        {
          errors: [{ path: '/body/requirements', message: 'no order history to derive them from' }],
        },
      );
    hours = [req.openHour ?? derived![0], req.closeHour ?? derived![1]];
    if (hours[1] <= hours[0])
      throw invalidRequest([
        { path: '/body/closeHour', message: `must be after the opening hour ${hours[0]}` },
      ]);
    requirements = requirementsFrom(h.demand, hours[0], hours[1], req);
    Object.assign(facts, {
      demandMethod: req.demandMethod ?? 'average',
      historyFrom: h.from,
      historyTo: h.to,
      historyDaysWithOrders: h.daysWithOrders,
      expectedOrders: Math.round(h.demand.flat().reduce((a, b) => a + b, 0) * 10) / 10,
    });
    if (h.daysWithOrders === 0)
      issues.push({
        code: 'no_demand_history',
        path: 'requirements',
        message: `no orders between ${h.from} and ${h.to}: only the minimum staff is planned`,
        severity: 'warning',
      });
  }
  const input: StaffingInput = {
    staff,
    requirements,
    days,
    openHour: hours[0],
    closeHour: hours[1],
    startDate: weekStart,
    ...definedFields({
      shiftPatterns: req.shiftPatterns as ShiftPattern[] | undefined,
      minShiftHours: req.minShiftHours,
      maxShiftHours: req.maxShiftHours,
      shiftLengthStep: req.shiftLengthStep,
      minRestHours: req.minRestHours,
      laborBudget: req.laborBudget,
      underCoveragePenalty: req.underCoveragePenalty,
    }),
    ...(req.shiftPatterns
      ? {}
      : { shiftStartStep: req.shiftStartStep ?? STAFFING_DEFAULTS.shiftStartStep }),
  };
  return { input, issues, facts };
}

/**
 * Upper bound on the model's shift binaries: people × days × shift shapes that fit the open
 * hours (availability only lowers it). Decides whether a staffing plan runs inline.
 */
export function staffingShiftCount(input: StaffingInput): number {
  const open = input.openHour ?? 6;
  const close = input.closeHour ?? 22;
  let shapes = 0;
  if (input.shiftPatterns) {
    shapes = input.shiftPatterns.filter(
      (p) => p.start >= open && p.start + p.hours <= close,
    ).length;
  } else {
    const min = input.minShiftHours ?? STAFFING_DEFAULTS.minShiftHours;
    const max = input.maxShiftHours ?? STAFFING_DEFAULTS.maxShiftHours;
    const lengthStep = input.shiftLengthStep ?? STAFFING_DEFAULTS.shiftLengthStep;
    const startStep = input.shiftStartStep ?? 1;
    for (let h = min; h <= max; h += lengthStep)
      shapes += Math.max(0, Math.floor((close - h - open) / startStep) + 1);
  }
  return input.staff.length * (input.days ?? 7) * shapes;
}
