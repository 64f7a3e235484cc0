import { join } from 'node:path';
import { estimateEffect } from '../engines/causal/index.js';
import type { EffectMethod, Estimand } from '../engines/causal/index.js';
import { readNumericCsv } from './evidence-csv.js';

/** One estimator's number on one benchmark data set. */
export interface MethodRow {
  dataset: string;
  estimand: Estimand;
  method: EffectMethod;
  estimate: number;
  interval: [number, number];
  truth: number;
  error: number;
  refutationsPassed: string;
  ms: number;
}

/** A target check: the number, the bound, pass/fail. */
export interface TargetCheck {
  name: string;
  value: number;
  target: string;
  passed: boolean;
}

const LALONDE_COVARIATES = ['age', 'educ', 'black', 'hisp', 'married', 'nodegree', 're74', 're75'];
const METHODS: EffectMethod[] = [
  'difference',
  'ols_constant',
  'ols',
  'ipw',
  'aipw',
  'matching',
  'auto',
];

function runMethods(
  dataset: string,
  data: Record<string, number[]>,
  treatment: string,
  outcome: string,
  covariates: string[],
  estimand: Estimand,
  truth: number,
): MethodRow[] {
  return METHODS.map((method) => {
    const t0 = performance.now();
    const r = estimateEffect(data, { treatment, outcome, covariates, estimand, method });
    return {
      dataset,
      estimand,
      method,
      estimate: r.estimate,
      interval: r.interval,
      truth,
      error: r.estimate - truth,
      refutationsPassed: `${r.refutations.filter((x) => x.passed).length}/${r.refutations.length}`,
      ms: performance.now() - t0,
    };
  });
}

/**
 * LaLonde (NSW experiment, NSW treated + CPS controls, CPS subsets as extra comparison
 * groups) and IHDP replication 1: every estimator's number and the target checks.
 * @internal
 */
export async function benchRealData(
  dataDir: string,
): Promise<{ rows: MethodRow[]; checks: TargetCheck[] }> {
  const nsw = (await readNumericCsv(join(dataDir, 'nsw_dw.csv'))).columns;
  const cps = (await readNumericCsv(join(dataDir, 'cps_controls.csv'))).columns;
  const ihdp = (await readNumericCsv(join(dataDir, 'ihdp_npci_1.csv'))).columns;
  const rows: MethodRow[] = [];
  const checks: TargetCheck[] = [];
  const experimental = 1794;
  const nswRows = runMethods(
    'NSW experiment',
    nsw,
    'treat',
    're78',
    LALONDE_COVARIATES,
    'att',
    experimental,
  );
  rows.push(...nswRows);
  for (const m of ['difference', 'ols'] as const) {
    const r = nswRows.find((x) => x.method === m) as MethodRow;
    checks.push({
      name: `NSW experiment, ${m} (ATT)`,
      value: r.estimate,
      target: '|error| ≤ $100 vs $1,794',
      passed: Math.abs(r.error) <= 100,
    });
  }
  const combine = (keep: (i: number) => boolean): Record<string, number[]> => {
    const out: Record<string, number[]> = {};
    for (const k of Object.keys(nsw)) {
      out[k] = [
        ...(nsw[k] as number[]).filter((_, i) => nsw.treat?.[i] === 1),
        ...(cps[k] as number[]).filter((_, i) => keep(i)),
      ];
    }
    return out;
  };
  const cpsRows = runMethods(
    'NSW treated + CPS controls',
    combine(() => true),
    'treat',
    're78',
    LALONDE_COVARIATES,
    'att',
    experimental,
  );
  rows.push(...cpsRows);
  const auto = cpsRows.find((x) => x.method === 'auto') as MethodRow;
  checks.push({
    name: 'NSW treated + CPS controls, auto (ATT)',
    value: auto.estimate,
    target: '$1,000 ≤ estimate ≤ $2,600',
    passed: auto.estimate >= 1000 && auto.estimate <= 2600,
  });
  // Extra comparison groups carved out of CPS (not the published CPS-2/3, which are not shipped).
  const subsets: Array<[string, (i: number) => boolean]> = [
    ['CPS, unemployed in 1975 (re75 = 0)', (i) => cps.re75?.[i] === 0],
    [
      'CPS, earnings < $5,000 in 1974 and 1975',
      (i) => (cps.re74?.[i] as number) < 5000 && (cps.re75?.[i] as number) < 5000,
    ],
    ['CPS, age < 35', (i) => (cps.age?.[i] as number) < 35],
  ];
  for (const [name, keep] of subsets) {
    const sub = runMethods(
      `NSW treated + ${name}`,
      combine(keep),
      'treat',
      're78',
      LALONDE_COVARIATES,
      'att',
      experimental,
    );
    rows.push(...sub);
    const a = sub.find((x) => x.method === 'auto') as MethodRow;
    checks.push({
      name: `NSW treated + ${name}, auto (ATT)`,
      value: a.estimate,
      target: '$1,000 ≤ estimate ≤ $2,600 (extra)',
      passed: a.estimate >= 1000 && a.estimate <= 2600,
    });
  }
  const mu1 = ihdp.mu1 as number[];
  const mu0 = ihdp.mu0 as number[];
  const truth = mu1.reduce((s, v, i) => s + v - (mu0[i] as number), 0) / mu1.length;
  const covariates = Array.from({ length: 25 }, (_, i) => `x${i + 1}`);
  const ihdpData = Object.fromEntries(
    ['treatment', 'y_factual', ...covariates].map((c) => [c, ihdp[c] as number[]]),
  );
  const ihdpRows = runMethods(
    'IHDP replication 1',
    ihdpData,
    'treatment',
    'y_factual',
    covariates,
    'ate',
    truth,
  );
  rows.push(...ihdpRows);
  const ia = ihdpRows.find((x) => x.method === 'auto') as MethodRow;
  checks.push({
    name: 'IHDP replication 1, auto (ATE)',
    value: Math.abs(ia.error),
    target: '|error| ≤ 0.3',
    passed: Math.abs(ia.error) <= 0.3,
  });
  return { rows, checks };
}
