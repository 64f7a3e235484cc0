import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { solveStaffing, syntheticStaffing } from '../../../src/engines/optimize/index.js';
import { solveLpModel } from '../../../src/engines/optimize/highs-runtime.js';
import { buildStaffingModel } from '../../../src/engines/optimize/staffing.js';
import { staffingStart } from '../../../src/engines/optimize/staffing-start.js';
import type { StaffingInput, StaffingPlan } from '../../../src/engines/optimize/index.js';

const tiny: StaffingInput = {
  days: 2,
  openHour: 8,
  closeHour: 16,
  minRestHours: 17,
  underCoveragePenalty: 40,
  shiftPatterns: [
    { start: 8, hours: 4 },
    { start: 12, hours: 4 },
    { start: 8, hours: 8 },
  ],
  requirements: [
    {
      skill: 'barista',
      required: [
        [1, 1, 1, 1, 0, 0, 1, 1],
        [0, 0, 1, 1, 1, 1, 0, 0],
      ],
    },
    {
      skill: 'any',
      required: [
        [0, 1, 1, 0, 1, 1, 1, 0],
        [1, 1, 0, 0, 1, 1, 1, 1],
      ],
    },
  ],
  staff: [
    { id: 'ana', hourlyCost: 18, skills: ['barista'], maxHours: 12 },
    {
      id: 'ben',
      hourlyCost: 12,
      minHours: 4,
      availability: [
        { day: 0, from: 8, to: 16 },
        { day: 1, from: 12, to: 16 },
      ],
    },
    { id: 'cy', hourlyCost: 15, skills: ['barista'], maxDays: 1 },
  ],
};

/** Fewest unmet staff-hours in one hour: try every role for every person working. */
function unmetInHour(working: string[][], needs: number[], skills: string[]): number {
  let best = Infinity;
  const assign = (i: number, served: number[]): void => {
    if (i === working.length) {
      best = Math.min(
        best,
        needs.reduce((s, n, r) => s + Math.max(0, n - (served[r] ?? 0)), 0),
      );
      return;
    }
    skills.forEach((skill, r) => {
      if (skill !== 'any' && !working[i]!.includes(skill)) return;
      const next = [...served];
      next[r] = (next[r] ?? 0) + 1;
      assign(i + 1, next);
    });
  };
  assign(
    0,
    needs.map(() => 0),
  );
  return best;
}

function bruteForce(input: StaffingInput): number {
  const patterns = input.shiftPatterns!;
  const days = input.days!;
  const open = input.openHour!;
  const hours = input.closeHour! - open;
  const options = [undefined, ...patterns];
  const staff = input.staff;
  const choice: Array<Array<(typeof patterns)[number] | undefined>> = staff.map(() =>
    Array(days).fill(undefined),
  );
  const slots: Array<[number, number]> = staff.flatMap((_, p) =>
    Array.from({ length: days }, (_, d) => [p, d] as [number, number]),
  );
  let best = Infinity;
  const available = (p: number, d: number, s: { start: number; hours: number }): boolean => {
    const av = staff[p]!.availability;
    return !av || av.some((w) => w.day === d && s.start >= w.from && s.start + s.hours <= w.to);
  };
  const visit = (k: number): void => {
    if (k === slots.length) {
      let cost = 0;
      for (let p = 0; p < staff.length; p++) {
        const mine = choice[p]!;
        const h = mine.reduce((a, s) => a + (s?.hours ?? 0), 0);
        const m = staff[p]!;
        if (h > (m.maxHours ?? 40) || h < (m.minHours ?? 0)) return;
        if (mine.filter(Boolean).length > (m.maxDays ?? 6)) return;
        for (let d = 0; d + 1 < days; d++) {
          const a = mine[d];
          const b = mine[d + 1];
          if (a && b && 24 - (a.start + a.hours) + b.start < input.minRestHours!) return;
        }
        cost += h * m.hourlyCost!;
      }
      for (let d = 0; d < days; d++) {
        for (let h = 0; h < hours; h++) {
          const clock = open + h;
          const working = staff
            .filter((_, p) => {
              const s = choice[p]![d];
              return s && s.start <= clock && clock < s.start + s.hours;
            })
            .map((m) => [...(m.skills ?? [])]);
          const needs = input.requirements.map((r) => r.required[d]![h]!);
          cost +=
            input.underCoveragePenalty! *
            unmetInHour(
              working,
              needs,
              input.requirements.map((r) => r.skill ?? 'any'),
            );
        }
      }
      best = Math.min(best, cost);
      return;
    }
    const [p, d] = slots[k]!;
    for (const o of options) {
      if (o && !available(p, d, o)) continue;
      choice[p]![d] = o;
      visit(k + 1);
    }
    choice[p]![d] = undefined;
  };
  visit(0);
  return best;
}

