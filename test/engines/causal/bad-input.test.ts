import { describe, expect, it } from 'vitest';
import {
  CausalInputError,
  analyze,
  estimateEffect,
  whatIf,
} from '../../../src/engines/causal/index.js';
import type { CausalErrorCode } from '../../../src/engines/causal/index.js';

function expectCode(fn: () => unknown, code: CausalErrorCode, message: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(CausalInputError);
  const err = caught as CausalInputError;
  expect(err.code).toBe(code);
  expect([400, 422]).toContain(err.status);
  expect(err.message).toMatch(message);
}

const base = {
  t: [0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1],
  x: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16],
  y: [3, 5, 4, 6, 5, 8, 6, 9, 7, 9, 8, 10, 9, 12, 10, 13],
};

describe('bad input gets a clear 4xx reason, never NaN', () => {
  it('cyclic graph', () => {
    const graph = {
      nodes: ['t', 'x', 'y'].map((id) => ({ id })),
      edges: [
        { from: 't', to: 'y' },
        { from: 'y', to: 'x' },
        { from: 'x', to: 't' },
      ],
    };
    expectCode(
      () => estimateEffect(base, { treatment: 't', outcome: 'y', graph }),
      'cyclic_graph',
      /cycle/,
    );
  });

  it('unknown nodes and columns', () => {
    const graph = { nodes: [{ id: 't' }, { id: 'y' }], edges: [{ from: 't', to: 'q' }] };
    expectCode(
      () => estimateEffect(base, { treatment: 't', outcome: 'y', graph }),
      'unknown_node',
      /unknown node "q"/,
    );
    expectCode(
      () => estimateEffect(base, { treatment: 't', outcome: 'sales', covariates: [] }),
      'unknown_column',
      /no column "sales"/,
    );
    expectCode(
      () =>
        whatIf(
          base,
          { nodes: [{ id: 't' }, { id: 'y' }], edges: [] },
          { variable: 'z', value: 1, outcome: 'y' },
        ),
      'unknown_node',
      /"z"/,
    );
  });

  it('treatment with no variation, or not 0/1', () => {
    expectCode(
      () => estimateEffect({ ...base, t: base.t.map(() => 1) }, { treatment: 't', outcome: 'y' }),
      'no_variation',
      /every row is treated/,
    );
    expectCode(
      () =>
        estimateEffect({ ...base, t: base.t.map((v) => v * 2) }, { treatment: 't', outcome: 'y' }),
      'not_binary',
      /0\/1/,
    );
  });

  it('perfect separation in the propensity model', () => {
    expectCode(
      () =>
        estimateEffect(
          { ...base, x: base.t.map((v, i) => v * 10 + i * 0.01) },
          { treatment: 't', outcome: 'y', covariates: ['x'], method: 'ipw' },
        ),
      'perfect_separation',
      /separate treated from untreated rows perfectly/,
    );
  });

  it('too few rows', () => {
    expectCode(
      () => estimateEffect({ t: [0, 1, 0, 1], y: [1, 2, 3, 4] }, { treatment: 't', outcome: 'y' }),
      'too_few_rows',
      /at least 10 rows/,
    );
    expectCode(
      () =>
        estimateEffect(
          { t: [1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0], y: [1, 2, 3, 4, 5, 6, 7, 8, 9, 1, 2] },
          { treatment: 't', outcome: 'y' },
        ),
      'too_few_rows',
      /2 untreated/,
    );
  });

  it('missing values are named, not guessed', () => {
    const y = [...base.y];
    y[3] = Number.NaN;
    expectCode(
      () => estimateEffect({ ...base, y }, { treatment: 't', outcome: 'y' }),
      'missing_values',
      /column "y" has 1 missing .* row 4/,
    );
  });

  it('a hidden confounder without a frontdoor: not identifiable (422)', () => {
    const graph = {
      nodes: ['u', 't', 'y'].map((id) => ({ id })),
      edges: [
        { from: 'u', to: 't' },
        { from: 'u', to: 'y' },
        { from: 't', to: 'y' },
      ],
    };
    expectCode(
      () => estimateEffect(base, { treatment: 't', outcome: 'y', graph }),
      'not_identifiable',
      /not identifiable/,
    );
  });

  it('unknown question kinds and bad periods', () => {
    expectCode(
      () => analyze({ kind: 'guess' } as never, base),
      'invalid_argument',
      /unknown question kind/,
    );
    expectCode(
      () => analyze({ kind: 'why', metric: 'y', periodA: [0, 20], periodB: [8, 16] }, base),
      'invalid_argument',
      /periodA/,
    );
  });

  it('a constant outcome gives a finite zero effect, not NaN', () => {
    const r = estimateEffect(
      { ...base, y: base.y.map(() => 5) },
      { treatment: 't', outcome: 'y', covariates: ['x'], refute: false },
    );
    expect(r.estimate).toBe(0);
    expect(Number.isFinite(r.interval[0]) && Number.isFinite(r.interval[1])).toBe(true);
  });
});

describe('auto falls back when only its own flexible terms separate the arms', () => {
  it('drops the squares instead of refusing, and says so', () => {
    // Treated exactly when |x| > 1: linear in x no separation, but x² separates perfectly.
    const x = Array.from({ length: 60 }, (_, i) => -3 + (6 * i) / 59);
    const t = x.map((v) => (Math.abs(v) > 1 ? 1 : 0));
    const y = x.map((v, i) => v + 2 * (t[i] as number) + Math.sin(i));
    const r = estimateEffect(
      { x, t, y },
      { treatment: 't', outcome: 'y', covariates: ['x'], refute: false },
    );
    expect(Number.isFinite(r.estimate)).toBe(true);
    expect(r.warnings.join(' ')).toMatch(
      /separate treated from untreated rows perfectly; used the covariates as given/,
    );
  });
});
