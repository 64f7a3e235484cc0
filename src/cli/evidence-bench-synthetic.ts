import { createRng } from '../engines/shared/random.js';
import {
  analyze,
  analyzeIntervention,
  discoverLagged,
  discoverPc,
  estimateEffect,
  explainChange,
  randomLinearScm,
  simulateLinearScm,
  whatIf,
} from '../engines/causal/index.js';
import type { CausalGraph, Dataset, LinearScmSpec } from '../engines/causal/index.js';
import type { TargetCheck } from './evidence-bench-real.js';

/** A synthetic effect scenario with its known effect. */
interface Scenario {
  name: string;
  spec: LinearScmSpec;
  /** Graph handed to the estimator (nodes missing from the data are unobserved). */
  graph: CausalGraph;
  hidden: string[];
  truth: number;
}

const edge = (from: string, to: string): { from: string; to: string } => ({ from, to });
const graphOf = (nodes: string[], edges: Array<[string, string]>): CausalGraph => ({
  nodes: nodes.map((id) => ({ id })),
  edges: edges.map(([a, b]) => edge(a, b)),
});

function scenarios(): Scenario[] {
  const confounded = graphOf(
    ['z1', 'z2', 't', 'y'],
    [
      ['z1', 't'],
      ['z2', 't'],
      ['z1', 'y'],
      ['z2', 'y'],
      ['t', 'y'],
    ],
  );
  const mixed = graphOf(
    ['w', 'iv', 't', 'm', 'y', 'c'],
    [
      ['w', 't'],
      ['w', 'y'],
      ['iv', 't'],
      ['t', 'm'],
      ['m', 'y'],
      ['t', 'y'],
      ['t', 'c'],
      ['y', 'c'],
    ],
  );
  const frontdoor = graphOf(
    ['u', 't', 'm', 'y'],
    [
      ['u', 't'],
      ['u', 'y'],
      ['t', 'm'],
      ['m', 'y'],
    ],
  );
  return [
    {
      name: 'two confounders',
      spec: {
        graph: confounded,
        weights: { 'z1→t': 0.8, 'z2→t': -0.6, 'z1→y': 2, 'z2→y': 1.5, 't→y': 3 },
        binary: ['t'],
      },
      graph: confounded,
      hidden: [],
      truth: 3,
    },
    {
      name: 'confounder + instrument + mediator + collider',
      spec: {
        graph: mixed,
        weights: {
          'w→t': 1,
          'w→y': 2,
          'iv→t': 1,
          't→m': 1,
          'm→y': 1.5,
          't→y': 1.5,
          't→c': 1,
          'y→c': 1,
        },
        binary: ['t'],
      },
      graph: mixed,
      hidden: [],
      truth: 3,
    },
    {
      name: 'hidden confounder, frontdoor mediator',
      spec: {
        graph: frontdoor,
        weights: { 'u→t': 1.5, 'u→y': 2, 't→m': 2, 'm→y': 1.5 },
        binary: ['t'],
      },
      graph: frontdoor,
      hidden: ['u'],
      truth: 3,
    },
  ];
}

/** Result row of the synthetic effect benchmark. */
export interface SyntheticRow {
  scenario: string;
  n: number;
  method: string;
  adjustment: string;
  estimate: number;
  truth: number;
  relativeError: number;
  interval: [number, number];
  naive: number;
  refutations: string;
  ms: number;
}

/**
 * Synthetic linear SCMs with known effects (n = 1k, 10k, 100k), the naive difference as
 * baseline, refuters on the true effects, and planted fake effects that must fail them.
 * @internal
 */
