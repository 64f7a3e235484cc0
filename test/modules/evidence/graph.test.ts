import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext, type TestTenant } from '../../helpers/app.js';
import { addDays, cafeGraph, cafeSeries, post, pushDaily, synthetic } from './helpers.js';

/**
 * The graph store: the template until the business stores a graph, immutable numbered
 * versions, canonical ids, edge evidence, optimistic concurrency, accepting a discovery
 * proposal — and none of it visible to or usable by another business.
 */
const START = '2025-01-06';
const N = 120;
const data = synthetic(START, N, 9);
const END = addDays(START, N);

let ctx: TestContext;
let a: TestTenant;
let b: TestTenant;

beforeAll(async () => {
  ctx = await createTestContext();
  a = await ctx.newTenant('Graph Café');
  b = await ctx.newTenant('Other Café');
  const { promo, visits, sales } = cafeSeries(data);
  await pushDaily(ctx, a, { promo, visits, sales });
});
afterAll(async () => {
  await ctx?.close();
});

const get = (t: TestTenant, url: string) => ctx.inject({ method: 'GET', url, headers: t.auth });
const put = (t: TestTenant, payload: unknown) =>
  ctx.inject({
    method: 'PUT',
    url: '/v1/evidence/graph',
    headers: t.auth,
    payload: payload as object,
  });

