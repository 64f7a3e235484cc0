import type { TestContext, TestTenant } from '../../helpers/app.js';
import { createRng } from '../../../src/engines/shared/random.js';

const DAY_MS = 86_400_000;

export const addDays = (day: string, n: number): string =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

/** 0 = Monday … 6 = Sunday. */
export const weekdayOf = (day: string): number =>
  (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;

export function days(from: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => addDays(from, i));
}

/** Pushes daily values of metrics through POST /v1/metrics:batch (one point per day at noon). */
export async function pushDaily(
  ctx: TestContext,
  t: TestTenant,
  series: Record<string, { days: string[]; values: (number | null)[] }>,
): Promise<number> {
  const points = Object.entries(series).flatMap(([metric, s]) =>
    s.days.flatMap((d, i) =>
      s.values[i] === null ? [] : [{ metric, time: `${d}T12:00:00`, value: s.values[i] }],
    ),
  );
  for (let i = 0; i < points.length; i += 10_000) {
    const res = await ctx.inject({
      method: 'POST',
      url: '/v1/metrics:batch',
      headers: t.auth,
      payload: { points: points.slice(i, i + 10_000) },
    });
    if (res.statusCode !== 200) throw new Error(`batch failed: ${res.statusCode} ${res.body}`);
  }
  return points.length;
}

/**
 * A café's synthetic week-driven numbers with known effects (seeded):
 * promo (0/1, more likely on weekends) → visits (+40) → sales (×0.3: +12 per promo day);
 * weekends add 60 visits; `footfall` jumps by 30 from day `shiftAt`.
 */
export function synthetic(start: string, n: number, seed = 42, shiftAt = 150) {
  const rng = createRng(seed);
  const d = days(start, n);
  const promo: number[] = [];
  const visits: number[] = [];
  const sales: number[] = [];
  const footfall: number[] = [];
  d.forEach((day, i) => {
    const weekend = weekdayOf(day) >= 5 ? 1 : 0;
    const p = rng.uniform() < (weekend ? 0.6 : 0.2) ? 1 : 0;
    const v = 200 + 60 * weekend + 40 * p + 10 * rng.normal();
    promo.push(p);
    visits.push(Math.round(v * 100) / 100);
    sales.push(Math.round((0.3 * v + 3 * rng.normal()) * 100) / 100);
    footfall.push(
      Math.round((100 + 20 * weekend + 5 * rng.normal() + (i >= shiftAt ? 30 : 0)) * 100) / 100,
    );
  });
  return { days: d, promo, visits, sales, footfall };
}

/** The synthetic café's four series, ready for `pushDaily`. */
export function cafeSeries(data: ReturnType<typeof synthetic>) {
  const d = data.days;
  return {
    promo: { days: d, values: data.promo },
    visits: { days: d, values: data.visits },
    sales: { days: d, values: data.sales },
    footfall: { days: d, values: data.footfall },
  };
}

/** The café's graph: weekday drives promotions and visits; promo → visits → sales. */
export const cafeGraph = {
  nodes: [
    { id: 'weekday', kind: 'context' },
    { id: 'promo', kind: 'action' },
    { id: 'visits', kind: 'metric' },
    { id: 'sales', kind: 'metric' },
  ],
  edges: [
    { from: 'weekday', to: 'promo' },
    { from: 'weekday', to: 'visits' },
    { from: 'promo', to: 'visits' },
    { from: 'visits', to: 'sales' },
  ],
};

export const post = (ctx: TestContext, t: TestTenant, url: string, payload: unknown) =>
  ctx.inject({ method: 'POST', url, headers: t.auth, payload: payload as object });

/** Stores a graph with PUT /v1/evidence/graph and returns the new version. */
export async function putGraph(ctx: TestContext, t: TestTenant, graph: unknown): Promise<number> {
  const res = await ctx.inject({
    method: 'PUT',
    url: '/v1/evidence/graph',
    headers: t.auth,
    payload: graph as object,
  });
  if (res.statusCode !== 201) throw new Error(`PUT graph failed: ${res.statusCode} ${res.body}`);
  return res.json().version as number;
}
