import { noPlanReport } from './conflicts.js';
import type { GroupDescription } from './conflicts.js';
import { OptimizeInputError } from './errors.js';
import { resolveOptions, solveLpModel } from './highs-runtime.js';
import { LpModel } from './lp-model.js';
import { slotOutcome } from './staffing-coverage.js';
import { staffingStart } from './staffing-start.js';
import type { Variable } from './lp-model.js';
import type { PlanIssue } from './plan-types.js';
import {
  addDaysIso,
  constraintReports,
  solveSettings,
  money,
  requireArray,
  requireId,
  round6,
  solvedFacts,
} from './report-helpers.js';
import type {
  HourCoverage,
  PersonSchedule,
  ShiftPattern,
  StaffingInput,
  StaffingOptions,
  StaffingPlan,
  StaffMember,
} from './staffing-types.js';

/** Shift variables above which a heuristic start is computed first (measured: helps at 7,920, not at 2,640). */
const LARGE_SHIFT_SET = 5000;

/** @internal One possible shift of one person. */
export interface Shift {
  person: number;
  day: number;
  start: number;
  hours: number;
  x: Variable;
}

/** @internal One open hour with requirements. */
export interface Slot {
  day: number;
  /** Hour index (clock hour − openHour). */
  hour: number;
  /** Needed roles; `short` is the role's shortfall variable (absent for `any` when `total` exists). */
  needs: Array<{ r: number; req: number; short?: Variable }>;
  /** Shortfall of all roles together (skills-don't-overlap formulation), the penalised one. */
  total?: { req: number; short: Variable };
  /** Shifts that cover this hour, with their person. */
  working: Array<{ x: Variable; person: number }>;
  /** Assignment variables `person:role` (overlapping-skills formulation). */
  assign?: Map<string, Variable>;
}

/** @internal A required role with its hourly needs. */
export interface Role {
  skill: string;
  required: number[][];
}

/** @internal The built staffing model. */
export interface StaffingModel {
  model: LpModel;
  staff: Array<{
    member: StaffMember;
    index: number;
    cost: number;
    minHours: number;
    maxHours: number;
  }>;
  shifts: Shift[];
  roles: Role[];
  /** Every open hour with a requirement: who could be working and the shortfall variables. */
  slots: Slot[];
  /** `qualified[person]`: roles (indices) the person can fill. */
  qualified: Array<Set<number>>;
  laborBudget?: number;
  /** Hours of rest required between shifts. */
  minRest: number;
  describe: Map<string, GroupDescription>;
  issues: PlanIssue[];
  penalty: number;
  openHour: number;
  days: number;
}

/**
 * Schedules a week of shifts: who works when, so that every hour has the required people of
 * each role at the least labour cost, with missing staff-hours penalised. Respects skills,
 * availability, min/max weekly hours, max shift length, max days, rest between shifts and a
 * labour budget.
 *
 * @example
 * const plan = await solveStaffing({
 *   openHour: 8, closeHour: 16, days: 1,
 *   requirements: [{ required: [[1, 1, 2, 2, 2, 2, 1, 1]] }],
 *   staff: [{ id: 'ann', hourlyCost: 15 }, { id: 'bob', hourlyCost: 14 }],
 * });
 * plan.people[0].shifts; // e.g. [{ day: 0, start: 8, end: 16, hours: 8 }]
 */
