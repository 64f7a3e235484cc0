import { describe, expect, it } from 'vitest';
import { CausalInputError, analyzeIntervention } from '../../../src/engines/causal/index.js';
import { createRng } from '../../../src/engines/shared/random.js';

function series(effect: number, seed: number): number[] {
  const rng = createRng(seed);
  return Array.from(
    { length: 200 },
    (_, t) => 100 + 0.2 * t + (t % 7 === 5 ? 15 : 0) + (t >= 150 ? effect : 0) + 3 * rng.normal(),
  );
}

describe('intervention analysis', () => {
  it('recovers a planted step effect within its interval and passes the placebo-in-time check', () => {
    const r = analyzeIntervention(series(12, 1), 150);
    expect(r.postPeriods).toBe(50);
    expect(r.effectMean).toBeGreaterThan(10);
    expect(r.effectMean).toBeLessThan(14);
    expect(r.interval[0]).toBeLessThan(600);
    expect(r.interval[1]).toBeGreaterThan(600);
    expect(r.refutations[0]).toMatchObject({ name: 'placebo_time', passed: true });
    expect(r.preFitR2).toBeGreaterThan(0.8);
  });

  it('finds no effect when there is none', () => {
    const r = analyzeIntervention(series(0, 2), 150);
    expect(r.interval[0]).toBeLessThan(0);
    expect(r.interval[1]).toBeGreaterThan(0);
  });

  it('refuses bad event indices and missing values', () => {
    expect(() => analyzeIntervention(series(0, 3), 0)).toThrow(CausalInputError);
    expect(() => analyzeIntervention(series(0, 3), 5)).toThrow(/pre-event period has 5 points/);
    const withGap = series(0, 3);
    withGap[10] = Number.NaN;
    expect(() => analyzeIntervention(withGap, 150)).toThrow(
      /missing or non-numeric value at position 11/,
    );
  });
});
