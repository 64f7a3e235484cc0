import { OptimizeInputError } from './errors.js';

/** Domain of a decision variable. */
export type VariableKind = 'continuous' | 'integer' | 'binary';

/** Direction of a linear constraint. */
export type ConstraintSense = '<=' | '>=' | '=';

/** A decision variable handle returned by {@link LpModel.variable}. */
export interface Variable {
  /** Position in the model, also the index into solution value arrays. */
  readonly index: number;
  /** Business name, e.g. `order_cases[SKU-12]`. */
  readonly name: string;
}

/** Linear expression as `[variable, coefficient]` pairs (repeated variables are summed). */
export type Terms = ReadonlyArray<readonly [Variable, number]>;

/** Options for {@link LpModel.variable}. */
export interface VariableOptions {
  lower?: number;
  upper?: number;
  kind?: VariableKind;
  /** Objective coefficient. */
  objective?: number;
}

/** @internal Stored variable definition. */
export interface VariableDef extends Variable {
  readonly lpName: string;
  readonly lower: number;
  readonly upper: number;
  readonly kind: VariableKind;
}

/** @internal Stored constraint definition. */
export interface ConstraintDef {
  readonly index: number;
  readonly name: string;
  readonly lpName: string;
  /** Constraint family that the infeasibility explainer can relax as one unit. */
  readonly group: string;
  /** Shown in plan reports (false for technical links such as "order only with supplier order"). */
  readonly report: boolean;
  readonly sense: ConstraintSense;
  readonly rhs: number;
  readonly terms: ReadonlyArray<readonly [number, number]>;
}

/** Options for {@link LpModel.toLpText}. */
export interface LpTextOptions {
  /** Constraint groups to leave out (used by the conflict finder). */
  omitGroups?: ReadonlySet<string>;
  /** Write a zero objective (a pure feasibility question). */
  feasibilityOnly?: boolean;
  /** Treat integer and binary variables as continuous (the LP relaxation). */
  relaxIntegrality?: boolean;
  /** Replace the objective (e.g. "least spend that meets the other constraints"). */
  objective?: { sense: 'maximize' | 'minimize'; terms: ReadonlyArray<readonly [number, number]> };
}

const LP_KEYWORDS = new Set([
  'max',
  'maximize',
  'maximise',
  'maximum',
  'min',
  'minimize',
  'minimise',
  'minimum',
  'st',
  's.t.',
  'subject',
  'such',
  'bounds',
  'bound',
  'free',
  'inf',
  'infinity',
  'general',
  'generals',
  'gen',
  'integer',
  'integers',
  'binary',
  'binaries',
  'bin',
  'semi',
  'semis',
  'end',
  'sos',
]);

/**
 * Turns a business name into a CPLEX-LP-safe identifier: letters, digits and `_` only, never
 * starting with a digit or looking like a number exponent (`e12`), never a keyword, at most
 * 80 characters.
 *
 * @example
 * sanitizeLpName('order cases[SKU-1]'); // 'order_cases_SKU_1_'
 */
export function sanitizeLpName(name: string): string {
  let s = name.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 80);
  if (s === '' || /^[0-9]/.test(s) || /^[eE][0-9]/.test(s) || LP_KEYWORDS.has(s.toLowerCase())) {
    s = `v_${s}`;
  }
  return s;
}

/**
 * Formats a number for LP text: at most 12 significant digits, `-0` and denormal noise written
 * as `0`, never `NaN` or `Infinity` (those throw, naming `where`).
 *
 * @example
 * formatLpNumber(0.1 + 0.2, 'budget'); // '0.3'
 */
export function formatLpNumber(x: number, where: string): string {
  if (!Number.isFinite(x)) {
    throw new OptimizeInputError(where, `the model got a non-finite number (${x})`);
  }
  if (Math.abs(x) < 1e-12) return '0';
  return String(Number(x.toPrecision(12)));
}

/**
 * A small linear / mixed-integer model builder. Variables and constraints carry business
 * names; constraints also carry a group (e.g. `budget`, `storage:backroom`) so an infeasible
 * model can be explained by relaxing whole groups. `toLpText()` writes CPLEX LP format for
 * HiGHS.
 *
 * @example
 * const m = new LpModel('maximize');
 * const chairs = m.variable('chairs', { kind: 'integer', objective: 30 });
 * const tables = m.variable('tables', { kind: 'integer', objective: 50 });
 * m.constrain('carpentry hours', [[chairs, 1], [tables, 2]], '<=', 40, 'carpentry');
 * const text = m.toLpText();
 */
export class LpModel {
  readonly variables: VariableDef[] = [];
  readonly constraints: ConstraintDef[] = [];
  /** Constant added to the objective (written into the LP objective, so MIP gaps include it). */
  objectiveConstant = 0;
  private readonly objective: number[] = [];
  private readonly usedLpNames = new Set<string>();