describe('graph versions', () => {
  it('serves the café template as version 0 until a graph is stored', async () => {
    const g = (await get(a, '/v1/evidence/graph')).json();
    expect(g).toMatchObject({ version: 0, source: 'template', createdAt: null, proposalId: null });
    const ids = g.nodes.map((n: { id: string }) => n.id);
    for (const id of [
      'weekday',
      'season',
      'trend',
      'holiday',
      'marketing_spend',
      'orders',
      'revenue',
    ])
      expect(ids).toContain(id);
    expect(g.nodes.find((n: { id: string }) => n.id === 'price')).toMatchObject({ latent: true });
    expect(g.edges).toContainEqual({
      from: 'marketing_spend',
      to: 'orders',
      provenance: 'template',
    });
    expect(g.edges).toContainEqual({
      from: 'weekday',
      to: 'marketing_spend',
      provenance: 'template',
    });
    expect(g.edges.every((e: { provenance: string }) => e.provenance === 'template')).toBe(true);
    expect((await get(a, '/v1/evidence/graph?version=0')).json()).toEqual(g);
    const list = (await get(a, '/v1/evidence/graph/versions')).json();
    expect(list.items).toEqual([
      expect.objectContaining({ version: 0, source: 'template', nodeCount: g.nodes.length }),
    ]);
  });

  it('stores numbered versions, canonical and with edge evidence; earlier ones stay readable', async () => {
    const first = await put(a, {
      note: 'first try',
      nodes: [
        { id: 'weekday', kind: 'context' },
        { id: 'promo', kind: 'action', label: 'Promotion' },
        { id: 'sales' },
        { id: 'revenue[location=main,channel=store]' },
        { id: 'weather', latent: true },
      ],
      edges: [
        { from: 'weekday', to: 'promo' },
        { from: 'promo', to: 'sales', confidence: 0.7, note: 'owner says so' },
        { from: 'weather', to: 'sales', provenance: 'template' },
        { from: 'sales', to: 'revenue[channel=store, location=main]' },
      ],
    });
    expect(first.statusCode, first.body).toBe(201);
    const v1 = first.json();
    expect(v1).toMatchObject({
      version: 1,
      source: 'owner',
      note: 'first try',
      createdBy: a.userId,
    });
    expect(v1.nodes.map((n: { id: string }) => n.id)).toEqual([
      'weekday',
      'promo',
      'sales',
      'revenue[channel=store,location=main]',
      'weather',
    ]);
    expect(v1.nodes[1]).toEqual({ id: 'promo', kind: 'action', label: 'Promotion' });
    expect(v1.edges).toEqual([
      { from: 'weekday', to: 'promo', provenance: 'assumed' },
      { from: 'promo', to: 'sales', provenance: 'assumed', confidence: 0.7, note: 'owner says so' },
      { from: 'weather', to: 'sales', provenance: 'template' },
      { from: 'sales', to: 'revenue[channel=store,location=main]', provenance: 'assumed' },
    ]);

    const second = await put(a, { ...cafeGraph, baseVersion: 1 });
    expect(second.statusCode, second.body).toBe(201);
    expect(second.json().version).toBe(2);
    const stale = await put(a, { ...cafeGraph, baseVersion: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().detail).toMatch(/version 2, not 1/);

    expect((await get(a, '/v1/evidence/graph')).json().version).toBe(2);
    expect((await get(a, '/v1/evidence/graph?version=1')).json()).toEqual(v1);
    const list = (await get(a, '/v1/evidence/graph/versions')).json();
    expect(
      list.items.map((i: { version: number; nodeCount: number; edgeCount: number }) => [
        i.version,
        i.nodeCount,
        i.edgeCount,
      ]),
    ).toEqual([
      [2, 4, 4],
      [1, 5, 4],
      [0, list.items[2].nodeCount, list.items[2].edgeCount],
    ]);
    expect((await get(a, '/v1/evidence/graph?version=7')).statusCode).toBe(404);
  });

  it('analyses record the version they used; a proposal made on an older version is refused', async () => {
    const effect = await post(ctx, a, '/v1/evidence/analyze', {
      kind: 'effect',
      treatment: 'promo',
      outcome: 'sales',
      from: START,
      to: END,
    });
    expect(effect.statusCode, effect.body).toBe(201);
    expect(effect.json().graphVersion).toBe(2);
    const discover = await post(ctx, a, '/v1/evidence/discover', { from: START, to: END });
    expect(discover.statusCode, discover.body).toBe(201);
    expect(discover.json().graphVersion).toBe(2);
    expect((await put(a, { ...cafeGraph, note: 'v3' })).json().version).toBe(3);
    const late = await put(a, { proposal: discover.json().id });
    expect(late.statusCode).toBe(409);
    expect(late.json().detail).toMatch(
      /made on graph version 2, but the graph is now at version 3/,
    );
    // An edge may cite an analysis of this business as its evidence.
    const cited = await put(a, {
      nodes: cafeGraph.nodes,
      edges: cafeGraph.edges.map((e) =>
        e.from === 'promo' ? { ...e, analysisId: effect.json().id, confidence: 0.95 } : e,
      ),
    });
    expect(cited.statusCode, cited.body).toBe(201);
    expect(cited.json().edges).toContainEqual({
      from: 'promo',
      to: 'visits',
      provenance: 'assumed',
      confidence: 0.95,
      analysisId: effect.json().id,
    });
  });

  it('a price series makes the template’s price node observed', async () => {
    await pushDaily(ctx, b, { price: { days: data.days.slice(0, 3), values: [4, 4, 4.2] } });
    const g = (await get(b, '/v1/evidence/graph')).json();
    expect(g.nodes.find((n: { id: string }) => n.id === 'price')).toEqual({
      id: 'price',
      kind: 'action',
      label: 'Prices',
    });
  });

  it('a read-only token cannot change the graph', async () => {
    const token = (
      await post(ctx, a, '/v1/api-tokens', { name: 'reader', scopes: ['read'] })
    ).json().token as string;
    const res = await ctx.inject({
      method: 'PUT',
      url: '/v1/evidence/graph',
      headers: { authorization: `Bearer ${token}` },
      payload: cafeGraph,
    });
    expect(res.statusCode).toBe(403);
    const read = await ctx.inject({
      method: 'GET',
      url: '/v1/evidence/graph',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(read.json().version).toBe(4);
  });
});

describe('another business (row-level security)', () => {
  it('sees only its own graph and analyses, and cannot use A’s ids or metrics', async () => {
    const aAnalyses = (await get(a, '/v1/evidence/analyses')).json().items;
    expect(aAnalyses.length).toBe(2);
    const discoverId = aAnalyses.find((x: { kind: string }) => x.kind === 'discover').id;
    const g = (await get(b, '/v1/evidence/graph')).json();
    expect(g.version).toBe(0);
    expect(JSON.stringify(g)).not.toMatch(/promo|visits|weather/);
    expect((await get(b, '/v1/evidence/graph/versions')).json().items).toHaveLength(1);
    expect((await get(b, '/v1/evidence/graph?version=1')).statusCode).toBe(404);
    expect((await get(b, '/v1/evidence/analyses')).json().items).toEqual([]);
    for (const x of aAnalyses)
      expect((await get(b, `/v1/evidence/analyses/${x.id}`)).statusCode).toBe(404);
    expect((await put(b, { proposal: discoverId })).statusCode).toBe(404);
    const cite = await put(b, {
      nodes: [{ id: 'orders' }, { id: 'revenue' }],
      edges: [{ from: 'orders', to: 'revenue', analysisId: aAnalyses[0].id }],
    });
    expect(cite.statusCode).toBe(400);
    expect(cite.json().detail).toMatch(/does not exist/);
    const usesA = await post(ctx, b, '/v1/evidence/analyze', {
      kind: 'effect',
      treatment: 'promo',
      outcome: 'sales',
      graph: cafeGraph,
    });
    expect(usesA.statusCode).toBe(400);
    expect(usesA.json()).toMatchObject({ reason: 'unknown_node' });
  });
});
