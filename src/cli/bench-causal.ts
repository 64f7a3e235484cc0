import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { benchRealData } from './evidence-bench-real.js';
import type { MethodRow, ReplicationSummary, TargetCheck } from './evidence-bench-real.js';
import {
  benchBusiness,
  benchDiscovery,
  benchSyntheticEffects,
} from './evidence-bench-synthetic.js';

/**
 * `dyocense bench causal [--data DIR] [--out DIR] [--quick]`: effect accuracy on LaLonde
 * (NSW, CPS) and IHDP, synthetic SCMs with known effects, refuters, PC discovery, and the
 * speed of `analyze`. Writes `causal.json` and `causal.md` under `--out` (default bench/out).
 */
export async function run(args: string[]): Promise<number> {
  let values;
  try {
    values = parseArgs({
      args,
      options: {
        data: { type: 'string', default: resolve('..', 'shared', 'data', 'causal') },
        out: { type: 'string', default: join('bench', 'out') },
        quick: { type: 'boolean', default: false },
      },
      strict: true,
    }).values;
  } catch (err) {
    console.error(
      `dyocense bench causal: ${(err as Error).message}\nusage: dyocense bench causal [--data DIR] [--out DIR] [--quick]`,
    );
    return 2;
  }
  const started = performance.now();
  console.error('causal bench: LaLonde and IHDP …');
  let real: Awaited<ReturnType<typeof benchRealData>>;
  try {
    real = await benchRealData(values.data as string, values.quick ? 10 : 30);
  } catch (err) {
    console.error(
      `dyocense bench causal: cannot run on data in "${values.data}": ${(err as Error).message}`,
    );
    return 2;
  }
  console.error('causal bench: synthetic SCMs …');
  const synthetic = benchSyntheticEffects(values.quick ? [1000, 10000] : [1000, 10000, 100000]);
  console.error('causal bench: discovery …');
  const discovery = benchDiscovery(values.quick ? 6 : 12);
  console.error('causal bench: daily business (what-if, intervention, why, speed) …');
  const business = benchBusiness();
  const checks = [...real.checks, ...synthetic.checks, ...discovery.checks, ...business.checks];
  const report = {
    generatedBy: 'dyocense bench causal',
    seconds: (performance.now() - started) / 1000,
    checks,
    real: real.rows,
    ihdpReplications: real.simulated,
    synthetic,
    discovery,
    business,
  };
  const outDir = values.out as string;
  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, 'causal.json'), JSON.stringify(report, null, 2));
  const md = markdown(report.seconds, checks, real, synthetic, discovery, business);
  await writeFile(join(outDir, 'causal.md'), md);
  console.log(md);
  const failed = checks.filter((c) => !c.passed);
  console.error(
    `causal bench: ${checks.length - failed.length}/${checks.length} checks passed; report in ${join(outDir, 'causal.md')}`,
  );
  return 0;
}

