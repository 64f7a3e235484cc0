import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext, type TestTenant } from '../../helpers/app.js';
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
 * Every way a question or a graph can be wrong gets a clear 4xx with the reason (never a
 * 500, never NaN as an answer): 400 `evidence_invalid` for a malformed question or graph,
 * 422 `evidence_unanswerable` for one the data cannot answer, with `reason` and the path.
 */
const START = '2025-03-03'; // a Monday
const N = 70;
const data = synthetic(START, N, 3);
const END = addDays(START, N);
const GAP_EVERY = 5;

let ctx: TestContext;
let a: TestTenant;

beforeAll(async () => {
  ctx = await createTestContext();
  a = await ctx.newTenant('Bad Input Café');
  await pushDaily(ctx, a, {
    ...cafeSeries(data),
    weekend_promo: { days: data.days, values: data.days.map((d) => (weekdayOf(d) >= 5 ? 1 : 0)) },
    gappy: {
      days: data.days,
      values: data.footfall.map((v, i) => (i % GAP_EVERY === 2 ? null : v)),
    },
  });
  expect(await putGraph(ctx, a, cafeGraph)).toBe(1);
});
afterAll(async () => {
  await ctx?.close();
});

const put = (payload: unknown) =>
  ctx.inject({
    method: 'PUT',
    url: '/v1/evidence/graph',
    headers: a.auth,
    payload: payload as object,
  });
const analyze = (q: Record<string, unknown>) =>
  post(ctx, a, '/v1/evidence/analyze', { from: START, to: END, ...q });

/** The answer is the expected problem, with a reason and a message a person can act on. */
function refused(
  res: { statusCode: number; body: string; json: () => any },
  status: 400 | 422,
  reason: string,
  detail: RegExp,
) {
  expect(res.statusCode, res.body).toBe(status);
  const p = res.json();
  expect(p.code).toBe(status === 400 ? 'evidence_invalid' : 'evidence_unanswerable');
  expect(p.reason).toBe(reason);
  expect(p.detail).toMatch(detail);
  expect(res.body).not.toMatch(/NaN|Infinity/);
  return p;
}

describe('PUT /v1/evidence/graph refuses bad graphs', () => {
  it('a cycle, named', async () => {
    const p = refused(
      await put({
        nodes: cafeGraph.nodes,
        edges: [...cafeGraph.edges, { from: 'sales', to: 'promo' }],
      }),
      400,
      'cyclic_graph',
      /cycle: .*promo → visits → sales → promo|cycle: .*sales → promo → visits → sales|cycle: .*visits → sales → promo → visits/,
    );
    expect(p.errors[0].path).toBe('/body/edges');
  });

  it('a self-loop', async () => {
    refused(
      await put({ nodes: cafeGraph.nodes, edges: [{ from: 'sales', to: 'sales' }] }),
      400,
      'cyclic_graph',
      /self-loop on node "sales"/,
    );
  });

  it('a node that is no metric of the business', async () => {
    const p = refused(
      await put({ nodes: [{ id: 'promo' }, { id: 'nosuchmetric' }], edges: [] }),
      400,
      'unknown_node',
      /unknown metric "nosuchmetric".*latent/,
    );
    expect(p.errors[0].path).toBe('/body/nodes/1/id');
  });

  it('a dimension the metric does not have, and a malformed id', async () => {
    refused(
      await put({ nodes: [{ id: 'orders[sku=x]' }], edges: [] }),
      400,
      'unknown_node',
      /metric "orders" has no dimension "sku" \(it has channel, location\)/,
    );
    refused(
      await put({ nodes: [{ id: 'Orders!' }], edges: [] }),
      400,
      'unknown_node',
      /not a node id/,
    );
  });

  it('an edge to a node the graph does not declare', async () => {
    const p = refused(
      await put({ nodes: [{ id: 'promo' }], edges: [{ from: 'promo', to: 'sales' }] }),
      400,
      'unknown_node',
      /refers to "sales", which is not among the graph's nodes/,
    );
    expect(p.errors[0].path).toBe('/body/edges/0/to');
  });

  it('duplicates, a bad latent name, an unknown analysis id, graph and proposal together', async () => {
    refused(
      await put({ nodes: [{ id: 'promo' }, { id: 'promo' }], edges: [] }),
      400,
      'invalid_graph',
      /duplicate node "promo"/,
    );
    refused(
      await put({ nodes: [{ id: 'weather[city=x]', latent: true }], edges: [] }),
      400,
      'invalid_graph',
      /plain name/,
    );
    refused(
      await put({
        nodes: [{ id: 'promo' }, { id: 'sales' }],
        edges: [{ from: 'promo', to: 'sales', analysisId: '00000000-0000-4000-8000-000000000000' }],
      }),
      400,
      'invalid_argument',
      /analysis 00000000-0000-4000-8000-000000000000 does not exist/,
    );
    refused(
      await put({ ...cafeGraph, proposal: '00000000-0000-4000-8000-000000000000' }),
      400,
      'invalid_argument',
      /either a graph/,
    );
  });

  it('nothing was stored by any refused PUT', async () => {
    const versions = (
      await ctx.inject({ method: 'GET', url: '/v1/evidence/graph/versions', headers: a.auth })
    ).json();
    expect(versions.items.map((v: { version: number }) => v.version)).toEqual([1, 0]);
  });
});

