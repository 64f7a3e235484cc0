import type { TestContext, TestTenant } from '../../helpers/app.js';
import { toLocalWallTime } from '../../../src/modules/metrics/local-time.js';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** Start of today in `timeZone`, as a local wall time written as UTC. */
export function localToday(timeZone: string, now = new Date()): Date {
  return new Date(Math.floor(toLocalWallTime(now, timeZone).getTime() / DAY) * DAY);
}

/** `2026-01-05T00:00:00` */
export const wall = (d: Date): string => d.toISOString().slice(0, 19);

/** Weekly pattern (Monday first) of the synthetic daily series; sums to 0. */
export const WEEKLY = [-150, -50, 0, 50, 100, 250, -200];

/**
 * Daily truth: level 1000, +2 a day, a weekly pattern by day of week. `day` is the bucket's
 * start (wall time as UTC), `origin` the first day of the series.
 */
export function dailyTruth(day: Date, origin: Date): number {
  const t = Math.round((day.getTime() - origin.getTime()) / DAY);
  const dow = (day.getUTCDay() + 6) % 7;
  return 1000 + 2 * t + WEEKLY[dow]!;
}

/** Deterministic noise in [-amp, amp] (a small LCG), so every run sees the same data. */
export function noise(seed: number, amp: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    return ((s / 2 ** 32) * 2 - 1) * amp;
  };
}

export async function pushPoints(
  ctx: TestContext,
  t: TestTenant,
  points: { metric: string; time: string; value: number; channel?: string }[],
): Promise<void> {
  for (let i = 0; i < points.length; i += 10_000) {
    const res = await ctx.inject({
      method: 'POST',
      url: '/v1/metrics:batch',
      headers: t.auth,
      payload: { points: points.slice(i, i + 10_000) },
    });
    if (res.statusCode !== 200) throw new Error(`push failed: ${res.statusCode} ${res.body}`);
  }
}

/** `days` daily points ending yesterday (local), one at noon per day. */
export function dailySeries(
  metric: string,
  today: Date,
  days: number,
  value: (day: Date, index: number) => number,
): { metric: string; time: string; value: number }[] {
  return Array.from({ length: days }, (_, i) => {
    const day = new Date(today.getTime() - (days - i) * DAY);
    return { metric, time: wall(new Date(day.getTime() + 12 * HOUR)), value: value(day, i) };
  });
}

/** Polls a job until it leaves queued/running (or `timeoutMs`). */
export async function waitForJob(
  ctx: TestContext,
  t: TestTenant,
  id: string,
  timeoutMs = 25_000,
  onPoll?: (job: Record<string, unknown>) => void,
): Promise<Record<string, any>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const job = (
      await ctx.inject({ method: 'GET', url: `/v1/jobs/${id}`, headers: t.auth })
    ).json();
    onPoll?.(job);
    if (!['queued', 'running', 'retrying'].includes(job.status) || Date.now() > until) return job;
    await new Promise((r) => setTimeout(r, 100));
  }
}