export async function solveStaffing(
  input: StaffingInput,
  options: StaffingOptions = {},
): Promise<StaffingPlan> {
  const opts = resolveOptions(options);
  const built = buildStaffingModel(input);
  const { model } = built;
  const base = {
    ...solveSettings(model, opts),
    issues: built.issues,
  };
  // Large shift sets: start branch-and-bound from a relaxation-guided schedule (small ones
  // solve faster without the extra LP).
  const large = built.shifts.length > LARGE_SHIFT_SET;
  const solved = await solveLpModel(
    model,
    opts,
    {},
    large ? (relaxed) => staffingStart(built, relaxed) : undefined,
  );
  if (solved.values === undefined) {
    return {
      ...base,
      ...(await noPlanReport(model, solved, built.describe, opts)),
      people: [],
      coverage: [],
      laborCost: 0,
      underCoverageHours: 0,
      underCoveragePenalty: built.penalty,
      constraints: [],
    };
  }
  const v = solved.values;
  const on = (x: Variable): boolean => (v[x.index] ?? 0) > 0.5;
  const constraints = constraintReports(model, v, built.describe);
  const people: PersonSchedule[] = built.staff.map((s) => {
    const shifts = built.shifts
      .filter((sh) => sh.person === s.index && on(sh.x))
      .sort((a, b) => a.day - b.day)
      .map((sh) => ({
        day: sh.day,
        ...(input.startDate ? { date: addDaysIso(input.startDate, sh.day) ?? '' } : {}),
        start: sh.start,
        end: sh.start + sh.hours,
        hours: sh.hours,
      }));
    const hours = shifts.reduce((a, b) => a + b.hours, 0);
    const binding = constraints
      .filter((c) => c.binding && c.group.endsWith(`:${s.member.id}`))
      .map((c) => c.name);
    return {
      staffId: s.member.id,
      ...(s.member.name !== undefined ? { name: s.member.name } : {}),
      shifts,
      hours,
      cost: hours * s.cost,
      bindingConstraints: binding,
    };
  });
  const coverage: HourCoverage[] = [];
  let underCoverageHours = 0;
  for (const slot of built.slots) {
    const out = slotOutcome(built, slot, on);
    underCoverageHours += out.unmet;
    for (const n of slot.needs) {
      const scheduled = out.served.get(n.r) ?? 0;
      coverage.push({
        skill: built.roles[n.r]?.skill ?? 'any',
        day: slot.day,
        hour: built.openHour + slot.hour,
        required: n.req,
        scheduled,
        short: Math.max(0, n.req - scheduled),
      });
    }
  }
  const laborCost = people.reduce((a, p) => a + p.cost, 0);
  return {
    ...base,
    ...solvedFacts(solved),
    people,
    coverage,
    laborCost,
    underCoverageHours: round6(underCoverageHours),
    underCoveragePenalty: built.penalty,
    constraints: constraints.filter((c) => c.binding || c.group === 'labor-budget'),
  };
}

