import { beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../../src/engines/shared/random.js';
import {
  augursReady,
  autoEtsForecast,
  mstlForecast,
  forecast,
  ForecastInputError,
  probabilityOfReaching,
  type ForecastResult,
} from '../../../src/engines/forecast/index.js';
import { loadProphetWasm } from '../../../src/cli/forecast-wasm.js';

beforeAll(() => loadProphetWasm());

const finite = (r: ForecastResult): boolean =>
  [r.points, r.sd, r.lower80, r.upper80, r.lower95, r.upper95].every((a) =>
    a.every((v) => Number.isFinite(v)),
  );

const expectCode = (fn: () => unknown, code: string): void => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ForecastInputError);
    expect((e as ForecastInputError).code).toBe(code);
    return;
  }
  throw new Error(`expected ForecastInputError ${code}`);
};

describe('forecast(): model selection and combination', () => {
  it('loads the WASM models', () => {
    expect(augursReady()).toMatchObject({ ets: true, mstl: true });
  });

  it('reports the chosen model, weights and backtest, best candidate first', () => {
    const y = Array.from({ length: 60 }, (_, t) => 50 + 2 * t);
    const r = forecast({ values: y }, { horizon: 5 });
    expect(r.points).toHaveLength(5);
    r.points.forEach((p, h) => expect(p).toBeCloseTo(50 + 2 * (60 + h), 0));
    expect(Object.values(r.weights).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(r.backtest.origins).toBe(3);
    expect(r.backtest.models.length).toBeGreaterThan(5);
    const maes = r.backtest.models.map((m) => m.mase);
    expect(maes).toEqual([...maes].sort((a, b) => a - b));
    expect(Object.keys(r.weights)).toContain(r.backtest.models[0]?.model);
    expect(
      r.lower95.every(
        (l, j) =>
          l <= (r.lower80[j] as number) && (r.upper80[j] as number) <= (r.upper95[j] as number),
      ),
    ).toBe(true);
  });

  it('finds daily and weekly cycles from timestamps and forecasts them', () => {
    const start = Date.UTC(2024, 0, 1);
    const n = 24 * 7 * 4;
    const rng = createRng(5);
    const y = Array.from(
      { length: n },
      (_, t) =>
        100 +
        30 * Math.sin((2 * Math.PI * t) / 24) +
        (Math.floor(t / 24) % 7 >= 5 ? -20 : 0) +
        rng.normal(),
    );
    const ts = y.map((_, t) => new Date(start + t * 3_600_000).toISOString());
    const r = forecast({ values: y, timestamps: ts }, { horizon: 48 });
    expect(r.frequency).toBe('hourly');
    expect(r.seasonalPeriods).toEqual([24, 168]);
    expect(r.timestamps?.[0]).toBe(new Date(start + n * 3_600_000).toISOString());
    const truth = Array.from({ length: 48 }, (_, j) => {
      const t = n + j;
      return 100 + 30 * Math.sin((2 * Math.PI * t) / 24) + (Math.floor(t / 24) % 7 >= 5 ? -20 : 0);
    });
    const mae = truth.reduce((s, v, j) => s + Math.abs(v - (r.points[j] as number)), 0) / 48;
    expect(mae).toBeLessThan(3);
  });

  it('uses intermittent-demand models for sparse counts and never forecasts below zero', () => {
    const rng = createRng(7);
    const y = Array.from({ length: 120 }, () => (rng.uniform() < 0.25 ? 1 + rng.int(5) : 0));
    const r = forecast({ values: y, kind: 'count' }, { horizon: 6 });
    expect(r.flags).toContain('intermittent');
    expect(r.backtest.models.map((m) => m.model)).toEqual(
      expect.arrayContaining(['croston', 'sba', 'tsb']),
    );
    expect(r.points.every((p) => p >= 0) && r.lower95.every((p) => p >= 0)).toBe(true);
  });

  it('uses regressors (a promotion lifts sales)', () => {
    const rng = createRng(3);
    const promo = Array.from({ length: 104 }, (_, t) => (t % 9 === 0 ? 1 : 0));
    const y = promo.slice(0, 100).map((p) => 100 + 40 * p + rng.normal() * 2);
    const r = forecast(
      { values: y },
      {
        horizon: 4,
        models: ['regression'],
        regressors: {
          history: { promo: promo.slice(0, 100) },
          future: { promo: promo.slice(100) },
        },
      },
    );
    expect(r.model).toBe('regression');
    promo.slice(100).forEach((p, j) => expect(r.points[j]).toBeCloseTo(100 + 40 * p, -1));
  });
});

describe('forecast(): models from packages', () => {
  const y = Array.from(
    { length: 120 },
    (_, t) => 100 + 0.5 * t + 10 * Math.sin((2 * Math.PI * t) / 7),
  );
  const ts = y.map((_, t) =>
    new Date(Date.UTC(2024, 0, 1) + t * 86_400_000).toISOString().slice(0, 10),
  );
  const truth = (t: number): number => 100 + 0.5 * t + 10 * Math.sin((2 * Math.PI * t) / 7);

  it('MSTL and AutoETS (augurs) reproduce a clean cycle and a clean line', () => {
    const cycle = Array.from({ length: 240 }, (_, t) => 10 + 5 * Math.sin((2 * Math.PI * t) / 24));
    mstlForecast(cycle, 24, [24]).forEach((v, j) =>
      expect(v).toBeCloseTo(10 + 5 * Math.sin((2 * Math.PI * (240 + j)) / 24), 1),
    );
    const line = Array.from({ length: 50 }, (_, t) => 5 + 0.5 * t + (t % 2 ? 0.01 : -0.01));
    autoEtsForecast(line, 3, 1, 'AZN').forEach((v, j) =>
      expect(v).toBeCloseTo(5 + 0.5 * (50 + j), 0),
    );
  });

  it('Prophet (augurs + WASM Stan) on a daily series with a weekly cycle', () => {
    const r = forecast({ values: y, timestamps: ts }, { horizon: 7, models: ['prophet'] });
    expect(r.model).toBe('prophet');
    r.points.forEach((p, j) => expect(Math.abs(p - truth(120 + j))).toBeLessThan(3));
  });

  it('AutoARIMA (arima package) when asked for by name', () => {
    const rng = createRng(1);
    const noisy = y.map((v) => v + rng.normal());
    const r = forecast({ values: noisy.slice(-60) }, { horizon: 3, models: ['arima'], origins: 1 });
    expect(r.model).toBe('arima');
    // a sanity bound only: the package's stepwise search is rough on short seasonal series
    r.points.forEach((p, j) =>
      expect(Math.abs(p - truth(120 + j))).toBeLessThan(0.2 * truth(120 + j)),
    );
  });
});

describe('forecast(): calibrated intervals', () => {
  it('95% bands cover ~95% of simulated AR(1) and seasonal series', () => {
    const rng = createRng(42);
    let inside = 0;
    let total = 0;
    for (let s = 0; s < 30; s++) {
      const n = 150;
      const h = 12;
      const y: number[] = [];
      let e = 0;
      for (let t = 0; t < n + h; t++) {
        e = 0.6 * e + rng.normal() * 5;
        y.push(200 + (s % 2 ? 20 * Math.sin((2 * Math.PI * t) / 12) : 0) + e);
      }
      const r = forecast(
        { values: y.slice(0, n), seasonalPeriods: s % 2 ? [12] : [] },
        { horizon: h },
      );
      for (let j = 0; j < h; j++) {
        const v = y[n + j] as number;
        if (v >= (r.lower95[j] as number) && v <= (r.upper95[j] as number)) inside++;
        total++;
      }
    }
    const cov = inside / total;
    expect(cov).toBeGreaterThan(0.9);
    expect(cov).toBeLessThan(0.99);
  });
});

describe('probabilityOfReaching', () => {
  const rng = createRng(11);
  const r = forecast(
    { values: Array.from({ length: 40 }, () => 100 + 5 * rng.normal()) },
    { horizon: 4 },
  );
  it('is ½ at the point forecast and monotone in the target', () => {
    const p = r.points[3] as number;
    expect(probabilityOfReaching(r, p, 4)).toBeCloseTo(0.5, 6);
    expect(probabilityOfReaching(r, p - 50, 4)).toBeGreaterThan(0.99);
    expect(probabilityOfReaching(r, p + 50, 4)).toBeLessThan(0.01);
    expect(probabilityOfReaching(r, p + 1, 4, { direction: 'below' })).toBeGreaterThan(0.5);
  });
  it('matches the 95% band: P(value ≥ upper95) ≈ 2.5%', () => {
    expect(probabilityOfReaching(r, r.upper95[1] as number, 2)).toBeCloseTo(0.025, 2);
  });
  it('cumulative totals', () => {
    const total = r.points.reduce((a, b) => a + b, 0);
    expect(probabilityOfReaching(r, total, 4, { cumulative: true })).toBeCloseTo(0.5, 6);
  });
  it('rejects bad steps and targets', () => {
    expectCode(() => probabilityOfReaching(r, 1, 0), 'BAD_OPTIONS');
    expectCode(() => probabilityOfReaching(r, 1, 5), 'BAD_OPTIONS');
    expectCode(() => probabilityOfReaching(r, NaN, 1), 'BAD_OPTIONS');
  });
});

describe('forecast(): bad input', () => {
  it('rejects empty, all-missing and bad horizons', () => {
    expectCode(() => forecast({ values: [] }, { horizon: 3 }), 'EMPTY_SERIES');
    expectCode(() => forecast({ values: [NaN, null, Infinity] }, { horizon: 3 }), 'BAD_VALUES');
    expectCode(() => forecast({ values: [1, 2, 3] }, { horizon: 0 }), 'BAD_HORIZON');
    expectCode(() => forecast({ values: [1, 2, 3] }, { horizon: -2 }), 'BAD_HORIZON');
    expectCode(() => forecast({ values: [1, 2, 3] }, { horizon: 2.5 }), 'BAD_HORIZON');
    expectCode(() => forecast({ values: [1, 2, 3] }, { horizon: 1_000_000 }), 'BAD_HORIZON');
    expectCode(() => forecast({ values: [1, 2, 3] }, { horizon: 2, levels: [120] }), 'BAD_OPTIONS');
  });

  it('rejects regressors that do not line up with the values', () => {
    const values = [1, 2, 3, 4, 5, 6, 7, 8];
    expectCode(
      () =>
        forecast(
          { values },
          { horizon: 2, regressors: { history: { p: [1, 2] }, future: { p: [1, 1] } } },
        ),
      'BAD_OPTIONS',
    );
    expectCode(
      () =>
        forecast(
          { values },
          { horizon: 2, regressors: { history: { p: values }, future: { p: [1] } } },
        ),
      'BAD_OPTIONS',
    );
    expectCode(
      () =>
        forecast(
          {
            values: [1, 2, 3, 4],
            timestamps: ['2024-01-01', '2024-01-02', '2024-01-04', '2024-01-05'],
          },
          { horizon: 1, regressors: { history: { p: [0, 0, 0, 0] }, future: { p: [0] } } },
        ),
      'BAD_OPTIONS',
    );
  });

  it('rejects negative counts, duplicate and irregular timestamps', () => {
    expectCode(() => forecast({ values: [3, -1, 2], kind: 'count' }, { horizon: 2 }), 'BAD_VALUES');
    expectCode(
      () =>
        forecast(
          { values: [1, 2, 3], timestamps: ['2024-01-01', '2024-01-02', '2024-01-02'] },
          { horizon: 2 },
        ),
      'BAD_TIMESTAMPS',
    );
    expectCode(
      () =>
        forecast(
          {
            values: [1, 2, 3, 4],
            timestamps: ['2024-01-01', '2024-01-02', '2024-01-03T11:00:00Z', '2024-01-04'],
          },
          { horizon: 2 },
        ),
      'BAD_TIMESTAMPS',
    );
    expectCode(
      () => forecast({ values: [1, 2], timestamps: ['2024-01-01', 'yesterday'] }, { horizon: 2 }),
      'BAD_TIMESTAMPS',
    );
    expectCode(
      () => forecast({ values: [1, 2], timestamps: ['2024-01-01'] }, { horizon: 2 }),
      'BAD_TIMESTAMPS',
    );
  });

  it('imputes NaN/Infinity/null and timestamp gaps, sorts timestamps', () => {
    const r = forecast(
      { values: [10, NaN, 12, Infinity, 14, null, 16, 17, 18, 19, 20, 21] },
      { horizon: 3 },
    );
    expect(r.flags).toContain('imputed_missing');
    expect(finite(r)).toBe(true);
    const g = forecast(
      {
        values: [5, 7, 6, 8],
        timestamps: ['2024-01-03', '2024-01-01', '2024-01-06', '2024-01-02'],
      },
      { horizon: 2 },
    );
    expect(g.flags).toEqual(
      expect.arrayContaining(['sorted_timestamps', 'filled_gaps', 'imputed_missing']),
    );
    expect(g.frequency).toBe('daily');
    expect(g.timestamps).toEqual(['2024-01-07T00:00:00.000Z', '2024-01-08T00:00:00.000Z']);
  });

  it('falls back to flagged naive forecasts for very short and constant series', () => {
    const one = forecast({ values: [42] }, { horizon: 3 });
    expect(one.points).toEqual([42, 42, 42]);
    expect(one.flags).toEqual(expect.arrayContaining(['too_short', 'wide_intervals']));
    expect(finite(one)).toBe(true);
    expect((one.upper95[0] as number) - (one.lower95[0] as number)).toBeGreaterThan(0);
    const flat = forecast({ values: [7, 7, 7, 7, 7, 7, 7, 7] }, { horizon: 2 });
    expect(flat.points).toEqual([7, 7]);
    expect(flat.flags).toContain('constant_series');
    expect(flat.upper95).toEqual([7, 7]);
    const two = forecast({ values: [3, 5, 4] }, { horizon: 20 });
    expect(two.flags).toContain('horizon_longer_than_history');
    expect(finite(two)).toBe(true);
  });

  it('never returns NaN on awkward but valid input (zeros, outliers, huge values)', () => {
    const rng = createRng(9);
    const cases = [
      Array.from({ length: 50 }, () => 0).map((v, t) => (t === 25 ? 1e6 : v)),
      Array.from({ length: 80 }, (_, t) => (t % 7 === 0 ? 0 : 1e12 + rng.normal() * 1e9)),
      Array.from({ length: 30 }, (_, t) => (t % 2 ? -5 : 5)),
    ];
    for (const values of cases) expect(finite(forecast({ values }, { horizon: 10 }))).toBe(true);
  });
});
