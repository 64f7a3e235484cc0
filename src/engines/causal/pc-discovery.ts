import { createRng } from '../shared/random.js';
import { requireColumns, requireRows } from './dataset.js';
import { CausalInputError } from './errors.js';
import { correlationMatrix, fisherZPValue, partialCorrelation } from './partial-correlation.js';
import type { CausalGraph, Dataset } from './types.js';

/** Options of the PC algorithm. */
export interface PcOptions {
  /** Columns to use (default: all). */
  variables?: string[];
  /** Significance level of the Fisher z tests (default 0.01). */
  alpha?: number;
  /** Largest conditioning set tried (default 4). */
  maxConditioningSize?: number;
  /** Bootstrap runs for per-edge confidence (default 20; 0 = confidence from p-values). */
  bootstrap?: number;
  seed?: number;
}

/** One candidate edge for the owner to accept or reject. */
export interface CandidateEdge {
  from: string;
  to: string;
  /** False when the data cannot tell the direction (the owner should choose). */
  directed: boolean;
  /** Share of bootstrap runs that found the edge (or 1 − largest p-value without bootstrap). */
  confidence: number;
  /** Share of bootstrap runs that oriented it this way (1 without bootstrap when directed). */
  orientationConfidence: number;
  /** Largest p-value of the independence tests the edge survived. */
  pValue: number;
}

/** A learned candidate graph. */
export interface DiscoveryResult {
  edges: CandidateEdge[];
  /** The directed edges as a JSON graph (provenance 'learned'); undirected ones are left out. */
  graph: CausalGraph;
  tests: number;
  summary: string;
}

/**
 * PC algorithm (order-independent "PC-stable" skeleton, v-structures, Meek rules 1–3)
 * with Fisher z partial-correlation tests, for cross-sectional, roughly linear-Gaussian
 * data. Per-edge confidence comes from a seeded bootstrap.
 *
 * @example
 * const r = discoverPc(data, { alpha: 0.01 });
 * r.edges; // [{ from: 'ads', to: 'visits', directed: true, confidence: 0.95, … }]
 */
export function discoverPc(data: Dataset, options: PcOptions = {}): DiscoveryResult {
  const names = options.variables ?? Object.keys(data);
  if (names.length < 2)
    throw new CausalInputError('invalid_argument', 'discovery needs at least two variables');
  const n = requireColumns(data, names);
  requireRows(n, names.length, 'causal discovery', 30);
  for (const name of names) {
    const col = data[name] as number[];
    if (col.every((v) => v === col[0]))
      throw new CausalInputError(
        'no_variation',
        `column "${name}" is constant: it cannot be tested for dependence`,
        { field: name },
      );
  }
  const alpha = options.alpha ?? 0.01;
  const depth = options.maxConditioningSize ?? 4;
  const columns = names.map((c) => data[c] as number[]);
  const main = pcOnCorrelation(correlationMatrix(columns), n, alpha, depth);
  const runs = options.bootstrap ?? 20;
  const rng = createRng(options.seed ?? 7);
  const found = new Map<string, number>();
  const oriented = new Map<string, number>();
  for (let b = 0; b < runs; b++) {
    const idx = Array.from({ length: n }, () => rng.int(n));
    const boot = pcOnCorrelation(
      correlationMatrix(columns.map((c) => idx.map((i) => c[i] as number))),
      n,
      alpha,
      depth,
    );
    for (const key of boot.skeleton) found.set(key, (found.get(key) ?? 0) + 1);
    for (const key of boot.arrows) oriented.set(key, (oriented.get(key) ?? 0) + 1);
  }
  const edges: CandidateEdge[] = [];
  for (const key of main.skeleton) {
    const [a, b] = key.split('|').map(Number) as [number, number];
    const ab = main.arrows.has(`${a}>${b}`);
    const ba = main.arrows.has(`${b}>${a}`);
    const directed = ab !== ba;
    const [from, to] = ba && !ab ? [b, a] : [a, b];
    const maxP = main.maxP.get(key) ?? 0;
    edges.push({
      from: names[from] as string,
      to: names[to] as string,
      directed,
      confidence: runs > 0 ? (found.get(key) ?? 0) / runs : 1 - maxP,
      orientationConfidence:
        runs > 0 ? (oriented.get(`${from}>${to}`) ?? 0) / runs : directed ? 1 : 0,
      pValue: maxP,
    });
  }
  edges.sort((x, y) => y.confidence - x.confidence);
  const directedEdges = edges.filter((e) => e.directed);
  return {
    edges,
    graph: {
      nodes: names.map((id) => ({ id })),
      edges: directedEdges.map((e) => ({
        from: e.from,
        to: e.to,
        provenance: 'learned' as const,
        confidence: e.confidence,
      })),
    },
    tests: main.tests,
    summary: `found ${edges.length} candidate link(s) among ${names.length} variables (${directedEdges.length} with a direction the data supports, ${edges.length - directedEdges.length} for you to orient)`,
  };
}

/** Skeleton keys "a|b" (a < b), arrow keys "a>b", largest p per kept edge, test count. */
interface PcCore {
  skeleton: Set<string>;
  arrows: Set<string>;
  maxP: Map<string, number>;
  tests: number;
}

/**
 * PC on a correlation matrix.
 * @internal
 */
