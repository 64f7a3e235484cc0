import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allocateBudget,
  curveValue,
  fitResponseCurve,
  OptimizeInputError,
} from '../../../src/engines/optimize/index.js';
import type { BudgetInput, ResponseCurve } from '../../../src/engines/optimize/index.js';

describe('fitResponseCurve', () => {
  it('recovers a log curve from exact history', () => {
    const truth: ResponseCurve = { kind: 'log', a: 5000, b: 800 };
    const history = [200, 500, 1000, 1500, 2500, 4000].map((spend) => ({
      spend,
      return: curveValue(truth, spend),
    }));
    const fit = fitResponseCurve(history);
    expect(fit.curve.kind).toBe('log');
    if (fit.curve.kind !== 'log') return;
    expect(fit.curve.a).toBeCloseTo(5000, 0);
    expect(fit.curve.b).toBeCloseTo(800, 0);
    expect(fit.r2).toBeGreaterThan(0.999999);
  });

  it('recovers a saturation curve and prefers it over log', () => {
    const truth: ResponseCurve = { kind: 'saturation', a: 3000, b: 1200 };
    const history = [100, 400, 900, 1600, 2500, 5000].map((spend) => ({
      spend,
      return: curveValue(truth, spend),
    }));
    const fit = fitResponseCurve(history);
    expect(fit.curve).toMatchObject({ kind: 'saturation' });
    if (fit.curve.kind === 'saturation') expect(fit.curve.b).toBeCloseTo(1200, 0);
    expect(fit.rmse).toBeLessThan(1e-3);
  });

  it('needs two distinct positive spends', () => {
    expect(() =>
      fitResponseCurve([
        { spend: 100, return: 5 },
        { spend: 100, return: 6 },
      ]),
    ).toThrow(OptimizeInputError);
  });
});

const curves: Record<string, ResponseCurve> = {
  search: { kind: 'log', a: 3000, b: 400 },
  social: { kind: 'saturation', a: 2000, b: 600 },
  email: { kind: 'log', a: 600, b: 50 },
};