function checkPlan(input: StaffingInput, plan: StaffingPlan): void {
  const minRest = input.minRestHours ?? 11;
  for (const person of plan.people) {
    const m = input.staff.find((s) => s.id === person.staffId)!;
    expect(person.hours).toBeLessThanOrEqual(m.maxHours ?? 40);
    expect(person.hours).toBeGreaterThanOrEqual(m.minHours ?? 0);
    expect(new Set(person.shifts.map((s) => s.day)).size).toBe(person.shifts.length);
    expect(person.shifts.length).toBeLessThanOrEqual(m.maxDays ?? 6);
    for (const s of person.shifts) {
      expect(s.hours).toBeLessThanOrEqual(m.maxShiftHours ?? input.maxShiftHours ?? 8);
      expect(s.start).toBeGreaterThanOrEqual(input.openHour ?? 6);
      expect(s.end).toBeLessThanOrEqual(input.closeHour ?? 22);
      if (m.availability) {
        expect(
          m.availability.some((w) => w.day === s.day && s.start >= w.from && s.end <= w.to),
        ).toBe(true);
      }
      const next = person.shifts.find((x) => x.day === s.day + 1);
      if (next) expect(24 - s.end + next.start).toBeGreaterThanOrEqual(minRest);
    }
  }
  if (input.laborBudget !== undefined)
    expect(plan.laborCost).toBeLessThanOrEqual(input.laborBudget + 1e-6);
  for (const c of plan.coverage)
    expect(c.scheduled + c.short).toBeGreaterThanOrEqual(c.required - 1e-9);
}

