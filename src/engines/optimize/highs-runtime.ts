import * as highsPackage from 'highs';
import type { Highs, ModelData } from 'highs';
import { OptimizeSolverError } from './errors.js';
import type { LpModel, LpTextOptions, ModelArrays } from './lp-model.js';

/** Solver limits, configurable per call. */
export interface SolveOptions {
  /** Wall-clock limit for one solve, in seconds (default 10). */
  timeLimitSeconds?: number;
  /** Relative MIP gap at which the solver may stop and call the plan optimal (default 0.0001). */
  mipRelGap?: number;
}

/**
 * Outcome of one solve:
 * - `optimal`: proved optimal within `mipRelGap`;
 * - `feasible`: a limit stopped the solver with a plan in hand (see `gap`);
 * - `no_solution`: a limit stopped the solver before it found any plan;
 * - `infeasible`, `unbounded`: proved.
 */
export type SolveStatus = 'optimal' | 'feasible' | 'no_solution' | 'infeasible' | 'unbounded';

/** @internal What {@link solveLpModel} returns. */
export interface RawSolution {
  status: SolveStatus;
  /** Variable values by `Variable.index` (present for `optimal` and `feasible`). */
  values?: Float64Array;
  /** Objective at `values`, including the model constant. */
  objective?: number;
  /** Best proven bound on the objective (MIP dual bound; equals `objective` for an LP optimum). */
  bound?: number;
  /** Relative gap |objective − bound| / max(1, |objective|). */
  gap?: number;
  /** Seconds the solver ran, measured by HiGHS's own clock. */
  solveSeconds: number;
  /** Which limit stopped the solver, if any. */
  limit?: 'time' | 'iterations';
  /** Row duals by constraint index (LP solves only). */
  rowDuals?: Float64Array;
}

/**
 * @internal Turns the LP relaxation's values into a feasible integer start (or undefined).
 * Used by models whose relaxation rounds well, to save branch-and-bound time.
 */
export type WarmStart = (relaxed: Float64Array, rowDuals: Float64Array) => Float64Array | undefined;

/** Default limits: 10 s, 0.01 % gap. */
export const DEFAULT_SOLVE_OPTIONS: Required<SolveOptions> = {
  timeLimitSeconds: 10,
  mipRelGap: 1e-4,
};

/** Wasm memory above which the runtime is replaced before the next solve (memory never shrinks). */
const RECYCLE_MEMORY_BYTES = 768 * 1024 * 1024;

let runtime: Promise<Highs> | undefined;
let runtimeSolves = 0;

type Loader = (typeof highsPackage.default)['default'];

/**
 * `highs` ships CommonJS typings (so TypeScript sees the loader at `default.default`) but an
 * ES module build (where the loader is the namespace's `default`). Accept either at run time.
 */
function highsLoader(): Loader {
  const ns = highsPackage as unknown as { default: Loader | { default: Loader } };
  return typeof ns.default === 'function' ? ns.default : ns.default.default;
}

/** @internal Loads (once) the HiGHS WebAssembly runtime. */
export function loadRuntime(): Promise<Highs> {
  const loading =
    runtime ??
    highsLoader()().catch((err: unknown) => {
      runtime = undefined;
      throw new OptimizeSolverError('could not load the HiGHS solver', { cause: err });
    });
  runtime = loading;
  return loading;
}

/**
 * Drops the cached HiGHS runtime so the next solve instantiates a fresh one. Called after a
 * runtime abort and when Wasm memory has grown past a threshold.
 *
 * @example
 * resetRuntime(); // next solve starts from a fresh Wasm instance
 */
export function resetRuntime(): void {
  runtime = undefined;
  runtimeSolves = 0;
}

/** @internal Statistics about the cached runtime, for benchmarks. */
export async function runtimeStats(): Promise<{ memoryBytes: number; solves: number }> {
  const h = await loadRuntime();
  return { memoryBytes: h.memoryBytes, solves: runtimeSolves };
}

/**
 * @internal Solves an {@link LpModel} with HiGHS. Maps HiGHS statuses to {@link SolveStatus};
 * if the Wasm runtime aborts, it is recreated and the solve retried once.
 */
export async function solveLpModel(
  model: LpModel,
  options: SolveOptions = {},
  textOptions: LpTextOptions = {},
  warmStart?: WarmStart | Float64Array,
): Promise<RawSolution> {
  const opts = resolveOptions(options);
  if (model.variables.length === 0) return solveEmptyModel(model);
  const text = model.toArrays(textOptions);
  let highs = await loadRuntime();
  if (highs.memoryBytes > RECYCLE_MEMORY_BYTES) {
    resetRuntime();
    highs = await loadRuntime();
  }
  try {
    return runOnce(highs, model, text, opts, warmStart);
  } catch (first) {
    resetRuntime();
    const fresh = await loadRuntime();
    try {
      return runOnce(fresh, model, text, opts, warmStart);
    } catch (second) {
      resetRuntime();
      throw new OptimizeSolverError(
        `HiGHS failed twice on model with ${model.variables.length} variables`,
        {
          cause: new AggregateError([first, second]),
        },
      );
    }
  }
}

/**
 * A model with no decisions (every item was left out): HiGHS cannot take an empty problem,
 * and there is nothing to solve — it is optimal with every constraint's activity at 0 when
 * those constraints allow 0, infeasible otherwise.
 */
