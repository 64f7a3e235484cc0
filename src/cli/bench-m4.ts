import { parseArgs } from 'node:util';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Frequency, ModelName } from '../engines/forecast/index.js';
import { parseCommandArgs, UsageError } from './forecast-args.js';
import { forecastInWorkers } from './forecast-pool.js';
import { formatWideCsv, parseWideCsv, type WideSeries } from './forecast-m4-data.js';
import { baselineForecasts, scoreMethods, type SetScore } from './forecast-m4-eval.js';

const USAGE = `usage: dyocense bench m4 --train <csv> --test <csv> --horizon H --season M --out forecasts.csv
                          [--lower lo.csv --upper hi.csv] [--frequency weekly|hourly|…]
                          [--workers N] [--limit N] [--origins K] [--combine K] [--models a,b]
       dyocense bench m4 --suite public [--data DIR] [--workers N]
  Forecasts every series of an M4-format train file, writes the forecasts (id,F1..FH; --lower/--upper
  get the 95% bounds) and prints sMAPE, MASE, OWA vs Naive2, MSIS, 95% coverage and series/s.
  --suite public runs the Weekly and Hourly halves in ../shared/data/m4 and writes bench/out/forecast-m4.{json,md}.`;

/** M4's frequency for its (horizon, seasonal period) pairs. */
const M4_FREQUENCY: Record<string, Frequency> = {
  '6/1': 'yearly',
  '8/4': 'quarterly',
  '18/12': 'monthly',
  '13/1': 'weekly',
  '14/1': 'daily',
  '48/24': 'hourly',
};

const ROOT = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  ...(import.meta.url.endsWith('.ts') ? [] : ['..']),
);

interface SetReport {
  set: string;
  series: number;
  horizon: number;
  season: number;
  seconds: number;
  /** CPU time of the forecasting step (all threads): wall time on an idle machine ≈ this / cores. */
  cpuSeconds: number;
  naive2: SetScore;
  ours: SetScore;
  baselines: SetScore[];
  models: Record<string, number>;
  failures: number;
}

interface RunOptions {
  train: string;
  test: string;
  horizon: number;
  season: number;
  frequency?: Frequency;
  out?: string;
  lower?: string;
  upper?: string;
  workers?: number;
  limit?: number;
  origins?: number;
  combine?: number;
  models?: ModelName[];
  maxHistory?: number;
}

async function runSet(name: string, o: RunOptions): Promise<SetReport> {
  let train = parseWideCsv(readFileSync(o.train, 'utf8'));
  let test = parseWideCsv(readFileSync(o.test, 'utf8'));
  if (o.limit) {
    train = train.slice(0, o.limit);
    test = test.slice(0, o.limit);
  }
  if (train.length !== test.length)
    throw new Error(`${o.train} has ${train.length} series but ${o.test} has ${test.length}`);
  train.forEach((s, i) => {
    if (s.id !== test[i]?.id)
      throw new Error(`series ${i}: train id ${s.id} ≠ test id ${test[i]?.id}`);
    if ((test[i]?.values.length ?? 0) < o.horizon)
      throw new Error(`series ${s.id}: test has fewer than ${o.horizon} values`);
  });
  const frequency = o.frequency ?? M4_FREQUENCY[`${o.horizon}/${o.season}`];
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  const outcomes = await forecastInWorkers(
    train.map((s) => ({
      id: s.id,
      series: { values: s.values, ...(frequency ? { frequency } : {}) },
      options: {
        horizon: o.horizon,
        ...(o.origins !== undefined ? { origins: o.origins } : {}),
        ...(o.combine !== undefined ? { combine: o.combine } : {}),
        ...(o.models ? { models: o.models } : {}),
        ...(o.maxHistory ? { maxHistory: o.maxHistory } : {}),
      },
    })),
    o.workers !== undefined ? { workers: o.workers } : {},
  );
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  let failures = 0;
  const models: Record<string, number> = {};
  const pick = (key: 'points' | 'lower95' | 'upper95'): number[][] =>
    outcomes.map((oc, i) => {
      if ('result' in oc) return oc.result[key];
      return new Array<number>(o.horizon).fill((train[i] as WideSeries).values.at(-1) ?? 0);
    });
  for (const oc of outcomes) {
    if ('error' in oc) {
      failures++;
      console.error(`${oc.id}: ${oc.error}`);
    } else for (const m of Object.keys(oc.result.weights)) models[m] = (models[m] ?? 0) + 1;
  }
  const points = pick('points');
  const lower = pick('lower95');
  const upper = pick('upper95');
  const write = (path: string | undefined, rows: number[][]): void => {
    if (path)
      writeFileSync(
        path,
        formatWideCsv(train.map((s, i) => ({ id: s.id, values: rows[i] as number[] }))),
      );
  };
  write(o.out, points);
  write(o.lower, lower);
  write(o.upper, upper);
  const trainValues = train.map((s) => s.values);
  const testValues = test.map((s) => s.values);
  const scored = scoreMethods(trainValues, testValues, o.horizon, o.season, [
    { method: 'dyocense', points, lower, upper, seconds },
    ...baselineForecasts(trainValues, o.horizon, o.season),
  ]);
  const [ours, ...baselines] = scored.methods as [SetScore, ...SetScore[]];
  return {
    set: name,
    series: train.length,
    horizon: o.horizon,
    season: o.season,
    seconds,
    cpuSeconds,
    naive2: scored.naive2,
    ours,
    baselines,
    models,
    failures,
  };
}

