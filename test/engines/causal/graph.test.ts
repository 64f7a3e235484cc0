import { describe, expect, it } from 'vitest';
import {
  CausalInputError,
  ancestorsOf,
  dSeparated,
  descendantsOf,
  identifyEffect,
  isValidBackdoor,
  validateGraph,
} from '../../../src/engines/causal/index.js';
import type { CausalGraph } from '../../../src/engines/causal/index.js';

const g = (edges: Array<[string, string]>, extra: string[] = []): CausalGraph => ({
  nodes: [...new Set([...edges.flat(), ...extra])].map((id) => ({ id })),
  edges: edges.map(([from, to]) => ({ from, to, provenance: 'assumed' })),
});

describe('causal graph', () => {
  it('orders nodes causes-first and walks ancestors/descendants', () => {
    const graph = g([
      ['season', 'promo'],
      ['season', 'sales'],
      ['promo', 'sales'],
      ['sales', 'revenue'],
    ]);
    const order = validateGraph(graph);
    expect(order.indexOf('season')).toBeLessThan(order.indexOf('promo'));
    expect(order.indexOf('promo')).toBeLessThan(order.indexOf('sales'));
    expect([...ancestorsOf(graph, ['sales'])].sort()).toEqual(['promo', 'season']);
    expect([...descendantsOf(graph, ['promo'])].sort()).toEqual(['revenue', 'sales']);
  });

  it('refuses cycles naming the cycle, unknown nodes and duplicates', () => {
    const cyclic = g([
      ['a', 'b'],
      ['b', 'c'],
      ['c', 'a'],
    ]);
    expect(() => validateGraph(cyclic)).toThrow(/cycle: a → b → c → a/);
    try {
      validateGraph(cyclic);
    } catch (err) {
      expect(err).toBeInstanceOf(CausalInputError);
      expect((err as CausalInputError).code).toBe('cyclic_graph');
      expect((err as CausalInputError).status).toBe(400);
    }
    expect(() => validateGraph({ nodes: [{ id: 'a' }], edges: [{ from: 'a', to: 'zz' }] })).toThrow(
      /unknown node "zz"/,
    );
    expect(() => validateGraph({ nodes: [{ id: 'a' }, { id: 'a' }], edges: [] })).toThrow(
      /duplicate/,
    );
    expect(() => validateGraph({ nodes: [{ id: 'a' }], edges: [{ from: 'a', to: 'a' }] })).toThrow(
      /self-loop/,
    );
  });
});

describe('d-separation', () => {
  it('blocks chains and forks by conditioning, opens colliders and their descendants', () => {
    const chain = g([
      ['a', 'b'],
      ['b', 'c'],
    ]);
    expect(dSeparated(chain, ['a'], ['c'])).toBe(false);
    expect(dSeparated(chain, ['a'], ['c'], ['b'])).toBe(true);
    const fork = g([
      ['b', 'a'],
      ['b', 'c'],
    ]);
    expect(dSeparated(fork, ['a'], ['c'], ['b'])).toBe(true);
    const collider = g([
      ['a', 'c'],
      ['b', 'c'],
      ['c', 'd'],
    ]);
    expect(dSeparated(collider, ['a'], ['b'])).toBe(true);
    expect(dSeparated(collider, ['a'], ['b'], ['c'])).toBe(false);
    expect(dSeparated(collider, ['a'], ['b'], ['d'])).toBe(false);
  });
});

describe('identification', () => {
  it('adjusts for confounders only: not mediators, colliders or instruments', () => {
    const graph = g([
      ['w', 't'],
      ['w', 'y'],
      ['iv', 't'],
      ['t', 'm'],
      ['m', 'y'],
      ['t', 'c'],
      ['y', 'c'],
    ]);
    const id = identifyEffect(graph, 't', 'y');
    expect(id).toMatchObject({ kind: 'backdoor', adjustmentSet: ['w'] });
    expect(isValidBackdoor(graph, 't', 'y', ['w'])).toBe(true);
    expect(isValidBackdoor(graph, 't', 'y', [])).toBe(false);
    expect(isValidBackdoor(graph, 't', 'y', ['w', 'c'])).toBe(false);
  });

  it('finds an observed adjustment set around a hidden node when one exists', () => {
    // u hidden, but z blocks u → z → t.
    const graph = g([
      ['u', 'z'],
      ['z', 't'],
      ['u', 'y'],
      ['t', 'y'],
    ]);
    expect(identifyEffect(graph, 't', 'y', ['u'])).toMatchObject({
      kind: 'backdoor',
      adjustmentSet: ['z'],
    });
  });

  it('uses the frontdoor when a hidden confounder blocks every backdoor set', () => {
    const graph = g([
      ['u', 't'],
      ['u', 'y'],
      ['t', 'm'],
      ['m', 'y'],
    ]);
    expect(identifyEffect(graph, 't', 'y', ['u'])).toMatchObject({
      kind: 'frontdoor',
      mediators: ['m'],
    });
  });

  it('answers "not identifiable" clearly when nothing works', () => {
    const graph = g([
      ['u', 't'],
      ['u', 'y'],
      ['t', 'y'],
    ]);
    const id = identifyEffect(graph, 't', 'y', ['u']);
    expect(id.kind).toBe('not_identifiable');
    expect(id.explanation).toMatch(/not identifiable.*unobserved u/);
  });

  it('says the effect is zero when there is no directed path', () => {
    const graph = g([['y', 't']]);
    expect(identifyEffect(graph, 't', 'y')).toMatchObject({ kind: 'backdoor', adjustmentSet: [] });
    expect(() => identifyEffect(graph, 't', 'nope')).toThrow(/"nope" is not a node/);
  });
});
