import { availableParallelism, loadavg } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext, type TestTenant } from '../../helpers/app.js';
import { randomLinearScm, simulateLinearScm } from '../../../src/engines/causal/index.js';
import { addDays, days, post, pushDaily, weekdayOf } from './helpers.js';

/**
 * Speed through the API: three years of daily data for 20 metrics (a random linear causal
 * model plus weekday effects, pushed with POST /v1/metrics:batch), every question kind
 * answered over all of it. Each `analyze` must take ≤ 2 s: the best of three runs, wall
 * time of the whole request (reading the series, the engine, storing the answer). This
 * machine is shared: when its load average is above twice its CPUs, wall time measures the
 * queue for a CPU, so the request's CPU time (≤ 2 s) is asserted instead and both logged.
 */
const N = 1096;
const START = '2023-01-02';
const END = addDays(START, N);
const name = (x: string) => `m${x.slice(1).padStart(2, '0')}`;

let ctx: TestContext;
let a: TestTenant;
const timings: Record<string, number[]> = {};
const cpu: Record<string, number[]> = {};

beforeAll(async () => {
  ctx = await createTestContext();
  a = await ctx.newTenant('Speed Shop');
  const spec = randomLinearScm(20, 3, 7);
  spec.binary = ['x6'];
  const sim = simulateLinearScm(spec, N, 11);
  const d = days(START, N);
  const series: Record<string, { days: string[]; values: number[] }> = {};
  for (const [x, col] of Object.entries(sim)) {
    const bump = x === 'x6' ? 0 : 3;
    series[name(x)] = {
      days: d,
      values: col.map((v, i) => Math.round((v + (weekdayOf(d[i]!) >= 5 ? bump : 0)) * 1e4) / 1e4),
    };
  }
  expect(await pushDaily(ctx, a, series)).toBe(20 * N);
  const graph = {
    nodes: [{ id: 'weekday' }, ...spec.graph.nodes.map((n) => ({ id: name(n.id) }))],
    edges: [
      ...spec.graph.edges.map((e) => ({ from: name(e.from), to: name(e.to) })),
      ...spec.graph.nodes
        .filter((n) => n.id !== 'x6')
        .map((n) => ({ from: 'weekday', to: name(n.id) })),
    ],
  };
  const put = await ctx.inject({
    method: 'PUT',
    url: '/v1/evidence/graph',
    headers: a.auth,
    payload: graph,
  });
  expect(put.statusCode, put.body).toBe(201);
});
afterAll(async () => {
  const rows = Object.entries(timings).map(
    ([k, ms]) =>
      `${k.padEnd(14)} wall ${ms.map((x) => `${Math.round(x)} ms`).join(', ')}; CPU of this process ${cpu[k]!.map((x) => `${Math.round(x)} ms`).join(', ')}`,
  );
  console.log(`evidence API speed, ${N} days × 20 metrics:\n${rows.join('\n')}`);
  await ctx?.close();
});

const overloaded = () => loadavg()[0]! > 2 * availableParallelism();

async function timed(label: string, url: string, body: unknown, runs = 3) {
  let res;
  timings[label] = [];
  cpu[label] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const c = process.cpuUsage();
    res = await post(ctx, a, url, body);
    timings[label].push(performance.now() - t);
    const used = process.cpuUsage(c);
    cpu[label].push((used.user + used.system) / 1000);
    expect(res.statusCode, res.body).toBe(201);
  }
  const wall = Math.min(...timings[label]);
  const best = overloaded() ? Math.min(...cpu[label]) : wall;
  if (overloaded()) console.log(`${label}: load ${loadavg()[0]!.toFixed(1)}, asserting CPU time`);
  return { body: res!.json(), best };
}

describe(`analyze on ${N} days × 20 metrics`, () => {
  it('effect ≤ 2 s', async () => {
    const { body, best } = await timed('effect', '/v1/evidence/analyze', {
      kind: 'effect',
      treatment: 'm06',
      outcome: 'm20',
      from: START,
      to: END,
    });
    expect(body.data.days).toBe(N);
    expect(best).toBeLessThanOrEqual(2000);
  });

  it('why ≤ 2 s', async () => {
    const { best } = await timed('why', '/v1/evidence/analyze', {
      kind: 'why',
      metric: 'm20',
      periodA: { from: addDays(END, -56), to: addDays(END, -28) },
      periodB: { from: addDays(END, -28), to: END },
    });
    expect(best).toBeLessThanOrEqual(2000);
  });

  it('what_if ≤ 2 s', async () => {
    const { body, best } = await timed('what_if', '/v1/evidence/analyze', {
      kind: 'what_if',
      variable: 'm06',
      value: 0,
      outcome: 'm20',
      where: 'm06 > 0',
      from: START,
      to: END,
    });
    expect(body.data.days).toBe(N);
    expect(best).toBeLessThanOrEqual(2000);
  });

  it('intervention ≤ 2 s', async () => {
    const { best } = await timed('intervention', '/v1/evidence/analyze', {
      kind: 'intervention',
      series: 'm20',
      eventDay: addDays(END, -60),
      controls: ['m01', 'm02'],
      from: START,
      to: END,
    });
    expect(best).toBeLessThanOrEqual(2000);
  });

  it('discover (PC over the 20 metrics) is measured', async () => {
    const { body } = await timed('discover', '/v1/evidence/discover', { from: START, to: END }, 1);
    expect(body.result.variables).toHaveLength(20);
  });
});
