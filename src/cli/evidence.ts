import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import {
  CausalInputError,
  analyze,
  discoverLagged,
  discoverPc,
  estimateEffect,
} from '../engines/causal/index.js';
import type {
  CausalGraph,
  EffectMethod,
  EffectResult,
  Estimand,
  EvidenceQuestion,
} from '../engines/causal/index.js';
import { readNumericCsv } from './evidence-csv.js';

const USAGE = `usage:
  dyocense evidence estimate --csv data.csv --treatment COL --outcome COL
      [--covariates a,b,c | --graph graph.json] [--estimand ate|att]
      [--method auto|ols|ols_constant|ipw|aipw|matching|difference] [--bootstrap N] [--seed N]
      [--no-refute] [--json]
  dyocense evidence discover --csv data.csv [--variables a,b,c] [--alpha 0.01]
      [--lagged [--max-lag 7]] [--json]
  dyocense evidence analyze --csv data.csv --question question.json [--graph graph.json]

Treatment columns are 0/1. Empty cells are refused (not guessed). Exit code 2 means the
arguments or the data could not be used; the message says why.`;

/** `dyocense evidence <subcommand> …` */
export async function run(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  try {
    switch (sub) {
      case 'estimate':
        return await estimate(rest);
      case 'discover':
        return await discover(rest);
      case 'analyze':
        return await analyzeCommand(rest);
      case '--help':
      case '-h':
      case 'help':
        console.log(USAGE);
        return 0;
      default:
        console.error(sub ? `dyocense evidence: unknown subcommand "${sub}"\n\n${USAGE}` : USAGE);
        return 2;
    }
  } catch (err) {
    if (err instanceof UsageError || err instanceof CausalInputError) {
      console.error(`dyocense evidence: ${err.message}`);
      return 2;
    }
    throw err;
  }
}

class UsageError extends Error {}

