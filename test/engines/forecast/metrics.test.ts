import { describe, expect, it } from 'vitest';
import {
  coverage,
  mase,
  maseScale,
  msis,
  owa,
  smape,
} from '../../../src/engines/forecast/index.js';

describe('M4 accuracy measures', () => {
  it('sMAPE = mean of 200·|y − f| / (|y| + |f|)', () => {
    // 200·10/190 = 10.526…, 200·10/230 = 8.695…
    expect(smape([100, 110], [90, 120])).toBeCloseTo((2000 / 190 + 2000 / 230) / 2, 10);
    expect(smape([0], [0])).toBe(0);
  });

  it('MASE scales by the in-sample seasonal naive MAE', () => {
    expect(maseScale([1, 2, 4], 1)).toBe(1.5);
    // lag 2: |3 − 1|, |4 − 2| → 2
    expect(maseScale([1, 2, 3, 4], 2)).toBe(2);
    // shorter than a season: falls back to lag 1
    expect(maseScale([1, 3], 24)).toBe(2);
    expect(mase([1, 2, 4], [5, 6], [4, 8], 1)).toBeCloseTo(1, 12);
    expect(mase([5, 5, 5], [6], [5], 1)).toBe(0);
  });

  it('MSIS adds 2/α times the miss to the interval width', () => {
    // width 2, y inside → 2 / scale 1.5
    expect(msis([1, 2, 4], [5], [4], [6], 1, 0.05)).toBeCloseTo(2 / 1.5, 12);
    // y = 7 above upper 6: width 2 + 40·1 = 42
    expect(msis([1, 2, 4], [7], [4], [6], 1, 0.05)).toBeCloseTo(42 / 1.5, 12);
  });

  it('coverage and OWA', () => {
    expect(coverage([1, 5, 2], [0, 0, 2], [2, 2, 3])).toBeCloseTo(2 / 3, 12);
    expect(owa({ smape: 9, mase: 1.8 }, { smape: 10, mase: 2 })).toBeCloseTo(0.9, 12);
  });
});