export function benchSyntheticEffects(sizes: number[]): {
  rows: SyntheticRow[];
  fakes: Array<{ name: string; estimate: number; refutations: string; failed: string[] }>;
  checks: TargetCheck[];
} {
  const rows: SyntheticRow[] = [];
  const checks: TargetCheck[] = [];
  scenarios().forEach((sc, k) => {
    for (const n of sizes) {
      const full = simulateLinearScm(sc.spec, n, 1000 * (k + 1) + n);
      const data: Dataset = Object.fromEntries(
        Object.entries(full).filter(([c]) => !sc.hidden.includes(c)),
      );
      const t0 = performance.now();
      const r = estimateEffect(data, {
        treatment: 't',
        outcome: 'y',
        graph: sc.graph,
        estimand: 'ate',
        method: 'auto',
      });
      const naive = estimateEffect(data, {
        treatment: 't',
        outcome: 'y',
        method: 'difference',
        refute: false,
      });
      const rel = Math.abs(r.estimate - sc.truth) / sc.truth;
      const passed = r.refutations.filter((x) => x.passed).length;
      rows.push({
        scenario: sc.name,
        n,
        method: r.methodUsed,
        adjustment:
          r.methodUsed === 'frontdoor' ? 'frontdoor via m' : `{${r.adjustmentSet.join(', ')}}`,
        estimate: r.estimate,
        truth: sc.truth,
        relativeError: rel,
        interval: r.interval,
        naive: naive.estimate,
        refutations: `${passed}/${r.refutations.length}`,
        ms: performance.now() - t0,
      });
      checks.push({
        name: `synthetic "${sc.name}", n=${n}: within 5 %`,
        value: rel,
        target: 'relative error ≤ 0.05',
        passed: rel <= 0.05,
      });
      checks.push({
        name: `synthetic "${sc.name}", n=${n}: refuters pass`,
        value: passed,
        target: `${r.refutations.length} of ${r.refutations.length}`,
        passed: passed === r.refutations.length,
      });
    }
  });
  const fakes = plantedFakes();
  for (const f of fakes)
    checks.push({
      name: `planted fake "${f.name}": refuters fail`,
      value: f.failed.length,
      target: '≥ 1 refuter fails',
      passed: f.failed.length > 0,
    });
  return { rows, fakes, checks };
}

/** Effects that are not there: chance in a small sample, and a few extreme rows. */
function plantedFakes(): Array<{
  name: string;
  estimate: number;
  refutations: string;
  failed: string[];
}> {
  const rng = createRng(99);
  const out: Array<{ name: string; estimate: number; refutations: string; failed: string[] }> = [];
  const make = (name: string, n: number, outliers: number): void => {
    const z = Array.from({ length: n }, () => rng.normal());
    const t = z.map((v) => (rng.uniform() < 1 / (1 + Math.exp(-v)) ? 1 : 0));
    const y = z.map((v) => v + 3 * rng.normal());
    let planted = 0;
    for (let i = 0; i < n && planted < outliers; i++) {
      if (t[i] === 1) {
        y[i] = (y[i] as number) + 150;
        planted++;
      }
    }
    const r = estimateEffect(
      { t, y, z },
      { treatment: 't', outcome: 'y', covariates: ['z'], method: 'auto' },
    );
    out.push({
      name,
      estimate: r.estimate,
      refutations: `${r.refutations.filter((x) => x.passed).length}/${r.refutations.length}`,
      failed: r.refutations.filter((x) => !x.passed).map((x) => x.name),
    });
  };
  make('no effect, n = 300 (chance)', 300, 0);
  make('no effect, 3 extreme treated rows', 1000, 3);
  return out;
}

