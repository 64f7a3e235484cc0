import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/engines/shared/random.js';
import {
  cycleServiceLevel,
  expectedDemand,
  expectedSales,
  stepToNormal,
  stockForServiceLevel,
  windowDemand,
} from '../../../src/engines/optimize/index.js';

describe('demand from forecast quantiles', () => {
  it('reads sd from 80 % / 95 % intervals and quantiles', () => {
    expect(
      stepToNormal({ mean: 10, lower80: 10 - 1.2816 * 2, upper80: 10 + 1.2816 * 2 }, []).sd,
    ).toBeCloseTo(2, 3);
    expect(
      stepToNormal({ mean: 10, lower95: 10 - 1.96 * 3, upper95: 10 + 1.96 * 3 }, []).sd,
    ).toBeCloseTo(3, 3);
    const q = stepToNormal(
      {
        quantiles: [
          { p: 0.5, value: 20 },
          { p: 0.9, value: 20 + 1.2816 * 5 },
          { p: 0.1, value: 20 - 1.2816 * 5 },
        ],
      },
      [],
    );
    expect(q.mean).toBe(20);
    expect(q.sd).toBeCloseTo(5, 3);
    const notes: Parameters<typeof stepToNormal>[1] = [];
    expect(stepToNormal({ mean: -3 }, notes)).toEqual({ mean: 0, sd: 0 });
    expect(notes.map((n) => n.code)).toEqual(['negative_demand', 'no_uncertainty']);
  });

  it('adds steps over a window, pro rata for partial steps', () => {
    const w = windowDemand(
      [
        { mean: 10, sd: 2 },
        { mean: 20, sd: 4 },
      ],
      7,
      0,
      10.5,
    );
    expect(w.mean).toBeCloseTo(10 + 20 * 0.5, 9);
    expect(w.sd).toBeCloseTo(Math.sqrt(4 + 16 * 0.5), 9);
  });

  it('expected sales and service level agree with simulation', () => {
    const d = { mean: 8, sd: 5 };
    const rng = createRng(3);
    let sales = 0;
    let covered = 0;
    let demand = 0;
    const n = 200_000;
    for (let i = 0; i < n; i++) {
      const x = Math.max(0, d.mean + d.sd * rng.normal());
      sales += Math.min(10, x);
      demand += x;
      if (x <= 10) covered++;
    }
    expect(expectedSales(10, d)).toBeCloseTo(sales / n, 1);
    expect(expectedDemand(d)).toBeCloseTo(demand / n, 1);
    expect(cycleServiceLevel(10, d)).toBeCloseTo(covered / n, 2);
    expect(stockForServiceLevel(0.95, { mean: 100, sd: 10 })).toBeCloseTo(116.45, 2);
  });
});
