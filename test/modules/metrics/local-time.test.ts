import { describe, expect, it } from 'vitest';
import {
  fromLocalWallTime,
  parseClientTime,
  toLocalWallTime,
} from '../../../src/modules/metrics/local-time.js';

const iso = (d: Date | null) => d?.toISOString();

describe('local wall time convention', () => {
  it('converts instants to wall time on both sides of a DST change', () => {
    // New York: EST (-5) until 2026-03-08 07:00Z, then EDT (-4).
    expect(iso(toLocalWallTime(new Date('2026-03-08T06:59:59Z'), 'America/New_York'))).toBe(
      '2026-03-08T01:59:59.000Z',
    );
    expect(iso(toLocalWallTime(new Date('2026-03-08T07:00:00Z'), 'America/New_York'))).toBe(
      '2026-03-08T03:00:00.000Z',
    );
    // Milliseconds are kept; the cached offset of the same second is reused.
    expect(iso(toLocalWallTime(new Date('2026-03-08T07:00:00.250Z'), 'America/New_York'))).toBe(
      '2026-03-08T03:00:00.250Z',
    );
  });

  it('keeps offsets with seconds (historic local mean time)', () => {
    // Liberia ran on -00:44:30 until 1972.
    expect(iso(toLocalWallTime(new Date('1960-01-15T00:00:00Z'), 'Africa/Monrovia'))).toBe(
      '1960-01-14T23:15:30.000Z',
    );
  });

  it('round-trips wall times and resolves a DST gap forward', () => {
    const wall = new Date('2026-07-01T09:30:00Z');
    const instant = fromLocalWallTime(wall, 'Europe/Berlin');
    expect(iso(instant)).toBe('2026-07-01T07:30:00.000Z');
    expect(iso(toLocalWallTime(instant, 'Europe/Berlin'))).toBe(iso(wall));
    // 02:30 does not exist in Berlin on 2026-03-29.
    expect(iso(fromLocalWallTime(new Date('2026-03-29T02:30:00Z'), 'Europe/Berlin'))).toBe(
      '2026-03-29T01:30:00.000Z',
    );
  });

  it('reads client times: offsets are instants, bare times are already local', () => {
    expect(iso(parseClientTime('2026-01-05T08:00:00Z', 'Asia/Kolkata'))).toBe(
      '2026-01-05T13:30:00.000Z',
    );
    expect(iso(parseClientTime('2026-01-05T08:00:00+01:00', 'UTC'))).toBe(
      '2026-01-05T07:00:00.000Z',
    );
    expect(iso(parseClientTime('2026-01-05', 'Asia/Kolkata'))).toBe('2026-01-05T00:00:00.000Z');
    expect(parseClientTime('2026-02-30', 'UTC')).toBeNull();
    expect(parseClientTime('yesterday', 'UTC')).toBeNull();
  });
});