/** Skeleton precision/recall of PC and of a marginal-correlation baseline on random DAGs. */
export function benchDiscovery(graphs: number): {
  rows: Array<Record<string, number>>;
  precision: number;
  recall: number;
  orientation: number;
  baseline: { precision: number; recall: number };
  lagged: { precision: number; recall: number };
  checks: TargetCheck[];
} {
  const rows: Array<Record<string, number>> = [];
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let btp = 0;
  let bfp = 0;
  let orientedRight = 0;
  let oriented = 0;
  for (let s = 1; s <= graphs; s++) {
    const p = 10 + ((s - 1) % 3) * 5;
    const spec = randomLinearScm(p, 2, s);
    const data = simulateLinearScm(spec, 5000, 500 + s);
    const t0 = performance.now();
    const r = discoverPc(data, { alpha: 0.01, bootstrap: 0 });
    const ms = performance.now() - t0;
    const truth = new Set(spec.graph.edges.map((e) => [e.from, e.to].sort().join('|')));
    const found = r.edges.map((e) => [e.from, e.to].sort().join('|'));
    const hit = found.filter((k) => truth.has(k)).length;
    tp += hit;
    fp += found.length - hit;
    fn += truth.size - hit;
    for (const e of r.edges.filter((x) => x.directed)) {
      if (!truth.has([e.from, e.to].sort().join('|'))) continue;
      oriented++;
      if (spec.graph.edges.some((g) => g.from === e.from && g.to === e.to)) orientedRight++;
    }
    // Baseline: every pair with a significant marginal correlation.
    const names = Object.keys(data);
    let bhit = 0;
    let bfound = 0;
    for (let a = 0; a < names.length; a++) {
      for (let b = a + 1; b < names.length; b++) {
        const rr = corr(data[names[a] as string] as number[], data[names[b] as string] as number[]);
        if (Math.abs(Math.atanh(rr)) * Math.sqrt(5000 - 3) > 2.576) {
          bfound++;
          if (truth.has([names[a], names[b]].sort().join('|'))) bhit++;
        }
      }
    }
    btp += bhit;
    bfp += bfound - bhit;
    rows.push({ nodes: p, true_edges: truth.size, found: found.length, correct: hit, ms });
  }
  const precision = tp / Math.max(1, tp + fp);
  const recall = tp / Math.max(1, tp + fn);
  const lagged = benchLagged();
  return {
    rows,
    precision,
    recall,
    orientation: orientedRight / Math.max(1, oriented),
    baseline: { precision: btp / Math.max(1, btp + bfp), recall: btp / Math.max(1, tp + fn) },
    lagged,
    checks: [
      {
        name: 'PC skeleton precision (10–20 nodes, n = 5k)',
        value: precision,
        target: '≥ 0.9',
        passed: precision >= 0.9,
      },
      {
        name: 'PC skeleton recall (10–20 nodes, n = 5k)',
        value: recall,
        target: '≥ 0.8',
        passed: recall >= 0.8,
      },
    ],
  };
}

/** Lagged discovery on a simulated VAR(2) of 8 daily series (3 years). */
function benchLagged(): { precision: number; recall: number } {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let s = 1; s <= 5; s++) {
    const rng = createRng(70 + s);
    const N = 8;
    const T = 1100;
    const links: Array<{ from: number; to: number; lag: number; w: number }> = [];
    for (let j = 0; j < N; j++) {
      links.push({ from: j, to: j, lag: 1, w: 0.4 });
      if (rng.uniform() < 0.6) {
        let i = rng.int(N);
        if (i === j) i = (i + 1) % N;
        links.push({
          from: i,
          to: j,
          lag: 1 + rng.int(2),
          w: (rng.uniform() < 0.5 ? -1 : 1) * (0.3 + 0.2 * rng.uniform()),
        });
      }
    }
    const x = Array.from({ length: N }, () => new Array<number>(T).fill(0));
    for (let t = 2; t < T; t++) {
      for (let j = 0; j < N; j++) {
        let v = rng.normal();
        for (const l of links)
          if (l.to === j) v += l.w * ((x[l.from] as number[])[t - l.lag] as number);
        (x[j] as number[])[t] = v;
      }
    }
    const data = Object.fromEntries(x.map((col, i) => [`s${i}`, col]));
    const r = discoverLagged(data, { maxLag: 3 });
    const truth = new Set(links.filter((l) => l.from !== l.to).map((l) => `s${l.from}>s${l.to}`));
    const found = new Set(r.graph.edges.map((e) => `${e.from}>${e.to}`));
    for (const f of found) {
      if (truth.has(f)) tp++;
      else fp++;
    }
    for (const t of truth) if (!found.has(t)) fn++;
  }
  return { precision: tp / Math.max(1, tp + fp), recall: tp / Math.max(1, tp + fn) };
}

function corr(a: number[], b: number[]): number {
  const n = a.length;
  const ma = a.reduce((s, v) => s + v, 0) / n;
  const mb = b.reduce((s, v) => s + v, 0) / n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = (a[i] as number) - ma;
    const db = (b[i] as number) - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return sab / Math.sqrt(saa * sbb);
}