export function pcOnCorrelation(R: number[][], n: number, alpha: number, maxDepth: number): PcCore {
  const p = R.length;
  const adj = Array.from(
    { length: p },
    (_, i) => new Set([...Array(p).keys()].filter((j) => j !== i)),
  );
  const sepsets = new Map<string, number[]>();
  const maxP = new Map<string, number>();
  let tests = 0;
  for (let level = 0; level <= maxDepth; level++) {
    const frozen = adj.map((s) => [...s]);
    let anyTestable = false;
    for (let i = 0; i < p; i++) {
      for (const j of frozen[i] as number[]) {
        if (!(adj[i] as Set<number>).has(j)) continue;
        const others = (frozen[i] as number[]).filter((k) => k !== j);
        if (others.length < level) continue;
        anyTestable = true;
        for (const S of subsets(others, level)) {
          tests++;
          const pv = fisherZPValue(partialCorrelation(R, i, j, S), n, S.length);
          const key = edgeKey(i, j);
          maxP.set(key, Math.max(maxP.get(key) ?? 0, pv));
          if (pv > alpha) {
            (adj[i] as Set<number>).delete(j);
            (adj[j] as Set<number>).delete(i);
            sepsets.set(key, S);
            break;
          }
        }
      }
    }
    if (!anyTestable) break;
  }
  // Orientation: arrows[i][j] = true means i → j; both false = undirected.
  const arrow = Array.from({ length: p }, () => new Array<boolean>(p).fill(false));
  const adjacent = (a: number, b: number): boolean => (adj[a] as Set<number>).has(b);
  const undirected = (a: number, b: number): boolean =>
    adjacent(a, b) && !(arrow[a] as boolean[])[b] && !(arrow[b] as boolean[])[a];
  const orient = (a: number, b: number): boolean => {
    if (!undirected(a, b)) return false;
    (arrow[a] as boolean[])[b] = true;
    return true;
  };
  for (let k = 0; k < p; k++) {
    const nb = [...(adj[k] as Set<number>)];
    for (let x = 0; x < nb.length; x++) {
      for (let y = x + 1; y < nb.length; y++) {
        const i = nb[x] as number;
        const j = nb[y] as number;
        if (adjacent(i, j)) continue;
        const sep = sepsets.get(edgeKey(i, j)) ?? [];
        if (sep.includes(k)) continue;
        // Collider i → k ← j; skip an arrow that would contradict an earlier one.
        if (!(arrow[k] as boolean[])[i]) (arrow[i] as boolean[])[k] = true;
        if (!(arrow[k] as boolean[])[j]) (arrow[j] as boolean[])[k] = true;
      }
    }
  }
  applyMeekRules(
    p,
    adjacent,
    undirected,
    (a, b) => (arrow[a] as boolean[])[b] === true && !(arrow[b] as boolean[])[a],
    orient,
  );
  const skeleton = new Set<string>();
  const arrows = new Set<string>();
  const keptP = new Map<string, number>();
  for (let i = 0; i < p; i++) {
    for (const j of adj[i] as Set<number>) {
      if (i < j) {
        skeleton.add(edgeKey(i, j));
        keptP.set(edgeKey(i, j), maxP.get(edgeKey(i, j)) ?? 0);
      }
      if ((arrow[i] as boolean[])[j] && !(arrow[j] as boolean[])[i]) arrows.add(`${i}>${j}`);
    }
  }
  return { skeleton, arrows, maxP: keptP, tests };
}

/** Meek (1995) rules R1–R3, applied until nothing changes. */
function applyMeekRules(
  p: number,
  adjacent: (a: number, b: number) => boolean,
  undirected: (a: number, b: number) => boolean,
  directed: (a: number, b: number) => boolean,
  orient: (a: number, b: number) => boolean,
): void {
  let changed = true;
  while (changed) {
    changed = false;
    for (let a = 0; a < p; a++) {
      for (let b = 0; b < p; b++) {
        if (a === b || !undirected(a, b)) continue;
        for (let c = 0; c < p; c++) {
          if (c === a || c === b) continue;
          // R1: c → a − b, c and b not adjacent ⇒ a → b.
          if (directed(c, a) && !adjacent(c, b)) changed = orient(a, b) || changed;
          // R2: a → c → b with a − b ⇒ a → b.
          else if (directed(a, c) && directed(c, b)) changed = orient(a, b) || changed;
        }
        // R3: a − c1 → b, a − c2 → b, c1 and c2 not adjacent ⇒ a → b.
        for (let c1 = 0; c1 < p && undirected(a, b); c1++) {
          if (!undirected(a, c1) || !directed(c1, b)) continue;
          for (let c2 = c1 + 1; c2 < p; c2++) {
            if (undirected(a, c2) && directed(c2, b) && !adjacent(c1, c2)) {
              changed = orient(a, b) || changed;
              break;
            }
          }
        }
      }
    }
  }
}

function edgeKey(i: number, j: number): string {
  return i < j ? `${i}|${j}` : `${j}|${i}`;
}

/** All subsets of `items` of size `k` (lexicographic). */
function* subsets(items: number[], k: number): Generator<number[]> {
  if (k === 0) {
    yield [];
    return;
  }
  const idx = Array.from({ length: k }, (_, i) => i);
  while (true) {
    yield idx.map((i) => items[i] as number);
    let pos = k - 1;
    while (pos >= 0 && idx[pos] === items.length - k + pos) pos--;
    if (pos < 0) return;
    idx[pos] = (idx[pos] as number) + 1;
    for (let q = pos + 1; q < k; q++) idx[q] = (idx[q - 1] as number) + 1;
  }
}