const f3 = (v: number | undefined): string => (v === undefined ? '—' : v.toFixed(3));

function table(r: SetReport): string {
  const rows = [r.naive2, ...r.baselines, r.ours].map(
    (s) =>
      `| ${s.method} | ${f3(s.smape)} | ${f3(s.mase)} | ${f3(s.owa)} | ${f3(s.msis)} | ${s.coverage95 === undefined ? '—' : (100 * s.coverage95).toFixed(1) + '%'} |`,
  );
  return [
    `### ${r.set}: ${r.series} series, h=${r.horizon}, m=${r.season} — ${r.seconds.toFixed(1)} s wall (${(r.series / r.seconds).toFixed(1)} series/s), ${r.cpuSeconds.toFixed(1)} s CPU`,
    '',
    '| method | sMAPE | MASE | OWA | MSIS | 95% coverage |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
    `Models in the final combinations: ${Object.entries(r.models)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}${r.failures ? `; ${r.failures} series failed` : ''}.`,
  ].join('\n');
}

function printSummary(r: SetReport): void {
  console.log(table(r));
  console.log('');
}

/** `dyocense bench m4 …` */
export async function run(args: string[]): Promise<number> {
  const v = parseCommandArgs(
    () =>
      parseArgs({
        args,
        options: {
          train: { type: 'string' },
          test: { type: 'string' },
          horizon: { type: 'string' },
          season: { type: 'string' },
          frequency: { type: 'string' },
          out: { type: 'string' },
          lower: { type: 'string' },
          upper: { type: 'string' },
          workers: { type: 'string' },
          limit: { type: 'string' },
          origins: { type: 'string' },
          combine: { type: 'string' },
          models: { type: 'string' },
          'max-history': { type: 'string' },
          suite: { type: 'string' },
          data: { type: 'string' },
          help: { type: 'boolean', short: 'h' },
        },
      }).values,
    USAGE,
  );
  if (typeof v === 'number') return v;
  const int = (name: string, s: string | undefined, min: number): number | undefined => {
    if (s === undefined) return undefined;
    const n = Number(s);
    if (!Number.isInteger(n) || n < min)
      throw new UsageError(`--${name} must be an integer ≥ ${min}, got "${s}"`);
    return n;
  };
  try {
    const common = {
      ...(v.workers ? { workers: int('workers', v.workers, 1) } : {}),
      ...(v.limit ? { limit: int('limit', v.limit, 1) } : {}),
      ...(v.origins ? { origins: int('origins', v.origins, 0) } : {}),
      ...(v.combine ? { combine: int('combine', v.combine, 1) } : {}),
      ...(v['max-history'] ? { maxHistory: int('max-history', v['max-history'], 10) } : {}),
      ...(v.models ? { models: v.models.split(',') as ModelName[] } : {}),
    };
    if (v.suite !== undefined) {
      if (v.suite !== 'public') throw new UsageError(`unknown suite "${v.suite}" (only "public")`);
      const data = resolve(v.data ?? join(ROOT, '..', 'shared', 'data', 'm4'));
      const outDir = join(ROOT, 'bench', 'out');
      mkdirSync(outDir, { recursive: true });
      const reports: SetReport[] = [];
      for (const [set, horizon, season] of [
        ['Weekly', 13, 1],
        ['Hourly', 48, 24],
      ] as const) {
        const r = await runSet(set, {
          train: join(data, `${set}-train.csv`),
          test: join(data, `${set}-test.csv`),
          horizon,
          season,
          out: join(outDir, `forecast-m4-${set.toLowerCase()}.csv`),
          lower: join(outDir, `forecast-m4-${set.toLowerCase()}-lo95.csv`),
          upper: join(outDir, `forecast-m4-${set.toLowerCase()}-hi95.csv`),
          ...common,
        });
        printSummary(r);
        reports.push(r);
      }
      writeFileSync(join(outDir, 'forecast-m4.json'), JSON.stringify(reports, null, 2) + '\n');
      writeFileSync(
        join(outDir, 'forecast-m4.md'),
        `# M4 benchmark (public halves)\n\n${reports.map(table).join('\n\n')}\n`,
      );
      console.log(`report: ${join(outDir, 'forecast-m4.md')}`);
      return 0;
    }
    if (!v.train || !v.test || !v.horizon || !v.season)
      throw new UsageError('--train, --test, --horizon and --season are required');
    if (
      v.frequency &&
      !['hourly', 'daily', 'weekly', 'monthly', 'quarterly', 'yearly'].includes(v.frequency)
    )
      throw new UsageError(`unknown --frequency "${v.frequency}"`);
    const r = await runSet(v.train, {
      train: v.train,
      test: v.test,
      horizon: int('horizon', v.horizon, 1) as number,
      season: int('season', v.season, 1) as number,
      ...(v.frequency ? { frequency: v.frequency as Frequency } : {}),
      ...(v.out ? { out: v.out } : {}),
      ...(v.lower ? { lower: v.lower } : {}),
      ...(v.upper ? { upper: v.upper } : {}),
      ...common,
    });
    printSummary(r);
    return r.failures ? 1 : 0;
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`${err.message}\n\n${USAGE}`);
      return 2;
    }
    console.error(`bench m4: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}
