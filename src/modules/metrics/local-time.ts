/**
 * The business_metrics time convention: local wall-clock time of the business, written as
 * UTC. These helpers convert between real instants and that convention.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when `timeZone` is an IANA zone this runtime knows. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/**
 * Zone offsets by (zone, whole second): a batch of points usually repeats the same instants
 * (one per metric), and Intl formatting is the slow part of ingest. Offsets change only at
 * whole seconds, so the key is exact; the map is dropped when it grows large.
 */
const offsets = new Map<string, number>();
const MAX_CACHED_OFFSETS = 50_000;

function offsetMs(instant: Date, timeZone: string): number {
  const second = Math.floor(instant.getTime() / 1000);
  const key = `${timeZone} ${second}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    const parts = Object.fromEntries(
      formatter(timeZone)
        .formatToParts(new Date(second * 1000))
        .map((p) => [p.type, p.value]),
    );
    const wall = Date.UTC(
      Number(parts.year),
      Number(parts.month) - 1,
      Number(parts.day),
      Number(parts.hour),
      Number(parts.minute),
      Number(parts.second),
    );
    offset = wall - second * 1000;
    if (offsets.size >= MAX_CACHED_OFFSETS) offsets.clear();
    offsets.set(key, offset);
  }
  return offset;
}

/** The wall-clock time at `instant` in `timeZone`, written as UTC. */
export function toLocalWallTime(instant: Date, timeZone: string): Date {
  return new Date(instant.getTime() + offsetMs(instant, timeZone));
}

/** The real instant of a local wall time (written as UTC) in `timeZone` (DST gaps resolve forward). */
export function fromLocalWallTime(wall: Date, timeZone: string): Date {
  // Guess with the offset at the wall time, then correct once for a DST change in between.
  let guess = new Date(
    wall.getTime() - (toLocalWallTime(wall, timeZone).getTime() - wall.getTime()),
  );
  const drift = toLocalWallTime(guess, timeZone).getTime() - wall.getTime();
  if (drift !== 0) guess = new Date(guess.getTime() - drift);
  return guess;
}

/**
 * Reads a timestamp given by a client: with an offset or `Z` it is a real instant, converted
 * to local wall time; without one it already is local wall time. Returns null when unparseable.
 */
export function parseClientTime(text: string, timeZone: string): Date | null {
  const m =
    /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(
      text.trim(),
    );
  if (!m) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '0', zone] = m;
  const wall = new Date(
    Date.UTC(
      Number(y),
      Number(mo) - 1,
      Number(d),
      Number(h),
      Number(mi),
      Number(s),
      Number(frac.padEnd(3, '0').slice(0, 3)),
    ),
  );
  if (
    Number.isNaN(wall.getTime()) ||
    wall.getUTCDate() !== Number(d) ||
    wall.getUTCMonth() !== Number(mo) - 1
  )
    return null;
  if (!zone) return wall;
  const sign = zone.toUpperCase() === 'Z' ? 0 : zone.startsWith('-') ? -1 : 1;
  const digits = zone.replace(/[^0-9]/g, '');
  const offsetMin =
    sign === 0 ? 0 : sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
  return toLocalWallTime(new Date(wall.getTime() - offsetMin * 60_000), timeZone);
}

/** `2026-01-05T08:00:00` — a local wall time for display (no offset: it is local). */
export function formatWallTime(wall: Date): string {
  return wall.toISOString().slice(0, 19);
}