/** @internal Builds the shift-assignment MILP: `works[person][day][start+hours]` binaries. */
export function buildStaffingModel(input: StaffingInput): StaffingModel {
  const staffIn = requireArray(input?.staff, 'staff');
  const reqIn = requireArray(input?.requirements, 'requirements');
  const issues: PlanIssue[] = [];
  const days = intIn(input.days, 7, 1, 31, 'days');
  const openHour = intIn(input.openHour, 6, 0, 23, 'openHour');
  const closeHour = intIn(input.closeHour, 22, openHour + 1, 24, 'closeHour');
  const hoursOpen = closeHour - openHour;
  const minShift = intIn(input.minShiftHours, 4, 1, 24, 'minShiftHours');
  const maxShift = intIn(input.maxShiftHours, 8, minShift, 24, 'maxShiftHours');
  const lengthStep = intIn(input.shiftLengthStep, 2, 1, 24, 'shiftLengthStep');
  const startStep = intIn(input.shiftStartStep, 1, 1, 24, 'shiftStartStep');
  const minRest = input.minRestHours ?? 11;
  const patterns: ShiftPattern[] = input.shiftPatterns
    ? [...input.shiftPatterns]
    : defaultPatterns(openHour, closeHour, minShift, maxShift, lengthStep, startStep);

  const roles: Role[] = reqIn.map((r, i) => {
    const grid = requireArray(r?.required, `requirements[${i}].required`);
    const required: number[][] = [];
    for (let d = 0; d < days; d++) {
      const row = grid[d] ?? [];
      required.push(
        Array.from({ length: hoursOpen }, (_, h) => {
          const x = row[h] ?? 0;
          if (!Number.isFinite(x) || x < 0) {
            issues.push({
              code: 'invalid_requirement',
              path: `requirements[${i}].required[${d}][${h}]`,
              message: `required staff ${x} is not a non-negative number: treated as 0`,
              severity: 'warning',
            });
            return 0;
          }
          return Math.ceil(x - 1e-9);
        }),
      );
    }
    return { skill: r.skill ?? 'any', required };
  });

  const seen = new Set<string>();
  const staff: StaffingModel['staff'] = [];
  staffIn.forEach((m, i) => {
    const id = requireId(m, `staff[${i}]`);
    if (seen.has(id)) throw new OptimizeInputError(`staff[${i}].id`, `duplicate staff id "${id}"`);
    seen.add(id);
    const cost = m.hourlyCost;
    if (cost === undefined || !Number.isFinite(cost) || cost < 0) {
      issues.push({
        code: 'missing_cost',
        path: `staff[${i}].hourlyCost`,
        message: `${id}: hourly cost is missing or invalid; left out of the schedule`,
        severity: 'excluded',
      });
      return;
    }
    let minHours = m.minHours ?? 0;
    const maxHours = m.maxHours ?? 40;
    if (minHours > maxHours) {
      issues.push({
        code: 'min_above_max_hours',
        path: `staff[${i}].minHours`,
        message: `${id}: minimum ${minHours} h is above maximum ${maxHours} h; minimum ignored`,
        severity: 'warning',
      });
      minHours = 0;
    }
    staff.push({ member: m, index: staff.length, cost, minHours, maxHours });
  });

  const penalty = input.underCoveragePenalty ?? 3 * Math.max(1, ...staff.map((s) => s.cost));
  const model = new LpModel('minimize');
  const describe = new Map<string, GroupDescription>();
  const shifts: Shift[] = [];

  for (const s of staff) {
    const id = s.member.id;
    const personMax = Math.min(maxShift, s.member.maxShiftHours ?? maxShift);
    const windows = availabilityWindows(
      s.member,
      days,
      openHour,
      closeHour,
      issues,
      staffIn.indexOf(s.member),
    );
    const mine: Shift[] = [];
    for (let d = 0; d < days; d++) {
      for (const p of patterns) {
        if (p.hours > personMax || p.start < openHour || p.start + p.hours > closeHour) continue;
        if (!(windows[d] ?? []).some(([from, to]) => p.start >= from && p.start + p.hours <= to))
          continue;
        const x = model.variable(`works[${id}][day ${d}][${p.start}-${p.start + p.hours}]`, {
          kind: 'binary',
          objective: s.cost * p.hours,
        });
        mine.push({ person: s.index, day: d, start: p.start, hours: p.hours, x });
      }
    }
    shifts.push(...mine);
    // Most one shift a day.
    for (let d = 0; d < days; d++) {
      const today = mine.filter((sh) => sh.day === d);
      if (today.length > 1)
        model.constrain(
          `one shift a day[${id}][day ${d}]`,
          today.map((sh) => [sh.x, 1] as const),
          '<=',
          1,
          '#one-shift',
        );
    }
    const hoursTerms = mine.map((sh) => [sh.x, sh.hours] as const);
    const possible = maxPossibleHours(mine, days, s.member.maxDays ?? 6);
    let minHours = s.minHours;
    if (minHours > possible + 1e-9) {
      issues.push({
        code: 'availability_below_min_hours',
        path: `staff[${staffIn.indexOf(s.member)}]`,
        message: `${id}: contracted minimum ${minHours} h but availability allows at most ${possible} h; minimum lowered to ${possible} h`,
        severity: 'warning',
      });
      minHours = possible;
      s.minHours = possible;
    }
    if (minHours > 0) {
      model.constrain(`min hours[${id}]`, hoursTerms, '>=', minHours, `min-hours:${id}`);
      describe.set(`min-hours:${id}`, {
        text: `${s.member.name ?? id}'s contracted minimum of ${minHours} h (${money(minHours * s.cost)})`,
      });
    }
    if (mine.length > 0) {
      model.constrain(`max hours[${id}]`, hoursTerms, '<=', s.maxHours, `max-hours:${id}`);
      describe.set(`max-hours:${id}`, {
        text: `${s.member.name ?? id}'s maximum of ${s.maxHours} h a week`,
      });
      const maxDays = s.member.maxDays ?? 6;
      if (maxDays < days) {
        model.constrain(
          `max days[${id}]`,
          mine.map((sh) => [sh.x, 1] as const),
          '<=',
          maxDays,
          `max-days:${id}`,
        );
        describe.set(`max-days:${id}`, {
          text: `${s.member.name ?? id} works at most ${maxDays} days`,
        });
      }
    }
    // Rest between shifts on consecutive days.
    for (let d = 0; d + 1 < days; d++) {
      const today = mine.filter((sh) => sh.day === d);
      const tomorrow = mine.filter((sh) => sh.day === d + 1);
      for (const end of new Set(today.map((sh) => sh.start + sh.hours))) {
        const late = today.filter((sh) => sh.start + sh.hours >= end);
        const early = tomorrow.filter((sh) => 24 - end + sh.start < minRest);
        if (early.length === 0) continue;
        model.constrain(
          `rest after ${end}:00[${id}][day ${d}]`,
          [...late, ...early].map((sh) => [sh.x, 1] as const),
          '<=',
          1,
          `rest:${id}`,
        );
        describe.set(`rest:${id}`, {
          text: `${minRest} h rest between ${s.member.name ?? id}'s shifts`,
        });
      }
    }
  }

  // Coverage: people in a role each hour, plus a penalised shortfall.
  const qualifies = (m: StaffMember, skill: string): boolean =>
    skill === 'any' || (m.skills ?? []).includes(skill);
  const qualified = staff.map(
    (s) => new Set(roles.flatMap((role, r) => (qualifies(s.member, role.skill) ? [r] : []))),
  );
  roles.forEach((role, r) => {
    if (role.skill !== 'any' && !staff.some((s) => qualifies(s.member, role.skill))) {
      issues.push({
        code: 'nobody_qualified',
        path: `requirements[${r}].skill`,
        message: `nobody has the skill "${role.skill}": that requirement cannot be covered`,
        severity: 'warning',
      });
    }
  });
  // With one `any` role and skills that never overlap in one person, Hall's condition reduces
  // to "enough people of each skill" + "enough people in total": no assignment variables.
  const disjoint = staff.every(
    (s) =>
      roles.filter((role, r) => role.skill !== 'any' && qualified[s.index]?.has(r)).length <= 1,
  );
  const byPersonDay = new Map<string, Shift[]>();
  for (const sh of shifts) {
    const key = `${sh.person}:${sh.day}`;
    byPersonDay.set(key, [...(byPersonDay.get(key) ?? []), sh]);
  }
  const slots: Slot[] = [];
  for (let d = 0; d < days; d++) {
    for (let h = 0; h < hoursOpen; h++) {
      const clock = openHour + h;
      const at = `[day ${d}][${clock}:00]`;
      const needed = roles.flatMap((role, r) => {
        const req = role.required[d]?.[h] ?? 0;
        return req > 0 ? [{ r, req }] : [];
      });
      if (needed.length === 0) continue;
      const working: Slot['working'] = [];
      for (const s of staff) {
        if (!needed.some((n) => qualified[s.index]?.has(n.r))) continue;
        for (const sh of byPersonDay.get(`${s.index}:${d}`) ?? []) {
          if (sh.start <= clock && clock < sh.start + sh.hours)
            working.push({ x: sh.x, person: s.index });
        }
      }
      const slot: Slot = { day: d, hour: h, needs: [], working };
      const people = (r: number): Array<readonly [Variable, number]> =>
        working.filter((w) => qualified[w.person]?.has(r)).map((w) => [w.x, 1] as const);
      const single = needed.length === 1 ? needed[0] : undefined;
      if (single) {
        const role = roles[single.r]?.skill ?? 'any';
        const sv = model.variable(`short[${role}]${at}`, { upper: single.req, objective: penalty });
        slot.needs.push({ r: single.r, req: single.req, short: sv });
        model.constrain(
          `coverage[${role}]${at}`,
          [...people(single.r), [sv, 1]],
          '>=',
          single.req,
          '#coverage',
        );
      } else if (disjoint) {
        const totalReq = needed.reduce((sum, n) => sum + n.req, 0);
        const w = model.variable(`short[total]${at}`, { upper: totalReq, objective: penalty });
        const links: Array<readonly [Variable, number]> = [[w, 1]];
        for (const n of needed) {
          const role = roles[n.r]?.skill ?? 'any';
          if (role === 'any') {
            slot.needs.push({ r: n.r, req: n.req });
            continue;
          }
          const u = model.variable(`short[${role}]${at}`, { upper: n.req });
          slot.needs.push({ r: n.r, req: n.req, short: u });
          model.constrain(
            `coverage[${role}]${at}`,
            [...people(n.r), [u, 1]],
            '>=',
            n.req,
            '#coverage',
          );
          links.push([u, -1]);
        }
        slot.total = { req: totalReq, short: w };
        model.constrain(
          `coverage[total]${at}`,
          [...working.map((x) => [x.x, 1] as const), [w, 1]],
          '>=',
          totalReq,
          '#coverage',
        );
        model.constrain(`shortfall covers skills${at}`, links, '>=', 0, '#coverage');
      } else {
        // Overlapping skills: each person serves one role per hour.
        slot.assign = new Map();
        const terms = new Map<number, Array<readonly [Variable, number]>>();
        for (const s of staff) {
          const mine = working.filter((w) => w.person === s.index);
          const myRoles = needed.filter((n) => qualified[s.index]?.has(n.r));
          if (mine.length === 0 || myRoles.length === 0) continue;
          const as = myRoles.map((n) => {
            const a = model.variable(`serves[${s.member.id}]${at}[${roles[n.r]?.skill ?? 'any'}]`, {
              upper: 1,
            });
            slot.assign?.set(`${s.index}:${n.r}`, a);
            terms.set(n.r, [...(terms.get(n.r) ?? []), [a, 1] as const]);
            return [a, 1] as const;
          });
          model.constrain(
            `one role at a time[${s.member.id}]${at}`,
            [...as, ...mine.map((w) => [w.x, -1] as const)],
            '<=',
            0,
            '#assign',
          );
        }
        for (const n of needed) {
          const role = roles[n.r]?.skill ?? 'any';
          const sv = model.variable(`short[${role}]${at}`, { upper: n.req, objective: penalty });
          slot.needs.push({ r: n.r, req: n.req, short: sv });
          model.constrain(
            `coverage[${role}]${at}`,
            [...(terms.get(n.r) ?? []), [sv, 1]],
            '>=',
            n.req,
            '#coverage',
          );
        }
      }
      slots.push(slot);
    }
  }

  let laborBudget: number | undefined;
  if (input.laborBudget !== undefined) {
    if (!Number.isFinite(input.laborBudget))
      throw new OptimizeInputError(
        'laborBudget',
        `must be a finite number, got ${input.laborBudget}`,
      );
    const budget = Math.max(0, input.laborBudget);
    laborBudget = budget;
    if (budget === 0)
      issues.push({
        code: 'zero_budget',
        path: 'laborBudget',
        message: 'labour budget is 0: nobody can be scheduled',
        severity: 'warning',
      });
    model.constrain(
      'labor budget',
      shifts.map((sh) => [sh.x, (staff[sh.person]?.cost ?? 0) * sh.hours] as const),
      '<=',
      budget,
      'labor-budget',
    );
    describe.set('labor-budget', {
      text: `labour budget of ${money(budget)}`,
      resource: { format: money },
    });
  }
  return {
    model,
    staff,
    shifts,
    roles,
    slots,
    qualified,
    ...(laborBudget !== undefined ? { laborBudget } : {}),
    minRest,
    describe,
    issues,
    penalty,
    openHour,
    days,
  };
}