function fmt(x: number, digits = 0): string {
  return x.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

function table(header: string[], rows: Array<Array<string | number>>): string {
  const line = (cells: Array<string | number>): string =>
    `| ${cells.map((c) => String(c).replaceAll('|', '\\|')).join(' | ')} |`;
  return [line(header), `| ${header.map(() => '---').join(' | ')} |`, ...rows.map(line)].join('\n');
}

function markdown(
  seconds: number,
  checks: TargetCheck[],
  realData: { rows: MethodRow[]; simulated: ReplicationSummary[] },
  synthetic: ReturnType<typeof benchSyntheticEffects>,
  discovery: ReturnType<typeof benchDiscovery>,
  business: ReturnType<typeof benchBusiness>,
): string {
  const real = realData.rows;
  const datasets = [...new Set(real.map((r) => r.dataset))];
  const realTables = datasets.map((d) => {
    const rows = real.filter((r) => r.dataset === d);
    const digits = d.startsWith('IHDP') ? 3 : 0;
    return `### ${d} (${rows[0]?.estimand.toUpperCase()}, truth ${fmt(rows[0]?.truth ?? 0, digits)})\n\n${table(
      ['method', 'estimate', '95% interval', 'error', 'refuters passed', 'ms'],
      rows.map((r) => [
        r.method,
        fmt(r.estimate, digits),
        `${fmt(r.interval[0], digits)} … ${fmt(r.interval[1], digits)}`,
        fmt(r.error, digits),
        r.refutationsPassed,
        fmt(r.ms),
      ]),
    )}`;
  });
  return [
    '# Causal engine benchmark',
    '',
    `Run time ${seconds.toFixed(1)} s on ${cpus().length} cores (1-minute load average ${(loadavg()[0] ?? 0).toFixed(1)} at the end: wall times grow with other work on the machine). Baselines in the same run: the naive difference in means (effects) and a marginal-correlation skeleton (discovery).`,
    '',
    '## Targets',
    '',
    table(
      ['check', 'value', 'target', 'result'],
      checks.map((c) => [
        c.name,
        Math.abs(c.value) < 10 && !Number.isInteger(c.value) ? c.value.toFixed(3) : fmt(c.value),
        c.target,
        c.passed ? 'pass' : '**FAIL**',
      ]),
    ),
    '',
    '## Real data: every estimator',
    '',
    ...realTables.flatMap((t) => [t, '']),
    `### IHDP-style replications (Hill 2011 surface B simulated on the IHDP covariates, ATE)`,
    '',
    table(
      ['method', 'replications', 'mean |error|', 'max |error|', '|error| ≤ 0.3'],
      realData.simulated.map((r) => [
        r.method,
        r.replications,
        r.meanError.toFixed(3),
        r.maxError.toFixed(3),
        `${r.withinTarget}/${r.replications}`,
      ]),
    ),
    '',
    '## Synthetic linear SCMs (method auto, graph-identified)',
    '',
    table(
      [
        'scenario',
        'n',
        'method',
        'adjustment',
        'estimate',
        'truth',
        'rel. error',
        '95% interval',
        'naive diff.',
        'refuters',
        'ms',
      ],
      synthetic.rows.map((r) => [
        r.scenario,
        fmt(r.n),
        r.method,
        r.adjustment,
        r.estimate.toFixed(3),
        r.truth,
        `${(r.relativeError * 100).toFixed(2)} %`,
        `${r.interval[0].toFixed(3)} … ${r.interval[1].toFixed(3)}`,
        r.naive.toFixed(3),
        r.refutations,
        fmt(r.ms),
      ]),
    ),
    '',
    '### Planted fake effects (should fail refuters)',
    '',
    table(
      ['fake', 'estimate', 'refuters passed', 'failed'],
      synthetic.fakes.map((f) => [
        f.name,
        f.estimate.toFixed(3),
        f.refutations,
        f.failed.join(', '),
      ]),
    ),
    '',
    '## Discovery',
    '',
    `PC (α = 0.01, Fisher z) on ${discovery.rows.length} random linear-Gaussian DAGs, n = 5,000: skeleton precision **${discovery.precision.toFixed(3)}**, recall **${discovery.recall.toFixed(3)}**; orientation correct for ${(discovery.orientation * 100).toFixed(1)} % of the directed true edges. Baseline (significant marginal correlations): precision ${discovery.baseline.precision.toFixed(3)}, recall ${discovery.baseline.recall.toFixed(3)}.`,
    '',
    `Lagged discovery (PCMCI-style) on 5 simulated VAR(2) systems of 8 daily series × 1,100 days: cross-link precision ${discovery.lagged.precision.toFixed(3)}, recall ${discovery.lagged.recall.toFixed(3)}.`,
    '',
    table(
      ['nodes', 'true edges', 'found', 'correct', 'ms'],
      discovery.rows.map((r) => [
        r.nodes ?? 0,
        r.true_edges ?? 0,
        r.found ?? 0,
        r.correct ?? 0,
        fmt(r.ms ?? 0),
      ]),
    ),
    '',
    '## Daily business (3 years, 20 metrics, planted campaign)',
    '',
    table(
      ['quantity', 'value'],
      Object.entries(business.results).map(([k, v]) => [k, typeof v === 'number' ? fmt(v, 1) : v]),
    ),
    '',
    table(
      ['analyze', 'wall ms', 'CPU ms (this process)'],
      business.speed.map((s) => [s.kind, fmt(s.ms), fmt(s.cpuMs)]),
    ),
    '',
  ].join('\n');
}
