import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext, type TestTenant } from '../../helpers/app.js';
import { estimateEffect } from '../../../src/engines/causal/index.js';
import { metrics } from '../../../src/platform/observability/metrics.js';
import {
  addDays,
  cafeGraph,
  cafeSeries,
  post,
  pushDaily,
  putGraph,
  synthetic,
  weekdayOf,
} from './helpers.js';

/**
 * Every question kind over HTTP on synthetic daily metrics with planted effects, pushed
 * through POST /v1/metrics:batch: promo (more likely on weekends) → visits (+40) → sales
 * (+12 per promo day); footfall jumps by 30 on day 150.
 */
const START = '2025-01-06'; // a Monday
const N = 210;
const data = synthetic(START, N);
const END = addDays(START, N);

let ctx: TestContext;
let a: TestTenant;

beforeAll(async () => {
  ctx = await createTestContext();
  a = await ctx.newTenant('Evidence Café');
  await pushDaily(ctx, a, cafeSeries(data));
  expect(await putGraph(ctx, a, cafeGraph)).toBe(1);
});
afterAll(async () => {
  await ctx?.close();
});

const WEEKDAY_COLS = ['tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => `weekday[${d}]`);

describe('POST /v1/evidence/analyze', () => {
  it('effect: recovers the planted +12 with weekday adjusted for; the naive difference is biased up', async () => {
    const res = await post(ctx, a, '/v1/evidence/analyze', {
      kind: 'effect',
      treatment: 'promo',
      outcome: 'sales',
      from: START,
      to: END,
    });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    const r = body.result;
    expect(body.kind).toBe('effect');
    expect(body.graphVersion).toBe(1);
    expect(body.data).toMatchObject({ from: START, to: END, days: N, droppedDays: 0 });
    expect(r.adjustmentSet).toEqual(['weekday']);
    expect(r.adjustmentColumns).toEqual(WEEKDAY_COLS);
    expect(r.nTreated).toBe(data.promo.filter((p) => p === 1).length);
    expect(r.n).toBe(N);
    expect(r.interval[0]).toBeLessThan(12);
    expect(r.interval[1]).toBeGreaterThan(12);
    expect(r.refutations.map((x: { name: string }) => x.name)).toEqual([
      'placebo_treatment',
      'random_common_cause',
      'data_subset',
      'unobserved_confounder',
    ]);
    // Exactly the engine's answer on the same columns: the data made the round trip intact.
    const cols: Record<string, number[]> = { promo: data.promo, sales: data.sales };
    WEEKDAY_COLS.forEach((c, k) => {
      cols[c] = data.days.map((d) => (weekdayOf(d) === k + 1 ? 1 : 0));
    });
    const direct = estimateEffect(cols, {
      treatment: 'promo',
      outcome: 'sales',
      covariates: WEEKDAY_COLS,
      estimand: 'att',
    });
    expect(r.estimate).toBeCloseTo(direct.estimate, 9);
    expect(r.interval[0]).toBeCloseTo(direct.interval[0], 9);
    // The naive comparison is biased by weekends (more promos, more visits): it misses 12.
    expect(r.naive.estimate - r.estimate).toBeGreaterThan(3);
    expect(r.naive.interval[0]).toBeGreaterThan(12);
    // Balance: promo days are mostly weekend days.
    const sat = r.balance.find((b: { column: string }) => b.column === 'weekday[sat]');
    expect(sat.treatedMean).toBeGreaterThan(2 * sat.untreatedMean);
    expect(r.summary).toContain('Effect of promo = 1 on sales');
  });

  it('why: period means, parent and root-cause drivers that add up to the change', async () => {
    const res = await post(ctx, a, '/v1/evidence/analyze', {
      kind: 'why',
      metric: 'sales',
      periodA: { from: START, to: addDays(START, 28) },
      periodB: { from: addDays(START, 28), to: addDays(START, 56) },
    });
    expect(res.statusCode, res.body).toBe(201);
    const r = res.json().result;
    const mean = (from: number, to: number) =>
      data.sales.slice(from, to).reduce((s, v) => s + v, 0) / (to - from);
    expect(r.aggregate).toBe('mean');
    expect(r.valueA).toBeCloseTo(mean(0, 28), 9);
    expect(r.valueB).toBeCloseTo(mean(28, 56), 9);
    expect(r.change).toBeCloseTo(mean(28, 56) - mean(0, 28), 9);
    const sum = (xs: { amount: number }[]) => xs.reduce((s, x) => s + x.amount, 0);
    expect(sum(r.parentDrivers)).toBeCloseTo(r.change, 6);
    expect(r.parentDrivers.map((d: { driver: string }) => d.driver).sort()).toEqual([
      'unexplained',
      'visits',
    ]);
    expect(sum(r.rootCauses)).toBeCloseTo(r.change, 6);
    expect(r.rootCauses.map((d: { driver: string }) => d.driver).sort()).toEqual([
      'promo',
      'sales',
      'visits',
      'weekday',
    ]);
  });

  it('what_if: without the promotions, sales on promo days would have been about 12 lower each', async () => {
    const res = await post(ctx, a, '/v1/evidence/analyze', {
      kind: 'what_if',
      variable: 'promo',
      value: 0,
      outcome: 'sales',
      where: 'promo > 0',
      from: START,
      to: END,
    });
    expect(res.statusCode, res.body).toBe(201);
    const r = res.json().result;
    const k = data.promo.filter((p) => p === 1).length;
    expect(r.days).toBe(k);
    expect(r.perDay).toHaveLength(k);
    expect(r.actualTotal).toBeCloseTo(
      data.sales.filter((_, i) => data.promo[i] === 1).reduce((s, v) => s + v, 0),
      6,
    );
    expect(r.interval[0]).toBeLessThan(-12 * k);
    expect(r.interval[1]).toBeGreaterThan(-12 * k);
    expect(r.difference / k).toBeGreaterThan(-14);
    expect(r.difference / k).toBeLessThan(-10);
  });

  it('intervention: the +30 jump in footfall from day 150', async () => {
    const res = await post(ctx, a, '/v1/evidence/analyze', {
      kind: 'intervention',
      series: 'footfall',
      eventDay: addDays(START, 150),
      from: START,
      to: END,
    });
    expect(res.statusCode, res.body).toBe(201);
    const r = res.json().result;
    expect(r.postDays).toBe(N - 150);
    expect(r.perDay[0].day).toBe(addDays(START, 150));
    expect(r.perDay[0].actual).toBe(data.footfall[150]);
    expect(r.interval[0]).toBeLessThan(30 * (N - 150));
    expect(r.interval[1]).toBeGreaterThan(30 * (N - 150));
    expect(Math.abs(r.effectMean - 30)).toBeLessThan(3);
  });
});

describe('POST /v1/evidence/discover and the stored analyses', () => {
  it('finds promo — visits — sales and no direct promo → sales link; the proposal can be accepted', async () => {
    const res = await post(ctx, a, '/v1/evidence/discover', { from: START, to: END });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    const r = body.result;
    expect(r.variables.sort()).toEqual(['promo', 'sales', 'visits']);
    const pairs = r.edges.map((e: { from: string; to: string }) => [e.from, e.to].sort().join('-'));
    expect(pairs.sort()).toEqual(['promo-visits', 'sales-visits']);
    expect(
      r.supported.map((e: { from: string; to: string }) => `${e.from}>${e.to}`).sort(),
    ).toEqual(['promo>visits', 'visits>sales']);
    for (const e of r.supported) {
      expect(e.analysisId).toBe(body.id);
      expect(e.confidence).toBeGreaterThan(0.8);
    }
    const put = await ctx.inject({
      method: 'PUT',
      url: '/v1/evidence/graph',
      headers: a.auth,
      payload: { proposal: body.id },
    });
    expect(put.statusCode, put.body).toBe(201);
    const g = put.json();
    expect(g).toMatchObject({ version: 2, source: 'proposal', proposalId: body.id });
    const edge = g.edges.find(
      (e: { from: string; to: string }) => e.from === 'visits' && e.to === 'sales',
    );
    expect(edge).toMatchObject({ provenance: 'assumed', analysisId: body.id });
  });

  it('lists analyses newest first and returns each with its question, window and result', async () => {
    const list = (
      await ctx.inject({ method: 'GET', url: '/v1/evidence/analyses', headers: a.auth })
    ).json();
    expect(list.items.map((i: { kind: string }) => i.kind)).toEqual([
      'discover',
      'intervention',
      'what_if',
      'why',
      'effect',
    ]);
    const effect = list.items.at(-1);
    expect(effect.result).toBeUndefined();
    const one = await ctx.inject({
      method: 'GET',
      url: `/v1/evidence/analyses/${effect.id}`,
      headers: a.auth,
    });
    expect(one.statusCode).toBe(200);
    expect(one.json()).toMatchObject({
      id: effect.id,
      kind: 'effect',
      graphVersion: 1,
      question: { kind: 'effect', treatment: 'promo', outcome: 'sales' },
      result: { kind: 'effect', adjustmentSet: ['weekday'] },
    });
    const onlyWhy = (
      await ctx.inject({ method: 'GET', url: '/v1/evidence/analyses?kind=why', headers: a.auth })
    ).json();
    expect(onlyWhy.items.map((i: { kind: string }) => i.kind)).toEqual(['why']);
  });
});

describe('observability', () => {
  const count = async (
    metric: {
      get(): Promise<{ values: { labels: object; value: number; metricName?: string }[] }>;
    },
    labels: Record<string, string>,
    name?: string,
  ) =>
    (await metric.get()).values
      .filter((v) => (name ? v.metricName === name : true))
      .filter((v) => Object.entries(labels).every(([k, x]) => (v.labels as never)[k] === x))
      .reduce((s, v) => s + v.value, 0);

  it('records each analysis, its outcome, duration and refutations in the evidence families', async () => {
    const ok = { kind: 'effect', outcome: 'succeeded' };
    const rejected = { kind: 'effect', outcome: 'rejected' };
    const before = {
      ok: await count(metrics.evidenceAnalyses, ok),
      rejected: await count(metrics.evidenceAnalyses, rejected),
      refutations: await count(metrics.evidenceRefutations, {}),
      durations: await count(
        metrics.evidenceAnalysisDuration,
        { kind: 'effect' },
        'evidence_analysis_duration_seconds_count',
      ),
    };
    const q = { kind: 'effect', treatment: 'promo', outcome: 'sales', from: START, to: END };
    expect((await post(ctx, a, '/v1/evidence/analyze', q)).statusCode).toBe(201);
    expect(
      (await post(ctx, a, '/v1/evidence/analyze', { ...q, treatment: 'promo > 9' })).statusCode,
    ).toBe(422);
    expect(await count(metrics.evidenceAnalyses, ok)).toBe(before.ok + 1);
    expect(await count(metrics.evidenceAnalyses, rejected)).toBe(before.rejected + 1);
    expect(await count(metrics.evidenceRefutations, {})).toBe(before.refutations + 4);
    expect(
      await count(
        metrics.evidenceAnalysisDuration,
        { kind: 'effect' },
        'evidence_analysis_duration_seconds_count',
      ),
    ).toBe(before.durations + 2);
  });
});