function defaultPatterns(
  open: number,
  close: number,
  minShift: number,
  maxShift: number,
  step: number,
  startStep: number,
): ShiftPattern[] {
  const out: ShiftPattern[] = [];
  for (let hours = minShift; hours <= maxShift; hours += step) {
    for (let start = open; start + hours <= close; start += startStep) out.push({ start, hours });
  }
  return out;
}

function availabilityWindows(
  m: StaffMember,
  days: number,
  open: number,
  close: number,
  issues: PlanIssue[],
  index: number,
): Array<Array<[number, number]>> {
  const windows: Array<Array<[number, number]>> = Array.from({ length: days }, () => []);
  if (m.availability === undefined) return windows.map(() => [[open, close]]);
  m.availability.forEach((w, k) => {
    const ok =
      Number.isInteger(w.day) &&
      w.day >= 0 &&
      w.day < days &&
      Number.isFinite(w.from) &&
      Number.isFinite(w.to) &&
      w.from < w.to;
    if (!ok) {
      issues.push({
        code: 'invalid_availability',
        path: `staff[${index}].availability[${k}]`,
        message: `${m.id}: availability window day ${w.day} ${w.from}–${w.to} is contradictory or outside the week; ignored`,
        severity: 'warning',
      });
      return;
    }
    windows[w.day]?.push([Math.max(open, w.from), Math.min(close, w.to)]);
  });
  return windows;
}

/** Longest week a person could work: the longest shift on each of their best `maxDays` days. */
function maxPossibleHours(shifts: readonly Shift[], days: number, maxDays: number): number {
  const perDay = Array.from({ length: days }, (_, d) =>
    Math.max(0, ...shifts.filter((s) => s.day === d).map((s) => s.hours)),
  );
  return perDay
    .sort((a, b) => b - a)
    .slice(0, Math.max(0, maxDays))
    .reduce((a, b) => a + b, 0);
}

function intIn(
  x: number | undefined,
  fallback: number,
  lo: number,
  hi: number,
  path: string,
): number {
  if (x === undefined) return fallback;
  if (!Number.isInteger(x) || x < lo || x > hi)
    throw new OptimizeInputError(path, `must be an integer from ${lo} to ${hi}, got ${x}`);
  return x;
}
