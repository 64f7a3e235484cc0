import { describe, expect, it } from 'vitest';
import {
  addDays,
  changeTone,
  describeChange,
  formatBucket,
  formatChange,
  formatValue,
  todayIn,
  wallTimeMs,
} from './format';

const en = { locale: 'en-US' };

describe('formatValue', () => {
  it('formats each unit', () => {
    expect(formatValue(1234.5, 'currency', { ...en, currency: 'USD' })).toBe('$1,235');
    expect(formatValue(9.48, 'currency', { ...en, currency: 'EUR' })).toBe('€9.48');
    expect(formatValue(0.7123, 'ratio', en)).toBe('71.2%');
    expect(formatValue(0.0063, 'ratio', en)).toBe('0.63%');
    expect(formatValue(12.5, 'percent', en)).toBe('12.5%');
    expect(formatValue(6.43, 'days', en)).toBe('6.4 days');
    expect(formatValue(224, 'hours', en)).toBe('224 h');
    expect(formatValue(1851, 'count', en)).toBe('1,851');
    expect(formatValue(104.25, 'count', en)).toBe('104');
    expect(formatValue(3.14159, 'count', en)).toBe('3.14');
  });

  it('shortens big numbers on cards and keeps whole currency amounts whole', () => {
    expect(formatValue(-129_400, 'currency', { ...en, compact: true })).toBe('-$129.4K');
    expect(formatValue(2_500_000, 'count', { ...en, compact: true })).toBe('2.5M');
    expect(formatValue(200, 'currency', { ...en, compact: true })).toBe('$200');
    expect(formatValue(9.5, 'currency', { ...en, compact: true })).toBe('$9.50');
  });

  it('shows a dash for no value and survives an unknown currency', () => {
    expect(formatValue(null, 'currency', en)).toBe('—');
    expect(formatValue(Number.NaN, 'count', en)).toBe('—');
    expect(formatValue(5, 'currency', { ...en, currency: 'XYZ1' })).toBe('5 XYZ1');
  });
});

describe('changes', () => {
  it('formats a relative change with a sign and a true minus', () => {
    expect(formatChange(0.1234, 'en-US')).toBe('+12%');
    expect(formatChange(-0.063, 'en-US')).toBe('\u22126.3%');
    expect(formatChange(0.00001, 'en-US')).toBe('0%');
    expect(formatChange(null)).toBe('—');
  });

  it('colours by whether higher is better', () => {
    expect(changeTone(0.1, true)).toBe('good');
    expect(changeTone(0.1, false)).toBe('bad');
    expect(changeTone(-0.1, false)).toBe('good');
    expect(changeTone(-0.1, true)).toBe('bad');
    expect(changeTone(0.0001, true)).toBe('neutral');
    expect(changeTone(null, true)).toBe('neutral');
    expect(describeChange(-0.063, true, 'en-US')).toBe('down 6.3%, bad');
    expect(describeChange(0, true, 'en-US')).toBe('unchanged');
  });
});

describe('dates', () => {
  it('reads the API wall times as UTC', () => {
    expect(wallTimeMs('2026-01-05T00:00:00')).toBe(Date.UTC(2026, 0, 5));
    expect(wallTimeMs('2026-01-05')).toBe(Date.UTC(2026, 0, 5));
    expect(wallTimeMs('2026-01-05T10:00:00Z')).toBe(Date.UTC(2026, 0, 5, 10));
  });

  it('labels buckets by interval', () => {
    expect(formatBucket('2026-01-05T00:00:00', 'day', 'en-US')).toBe('Jan 5, 2026');
    expect(formatBucket('2026-01-01T00:00:00', 'month', 'en-US')).toBe('Jan 2026');
    expect(formatBucket('2026-01-05T14:00:00', 'hour', 'en-US')).toBe('Jan 5, 02:00 PM');
  });

  it("computes today in the business's time zone and moves days", () => {
    const now = new Date('2026-03-01T03:00:00Z');
    expect(todayIn('UTC', now)).toBe('2026-03-01');
    expect(todayIn('America/New_York', now)).toBe('2026-02-28');
    expect(todayIn('Not/AZone', now)).toBe('2026-03-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
  });
});
