import { createRng } from '../../src/engines/shared/random.js';
import {
  allocateBudget,
  curveValue,
  solveInventory,
  solveStaffing,
  syntheticInventory,
  syntheticStaffing,
} from '../../src/engines/optimize/index.js';
import type {
  InventoryInput,
  ResponseCurve,
  StaffingInput,
} from '../../src/engines/optimize/index.js';
import { runtimeStats, solveLpModel } from '../../src/engines/optimize/highs-runtime.js';
import { buildInventoryModel } from '../../src/engines/optimize/inventory.js';
import { proportionalCutProfit } from './baselines.js';
import { load, median, round, timed } from './measure.js';

/** One pass/fail line against an issue target. */
export interface TargetCheck {
  target: string;
  measured: string;
  pass: boolean;
}

/** Warm-up: a few small solves so V8 has compiled the solver's hot Wasm functions. */
export async function warmUp(): Promise<{ firstSolveMs: number; warmSolveMs: number }> {
  const first = await timed(() => solveInventory(syntheticInventory({ skus: 10, seed: 99 })));
  for (let i = 0; i < 4; i++) await solveInventory(syntheticInventory({ skus: 50, seed: 100 + i }));
  await solveStaffing(syntheticStaffing({ staff: 8, days: 2 }));
  const warm = await timed(() => solveInventory(syntheticInventory({ skus: 10, seed: 99 })));
  return { firstSolveMs: first.timing.wallMs, warmSolveMs: warm.timing.wallMs };
}

/** Inventory solve time and quality for several sizes, against two baselines. */
export async function benchInventory(sizes: readonly number[], repeats: number) {
  const rows = [];
  for (const n of sizes) {
    const input = syntheticInventory({ skus: n, seed: 1 });
    const runs = [];
    const reps = n >= 5000 ? 1 : repeats;
    for (let r = 0; r < reps; r++) {
      const l = load();
      const { result, timing } = await timed(() =>
        solveInventory(input, { timeLimitSeconds: n >= 5000 ? 60 : 30, mipRelGap: 1e-3 }),
      );
      runs.push({
        ...timing,
        load: l,
        status: result.status,
        gap: result.gap ?? 1,
        objective: result.objective ?? 0,
        solver: result.solveSeconds,
        size: result.modelSize,
      });
    }
    // Baseline 1: HiGHS on the same model without the relaxation-guided warm start.
    const built = buildInventoryModel(input);
    const plain =
      n <= 1000
        ? await timed(() => solveLpModel(built.model, { timeLimitSeconds: 30, mipRelGap: 1e-3 }))
        : undefined;
    // Baseline 2: the spreadsheet rule (newsvendor quantities cut proportionally to fit).
    const rule = proportionalCutProfit(input);
    const best = runs[0]!;
    rows.push({
      skus: n,
      variables: best.size.variables,
      integers: best.size.integers,
      constraints: best.size.constraints,
      status: best.status,
      gap: round(Math.max(...runs.map((x) => x.gap)), 6),
      wallMs: round(median(runs.map((x) => x.wallMs)), 0),
      cpuMs: round(median(runs.map((x) => x.cpuMs)), 0),
      solverSeconds: round(median(runs.map((x) => x.solver)), 3),
      load: runs[0]!.load,
      expectedProfit: round(best.objective, 2),
      noWarmStart: plain
        ? {
            wallMs: round(plain.timing.wallMs, 0),
            cpuMs: round(plain.timing.cpuMs, 0),
            status: plain.result.status,
            gap: round(plain.result.gap ?? 1, 6),
          }
        : undefined,
      proportionalRuleProfit: round(rule.profit, 2),
      upliftVsRule: round((best.objective - rule.profit) / Math.abs(rule.profit), 4),
    });
  }
  return rows;
}

/**
 * Staffing: 7 days × 16 h × N staff, café shift patterns and any-hour starts. Each instance is
 * solved twice: with the configured limit (what a caller gets), and with a long limit to
 * measure the time needed to reach the target gap.
 */
