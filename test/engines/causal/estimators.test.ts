import { describe, expect, it } from 'vitest';
import { estimateEffect, simulateLinearScm } from '../../../src/engines/causal/index.js';
import type { CausalGraph, EffectMethod } from '../../../src/engines/causal/index.js';
import { NSW_COVARIATES, heterogeneous, nswData } from './helpers.js';

const confounded: CausalGraph = {
  nodes: ['z1', 'z2', 't', 'y'].map((id) => ({ id })),
  edges: [
    { from: 'z1', to: 't' },
    { from: 'z2', to: 't' },
    { from: 'z1', to: 'y' },
    { from: 'z2', to: 'y' },
    { from: 't', to: 'y' },
  ],
};
const spec = {
  graph: confounded,
  weights: { 'z1→t': 0.8, 'z2→t': -0.6, 'z1→y': 2, 'z2→y': 1.5, 't→y': 3 },
  binary: ['t'],
};

describe('effect estimators on a synthetic linear SCM (true effect 3)', () => {
  const data = simulateLinearScm(spec, 4000, 4);
  const methods: EffectMethod[] = ['ols', 'ols_constant', 'ipw', 'aipw', 'matching', 'auto'];
  for (const method of methods) {
    it(`${method} lands within 5 % of the truth and its interval covers it`, () => {
      const r = estimateEffect(data, {
        treatment: 't',
        outcome: 'y',
        graph: confounded,
        method,
        refute: false,
      });
      expect(r.adjustmentSet).toEqual(['z1', 'z2']);
      expect(Math.abs(r.estimate - 3) / 3).toBeLessThan(0.05);
      expect(r.interval[0]).toBeLessThan(3);
      expect(r.interval[1]).toBeGreaterThan(3);
    });
  }

  it('the naive difference is confounded (the baseline the estimators beat)', () => {
    const r = estimateEffect(data, {
      treatment: 't',
      outcome: 'y',
      method: 'difference',
      refute: false,
    });
    expect(r.estimate).toBeGreaterThan(3.3);
  });

  it('a seeded bootstrap interval is reproducible and brackets the estimate', () => {
    const options = {
      treatment: 't',
      outcome: 'y',
      covariates: ['z1', 'z2'],
      method: 'ols' as const,
      bootstrap: 30,
      refute: false,
      seed: 5,
    };
    const a = estimateEffect(data, options);
    const b = estimateEffect(data, options);
    expect(a.interval).toEqual(b.interval);
    expect(a.interval[0]).toBeLessThan(a.estimate);
    expect(a.interval[1]).toBeGreaterThan(a.estimate);
    expect(a.details.bootstrap_runs).toBe(30);
  });
});

describe('ATE versus ATT with a heterogeneous effect (effect = 2 + x)', () => {
  const { data, ate, att } = heterogeneous(6000, 3);
  it('estimand-aware estimators separate the two; plain OLS cannot', () => {
    expect(att - ate).toBeGreaterThan(0.3);
    for (const method of ['ols', 'aipw', 'auto'] as const) {
      const rAte = estimateEffect(data, {
        treatment: 't',
        outcome: 'y',
        covariates: ['x'],
        method,
        estimand: 'ate',
        refute: false,
      });
      const rAtt = estimateEffect(data, {
        treatment: 't',
        outcome: 'y',
        covariates: ['x'],
        method,
        estimand: 'att',
        refute: false,
      });
      expect(Math.abs(rAte.estimate - ate)).toBeLessThan(0.1);
      expect(Math.abs(rAtt.estimate - att)).toBeLessThan(0.1);
    }
    const plain = estimateEffect(data, {
      treatment: 't',
      outcome: 'y',
      covariates: ['x'],
      method: 'ols_constant',
      estimand: 'att',
      refute: false,
    });
    expect(Math.abs(plain.estimate - att)).toBeGreaterThan(0.2);
  });
});

describe('auto keeps the ATE population whole', () => {
  it('drops no rows for the ATE (scores clipped instead), only for the ATT', () => {
    const { data } = heterogeneous(3000, 9);
    const ate = estimateEffect(data, {
      treatment: 't',
      outcome: 'y',
      covariates: ['x'],
      refute: false,
    });
    expect(ate.n).toBe(3000);
    expect(ate.details.dropped_treated).toBe(0);
    expect(ate.details.dropped_control).toBe(0);
    const att = estimateEffect(data, {
      treatment: 't',
      outcome: 'y',
      covariates: ['x'],
      estimand: 'att',
      refute: false,
    });
    expect(att.n).toBeLessThanOrEqual(3000);
  });
});

describe('LaLonde NSW experiment (experimental ATT $1,794)', () => {
  const nsw = nswData();
  it('difference in means and regression are within $100', () => {
    const diff = estimateEffect(nsw, {
      treatment: 'treat',
      outcome: 're78',
      method: 'difference',
      estimand: 'att',
      refute: false,
    });
    expect(diff.estimate).toBeCloseTo(1794.34, 1);
    const ols = estimateEffect(nsw, {
      treatment: 'treat',
      outcome: 're78',
      covariates: NSW_COVARIATES,
      method: 'ols',
      estimand: 'att',
      refute: false,
    });
    expect(Math.abs(ols.estimate - 1794)).toBeLessThan(100);
    expect(ols.se).toBeGreaterThan(500);
    expect(ols.se).toBeLessThan(900);
  });

  it('auto adds the Dehejia–Wahba terms and stays near the experiment', () => {
    const r = estimateEffect(nsw, {
      treatment: 'treat',
      outcome: 're78',
      covariates: NSW_COVARIATES,
      estimand: 'att',
      refute: false,
    });
    expect(r.methodUsed).toBe('aipw_overlap');
    expect(r.details.model_terms).toBe(14);
    expect(Math.abs(r.estimate - 1794)).toBeLessThan(200);
    expect(r.summary).toMatch(/ATT, doubly robust with overlap trimming/);
  });
});