/** A daily business with 20 metrics over 3 years and a planted campaign effect. */
export function dailyBusiness(
  days: number,
  seed: number,
  campaignStart: number,
  campaignEffect: number,
): { data: Dataset; graph: CausalGraph } {
  const rng = createRng(seed);
  const data: Dataset = {};
  const col = (name: string, f: (t: number) => number): void => {
    data[name] = Array.from({ length: days }, (_, t) => f(t));
  };
  col('day', (t) => t);
  col('weekday', (t) => (t % 7 < 5 ? 1 : 0));
  col('temperature', (t) => 15 + 10 * Math.sin((2 * Math.PI * t) / 365) + 2 * rng.normal());
  col('campaign', (t) => (t >= campaignStart && t < campaignStart + 60 ? 1 : 0));
  col('price', (t) => 20 + 0.002 * t + 0.5 * rng.normal());
  col('ad_spend', (t) => 100 + 50 * (data.campaign?.[t] as number) + 10 * rng.normal());
  col(
    'visitors',
    (t) =>
      400 +
      0.1 * t +
      60 * (data.weekday?.[t] as number) +
      2 * (data.temperature?.[t] as number) +
      0.8 * (data.ad_spend?.[t] as number) +
      20 * rng.normal(),
  );
  col(
    'conversion',
    (t) => 0.05 - 0.001 * ((data.price?.[t] as number) - 20) + 0.003 * rng.normal(),
  );
  col(
    'orders',
    (t) =>
      (data.visitors?.[t] as number) * (data.conversion?.[t] as number) +
      campaignEffect * (data.campaign?.[t] as number) +
      2 * rng.normal(),
  );
  col('aov', (t) => 30 + 0.5 * ((data.price?.[t] as number) - 20) + rng.normal());
  col('revenue', (t) => (data.orders?.[t] as number) * (data.aov?.[t] as number));
  for (let k = 0; k < 9; k++)
    col(
      `metric_${k}`,
      (t) => 50 + 0.5 * (data.visitors?.[t] as number) * 0.01 * k + 5 * rng.normal(),
    );
  col('email', (t) =>
    rng.uniform() < 1 / (1 + Math.exp(-(0.5 * (data.weekday?.[t] as number) - 0.5))) ? 1 : 0,
  );
  const graph: CausalGraph = {
    nodes: Object.keys(data).map((id) => ({ id })),
    edges: [
      edge('campaign', 'ad_spend'),
      edge('ad_spend', 'visitors'),
      edge('weekday', 'visitors'),
      edge('temperature', 'visitors'),
      edge('price', 'conversion'),
      edge('visitors', 'orders'),
      edge('conversion', 'orders'),
      edge('campaign', 'orders'),
      edge('price', 'aov'),
      edge('orders', 'revenue'),
      edge('aov', 'revenue'),
      ...Array.from({ length: 8 }, (_, k) => edge('visitors', `metric_${k}`)),
      edge('day', 'visitors'),
      edge('weekday', 'email'),
    ],
  };
  return { data, graph };
}

/**
 * Counterfactual, intervention and why-changed checks on the daily business, and the
 * speed of `analyze` for each question kind on 3 years × 20 metrics.
 * @internal
 */
