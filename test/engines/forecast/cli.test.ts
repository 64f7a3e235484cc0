import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { run as benchM4 } from '../../../src/cli/bench-m4.js';
import { run as forecastCli } from '../../../src/cli/forecast.js';
import { formatWideCsv, parseWideCsv } from '../../../src/cli/forecast-m4-data.js';
import { parseLongCsv } from '../../../src/cli/forecast-long-csv.js';

const fixtures = join(import.meta.dirname, '..', '..', 'fixtures', 'forecast');
let out: string;
let logs: string[];

beforeEach(() => {
  out = mkdtempSync(join(tmpdir(), 'dyocense-forecast-'));
  logs = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void logs.push(a.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void logs.push(a.join(' ')));
});
afterEach(() => vi.restoreAllMocks());

describe('M4 wide CSV', () => {
  it('parses padded rows and writes id,F1..FH', () => {
    expect(parseWideCsv('"V1","V2","V3","V4"\n"W1","1","2",""\n"W2","3","",""\n')).toEqual([
      { id: 'W1', values: [1, 2] },
      { id: 'W2', values: [3] },
    ]);
    expect(formatWideCsv([{ id: 'W1', values: [1.5, 2] }])).toBe('id,F1,F2\nW1,1.5,2\n');
    expect(() => parseWideCsv('"V1","V2"\n"W1","abc"\n')).toThrow(/row 2 \(W1\), column 2/);
  });
});

describe('dyocense bench m4', () => {
  it('writes forecasts and 95% bounds in wide format and prints the M4 measures', async () => {
    const f = join(out, 'f.csv');
    const lo = join(out, 'lo.csv');
    const hi = join(out, 'hi.csv');
    const code = await benchM4([
      '--train',
      join(fixtures, 'm4-weekly-train.csv'),
      '--test',
      join(fixtures, 'm4-weekly-test.csv'),
      '--horizon',
      '13',
      '--season',
      '1',
      '--out',
      f,
      '--lower',
      lo,
      '--upper',
      hi,
      '--workers',
      '2',
    ]);
    expect(code).toBe(0);
    const [pts, low, up] = [f, lo, hi].map((p) => parseWideCsv(readFileSync(p, 'utf8')));
    expect(pts?.map((s) => s.id)).toEqual(['W1', 'W3', 'W5', 'W7']);
    pts?.forEach((s, i) => {
      expect(s.values).toHaveLength(13);
      s.values.forEach((v, j) => {
        expect(low?.[i]?.values[j]).toBeLessThanOrEqual(v);
        expect(up?.[i]?.values[j]).toBeGreaterThanOrEqual(v);
      });
    });
    const text = logs.join('\n');
    expect(text).toMatch(/\| Naive2 \| [\d.]+ \| [\d.]+ \| 1\.000 \|/);
    expect(text).toMatch(/\| dyocense \| [\d.]+ \| [\d.]+ \| [\d.]+ \| [\d.]+ \| [\d.]+% \|/);
  });

  it('rejects bad arguments with exit code 2', async () => {
    expect(await benchM4(['--train', 'x.csv'])).toBe(2);
    expect(
      await benchM4(['--horizon', 'abc', '--train', 'a', '--test', 'b', '--season', '1']),
    ).toBe(2);
    expect(await benchM4(['--suite', 'private'])).toBe(2);
  });
});

describe('dyocense forecast', () => {
  it('forecasts each series of a long CSV with dated steps and intervals', async () => {
    const f = join(out, 'f.csv');
    const code = await forecastCli([
      '--input',
      join(fixtures, 'daily-long.csv'),
      '--horizon',
      '7',
      '--out',
      f,
      '--kind',
      'count',
    ]);
    expect(code).toBe(0);
    const lines = readFileSync(f, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('series_id,date,step,forecast,lower_80,upper_80,lower_95,upper_95,model');
    expect(lines).toHaveLength(1 + 2 * 7);
    expect(lines[1]).toMatch(/^shop-revenue,2024-04-30,1,/);
    for (const line of lines.slice(1)) {
      const [, , , p, l80, u80, l95, u95] = line.split(',').map(Number);
      expect(l95).toBeLessThanOrEqual(l80 as number);
      expect(l80).toBeLessThanOrEqual(p as number);
      expect(p).toBeLessThanOrEqual(u80 as number);
      expect(u80).toBeLessThanOrEqual(u95 as number);
      expect(l95).toBeGreaterThanOrEqual(0);
    }
  });

  it('parses long CSVs with quotes and missing values', () => {
    expect(
      parseLongCsv('value,series_id,date\n5,"A, Inc",2024-01-01\n,"A, Inc",2024-01-02\n'),
    ).toEqual([{ id: 'A, Inc', dates: ['2024-01-01', '2024-01-02'], values: [5, null] }]);
    expect(() => parseLongCsv('id,date,value\n')).toThrow(/series_id, date and value/);
  });

  it('reports bad arguments and bad series clearly', async () => {
    expect(
      await forecastCli([
        '--input',
        join(fixtures, 'daily-long.csv'),
        '--horizon',
        '0',
        '--out',
        join(out, 'x.csv'),
      ]),
    ).toBe(2);
    expect(
      await forecastCli([
        '--input',
        join(out, 'missing.csv'),
        '--horizon',
        '3',
        '--out',
        join(out, 'x.csv'),
      ]),
    ).toBe(2);
    expect(logs.join('\n')).toMatch(/cannot read/);
  });
});
