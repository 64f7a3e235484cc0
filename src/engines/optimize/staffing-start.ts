import type { Shift, StaffingModel } from './staffing.js';
import { slotOutcome } from './staffing-coverage.js';

/**
 * @internal A feasible starting schedule from the LP relaxation, for large shift sets where
 * branch-and-bound is slow to find a good plan on its own:
 * 0. shifts the relaxation mostly wants (value ≥ ½), when allowed;
 * 1. contracted minimum hours, longest useful shifts first (swapping a short shift for a
 *    longer one that day when no day is free);
 * 2. any shift that saves more under-coverage penalty than it costs, best per hour first,
 *    weighted by its relaxed value;
 * 3. local search: move each shift to the best other shift of the same person, or drop it.
 * Undefined when a contracted minimum cannot be met this way.
 */
export function staffingStart(
  built: StaffingModel,
  relaxed: Float64Array,
): Float64Array | undefined {
  const { staff, shifts, roles, days, penalty } = built;
  const need = roles.map((r) => r.required.map((row) => [...row]));
  const chosen = staff.map(() => new Map<number, Shift>()); // day → shift
  const hours = staff.map(() => 0);
  let spend = 0;
  const cost = (sh: Shift): number => (staff[sh.person]?.cost ?? 0) * sh.hours;
  const canServe = (p: number, r: number): boolean => built.qualified[p]?.has(r) ?? false;
  const hoursOf = (sh: Shift): number[] =>
    Array.from({ length: sh.hours }, (_, k) => sh.start - built.openHour + k);

  const allowed = (sh: Shift): boolean => {
    const s = staff[sh.person];
    const mine = chosen[sh.person];
    if (!s || !mine || mine.has(sh.day)) return false;
    if ((hours[sh.person] ?? 0) + sh.hours > s.maxHours) return false;
    if (mine.size + 1 > Math.min(days, s.member.maxDays ?? 6)) return false;
    if (built.laborBudget !== undefined && spend + cost(sh) > built.laborBudget + 1e-9)
      return false;
    const before = mine.get(sh.day - 1);
    const after = mine.get(sh.day + 1);
    if (before && 24 - (before.start + before.hours) + sh.start < built.minRest) return false;
    if (after && 24 - (sh.start + sh.hours) + after.start < built.minRest) return false;
    return true;
  };
  const coverGain = (sh: Shift): number =>
    hoursOf(sh).filter((h) =>
      roles.some((_, r) => canServe(sh.person, r) && (need[r]?.[sh.day]?.[h] ?? 0) > 0),
    ).length * penalty;

  const served = new Map<Shift, Array<[number, number]>>();
  const take = (sh: Shift): void => {
    chosen[sh.person]?.set(sh.day, sh);
    hours[sh.person] = (hours[sh.person] ?? 0) + sh.hours;
    spend += cost(sh);
    const list: Array<[number, number]> = [];
    for (const h of hoursOf(sh)) {
      // Serve a skilled role with remaining need first, else the largest remaining need.
      let pick = -1;
      roles.forEach((role, r) => {
        if (!canServe(sh.person, r)) return;
        const gap = need[r]?.[sh.day]?.[h] ?? 0;
        const best =
          pick < 0
            ? -Infinity
            : (need[pick]?.[sh.day]?.[h] ?? 0) + (roles[pick]?.skill !== 'any' ? 1e6 : 0);
        if (gap > 0 && gap + (role.skill !== 'any' ? 1e6 : 0) > best) pick = r;
      });
      const row = need[pick]?.[sh.day];
      if (row) {
        row[h] = (row[h] ?? 0) - 1;
        list.push([pick, h]);
      }
    }
    served.set(sh, list);
  };
  const drop = (sh: Shift): void => {
    chosen[sh.person]?.delete(sh.day);
    hours[sh.person] = (hours[sh.person] ?? 0) - sh.hours;
    spend -= cost(sh);
    for (const [r, h] of served.get(sh) ?? []) {
      const row = need[r]?.[sh.day];
      if (row) row[h] = (row[h] ?? 0) + 1;
    }
    served.delete(sh);
  };
  const best = (candidates: Iterable<Shift>, score: (sh: Shift) => number): Shift | undefined => {
    let pick: Shift | undefined;
    let pickScore = -Infinity;
    for (const sh of candidates) {
      if (!allowed(sh)) continue;
      const v = score(sh);
      if (v > pickScore) {
        pickScore = v;
        pick = sh;
      }
    }
    return pick;
  };
  const byPerson = staff.map((s) => shifts.filter((sh) => sh.person === s.index));

  // 0. What the relaxation mostly wants.
  const wanted = shifts.filter((sh) => (relaxed[sh.x.index] ?? 0) >= 0.5);
  wanted.sort((a, b) => (relaxed[b.x.index] ?? 0) - (relaxed[a.x.index] ?? 0));
  for (const sh of wanted) if (allowed(sh)) take(sh);
  // 1. Contracted minimum hours.
  for (const s of staff) {
    while ((hours[s.index] ?? 0) < s.minHours - 1e-9) {
      const pick = best(
        byPerson[s.index] ?? [],
        (sh) => 1000 * sh.hours + coverGain(sh) - cost(sh),
      );
      if (pick) {
        take(pick);
        continue;
      }
      const shortest = [...(chosen[s.index]?.values() ?? [])].sort((a, b) => a.hours - b.hours)[0];
      if (!shortest) return undefined;
      drop(shortest);
      const longer = best(
        (byPerson[s.index] ?? []).filter(
          (sh) => sh.day === shortest.day && sh.hours > shortest.hours,
        ),
        (sh) => 1000 * sh.hours + coverGain(sh),
      );
      if (!longer) return undefined;
      take(longer);
    }
  }
  // 2. Shifts worth their wage.
  for (;;) {
    const pick = best(shifts, (sh) => {
      const gain = coverGain(sh) - cost(sh);
      return gain > 0 ? (gain / sh.hours) * (0.25 + (relaxed[sh.x.index] ?? 0)) : -Infinity;
    });
    if (!pick || coverGain(pick) - cost(pick) <= 0) break;
    take(pick);
  }
  // 3. Local search.
  const dayShort = (d: number): number =>
    need.reduce((sum, role) => sum + (role[d] ?? []).reduce((a, x) => a + Math.max(0, x), 0), 0);
  const added = (sh: Shift): number => {
    const base = dayShort(sh.day);
    take(sh);
    const delta = (dayShort(sh.day) - base) * penalty + cost(sh);
    drop(sh);
    return delta;
  };
  for (let pass = 0; pass < 6; pass++) {
    let improved = false;
    for (const s of staff) {
      for (const current of [...(chosen[s.index]?.values() ?? [])]) {
        drop(current);
        const keep = added(current);
        let bestAlt: Shift | undefined;
        let bestDelta = (hours[s.index] ?? 0) >= s.minHours - 1e-9 ? 0 : Infinity;
        for (const alt of byPerson[s.index] ?? []) {
          if (
            alt === current ||
            !allowed(alt) ||
            (hours[s.index] ?? 0) + alt.hours < s.minHours - 1e-9
          )
            continue;
          const delta = added(alt);
          if (delta < bestDelta) {
            bestDelta = delta;
            bestAlt = alt;
          }
        }
        if (bestDelta < keep - 1e-6) {
          improved = true;
          if (bestAlt) take(bestAlt);
        } else take(current);
      }
    }
    if (!improved) break;
  }

  const x = new Float64Array(built.model.variables.length);
  for (const byDay of chosen) for (const sh of byDay.values()) x[sh.x.index] = 1;
  for (const slot of built.slots) {
    for (const [v, value] of slotOutcome(built, slot, (s) => (x[s.index] ?? 0) > 0.5).values)
      x[v.index] = value;
  }
  return x;
}