export function benchBusiness(): {
  speed: Array<{ kind: string; ms: number; cpuMs: number }>;
  results: Record<string, number | string>;
  checks: TargetCheck[];
} {
  const days = 1096;
  const start = 900;
  const effect = 15;
  const { data, graph } = dailyBusiness(days, 3, start, effect);
  const { data: noCampaign } = dailyBusiness(days, 3, days + 1, 0);
  const campaignDays = Array.from({ length: 60 }, (_, i) => start + i);
  const sum = (col: number[], idx: number[]): number =>
    idx.reduce((s, i) => s + (col[i] as number), 0);
  const trueOrdersLift =
    sum(data.orders as number[], campaignDays) - sum(noCampaign.orders as number[], campaignDays);
  const checks: TargetCheck[] = [];
  const results: Record<string, number | string> = {};
  // What-if: orders had the campaign not run (linear SCM on the graph).
  const wi = whatIf(data, graph, {
    variable: 'campaign',
    value: 0,
    outcome: 'orders',
    rows: campaignDays,
  });
  results.what_if_orders_difference = wi.difference;
  results.what_if_interval = `[${wi.interval[0].toFixed(0)}, ${wi.interval[1].toFixed(0)}]`;
  results.what_if_truth = -trueOrdersLift;
  checks.push({
    name: 'what-if: orders without the campaign, truth inside interval',
    value: wi.difference,
    target: `interval covers ${(-trueOrdersLift).toFixed(0)}`,
    passed: wi.interval[0] <= -trueOrdersLift && -trueOrdersLift <= wi.interval[1],
  });
  // Interrupted time series on orders with visitors-free controls.
  const its = analyzeIntervention((data.orders as number[]).slice(0, start + 60), start, {
    controls: { temperature: (data.temperature as number[]).slice(0, start + 60) },
  });
  results.its_effect_total = its.effectTotal;
  results.its_interval = `[${its.interval[0].toFixed(0)}, ${its.interval[1].toFixed(0)}]`;
  results.its_truth = trueOrdersLift;
  checks.push({
    name: 'intervention: planted campaign lift inside interval',
    value: its.effectTotal,
    target: `interval covers ${trueOrdersLift.toFixed(0)}`,
    passed: its.interval[0] <= trueOrdersLift && trueOrdersLift <= its.interval[1],
  });
  // Why did revenue change: campaign period vs the 60 days before.
  const why = explainChange(data, {
    metric: 'revenue',
    periodA: [start - 60, start],
    periodB: [start, start + 60],
    tree: {
      metric: 'revenue',
      op: 'product',
      children: [
        {
          metric: 'orders',
          op: 'product',
          children: [{ metric: 'visitors' }, { metric: 'conversion' }],
        },
        { metric: 'aov' },
      ],
    },
    graph,
  });
  const treeSum = why.treeDrivers.reduce((s, d) => s + d.amount, 0);
  results.why_change = why.change;
  results.why_top_tree_driver = why.treeDrivers[0]?.driver ?? '';
  results.why_top_root_cause = why.rootCauses[0]?.driver ?? '';
  checks.push({
    name: 'why: tree drivers add up to the change',
    value: Math.abs(treeSum - why.change),
    target: '< 1e-6 × |change|',
    passed: Math.abs(treeSum - why.change) <= 1e-6 * Math.abs(why.change),
  });
  const speed: Array<{ kind: string; ms: number; cpuMs: number }> = [];
  const time = (kind: string, fn: () => unknown): void => {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    fn();
    const cpu = process.cpuUsage(c0);
    speed.push({ kind, ms: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000 });
  };
  time('effect (campaign → orders, graph, AIPW + 4 refuters)', () =>
    analyze(
      { kind: 'effect', treatment: 'campaign', outcome: 'orders', estimand: 'att' },
      data,
      graph,
    ),
  );
  time('effect (email → revenue, no graph: all 19 other columns)', () =>
    analyze({ kind: 'effect', treatment: 'email', outcome: 'revenue' }, data),
  );
  time('why (tree + graph)', () =>
    analyze(
      {
        kind: 'why',
        metric: 'revenue',
        periodA: [start - 60, start],
        periodB: [start, start + 60],
      },
      data,
      graph,
    ),
  );
  time('what_if (200 bootstrap refits)', () =>
    analyze(
      { kind: 'what_if', variable: 'campaign', value: 0, outcome: 'orders', rows: campaignDays },
      data,
      graph,
    ),
  );
  time('intervention', () =>
    analyze(
      { kind: 'intervention', series: 'orders', eventIndex: start, endIndex: start + 60 },
      data,
    ),
  );
  time('discover (PC, 20 metrics, 20 bootstraps)', () => analyze({ kind: 'discover' }, data));
  time('discover (lagged, 20 metrics, 7 lags)', () =>
    analyze({ kind: 'discover', lagged: true }, data),
  );
  for (const s of speed)
    checks.push({
      name: `speed: analyze ${s.kind}`,
      value: s.ms,
      target: '≤ 2000 ms',
      passed: s.ms <= 2000,
    });
  return { speed, results, checks };
}