describe('POST /v1/evidence/analyze refuses what it cannot answer', () => {
  it('unknown nodes: not a metric, not in the graph', async () => {
    const p = refused(
      await analyze({ kind: 'effect', treatment: 'nosuch > 0', outcome: 'sales' }),
      400,
      'unknown_node',
      /unknown metric "nosuch"/,
    );
    expect(p.errors[0].path).toBe('/body/treatment');
    refused(
      await analyze({ kind: 'effect', treatment: 'promo', outcome: 'footfall' }),
      400,
      'unknown_node',
      /"footfall" is not a node of graph version 1/,
    );
  });

  it('a cyclic graph sent with the question', async () => {
    const p = refused(
      await analyze({
        kind: 'effect',
        treatment: 'promo',
        outcome: 'sales',
        graph: {
          nodes: cafeGraph.nodes,
          edges: [...cafeGraph.edges, { from: 'sales', to: 'promo' }],
        },
      }),
      400,
      'cyclic_graph',
      /cycle/,
    );
    expect(p.errors[0].path).toBe('/body/graph/edges');
  });

  it('a treatment with no variation', async () => {
    refused(
      await analyze({ kind: 'effect', treatment: 'promo > 5', outcome: 'sales' }),
      422,
      'no_variation',
      /no variation: every row is untreated/,
    );
  });

  it('a treatment that is not 0/1 without a condition', async () => {
    refused(
      await analyze({
        kind: 'effect',
        treatment: 'visits',
        outcome: 'sales',
        adjustFor: ['weekday'],
      }),
      400,
      'not_binary',
      /treatment visits is [\d.]+ on 2025-03-03, not 0 or 1; give a condition such as "visits > 0"/,
    );
  });

  it('perfect separation in the propensity (a promotion run exactly on weekends, weekday adjusted)', async () => {
    refused(
      await analyze({
        kind: 'effect',
        treatment: 'weekend_promo',
        outcome: 'sales',
        adjustFor: ['weekday'],
      }),
      422,
      'perfect_separation',
      /separat/,
    );
  });

  it('too few rows, with the count', async () => {
    refused(
      await analyze({
        kind: 'effect',
        treatment: 'promo',
        outcome: 'sales',
        from: START,
        to: addDays(START, 10),
      }),
      422,
      'too_few_rows',
      /at least 14 days with data; only 10 of the 10 days/,
    );
  });

  it('missing values: refused with gaps "error"; dropped and counted by default', async () => {
    const gaps = data.days.filter((_, i) => i % GAP_EVERY === 2).length;
    refused(
      await analyze({
        kind: 'effect',
        treatment: 'promo',
        outcome: 'sales',
        adjustFor: ['gappy'],
        gaps: 'error',
      }),
      422,
      'missing_values',
      new RegExp(`gappy has no value on ${gaps} of ${N} days .*first ${addDays(START, 2)}`),
    );
    const ok = await analyze({
      kind: 'effect',
      treatment: 'promo',
      outcome: 'sales',
      adjustFor: ['gappy'],
    });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().data).toMatchObject({ days: N - gaps, droppedDays: gaps });
    expect(ok.json().data.nodes).toContainEqual(
      expect.objectContaining({ node: 'gappy', missing: gaps, zeroFilled: 0 }),
    );
  });

  it('missing values in a time series (intervention) are refused', async () => {
    refused(
      await analyze({ kind: 'intervention', series: 'gappy', eventDay: addDays(START, 50) }),
      422,
      'missing_values',
      /needs a value for every day, but gappy has none on \d+ day\(s\)/,
    );
  });

  it('an effect the graph cannot identify names the hidden confounder', async () => {
    refused(
      await analyze({
        kind: 'effect',
        treatment: 'promo',
        outcome: 'sales',
        graph: {
          nodes: [{ id: 'promo' }, { id: 'sales' }, { id: 'weather', latent: true }],
          edges: [
            { from: 'weather', to: 'promo' },
            { from: 'weather', to: 'sales' },
            { from: 'promo', to: 'sales' },
          ],
        },
      }),
      422,
      'not_identifiable',
      /weather/,
    );
  });

  it('a metric without data in the window', async () => {
    refused(
      await analyze({
        kind: 'effect',
        treatment: 'marketing_spend > 0',
        outcome: 'orders',
        graph: { nodes: [{ id: 'marketing_spend' }, { id: 'orders' }], edges: [] },
      }),
      422,
      'no_data',
      /has no data/,
    );
  });

  it('missing or malformed fields', async () => {
    refused(
      await analyze({ kind: 'effect', treatment: 'promo' }),
      400,
      'invalid_argument',
      /outcome is required/,
    );
    refused(
      await analyze({
        kind: 'why',
        metric: 'sales',
        periodA: { from: END, to: START },
        periodB: { from: START, to: END },
      }),
      400,
      'invalid_argument',
      /from must be before to/,
    );
    refused(
      await analyze({
        kind: 'why',
        metric: 'sales',
        periodA: { from: START, to: addDays(START, 7) },
        periodB: { from: addDays(START, 7), to: addDays(START, 14) },
        tree: {
          metric: 'sales',
          op: 'product',
          children: [{ metric: 'visits' }, { metric: 'ticket' }],
        },
      }),
      400,
      'invalid_argument',
      /not summed per day/,
    );
    refused(
      await analyze({
        kind: 'what_if',
        variable: 'promo',
        value: 0,
        outcome: 'sales',
        where: 'promo > 3',
      }),
      422,
      'too_few_rows',
      /no day with data matches/,
    );
    const unknownField = await analyze({
      kind: 'effect',
      treatment: 'promo',
      outcome: 'sales',
      bogus: 1,
    });
    expect(unknownField.statusCode).toBe(400);
    expect(unknownField.json().code).toBe('validation_failed');
    const discover = await post(ctx, a, '/v1/evidence/discover', {
      variables: ['weekday', 'sales'],
    });
    refused(discover, 400, 'invalid_argument', /calendar node/);
  });
});
