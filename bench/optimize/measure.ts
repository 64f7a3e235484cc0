import { loadavg } from 'node:os';

/** Wall-clock and process CPU time of one async call. */
export interface Timing {
  wallMs: number;
  /** User + system CPU of this process: robust to other load on the machine. */
  cpuMs: number;
}

/** Times `fn` by wall clock and by this process's CPU. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ result: T; timing: Timing }> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const result = await fn();
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return {
    result,
    timing: { wallMs: round(wallMs, 1), cpuMs: round((cpu.user + cpu.system) / 1000, 1) },
  };
}

/** Median of numbers (0 for none). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return 0;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
}

/** Rounds to `digits` decimals. */
export function round(x: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** The 1-minute load average, to read timings against. */
export function load(): number {
  return round(loadavg()[0] ?? 0, 2);
}
