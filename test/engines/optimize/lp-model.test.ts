import { describe, expect, it } from 'vitest';
import {
  formatLpNumber,
  LpModel,
  OptimizeInputError,
  sanitizeLpName,
} from '../../../src/engines/optimize/index.js';
import { loadRuntime, solveLpModel } from '../../../src/engines/optimize/highs-runtime.js';

function workshop(): LpModel {
  const m = new LpModel('maximize');
  const chairs = m.variable('chairs made', { kind: 'integer', objective: 30 });
  const tables = m.variable('tables made', { kind: 'integer', objective: 50 });
  m.constrain(
    'carpentry hours',
    [
      [chairs, 1],
      [tables, 2],
    ],
    '<=',
    40,
    'carpentry',
  );
  m.constrain(
    'finishing hours',
    [
      [chairs, 2],
      [tables, 1],
    ],
    '<=',
    50,
    'finishing',
  );
  return m;
}

/** A two-constraint knapsack with many near-identical items: hard enough to hit a tiny time limit. */
function knapsack(): LpModel {
  const m = new LpModel('maximize');
  const items = Array.from({ length: 300 }, (_, i) =>
    m.variable(`item${i}`, { kind: 'binary', objective: 1000 + ((i * 7919) % 997) }),
  );
  m.constrain(
    'weight',
    items.map((v, i) => [v, 1001 + ((i * 104729) % 991)] as const),
    '<=',
    100_003,
  );
  m.constrain(
    'volume',
    items.map((v, i) => [v, 997 + ((i * 1299709) % 983)] as const),
    '<=',
    99_991,
  );
  return m;
}

describe('LpModel', () => {
  it('sanitises names into safe, unique LP identifiers', () => {
    expect(sanitizeLpName('order cases[SKU-1]')).toBe('order_cases_SKU_1_');
    expect(sanitizeLpName('3rd shelf')).toBe('v_3rd_shelf');
    expect(sanitizeLpName('e12')).toBe('v_e12');
    expect(sanitizeLpName('free')).toBe('v_free');
    const m = new LpModel('minimize');
    const a = m.variable('x y');
    const b = m.variable('x-y');
    expect(m.variables[a.index]!.lpName).toBe('x_y');
    expect(m.variables[b.index]!.lpName).toBe('x_y_2');
  });

  it('formats numbers safely and refuses NaN/Infinity', () => {
    expect(formatLpNumber(0.1 + 0.2, 'x')).toBe('0.3');
    expect(formatLpNumber(-0, 'x')).toBe('0');
    expect(formatLpNumber(1e-15, 'x')).toBe('0');
    expect(() => formatLpNumber(Number.NaN, 'budget row')).toThrow(OptimizeInputError);
    const m = new LpModel('minimize');
    const x = m.variable('x');
    m.constrain('bad', [[x, Number.POSITIVE_INFINITY]], '<=', 1);
    expect(() => m.toLpText()).toThrow(/bad: the model got a non-finite number/);
  });

  it('solves the textbook workshop to its known optimum, and the LP text says the same', async () => {
    const m = workshop();
    const r = await solveLpModel(m, { mipRelGap: 0 });
    expect(r.status).toBe('optimal');
    expect(r.objective).toBe(1100);
    expect([...r.values!]).toEqual([20, 10]);

    const text = m.toLpText();
    expect(text).toContain('carpentry_hours: chairs_made + 2 tables_made <= 40');
    const highs = await loadRuntime();
    const fromText = highs.createModel({ format: 'lp', data: text });
    try {
      fromText.options.set({ output_flag: false });
      fromText.run();
      expect(fromText.getObjectiveValue()).toBe(1100);
    } finally {
      fromText.dispose();
    }
  });

  it('reports infeasible and unbounded models as statuses', async () => {
    const m = new LpModel('maximize');
    const x = m.variable('x', { objective: 1 });
    m.constrain('at least 5', [[x, 1]], '>=', 5);
    m.constrain('at most 3', [[x, 1]], '<=', 3);
    expect((await solveLpModel(m)).status).toBe('infeasible');
    const u = new LpModel('maximize');
    u.variable('y', { objective: 1 });
    expect((await solveLpModel(u)).status).toBe('unbounded');
  });

  it('honours mip_rel_gap: stops as optimal within the requested gap', async () => {
    const m = knapsack();
    const loose = await solveLpModel(m, { timeLimitSeconds: 20, mipRelGap: 0.05 });
    expect(loose.status).toBe('optimal');
    expect(loose.gap!).toBeLessThanOrEqual(0.05 + 1e-9);
    expect(loose.objective!).toBeLessThanOrEqual(loose.bound! + 1e-6);
  });

  it('honours the time limit and reports the gap it stopped at', async () => {
    const m = knapsack();
    const r = await solveLpModel(m, { timeLimitSeconds: 0.05, mipRelGap: 0 });
    expect(r.solveSeconds).toBeLessThan(2);
    if (r.status === 'feasible') {
      expect(r.limit).toBe('time');
      expect(r.gap).toBeGreaterThan(0);
    } else expect(['optimal', 'no_solution']).toContain(r.status);
  });

  it('a model with no decisions is solved without HiGHS: optimal at its constant, or infeasible', async () => {
    const empty = new LpModel('maximize');
    empty.objectiveConstant = 12.5;
    empty.constrain('budget', [], '<=', 100);
    expect(await solveLpModel(empty)).toMatchObject({ status: 'optimal', objective: 12.5, gap: 0 });
    const impossible = new LpModel('minimize');
    impossible.constrain('minimum order value', [], '>=', 50);
    expect((await solveLpModel(impossible)).status).toBe('infeasible');
  });
});
