import { describe, expect, it } from 'vitest';
import { ForecastInputError } from '../../../src/engines/forecast/index.js';
import {
  bucketStart,
  historyFrom,
  historyWindow,
  wallAfter,
} from '../../../src/modules/forecasts/history.js';
import { inputProblem, modelLabel } from '../../../src/modules/forecasts/run.js';

const w = (s: string) => new Date(`${s}Z`);
const iso = (d: Date) => d.toISOString().slice(0, 19);

describe('history windows', () => {
  it('buckets start where the series buckets start (weeks on Monday)', () => {
    const t = w('2026-11-25T14:37:12'); // a Wednesday
    expect(iso(bucketStart('hour', t))).toBe('2026-11-25T14:00:00');
    expect(iso(bucketStart('day', t))).toBe('2026-11-25T00:00:00');
    expect(iso(bucketStart('week', t))).toBe('2026-11-23T00:00:00');
    expect(iso(bucketStart('week', w('2026-11-29T23:00:00')))).toBe('2026-11-23T00:00:00'); // Sunday
    expect(iso(bucketStart('month', t))).toBe('2026-11-01T00:00:00');
  });

  it('end before the current bucket and reach back 8 weeks, 2 years, 5 years or to the first data', () => {
    const now = w('2026-11-25T14:37:12');
    const win = (i: 'hour' | 'day' | 'week' | 'month', first: Date | null = null) => {
      const { from, to } = historyWindow(i, now, first);
      return [iso(from), iso(to)];
    };
    expect(win('hour')).toEqual(['2026-09-30T14:00:00', '2026-11-25T14:00:00']);
    expect(win('day')).toEqual(['2024-11-25T00:00:00', '2026-11-25T00:00:00']);
    expect(win('week')).toEqual(['2021-11-29T00:00:00', '2026-11-23T00:00:00']);
    expect(win('month', w('2015-03-17T00:00:00'))).toEqual([
      '2015-03-01T00:00:00',
      '2026-11-01T00:00:00',
    ]);
    expect(win('month')).toEqual(['2025-11-01T00:00:00', '2026-11-01T00:00:00']);
  });

  it('drop empty buckets at both ends, keep gaps inside, and fingerprint the values', () => {
    const pts = [null, null, 3, null, 5, 6, null].map((value, i) => ({
      t: `2026-01-0${i + 1}T00:00:00`,
      value,
      gap: value === null,
    }));
    const h = historyFrom('day', pts);
    expect(h.timestamps).toEqual([
      '2026-01-03T00:00:00',
      '2026-01-04T00:00:00',
      '2026-01-05T00:00:00',
      '2026-01-06T00:00:00',
    ]);
    expect(h.values).toEqual([3, null, 5, 6]);
    expect(h.observations).toBe(3);
    const changed = historyFrom(
      'day',
      pts.map((p, i) => (i === 5 ? { ...p, value: 7 } : p)),
    );
    expect(changed.hash).not.toBe(h.hash);
    expect(historyFrom('day', pts).hash).toBe(h.hash);
    expect(historyFrom('week', pts).hash).not.toBe(h.hash);
    expect(
      historyFrom(
        'day',
        pts.map((p) => ({ ...p, value: null })),
      ),
    ).toMatchObject({
      values: [],
      observations: 0,
    });
  });

  it('steps forecast timestamps by the interval (calendar months)', () => {
    expect(wallAfter('hour', '2026-03-08T01:00:00', 2)).toBe('2026-03-08T03:00:00');
    expect(wallAfter('week', '2026-11-23T00:00:00', 1)).toBe('2026-11-30T00:00:00');
    expect(wallAfter('month', '2026-01-01T00:00:00', 1)).toBe('2026-02-01T00:00:00');
    expect(wallAfter('month', '2026-11-01T00:00:00', 3)).toBe('2027-02-01T00:00:00');
  });
});

describe('engine errors and labels', () => {
  it('every engine input error becomes a 422 with the reason and where it was', () => {
    const cases = [
      ['EMPTY_SERIES', 'forecast_no_history', '/history'],
      ['BAD_VALUES', 'forecast_input_invalid', '/history'],
      ['BAD_TIMESTAMPS', 'forecast_input_invalid', '/history'],
      ['BAD_HORIZON', 'forecast_input_invalid', '/querystring/horizon'],
      ['BAD_OPTIONS', 'forecast_input_invalid', '/history'],
    ] as const;
    for (const [code, appCode, path] of cases) {
      const e = inputProblem(new ForecastInputError(code, `bad: ${code}`), 'querystring');
      expect([e.status, e.code, e.extra.reason, e.extra.errors?.[0]?.path]).toEqual([
        422,
        appCode,
        code,
        path,
      ]);
    }
  });

  it('model labels drop seasonal periods so the metric label stays bounded', () => {
    expect(modelLabel('combination(mstl, seasonal-naive-24)')).toBe(
      'combination(mstl, seasonal-naive)',
    );
    expect(modelLabel('auto-ets')).toBe('auto-ets');
  });
});