function solveEmptyModel(model: LpModel): RawSolution {
  const satisfied = model.constraints.every((c) =>
    c.sense === '<=' ? 0 <= c.rhs : c.sense === '>=' ? 0 >= c.rhs : c.rhs === 0,
  );
  if (!satisfied) return { status: 'infeasible', solveSeconds: 0 };
  const objective = model.evaluateObjective([]);
  return {
    status: 'optimal',
    values: new Float64Array(0),
    objective,
    bound: objective,
    gap: 0,
    solveSeconds: 0,
  };
}

/** @internal Validates and fills in solve options. */
export function resolveOptions(options: SolveOptions): Required<SolveOptions> {
  const t = options.timeLimitSeconds ?? DEFAULT_SOLVE_OPTIONS.timeLimitSeconds;
  const g = options.mipRelGap ?? DEFAULT_SOLVE_OPTIONS.mipRelGap;
  return {
    timeLimitSeconds: Number.isFinite(t) && t > 0 ? t : DEFAULT_SOLVE_OPTIONS.timeLimitSeconds,
    mipRelGap: Number.isFinite(g) && g >= 0 ? g : DEFAULT_SOLVE_OPTIONS.mipRelGap,
  };
}

function runOnce(
  highs: Highs,
  model: LpModel,
  data: ModelArrays,
  opts: Required<SolveOptions>,
  warmStart: WarmStart | Float64Array | undefined,
): RawSolution {
  runtimeSolves++;
  const s = highs.constants.modelStatus;
  const mip = data.integer.some((x) => x === 1);
  const m = highs.createModel();
  try {
    m.options.set({ output_flag: false, mip_rel_gap: opts.mipRelGap, random_seed: 0 });
    let start: Float64Array | undefined = warmStart instanceof Float64Array ? warmStart : undefined;
    let spent = 0;
    if (mip && typeof warmStart === 'function') {
      // Relaxation first: a rounded, repaired copy of it gives branch-and-bound an incumbent.
      m.passModel(toHighsData(highs, data, false));
      m.options.set({ time_limit: opts.timeLimitSeconds / 2 });
      m.run();
      spent = m.getRunTime();
      if (m.getModelStatus() === s.optimal) {
        const sol = m.getSolution();
        // Row duals back in model order (omitted groups have none).
        const duals = new Float64Array(model.constraints.length);
        data.rowIndex.forEach((r, k) => (duals[r] = sol.rowDual[k] ?? 0));
        try {
          start = warmStart(sol.colValue, duals);
        } catch {
          start = undefined; // a heuristic failure must never cost the solve
        }
      }
    }
    m.passModel(toHighsData(highs, data, true));
    m.options.set({ time_limit: Math.max(0.05, opts.timeLimitSeconds - spent) });
    if (start) m.setSolution({ colValue: start });
    const clock0 = m.getRunTime();
    m.run();
    let code = m.getModelStatus();
    if (code === s.unboundedOrInfeasible) {
      // Presolve could not tell which: ask again without presolve.
      m.options.set({ presolve: 'off' });
      m.clearSolver();
      m.run();
      code = m.getModelStatus();
    }
    const solveSeconds = spent + m.getRunTime() - clock0;
    if (code === s.infeasible) return { status: 'infeasible', solveSeconds };
    if (code === s.unbounded) return { status: 'unbounded', solveSeconds };
    if (code === s.unboundedOrInfeasible) return { status: 'infeasible', solveSeconds };
    const limit =
      code === s.timeLimit ? 'time' : code === s.iterationLimit ? 'iterations' : undefined;
    if (code !== s.optimal && limit === undefined) {
      throw new OptimizeSolverError(`HiGHS ended with model status ${code}`);
    }
    const hasPrimal = Number(m.info.get('primal_solution_status')) === 2;
    if (!hasPrimal) return { status: 'no_solution', solveSeconds, ...(limit ? { limit } : {}) };
    const sol = m.getSolution();
    const values = Float64Array.from(sol.colValue);
    let rowDuals: Float64Array | undefined;
    if (!mip) {
      rowDuals = new Float64Array(model.constraints.length);
      const duals = sol.rowDual;
      data.rowIndex.forEach((r, k) => {
        if (rowDuals) rowDuals[r] = duals[k] ?? 0;
      });
    }
    const objective = m.getObjectiveValue();
    const bound = mip ? Number(m.info.get('mip_dual_bound')) : objective;
    const gap = Number.isFinite(bound)
      ? Math.abs(objective - bound) / Math.max(1, Math.abs(objective))
      : 1;
    return {
      status: limit === undefined ? 'optimal' : 'feasible',
      values,
      objective,
      ...(Number.isFinite(bound) ? { bound } : {}),
      gap,
      solveSeconds,
      ...(limit ? { limit } : {}),
      ...(rowDuals ? { rowDuals } : {}),
    };
  } finally {
    m.dispose();
  }
}

function toHighsData(highs: Highs, d: ModelArrays, withIntegrality: boolean): ModelData {
  const inf = highs.infinity;
  const clamp = (a: Float64Array): Float64Array =>
    a.map((x) => (x === Infinity ? inf : x === -Infinity ? -inf : x));
  return {
    numCols: d.colCost.length,
    numRows: d.rowLower.length,
    sense: d.maximize
      ? highs.constants.objectiveSense.maximize
      : highs.constants.objectiveSense.minimize,
    offset: d.offset,
    colCost: d.colCost,
    colLower: clamp(d.colLower),
    colUpper: clamp(d.colUpper),
    rowLower: clamp(d.rowLower),
    rowUpper: clamp(d.rowUpper),
    matrix: {
      format: 'csr',
      numRows: d.rowLower.length,
      numCols: d.colCost.length,
      starts: d.starts,
      indices: d.indices,
      values: d.values,
    },
    ...(withIntegrality ? { integrality: Int32Array.from(d.integer) } : {}),
  };
}