export async function benchStaffing(
  seeds: readonly number[],
  staff: number,
  timeLimit: number,
  targetGap: number,
) {
  const rows = [];
  for (const variant of ['cafe patterns', 'any-hour starts'] as const) {
    for (const seed of seeds) {
      const input: StaffingInput = syntheticStaffing({
        staff,
        seed,
        hourlyStarts: variant === 'any-hour starts',
      });
      const l = load();
      const limited = await timed(() =>
        solveStaffing(input, { timeLimitSeconds: timeLimit, mipRelGap: targetGap }),
      );
      const long =
        variant === 'cafe patterns' || seed === seeds[0]
          ? await timed(() => solveStaffing(input, { timeLimitSeconds: 60, mipRelGap: targetGap }))
          : undefined;
      rows.push({
        variant,
        seed,
        staff,
        binaries: limited.result.modelSize.integers,
        [`gapAt${timeLimit}s`]: round(limited.result.gap ?? 1, 5),
        [`wallMsAt${timeLimit}s`]: round(limited.timing.wallMs, 0),
        toTargetStatus: long?.result.status,
        toTargetGap: long ? round(long.result.gap ?? 1, 5) : undefined,
        toTargetWallMs: long ? round(long.timing.wallMs, 0) : undefined,
        toTargetCpuMs: long ? round(long.timing.cpuMs, 0) : undefined,
        load: l,
        laborCost: round((long ?? limited).result.laborCost, 2),
        underCoverageHours: (long ?? limited).result.underCoverageHours,
      });
    }
  }
  return rows;
}

/** Budget allocation: curves fitted from noisy history vs the truth, against an equal split. */
export async function benchBudget(channels: number, seed: number) {
  const rng = createRng(seed);
  const truth: ResponseCurve[] = Array.from({ length: channels }, (_, i) =>
    i % 2 === 0
      ? { kind: 'log', a: 2000 + 6000 * rng.uniform(), b: 300 + 2000 * rng.uniform() }
      : { kind: 'saturation', a: 3000 + 5000 * rng.uniform(), b: 500 + 3000 * rng.uniform() },
  );
  const budget = 20000;
  const input = {
    budget,
    channels: truth.map((curve, i) => ({
      id: `ch${i}`,
      min: i === 0 ? 500 : 0,
      history: Array.from({ length: 12 }, () => {
        const spend = 200 + 4000 * rng.uniform();
        return { spend, return: curveValue(curve, spend) * (1 + 0.08 * rng.normal()) };
      }),
    })),
  };
  const { result, timing } = await timed(() => allocateBudget(input));
  const trueReturn = result.channels.reduce((s, c, i) => s + curveValue(truth[i]!, c.spend), 0);
  const equal = truth.reduce((s, c) => s + curveValue(c, budget / channels), 0);
  return {
    channels,
    status: result.status,
    wallMs: round(timing.wallMs, 0),
    cpuMs: round(timing.cpuMs, 0),
    medianFitR2: round(median(result.channels.map((c) => c.fit?.r2 ?? 1)), 4),
    predictedReturn: round(result.expectedReturn, 0),
    trueReturnOfPlan: round(trueReturn, 0),
    trueReturnEqualSplit: round(equal, 0),
    upliftVsEqualSplit: round((trueReturn - equal) / equal, 4),
  };
}

/** Repeated large solves in one runtime: Wasm memory and failures. */
export async function benchRepeatedSolves(times: number, skus: number) {
  const memory: number[] = [];
  let failures = 0;
  for (let i = 0; i < times; i++) {
    try {
      await solveInventory(syntheticInventory({ skus, seed: 1000 + i }), { mipRelGap: 1e-3 });
    } catch {
      failures++;
    }
    memory.push((await runtimeStats()).memoryBytes);
  }
  return {
    solves: times,
    skus,
    failures,
    memoryMiBFirst: round(memory[0]! / 2 ** 20, 1),
    memoryMiBLast: round(memory[memory.length - 1]! / 2 ** 20, 1),
    memoryMiBMax: round(Math.max(...memory) / 2 ** 20, 1),
  };
}

