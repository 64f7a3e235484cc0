import type { Variable } from './lp-model.js';
import type { Slot, StaffingModel } from './staffing.js';

/** @internal Who serves which role in one hour, and the shortfall variables' values. */
export interface SlotOutcome {
  /** People serving each role (by role index). */
  served: Map<number, number>;
  /** Values for the slot's shortfall and assignment variables. */
  values: Array<readonly [Variable, number]>;
  /** Staff-hours required but not covered. */
  unmet: number;
}

/**
 * @internal Assigns the people working in a slot to roles (people with one possible role
 * first, then skilled roles before `any`, then the largest remaining need) and derives the
 * shortfall variables of whichever formulation the slot uses.
 */
export function slotOutcome(
  built: StaffingModel,
  slot: Slot,
  on: (x: Variable) => boolean,
): SlotOutcome {
  const people = [...new Set(slot.working.filter((w) => on(w.x)).map((w) => w.person))];
  const need = new Map(slot.needs.map((n) => [n.r, n.req]));
  const served = new Map(slot.needs.map((n) => [n.r, 0]));
  const rolesOf = (p: number): number[] =>
    slot.needs.map((n) => n.r).filter((r) => built.qualified[p]?.has(r));
  const byFlex = [...people].sort((a, b) => rolesOf(a).length - rolesOf(b).length);
  const assignment = new Map<number, number>();
  for (const p of byFlex) {
    const options = rolesOf(p);
    const open = options.filter((r) => (need.get(r) ?? 0) > (served.get(r) ?? 0));
    const skilled = open.filter((r) => built.roles[r]?.skill !== 'any');
    const pool = skilled.length > 0 ? skilled : open.length > 0 ? open : options;
    let pick = pool[0];
    for (const r of pool) {
      const gap = (need.get(r) ?? 0) - (served.get(r) ?? 0);
      if (pick === undefined || gap > (need.get(pick) ?? 0) - (served.get(pick) ?? 0)) pick = r;
    }
    if (pick === undefined) continue;
    assignment.set(p, pick);
    served.set(pick, (served.get(pick) ?? 0) + 1);
  }
  const values: Array<readonly [Variable, number]> = [];
  let unmet = 0;
  if (slot.total) {
    let skillShort = 0;
    for (const n of slot.needs) {
      if (!n.short) continue;
      const have = people.filter((p) => built.qualified[p]?.has(n.r)).length;
      const u = Math.max(0, n.req - have);
      values.push([n.short, u]);
      skillShort += u;
    }
    unmet = Math.max(skillShort, slot.total.req - people.length);
    values.push([slot.total.short, unmet]);
  } else {
    for (const n of slot.needs) {
      const have = slot.assign
        ? (served.get(n.r) ?? 0)
        : people.filter((p) => built.qualified[p]?.has(n.r)).length;
      const short = Math.max(0, n.req - have);
      if (n.short) values.push([n.short, short]);
      unmet += short;
    }
    if (slot.assign) {
      for (const [p, r] of assignment) {
        const a = slot.assign.get(`${p}:${r}`);
        if (a) values.push([a, 1]);
      }
    }
  }
  return { served, values, unmet };
}
