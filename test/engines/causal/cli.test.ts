import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { run } from '../../../src/cli/evidence.js';
import { parseNumericCsv } from '../../../src/cli/evidence-csv.js';

const nsw = fileURLToPath(new URL('../../fixtures/causal/nsw_dw.csv', import.meta.url));
const ESTIMATE = ['estimate', '--csv', nsw, '--treatment', 'treat', '--outcome', 're78'];

async function capture(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  const code = await run(args);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

afterEach(() => vi.restoreAllMocks());

describe('dyocense evidence', () => {
  it('estimate --json prints the documented shape', async () => {
    const { code, out } = await capture([
      ...ESTIMATE,
      '--covariates',
      'age,educ,re74,re75',
      '--estimand',
      'att',
      '--method',
      'ols',
      '--json',
    ]);
    expect(code).toBe(0);
    const json = JSON.parse(out);
    expect(Object.keys(json)).toEqual(
      expect.arrayContaining([
        'estimate',
        'interval',
        'estimand',
        'method',
        'adjustment_set',
        'refutations',
      ]),
    );
    expect(json.estimand).toBe('att');
    expect(json.method).toBe('ols');
    expect(json.adjustment_set).toEqual(['age', 'educ', 're74', 're75']);
    expect(json.interval).toHaveLength(2);
    expect(json.refutations[0]).toMatchObject({
      name: 'placebo_treatment',
      passed: expect.any(Boolean),
    });
    expect(Math.abs(json.estimate - 1794)).toBeLessThan(150);
  });

  it('takes a graph file instead of covariates', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'evidence-'));
    const graph = join(dir, 'g.json');
    writeFileSync(
      graph,
      JSON.stringify({
        nodes: ['treat', 're78', 're75', 'age'].map((id) => ({ id })),
        edges: [
          { from: 'treat', to: 're78' },
          { from: 're75', to: 'treat' },
          { from: 're75', to: 're78' },
          { from: 'age', to: 're75' },
        ],
      }),
    );
    const { code, out } = await capture([...ESTIMATE, '--graph', graph, '--no-refute', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(out).adjustment_set).toEqual(['re75']);
  });

  it('bad arguments and bad data exit 2 with a reason, no stack trace', async () => {
    let r = await capture(['estimate', '--csv', nsw, '--treatment', 'treat']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--outcome is required/);
    r = await capture([
      'estimate',
      '--csv',
      nsw,
      '--treatment',
      'treat',
      '--outcome',
      're78',
      '--method',
      'magic',
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--method must be one of/);
    r = await capture(['estimate', '--csv', nsw, '--treatment', 'age', '--outcome', 're78']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/treatment "age" must be coded 0\/1/);
    r = await capture([
      'estimate',
      '--csv',
      '/no/such.csv',
      '--treatment',
      'treat',
      '--outcome',
      're78',
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/cannot read CSV/);
    r = await capture(['frobnicate']);
    expect(r.code).toBe(2);
  });

  it('reads quoted CSV fields, CRLF and empty cells (as missing)', () => {
    const csv = parseNumericCsv('"a","b, c"\r\n1,"2"\r\n3,\r\n');
    expect(csv.header).toEqual(['a', 'b, c']);
    expect(csv.columns.a).toEqual([1, 3]);
    expect(csv.columns['b, c']?.[0]).toBe(2);
    expect(Number.isNaN(csv.columns['b, c']?.[1])).toBe(true);
  });
});
