import type { InventoryModel } from './inventory.js';

/**
 * @internal A feasible starting plan from the LP relaxation: round every order down to whole
 * cases (dropping orders under their MOQ and suppliers under their minimum order value),
 * raise orders to service-level targets, then spend what budget and space are left on the
 * cases with the best extra value per unit of resource, resources priced by the relaxation's
 * shadow prices (a Lagrangian greedy). Returns undefined when that plan
 * breaks a limit (HiGHS then searches without a start).
 */
export function inventoryStart(
  built: InventoryModel,
  relaxed: Float64Array,
  rowDuals: Float64Array,
): Float64Array | undefined {
  const { model, skus, cases, ordersFrom } = built;
  const k = new Map<number, number>();
  for (const p of skus) {
    const n = cases.get(p.index);
    if (!n) continue;
    let c = Math.min(p.maxCases, Math.floor((relaxed[n.index] ?? 0) + 1e-6));
    if (c * p.pack < p.moq - 1e-9) c = 0;
    if (p.serviceTarget)
      c = Math.max(c, Math.ceil((p.serviceTarget.units - p.startUnits) / p.pack - 1e-9));
    k.set(p.index, Math.min(c, p.maxCases));
  }
  const minValue = new Map<string, number>();
  const supplierValue = new Map<string, number>();
  for (const p of skus) {
    const sup = p.sku.supplierId;
    if (sup === undefined) continue;
    supplierValue.set(
      sup,
      (supplierValue.get(sup) ?? 0) + (k.get(p.index) ?? 0) * p.pack * p.unitCost,
    );
  }
  for (const row of model.constraints) {
    if (!row.group.startsWith('supplier-minimum:')) continue;
    const id = row.group.slice('supplier-minimum:'.length);
    const u = ordersFrom.get(id);
    const mov = -(row.terms.find(([i]) => i === u?.index)?.[1] ?? 0);
    minValue.set(id, mov);
    if ((supplierValue.get(id) ?? 0) < mov) {
      for (const p of skus) if (p.sku.supplierId === id) k.set(p.index, 0);
    }
  }

  // Resource rows (≤) touching order variables, for the greedy fill.
  const varOf = new Map(skus.map((p) => [p.index, cases.get(p.index)?.index ?? -1]));
  const rows = model.constraints.filter(
    (r) =>
      r.sense === '<=' &&
      !r.group.startsWith('#') &&
      !r.group.startsWith('moq:') &&
      !r.group.startsWith('supplier-minimum:'),
  );
  const coefs = new Map<number, Array<[number, number]>>();
  const activity = rows.map(() => 0);
  rows.forEach((r, ri) => {
    for (const [i, c] of r.terms) coefs.set(i, [...(coefs.get(i) ?? []), [ri, c]]);
  });
  // Price of one case: shadow prices of the rows it uses (tiny tie-breaker on cost).
  const price = (vi: number, cost: number): number =>
    1e-6 * cost +
    (coefs.get(vi) ?? []).reduce(
      (sum, [ri, c]) => sum + Math.abs(rowDuals[rows[ri]?.index ?? -1] ?? 0) * c,
      0,
    );
  const apply = (vi: number, times: number): void => {
    for (const [ri, c] of coefs.get(vi) ?? []) activity[ri] = (activity[ri] ?? 0) + c * times;
  };
  for (const p of skus) apply(varOf.get(p.index) ?? -1, k.get(p.index) ?? 0);
  const fits = (vi: number): boolean =>
    (coefs.get(vi) ?? []).every(
      ([ri, c]) => (activity[ri] ?? 0) + c <= (rows[ri]?.rhs ?? 0) + 1e-7,
    );
  const open = (sup: string | undefined): boolean =>
    sup === undefined ||
    !minValue.has(sup) ||
    (supplierValue.get(sup) ?? 0) >= (minValue.get(sup) ?? 0);
  for (let pass = 0; pass < 50; pass++) {
    const gains = skus
      .map((p) => {
        const c = k.get(p.index) ?? 0;
        const next = c === 0 ? Math.max(1, Math.ceil(p.moq / p.pack - 1e-9)) : c + 1;
        const gain = p.value(p.startUnits + next * p.pack) - p.value(p.startUnits + c * p.pack);
        const vi = varOf.get(p.index) ?? -1;
        return {
          p,
          c,
          next,
          ratio: gain / Math.max(1e-12, (next - c) * price(vi, p.pack * p.unitCost)),
        };
      })
      .filter((g) => g.ratio > 1e-12 && g.next <= g.p.maxCases && open(g.p.sku.supplierId))
      .sort((a, b) => b.ratio - a.ratio);
    let added = 0;
    for (const g of gains) {
      const vi = varOf.get(g.p.index) ?? -1;
      let ok = true;
      for (let t = g.c; t < g.next && ok; t++) ok = fits(vi);
      if (
        !ok ||
        !(coefs.get(vi) ?? []).every(
          ([ri, c]) => (activity[ri] ?? 0) + c * (g.next - g.c) <= (rows[ri]?.rhs ?? 0) + 1e-7,
        )
      )
        continue;
      apply(vi, g.next - g.c);
      k.set(g.p.index, g.next);
      added++;
    }
    if (added === 0) break;
  }
  return fullVector(built, k);
}

/** Expands case counts into a value for every model column (segments filled in order). */
function fullVector(
  built: InventoryModel,
  k: ReadonlyMap<number, number>,
): Float64Array | undefined {
  const { model } = built;
  const x = new Float64Array(model.variables.length);
  const ordered = new Set<string>();
  for (const p of built.skus) {
    const n = built.cases.get(p.index);
    const c = k.get(p.index) ?? 0;
    if (!n) continue;
    x[n.index] = c;
    if (c > 0 && p.sku.supplierId !== undefined) ordered.add(p.sku.supplierId);
  }
  for (const [id, u] of built.ordersFrom) x[u.index] = ordered.has(id) ? 1 : 0;
  for (const row of model.constraints) {
    if (row.group !== '#structure') continue;
    // cover segments Σ seg − n = 0: fill segments in order.
    const nTerm = row.terms.find(([, c]) => c === -1);
    let left = nTerm ? (x[nTerm[0]] ?? 0) : 0;
    for (const [i, c] of row.terms) {
      if (c !== 1) continue;
      const take = Math.min(left, model.variables[i]?.upper ?? 0);
      x[i] = take;
      left -= take;
    }
  }
  for (const row of model.constraints) {
    if (!row.group.startsWith('moq:') || row.sense !== '>=') continue;
    const [[ni], [zi]] = row.terms as [[number, number], [number, number]];
    x[zi] = (x[ni] ?? 0) > 0 ? 1 : 0;
  }
  for (const row of model.constraints) {
    const a = model.activity(row, x);
    const ok =
      row.sense === '<='
        ? a <= row.rhs + 1e-6
        : row.sense === '>='
          ? a >= row.rhs - 1e-6
          : Math.abs(a - row.rhs) <= 1e-6;
    if (!ok) return undefined;
  }
  return x;
}