describe('allocateBudget', () => {
  it('equals brute force over the spending grid when spending in steps', async () => {
    const input: BudgetInput = {
      budget: 1500,
      step: 50,
      channels: [
        { id: 'search', curve: curves.search },
        { id: 'social', curve: curves.social, max: 500 },
        { id: 'email', curve: curves.email, min: 100 },
      ],
    };
    let best = -Infinity;
    for (let a = 0; a <= 1500; a += 50) {
      for (let b = 0; b <= 500 && a + b <= 1500; b += 50) {
        for (let c = 100; a + b + c <= 1500; c += 50) {
          best = Math.max(
            best,
            curveValue(curves.search!, a) +
              curveValue(curves.social!, b) +
              curveValue(curves.email!, c),
          );
        }
      }
    }
    const plan = await allocateBudget(input, { mipRelGap: 0 });
    expect(plan.status).toBe('optimal');
    expect(plan.objective).toBeCloseTo(best, 6);
    expect(plan.expectedReturn).toBeCloseTo(best, 6);
    expect(plan.channels.every((c) => c.spend % 50 === 0)).toBe(true);
    expect(plan.totalSpend).toBeLessThanOrEqual(1500);
    expect(plan.channels.find((c) => c.channelId === 'social')!.spend).toBeLessThanOrEqual(500);
  });

  it('spends where marginal returns are equal and reports the budget shadow price', async () => {
    const plan = await allocateBudget({
      budget: 2000,
      segments: 60,
      channels: [
        { id: 'search', curve: curves.search },
        { id: 'social', curve: curves.social },
      ],
    });
    const [s, o] = plan.channels;
    expect(plan.totalSpend).toBeCloseTo(2000, 6);
    // Piecewise-linear optimum: marginal returns agree to the segment resolution.
    expect(Math.abs(s!.marginalReturn - o!.marginalReturn)).toBeLessThan(0.15);
    expect(plan.budgetShadowPrice).toBeGreaterThan(0.5);
    expect(plan.budgetShadowPrice).toBeLessThan(2);
    expect(plan.constraints.find((c) => c.name === 'budget')?.binding).toBe(true);
  });

  it('stops spending when return no longer covers cost (profit objective)', async () => {
    const plan = await allocateBudget({
      budget: 100000,
      objective: 'profit',
      channels: [{ id: 'email', curve: curves.email }],
    });
    // a/(b+x) = 1 → x = a − b = 550.
    expect(plan.totalSpend).toBeCloseTo(550, 6);
    expect(plan.channels[0]!.marginalReturn).toBeCloseTo(1, 9);
  });

  it('explains minimums above the budget without solving', async () => {
    const plan = await allocateBudget({
      budget: 100,
      channels: [
        { id: 'tv', curve: curves.search, min: 80 },
        { id: 'radio', curve: curves.social, min: 70 },
      ],
    });
    expect(plan.status).toBe('infeasible');
    expect(plan.infeasibility?.summary).toBe(
      'Budget $100 is below the sum of the channel minimums, $150 (tv $80.00, radio $70.00).',
    );
  });

  it('handles bad input clearly', async () => {
    await expect(allocateBudget({ budget: -5, channels: [] })).rejects.toMatchObject({
      path: 'budget',
    });
    await expect(
      allocateBudget({ budget: 10, channels: [{ id: 'x', curve: curves.email, min: 5, max: 2 }] }),
    ).rejects.toThrow(/minimum spend 5 is above maximum 2/);
    const zero = await allocateBudget({ budget: 0, channels: [{ id: 'x', curve: curves.email }] });
    expect(zero.status).toBe('optimal');
    expect(zero.totalSpend).toBe(0);
    expect(zero.issues.map((i) => i.code)).toContain('zero_budget');
    const thin = await allocateBudget({
      budget: 100,
      channels: [
        { id: 'x', history: [{ spend: 10, return: 3 }] },
        { id: 'y', curve: curves.email },
      ],
    });
    expect(thin.channels.map((c) => c.channelId)).toEqual(['y']);
    expect(thin.issues[0]).toMatchObject({ code: 'insufficient_history', severity: 'excluded' });
  });

  it('every allocation respects budget, minimums, maximums and steps (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          budget: fc.integer({ min: 0, max: 5000 }),
          step: fc.option(fc.constantFrom(10, 50, 100), { nil: undefined }),
          channels: fc.array(
            fc.record({
              log: fc.boolean(),
              a: fc.integer({ min: 1, max: 5000 }),
              b: fc.integer({ min: 10, max: 3000 }),
              min: fc.integer({ min: 0, max: 800 }),
              extra: fc.option(fc.integer({ min: 0, max: 3000 }), { nil: undefined }),
            }),
            { minLength: 1, maxLength: 5 },
          ),
        }),
        async (g) => {
          const channels = g.channels.map((c, i) => ({
            id: `c${i}`,
            curve: (c.log
              ? { kind: 'log', a: c.a, b: c.b }
              : { kind: 'saturation', a: c.a, b: c.b }) as ResponseCurve,
            min: g.step ? Math.ceil(c.min / g.step) * g.step : c.min,
            ...(c.extra !== undefined
              ? { max: (g.step ? Math.ceil(c.min / g.step) * g.step : c.min) + c.extra }
              : {}),
          }));
          const plan = await allocateBudget({
            budget: g.budget,
            channels,
            ...(g.step ? { step: g.step } : {}),
          });
          const minSum = channels.reduce((s, c) => s + c.min, 0);
          if (minSum > g.budget) {
            expect(plan.status).toBe('infeasible');
            return;
          }
          expect(plan.status).toBe('optimal');
          expect(plan.totalSpend).toBeLessThanOrEqual(g.budget + 1e-6);
          plan.channels.forEach((a, i) => {
            const c = channels[i]!;
            expect(a.spend).toBeGreaterThanOrEqual(c.min - 1e-6);
            if (c.max !== undefined) expect(a.spend).toBeLessThanOrEqual(c.max + 1e-6);
            if (g.step)
              expect(Math.abs(a.spend / g.step - Math.round(a.spend / g.step))).toBeLessThan(1e-6);
            expect(Number.isFinite(a.expectedReturn)).toBe(true);
          });
        },
      ),
      { numRuns: 25, seed: 11 },
    );
  });
});
