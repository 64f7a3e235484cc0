import { parseArgs } from 'node:util';
import { readFileSync, writeFileSync } from 'node:fs';
import { DEFAULT_MODELS, type Frequency, type ModelName } from '../engines/forecast/index.js';
import { csvField, parseLongCsv } from './forecast-long-csv.js';
import { parseCommandArgs, UsageError } from './forecast-args.js';
import { forecastInWorkers, type ForecastJob } from './forecast-pool.js';

const FREQUENCIES = ['hourly', 'daily', 'weekly', 'monthly', 'quarterly', 'yearly'];
const USAGE = `usage: dyocense forecast --input long.csv --horizon N --out forecasts.csv
                         [--frequency ${FREQUENCIES.join('|')}] [--kind level|count]
                         [--levels 80,95] [--models a,b,…] [--json result.json] [--workers N]
  Reads a long CSV (series_id,date,value), forecasts each series N steps ahead with backtested
  model selection, and writes series_id,date,step,forecast,lower_L,upper_L…,model rows.`;

/** Forecast dates as the input wrote them: `YYYY-MM-DD` when no input date had a time. */
const formatDate = (iso: string | undefined, dateOnly: boolean): string =>
  iso ? (dateOnly ? iso.slice(0, 10) : iso) : '';

/** `dyocense forecast …` */
export async function run(args: string[]): Promise<number> {
  const v = parseCommandArgs(
    () =>
      parseArgs({
        args,
        options: {
          input: { type: 'string', short: 'i' },
          horizon: { type: 'string' },
          out: { type: 'string', short: 'o' },
          frequency: { type: 'string' },
          kind: { type: 'string' },
          levels: { type: 'string' },
          models: { type: 'string' },
          json: { type: 'string' },
          workers: { type: 'string' },
          help: { type: 'boolean', short: 'h' },
        },
      }).values,
    USAGE,
  );
  if (typeof v === 'number') return v;
  let jobs: ForecastJob[];
  let levels: number[];
  let workers: number;
  try {
    if (!v.input || !v.horizon || !v.out)
      throw new UsageError('--input, --horizon and --out are required');
    const horizon = Number(v.horizon);
    if (!Number.isInteger(horizon) || horizon <= 0)
      throw new UsageError(`--horizon must be a positive integer, got "${v.horizon}"`);
    if (v.frequency && !FREQUENCIES.includes(v.frequency))
      throw new UsageError(`--frequency must be one of ${FREQUENCIES.join(', ')}`);
    if (v.kind && v.kind !== 'level' && v.kind !== 'count')
      throw new UsageError('--kind must be level or count');
    levels = (v.levels ?? '80,95').split(',').map(Number);
    if (levels.some((l) => !(l > 0 && l < 100)))
      throw new UsageError(`--levels must be percentages between 0 and 100, got "${v.levels}"`);
    const models = v.models?.split(',') as ModelName[] | undefined;
    const known = [...DEFAULT_MODELS, 'arima', 'prophet'];
    const unknown = models?.filter((m) => !known.includes(m));
    if (unknown?.length)
      throw new UsageError(`unknown model(s): ${unknown.join(', ')} (known: ${known.join(', ')})`);
    workers = v.workers ? Number(v.workers) : 0;
    if (!Number.isInteger(workers) || workers < 0)
      throw new UsageError('--workers must be a non-negative integer');
    let text: string;
    try {
      text = readFileSync(v.input, 'utf8');
    } catch (err) {
      throw new UsageError(
        `cannot read ${v.input}: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    let series;
    try {
      series = parseLongCsv(text);
    } catch (err) {
      throw new UsageError(`${v.input}: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (!series.length) throw new UsageError(`${v.input} has no rows`);
    jobs = series.map((s) => ({
      id: s.id,
      series: {
        values: s.values,
        timestamps: s.dates,
        ...(v.frequency ? { frequency: v.frequency as Frequency } : {}),
        ...(v.kind ? { kind: v.kind as 'level' | 'count' } : {}),
      },
      options: { horizon, levels, ...(models ? { models } : {}) },
    }));
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`${err.message}\n\n${USAGE}`);
      return 2;
    }
    throw err;
  }
  const dateOnly = jobs.every((j) =>
    (j.series.timestamps ?? []).every((d) => /^\d{4}-\d{2}-\d{2}$/.test(String(d))),
  );
  const outcomes = await forecastInWorkers(jobs, { workers: workers || Math.min(2, jobs.length) });
  const sorted = [...new Set([80, 95, ...levels])].sort((a, b) => a - b);
  const header = [
    'series_id',
    'date',
    'step',
    'forecast',
    ...sorted.flatMap((l) => [`lower_${l}`, `upper_${l}`]),
    'model',
  ];
  const rows: string[] = [header.join(',')];
  let failed = 0;
  for (const oc of outcomes) {
    if ('error' in oc) {
      failed++;
      console.error(`forecast: series ${oc.id}: ${oc.error}`);
      continue;
    }
    const r = oc.result;
    for (const flag of r.flags)
      if (['fallback_naive', 'no_backtest', 'wide_intervals', 'constant_series'].includes(flag))
        console.error(`forecast: series ${oc.id}: ${flag}`);
    r.points.forEach((p, j) => {
      const bounds = sorted.flatMap((l) => {
        const iv = r.intervals.find((i) => i.level === l);
        return [iv?.lower[j] ?? p, iv?.upper[j] ?? p];
      });
      rows.push(
        [
          csvField(oc.id),
          formatDate(r.timestamps?.[j], dateOnly),
          j + 1,
          ...[p, ...bounds].map((x) => Number(x.toPrecision(10))),
          csvField(r.model),
        ].join(','),
      );
    });
  }
  writeFileSync(v.out, rows.join('\n') + '\n');
  if (v.json) writeFileSync(v.json, JSON.stringify(outcomes, null, 2) + '\n');
  console.error(
    `forecast: ${outcomes.length - failed} of ${outcomes.length} series forecast → ${v.out}`,
  );
  return failed ? 1 : 0;
}