/** Does the time limit hold? A hard staffing model with a 1 s limit. */
export async function benchTimeLimit() {
  const input = syntheticStaffing({ staff: 40, seed: 7, hourlyStarts: true });
  const { result, timing } = await timed(() =>
    solveStaffing(input, { timeLimitSeconds: 1, mipRelGap: 0 }),
  );
  return {
    limitSeconds: 1,
    wallMs: round(timing.wallMs, 0),
    status: result.status,
    gap: round(result.gap ?? 1, 4),
  };
}

/** Bad inputs: each must end with a plan + issues or a typed error, quickly. */
export async function benchBadInputs() {
  const base = syntheticInventory({ skus: 200, seed: 5 });
  const cases: Array<{ name: string; run: () => Promise<{ status: string; issues: string[] }> }> = [
    {
      name: 'negative demand',
      run: async () =>
        inv({
          ...base,
          skus: base.skus.map((s) => ({
            ...s,
            demand: s.demand.map((d) => ({ ...d, mean: -Math.abs(d.mean ?? 0) })),
          })),
        }),
    },
    {
      name: 'zero lead time',
      run: async () => inv({ ...base, skus: base.skus.map((s) => ({ ...s, leadTimeDays: 0 })) }),
    },
    {
      name: 'capacity smaller than any order',
      run: async () => inv({ ...base, storage: [{ id: 'store', capacity: 1 }] }),
    },
    { name: 'budget of 0', run: async () => inv({ ...base, budget: 0 }) },
    {
      name: '5,000 SKUs, cost missing on all but 50',
      run: async () => inv(syntheticInventoryMissingCost()),
    },
    {
      name: 'contradictory availability',
      run: async () => {
        const s = syntheticStaffing({ staff: 10, days: 7 });
        const plan = await solveStaffing(
          {
            ...s,
            staff: s.staff.map((m) => ({
              ...m,
              minHours: 45,
              availability: [{ day: 0, from: 20, to: 8 }],
            })),
          },
          { timeLimitSeconds: 10 },
        );
        return { status: plan.status, issues: [...new Set(plan.issues.map((i) => i.code))] };
      },
    },
    {
      name: 'labour budget of 0 with contracts',
      run: async () => {
        const plan = await solveStaffing(
          { ...syntheticStaffing({ staff: 10, days: 7 }), laborBudget: 0 },
          { timeLimitSeconds: 10 },
        );
        return { status: plan.status, issues: [plan.infeasibility?.summary ?? ''] };
      },
    },
    {
      name: 'marketing budget of 0',
      run: async () => {
        const plan = await allocateBudget({
          budget: 0,
          channels: [{ id: 'a', curve: { kind: 'log', a: 100, b: 10 } }],
        });
        return { status: plan.status, issues: plan.issues.map((i) => i.code) };
      },
    },
  ];
  const rows = [];
  for (const c of cases) {
    const { result, timing } = await timed(async () => {
      try {
        return await c.run();
      } catch (err) {
        return { status: `error: ${(err as Error).name}`, issues: [(err as Error).message] };
      }
    });
    rows.push({
      case: c.name,
      status: result.status,
      issues: result.issues.slice(0, 4),
      wallMs: round(timing.wallMs, 0),
    });
  }
  return rows;
}

async function inv(input: InventoryInput): Promise<{ status: string; issues: string[] }> {
  const plan = await solveInventory(input, { timeLimitSeconds: 10 });
  return { status: plan.status, issues: [...new Set(plan.issues.map((i) => i.code))] };
}

function syntheticInventoryMissingCost(): InventoryInput {
  const input = syntheticInventory({ skus: 5000, seed: 6 });
  return {
    ...input,
    skus: input.skus.map((s, i) => (i % 100 === 0 ? s : { ...s, unitCost: undefined })),
  };
}