describe('solveStaffing', () => {
  it('finds the brute-force optimum with skills, availability, min/max hours and rest', async () => {
    const plan = await solveStaffing(tiny, { mipRelGap: 0 });
    expect(plan.status).toBe('optimal');
    expect(plan.objective).toBeCloseTo(bruteForce(tiny), 6);
    checkPlan(tiny, plan);
    expect(plan.laborCost + plan.underCoveragePenalty * plan.underCoverageHours).toBeCloseTo(
      plan.objective!,
      6,
    );
  });

  it('every returned schedule satisfies every rule (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          budget: fc.option(fc.integer({ min: 0, max: 600 }), { nil: undefined }),
          req: fc.array(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 8, maxLength: 8 }), {
            minLength: 3,
            maxLength: 3,
          }),
          people: fc.array(
            fc.record({
              cost: fc.integer({ min: 10, max: 30 }),
              barista: fc.boolean(),
              minHours: fc.integer({ min: 0, max: 10 }),
              maxHours: fc.integer({ min: 4, max: 24 }),
              offDay: fc.integer({ min: 0, max: 2 }),
            }),
            { minLength: 1, maxLength: 4 },
          ),
        }),
        async (g) => {
          const input: StaffingInput = {
            days: 3,
            openHour: 8,
            closeHour: 16,
            minRestHours: 12,
            ...(g.budget !== undefined ? { laborBudget: g.budget } : {}),
            requirements: [
              { skill: 'barista', required: g.req.map((row) => row.map((x) => Math.min(x, 1))) },
              { required: g.req },
            ],
            staff: g.people.map((p, i) => ({
              id: `p${i}`,
              hourlyCost: p.cost,
              skills: p.barista ? ['barista'] : [],
              minHours: Math.min(p.minHours, p.maxHours),
              maxHours: p.maxHours,
              availability: [0, 1, 2]
                .filter((d) => d !== p.offDay)
                .map((d) => ({ day: d, from: 8, to: 16 })),
            })),
          };
          const plan = await solveStaffing(input, { timeLimitSeconds: 5 });
          if (plan.status === 'infeasible') {
            expect(plan.infeasibility?.summary).toMatch(/labour budget|minimum/);
          } else {
            expect(['optimal', 'feasible']).toContain(plan.status);
            checkPlan(input, plan);
          }
        },
      ),
      { numRuns: 12, seed: 7 },
    );
  });

  it('explains a labour budget below contracted hours', async () => {
    const plan = await solveStaffing({
      days: 2,
      openHour: 8,
      closeHour: 16,
      laborBudget: 100,
      requirements: [
        {
          required: [
            [1, 1, 1, 1, 1, 1, 1, 1],
            [1, 1, 1, 1, 1, 1, 1, 1],
          ],
        },
      ],
      staff: [
        { id: 'ann', hourlyCost: 15, minHours: 8 },
        { id: 'bob', hourlyCost: 14, minHours: 4 },
      ],
    });
    expect(plan.status).toBe('infeasible');
    expect(plan.infeasibility?.conflicts.map((c) => c.group).sort()).toEqual([
      'labor-budget',
      'min-hours:ann',
    ]);
    expect(plan.infeasibility?.summary).toContain('labour budget of $100 is below the $120');
  });

  it('flags contradictory availability and impossible minimums instead of failing', async () => {
    const plan = await solveStaffing({
      days: 2,
      openHour: 8,
      closeHour: 16,
      requirements: [{ required: [[1, 1, 1, 1, 1, 1, 1, 1]] }],
      staff: [
        {
          id: 'eve',
          hourlyCost: 15,
          minHours: 30,
          availability: [
            { day: 0, from: 14, to: 10 },
            { day: 1, from: 8, to: 12 },
          ],
        },
        { id: 'gus', hourlyCost: Number.NaN },
      ],
      laborBudget: 0,
    });
    const codes = plan.issues.map((i) => i.code);
    expect(codes).toEqual(
      expect.arrayContaining([
        'invalid_availability',
        'availability_below_min_hours',
        'missing_cost',
        'zero_budget',
      ]),
    );
    expect(plan.status).toBe('infeasible'); // eve must work 4 h but the budget is 0
    expect(plan.infeasibility?.conflicts.map((c) => c.group).sort()).toEqual([
      'labor-budget',
      'min-hours:eve',
    ]);
  });

  it('penalises uncovered hours and reports coverage per hour', async () => {
    const plan = await solveStaffing({
      days: 1,
      openHour: 8,
      closeHour: 12,
      minShiftHours: 4,
      maxShiftHours: 4,
      requirements: [{ required: [[2, 2, 2, 2]] }],
      staff: [{ id: 'solo', hourlyCost: 20 }],
    });
    expect(plan.people[0]?.hours).toBe(4);
    expect(plan.underCoverageHours).toBe(4);
    expect(plan.coverage.map((c) => c.short)).toEqual([1, 1, 1, 1]);
    expect(plan.objective).toBeCloseTo(80 + 4 * 60, 9);
  });

  it('builds a feasible warm-start schedule from the relaxation', async () => {
    const built = buildStaffingModel(syntheticStaffing({ staff: 12, days: 7, seed: 3 }));
    const lp = await solveLpModel(built.model, {}, { relaxIntegrality: true });
    const start = staffingStart(built, lp.values!)!;
    expect(start).toBeDefined();
    for (const row of built.model.constraints) {
      const a = built.model.activity(row, start);
      if (row.sense === '<=') expect(a).toBeLessThanOrEqual(row.rhs + 1e-6);
      else if (row.sense === '>=') expect(a).toBeGreaterThanOrEqual(row.rhs - 1e-6);
    }
    // A heuristic: never better than the relaxation, and not absurdly worse.
    const value = built.model.evaluateObjective(start);
    expect(value).toBeGreaterThanOrEqual(lp.objective! - 1e-6);
    expect(value).toBeLessThan(lp.objective! * 1.25);
  });
});
