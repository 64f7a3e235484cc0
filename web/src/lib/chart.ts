/** Geometry for the hand-written SVG charts. Pure functions, no DOM. */

export type Scale = (v: number) => number;

/** Maps [d0, d1] linearly onto [r0, r1]; a flat domain maps to the middle of the range. */
export function linearScale([d0, d1]: [number, number], [r0, r1]: [number, number]): Scale {
  if (d1 === d0) return () => (r0 + r1) / 2;
  const k = (r1 - r0) / (d1 - d0);
  return (v) => r0 + (v - d0) * k;
}

const round = (v: number) => Math.round(v * 100) / 100;

/**
 * An SVG path through the points, lifting the pen at gaps (null values) so that missing
 * data shows as missing. A point with no neighbour is drawn as a zero-length segment,
 * which a round line cap turns into a dot.
 */
export function linePath(points: readonly { x: number; y: number | null }[]): string {
  const parts: string[] = [];
  let run: { x: number; y: number }[] = [];
  const flush = () => {
    if (run.length === 1) parts.push(`M${round(run[0]!.x)},${round(run[0]!.y)}h0`);
    else if (run.length > 1)
      parts.push(run.map((p, i) => `${i ? 'L' : 'M'}${round(p.x)},${round(p.y)}`).join(''));
    run = [];
  };
  for (const p of points) {
    if (p.y === null || !Number.isFinite(p.y)) flush();
    else run.push({ x: p.x, y: p.y });
  }
  flush();
  return parts.join('');
}

/** The closed area between a lower and an upper line (a forecast band). */
export function bandPath(points: readonly { x: number; lo: number; hi: number }[]): string {
  if (points.length === 0) return '';
  const top = points.map((p, i) => `${i ? 'L' : 'M'}${round(p.x)},${round(p.hi)}`).join('');
  const bottom = [...points]
    .reverse()
    .map((p) => `L${round(p.x)},${round(p.lo)}`)
    .join('');
  return `${top}${bottom}Z`;
}

/** Extent of the finite values, or null when there are none. */
export function extent(values: Iterable<number | null | undefined>): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v === null || v === undefined || !Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo === Infinity ? null : [lo, hi];
}

/** The sparkline of a card: values evenly spaced across the width, gaps kept. */
export function sparklinePath(
  values: readonly (number | null)[],
  width: number,
  height: number,
  pad = 2,
): string {
  const ext = extent(values);
  if (!ext || values.length === 0) return '';
  const x = linearScale([0, Math.max(values.length - 1, 1)], [pad, width - pad]);
  const y = linearScale(ext, [height - pad, pad]);
  return linePath(values.map((v, i) => ({ x: x(i), y: v === null ? null : y(v) })));
}

/** Round tick values (1, 2, 2.5, 5 × 10ⁿ) covering [lo, hi] in about `count` steps. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [];
  if (hi < lo) [lo, hi] = [hi, lo];
  if (hi === lo) {
    const pad = Math.abs(lo) > 0 ? Math.abs(lo) * 0.1 : 1;
    lo -= pad;
    hi += pad;
  }
  const raw = (hi - lo) / Math.max(count, 1);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const start = Math.floor(lo / step) * step;
  const ticks: number[] = [];
  for (let v = start; v <= hi + step * 1e-9 || ticks.length < 2; v += step) {
    ticks.push(Number(v.toPrecision(12)));
    if (ticks.length > 50) break;
  }
  if (ticks[ticks.length - 1]! < hi)
    ticks.push(Number((ticks[ticks.length - 1]! + step).toPrecision(12)));
  return ticks;
}

/** About `count` evenly spaced indexes of n items, always including the first. */
export function tickIndexes(n: number, count: number): number[] {
  if (n <= 0) return [];
  const step = Math.max(1, Math.ceil(n / Math.max(count, 1)));
  const out: number[] = [];
  for (let i = 0; i < n; i += step) out.push(i);
  return out;
}