function parse(
  args: string[],
  options: NonNullable<ParseArgsConfig['options']>,
): Record<string, string | boolean | undefined> {
  try {
    return parseArgs({ args, options, allowPositionals: false, strict: true }).values as Record<
      string,
      string | boolean | undefined
    >;
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n\n${USAGE}`, { cause: err });
  }
}

function required(values: Record<string, string | boolean | undefined>, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw new UsageError(`--${name} is required\n\n${USAGE}`);
  return v;
}

function integer(
  values: Record<string, string | boolean | undefined>,
  name: string,
): number | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0)
    throw new UsageError(`--${name} must be a non-negative integer, got "${String(v)}"`);
  return n;
}

function list(value: string | boolean | undefined): string[] | undefined {
  return typeof value === 'string'
    ? value
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '')
    : undefined;
}

async function loadCsv(path: string): Promise<Record<string, number[]>> {
  try {
    return (await readNumericCsv(path)).columns;
  } catch (err) {
    throw new UsageError(`cannot read CSV "${path}": ${(err as Error).message}`, { cause: err });
  }
}

async function loadJson<T>(path: string, what: string): Promise<T> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch (err) {
    throw new UsageError(`cannot read ${what} "${path}": ${(err as Error).message}`, {
      cause: err,
    });
  }
}

async function estimate(args: string[]): Promise<number> {
  const v = parse(args, {
    csv: { type: 'string' },
    treatment: { type: 'string' },
    outcome: { type: 'string' },
    covariates: { type: 'string' },
    graph: { type: 'string' },
    estimand: { type: 'string', default: 'ate' },
    method: { type: 'string', default: 'auto' },
    bootstrap: { type: 'string' },
    seed: { type: 'string' },
    'no-refute': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  });
  const estimand = v.estimand as string;
  if (estimand !== 'ate' && estimand !== 'att')
    throw new UsageError(`--estimand must be ate or att, got "${estimand}"`);
  const method = v.method as string;
  if (!['auto', 'ols', 'ols_constant', 'ipw', 'aipw', 'matching', 'difference'].includes(method)) {
    throw new UsageError(
      `--method must be one of auto, ols, ols_constant, ipw, aipw, matching, difference; got "${method}"`,
    );
  }
  if (v.covariates !== undefined && v.graph !== undefined)
    throw new UsageError('give either --covariates or --graph, not both');
  const data = await loadCsv(required(v, 'csv'));
  const graph =
    typeof v.graph === 'string' ? await loadJson<CausalGraph>(v.graph, 'graph') : undefined;
  const result = estimateEffect(data, {
    treatment: required(v, 'treatment'),
    outcome: required(v, 'outcome'),
    covariates: list(v.covariates),
    graph,
    estimand: estimand as Estimand,
    method: method as EffectMethod,
    bootstrap: integer(v, 'bootstrap'),
    seed: integer(v, 'seed'),
    refute: !v['no-refute'],
  });
  if (v.json) console.log(JSON.stringify(effectJson(result), null, 2));
  else printEffect(result);
  return 0;
}

/**
 * The JSON shape of `evidence estimate --json` (snake_case, stable for scripts and benchmarks).
 *
 * @example
 * effectJson(result).adjustment_set; // ['age', 'educ']
 */
export function effectJson(r: EffectResult): Record<string, unknown> {
  return {
    estimate: r.estimate,
    interval: r.interval,
    estimand: r.estimand,
    method: r.method,
    method_used: r.methodUsed,
    adjustment_set: r.adjustmentSet,
    se: r.se,
    confidence: r.confidence,
    n: r.n,
    n_treated: r.nTreated,
    n_control: r.nControl,
    identification: r.identification,
    refutations: r.refutations.map((x) => ({
      name: x.name,
      passed: x.passed,
      new_effect: x.newEffect ?? null,
      details: x.details,
      summary: x.summary,
    })),
    warnings: r.warnings,
    details: r.details,
    summary: r.summary,
  };
}

function printEffect(r: EffectResult): void {
  console.log(r.summary);
  console.log(`  adjustment set: ${r.adjustmentSet.join(', ') || '(none)'}`);
  console.log(`  rows used: ${r.n} (${r.nTreated} treated, ${r.nControl} untreated)`);
  for (const x of r.refutations)
    console.log(`  ${x.passed ? 'PASS' : 'FAIL'} ${x.name}: ${x.summary}`);
  for (const w of r.warnings) console.log(`  warning: ${w}`);
}

async function discover(args: string[]): Promise<number> {
  const v = parse(args, {
    csv: { type: 'string' },
    variables: { type: 'string' },
    alpha: { type: 'string' },
    lagged: { type: 'boolean', default: false },
    'max-lag': { type: 'string' },
    json: { type: 'boolean', default: false },
  });
  const data = await loadCsv(required(v, 'csv'));
  const alpha = v.alpha === undefined ? undefined : Number(v.alpha);
  if (alpha !== undefined && !(alpha > 0 && alpha < 1))
    throw new UsageError(`--alpha must be between 0 and 1, got "${String(v.alpha)}"`);
  const variables = list(v.variables);
  const result = v.lagged
    ? discoverLagged(data, { variables, alpha, maxLag: integer(v, 'max-lag') })
    : discoverPc(data, { variables, alpha });
  if (v.json) console.log(JSON.stringify(result, null, 2));
  else {
    console.log(result.summary);
    for (const e of result.edges) {
      const arrow = 'lag' in e ? `→ (lag ${e.lag})` : e.directed ? '→' : '—';
      console.log(`  ${e.from} ${arrow} ${e.to}  confidence ${e.confidence.toFixed(2)}`);
    }
  }
  return 0;
}

async function analyzeCommand(args: string[]): Promise<number> {
  const v = parse(args, {
    csv: { type: 'string' },
    question: { type: 'string' },
    graph: { type: 'string' },
  });
  const data = await loadCsv(required(v, 'csv'));
  const question = await loadJson<EvidenceQuestion>(required(v, 'question'), 'question');
  const graph =
    typeof v.graph === 'string' ? await loadJson<CausalGraph>(v.graph, 'graph') : undefined;
  console.log(JSON.stringify(analyze(question, data, graph), null, 2));
  return 0;
}