  constructor(readonly sense: 'maximize' | 'minimize') {}

  /** Adds a decision variable (default: continuous, 0 ≤ x < ∞, no objective term). */
  variable(name: string, options: VariableOptions = {}): Variable {
    const kind = options.kind ?? 'continuous';
    const lower = options.lower ?? 0;
    const upper = kind === 'binary' ? Math.min(1, options.upper ?? 1) : (options.upper ?? Infinity);
    if (Number.isNaN(lower) || Number.isNaN(upper)) {
      throw new OptimizeInputError(name, 'variable bound is NaN');
    }
    const def: VariableDef = {
      index: this.variables.length,
      name,
      lpName: this.uniqueLpName(name),
      lower,
      upper,
      kind,
    };
    this.variables.push(def);
    this.objective.push(options.objective ?? 0);
    return def;
  }

  /** Adds `coef` to a variable's objective coefficient. */
  addToObjective(variable: Variable, coef: number): void {
    this.objective[variable.index] = (this.objective[variable.index] ?? 0) + coef;
  }

  /** Objective coefficient of a variable. */
  objectiveCoefficient(variable: Variable): number {
    return this.objective[variable.index] ?? 0;
  }

  /**
   * Adds `Σ coef·x  sense  rhs`, tagged with a relaxable `group` (default: its own name);
   * `report: false` keeps a technical link out of plan reports.
   */
  constrain(
    name: string,
    terms: Terms,
    sense: ConstraintSense,
    rhs: number,
    group: string = name,
    report = true,
  ): ConstraintDef {
    const merged = new Map<number, number>();
    for (const [v, c] of terms) merged.set(v.index, (merged.get(v.index) ?? 0) + c);
    const def: ConstraintDef = {
      index: this.constraints.length,
      name,
      lpName: this.uniqueLpName(name),
      group,
      report,
      sense,
      rhs,
      terms: [...merged].filter(([, c]) => c !== 0),
    };
    this.constraints.push(def);
    return def;
  }

  /** Left-hand side of a constraint at the given variable values. */
  activity(constraint: ConstraintDef, values: ArrayLike<number>): number {
    let sum = 0;
    for (const [i, c] of constraint.terms) sum += c * (values[i] ?? 0);
    return sum;
  }

  /** Objective value (including the constant) at the given variable values. */
  evaluateObjective(values: ArrayLike<number>): number {
    let sum = this.objectiveConstant;
    for (let i = 0; i < this.objective.length; i++)
      sum += (this.objective[i] ?? 0) * (values[i] ?? 0);
    return sum;
  }

  /** Whether any variable is integer or binary. */
  get isMip(): boolean {
    return this.variables.some((v) => v.kind !== 'continuous');
  }

  /** All distinct constraint groups, in order of first appearance. */
  groups(): string[] {
    return [...new Set(this.constraints.map((c) => c.group))];
  }

  /**
   * The model as sparse arrays (row-wise), the form handed to HiGHS: no text to parse, exact
   * numbers, column `j` is variable `j`. Honours the same options as {@link toLpText}.
   */
  toArrays(options: LpTextOptions = {}): ModelArrays {
    const rows = this.constraints.filter((c) => !options.omitGroups?.has(c.group));
    const n = this.variables.length;
    const colCost = new Float64Array(n);
    const ownObjective = !options.feasibilityOnly && !options.objective;
    if (ownObjective) this.objective.forEach((c, i) => (colCost[i] = c));
    for (const [i, c] of options.objective?.terms ?? []) colCost[i] = (colCost[i] ?? 0) + c;
    const starts = new Int32Array(rows.length + 1);
    let nnz = 0;
    rows.forEach((r, k) => {
      nnz += r.terms.length;
      starts[k + 1] = nnz;
    });
    const indices = new Int32Array(nnz);
    const values = new Float64Array(nnz);
    const rowLower = new Float64Array(rows.length);
    const rowUpper = new Float64Array(rows.length);
    let at = 0;
    rows.forEach((r, k) => {
      for (const [i, c] of r.terms) {
        indices[at] = i;
        values[at] = finiteOrThrow(c, r.name);
        at++;
      }
      const rhs = finiteOrThrow(r.rhs, r.name);
      rowLower[k] = r.sense === '<=' ? -Infinity : rhs;
      rowUpper[k] = r.sense === '>=' ? Infinity : rhs;
    });
    return {
      maximize: (options.objective?.sense ?? this.sense) === 'maximize',
      offset: ownObjective ? this.objectiveConstant : 0,
      colCost,
      colLower: Float64Array.from(this.variables, (v) => v.lower),
      colUpper: Float64Array.from(this.variables, (v) => v.upper),
      integer: Uint8Array.from(this.variables, (v) =>
        v.kind === 'continuous' || options.relaxIntegrality ? 0 : 1,
      ),
      rowLower,
      rowUpper,
      starts,
      indices,
      values,
      rowIndex: Int32Array.from(rows, (r) => r.index),
    };
  }

  /** Writes the model in CPLEX LP format (for export and debugging). Every variable appears in `Bounds`. */
  toLpText(options: LpTextOptions = {}): string {
    const sense = options.objective?.sense ?? this.sense;
    const out: string[] = [sense === 'maximize' ? 'Maximize' : 'Minimize'];
    const objTerms: Array<readonly [number, number]> = [...(options.objective?.terms ?? [])];
    const ownObjective = !options.feasibilityOnly && !options.objective;
    if (ownObjective) {
      this.objective.forEach((c, i) => {
        if (c !== 0) objTerms.push([i, c]);
      });
    }
    let objective = this.expression(objTerms, 'objective');
    if (ownObjective && this.objectiveConstant !== 0) {
      const c = this.objectiveConstant;
      objective += ` ${c < 0 ? '-' : '+'} ${formatLpNumber(Math.abs(c), 'objective constant')}`;
    }
    out.push(` obj: ${objective}`);
    out.push('Subject To');
    for (const c of this.constraints) {
      if (options.omitGroups?.has(c.group)) continue;
      const op = c.sense === '=' ? '=' : c.sense;
      out.push(
        ` ${c.lpName}: ${this.expression(c.terms, c.name)} ${op} ${formatLpNumber(c.rhs, c.name)}`,
      );
    }
    out.push('Bounds');
    for (const v of this.variables) out.push(` ${this.bound(v)}`);
    const ints = this.variables.filter((v) => v.kind === 'integer').map((v) => v.lpName);
    const bins = this.variables.filter((v) => v.kind === 'binary').map((v) => v.lpName);
    if (ints.length > 0) out.push('Generals', ...wrapNames(ints));
    if (bins.length > 0) out.push('Binaries', ...wrapNames(bins));
    out.push('End', '');
    return out.join('\n');
  }

  private bound(v: VariableDef): string {
    const lo = v.lower === -Infinity ? '-inf' : formatLpNumber(v.lower, v.name);
    const hi = v.upper === Infinity ? 'inf' : formatLpNumber(v.upper, v.name);
    if (v.lower === -Infinity && v.upper === Infinity) return `${v.lpName} free`;
    if (v.upper === Infinity) return `${v.lpName} >= ${lo}`;
    return `${lo} <= ${v.lpName} <= ${hi}`;
  }

  private expression(terms: ReadonlyArray<readonly [number, number]>, where: string): string {
    // An empty expression still needs a column: `0 x` keeps LP syntax valid.
    if (terms.length === 0) {
      const first = this.variables[0];
      return first ? `0 ${first.lpName}` : '0 zero_';
    }
    const parts: string[] = [];
    terms.forEach(([i, c], k) => {
      const v = this.variables[i];
      if (!v) throw new OptimizeInputError(where, `unknown variable index ${i}`);
      const sign = c < 0 ? '-' : '+';
      const mag = formatLpNumber(Math.abs(c), where);
      const sep = k > 0 && k % 8 === 0 ? '\n   ' : ' ';
      const coef = mag === '1' ? '' : `${mag} `;
      parts.push(`${k === 0 && sign === '+' ? '' : `${sep}${sign} `}${coef}${v.lpName}`);
    });
    return parts.join('').trim();
  }

  private uniqueLpName(name: string): string {
    const base = sanitizeLpName(name);
    let candidate = base;
    for (let k = 2; this.usedLpNames.has(candidate); k++) candidate = `${base}_${k}`;
    this.usedLpNames.add(candidate);
    return candidate;
  }
}

/** @internal Row-wise sparse form of an {@link LpModel}. */
export interface ModelArrays {
  maximize: boolean;
  offset: number;
  colCost: Float64Array;
  colLower: Float64Array;
  colUpper: Float64Array;
  /** 1 for integer/binary columns. */
  integer: Uint8Array;
  rowLower: Float64Array;
  rowUpper: Float64Array;
  starts: Int32Array;
  indices: Int32Array;
  values: Float64Array;
  /** Constraint index of each row (omitted groups leave gaps). */
  rowIndex: Int32Array;
}

function finiteOrThrow(x: number, where: string): number {
  if (!Number.isFinite(x))
    throw new OptimizeInputError(where, `the model got a non-finite number (${x})`);
  return x;
}

function wrapNames(names: string[]): string[] {
  const lines: string[] = [];
  for (let i = 0; i < names.length; i += 10) lines.push(` ${names.slice(i, i + 10).join(' ')}`);
  return lines;
}
