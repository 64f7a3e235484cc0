import { normalCdf, normalPdf, normalQuantile } from '../shared/normal-distribution.js';

/**
 * Demand forecast for one horizon step, as the forecasting engine supplies it: a mean and
 * optionally a standard deviation, 80 % / 95 % interval bounds, or explicit quantiles.
 */
export interface DemandStep {
  mean?: number;
  sd?: number;
  lower80?: number;
  upper80?: number;
  lower95?: number;
  upper95?: number;
  /** Explicit quantiles, e.g. `[{ p: 0.1, value: 4 }, { p: 0.9, value: 15 }]`. */
  quantiles?: ReadonlyArray<{ p: number; value: number }>;
}

/** Normal approximation of demand (censored at zero when used). */
export interface NormalDemand {
  mean: number;
  sd: number;
}

/** @internal A data problem found while reading demand; the caller turns it into an issue. */
export interface DemandNote {
  code: 'negative_demand' | 'no_uncertainty' | 'no_mean' | 'horizon_extended' | 'invalid_interval';
  message: string;
}

const Z80 = normalQuantile(0.9);
const Z95 = normalQuantile(0.975);

/**
 * Reads one forecast step as a normal distribution. The standard deviation comes from (in
 * order) `sd`, the 80 % and 95 % intervals (averaged when both exist), or quantiles
 * (least squares through the mean); with none of them, a Poisson-like √mean is assumed.
 * Negative means are clipped to 0. Problems are pushed to `notes`.
 *
 * @example
 * stepToNormal({ mean: 10, lower80: 7.4, upper80: 12.6 }, []); // { mean: 10, sd: ≈2.03 }
 */
export function stepToNormal(step: DemandStep, notes: DemandNote[]): NormalDemand {
  let mean = finite(step.mean);
  const qs = (step.quantiles ?? []).filter(
    (q) => finite(q.value) !== undefined && q.p > 0 && q.p < 1,
  );
  if (mean === undefined) {
    const median = qs.find((q) => Math.abs(q.p - 0.5) < 1e-9)?.value;
    const mid80 = midpoint(step.lower80, step.upper80);
    const mid95 = midpoint(step.lower95, step.upper95);
    mean = median ?? mid80 ?? mid95;
    if (mean === undefined) {
      notes.push({ code: 'no_mean', message: 'no mean demand given: assumed 0' });
      mean = 0;
    }
  }
  const sds: number[] = [];
  const sd = finite(step.sd);
  if (sd !== undefined && sd >= 0) sds.push(sd);
  else {
    for (const [lo, hi, z] of [
      [step.lower80, step.upper80, Z80],
      [step.lower95, step.upper95, Z95],
    ] as const) {
      const l = finite(lo);
      const h = finite(hi);
      if (l === undefined || h === undefined) continue;
      if (h < l) {
        notes.push({
          code: 'invalid_interval',
          message: `interval upper ${h} < lower ${l}: ignored`,
        });
        continue;
      }
      sds.push((h - l) / (2 * z));
    }
    const m = mean;
    const pairs = qs
      .filter((q) => Math.abs(q.p - 0.5) > 1e-9)
      .map((q) => [normalQuantile(q.p), q.value - m] as const);
    if (pairs.length > 0) {
      const num = pairs.reduce((s, [z, v]) => s + z * v, 0);
      const den = pairs.reduce((s, [z]) => s + z * z, 0);
      if (num > 0) sds.push(num / den);
    }
  }
  if (mean < 0) {
    notes.push({ code: 'negative_demand', message: `negative mean demand ${mean}: clipped to 0` });
    mean = 0;
  }
  if (sds.length === 0) {
    notes.push({
      code: 'no_uncertainty',
      message: 'no forecast interval given: assumed sd = √mean',
    });
    return { mean, sd: Math.sqrt(mean) };
  }
  return { mean, sd: sds.reduce((a, b) => a + b, 0) / sds.length };
}

/**
 * Total demand over days `[fromDay, toDay)` of a forecast whose steps are `periodDays` long,
 * assuming independent steps (means add, variances add). Partial steps count pro rata. When
 * the forecast is shorter than `toDay`, its last step is repeated and a note is pushed.
 *
 * @example
 * windowDemand([{ mean: 10, sd: 2 }, { mean: 12, sd: 3 }], 1, 0, 2); // { mean: 22, sd: ≈3.61 }
 */
export function windowDemand(
  steps: readonly NormalDemand[],
  periodDays: number,
  fromDay: number,
  toDay: number,
  notes?: DemandNote[],
): NormalDemand {
  let mean = 0;
  let variance = 0;
  const last = steps[steps.length - 1] ?? { mean: 0, sd: 0 };
  const lastStep = Math.ceil(toDay / periodDays);
  for (let k = Math.floor(fromDay / periodDays); k < lastStep; k++) {
    const start = Math.max(fromDay, k * periodDays);
    const end = Math.min(toDay, (k + 1) * periodDays);
    const share = (end - start) / periodDays;
    if (share <= 0) continue;
    const step = steps[k] ?? last;
    mean += share * step.mean;
    variance += share * step.sd * step.sd;
  }
  if (notes && toDay > steps.length * periodDays + 1e-9) {
    notes.push({
      code: 'horizon_extended',
      message: `forecast covers ${steps.length * periodDays} days but ${toDay} are needed: last step repeated`,
    });
  }
  return { mean, sd: Math.sqrt(variance) };
}

/**
 * Expected units sold, E[min(y, D)], when demand D is a normal censored at zero
 * (so no negative demand) and y ≥ 0 units are available. Concave and increasing in y.
 *
 * @example
 * expectedSales(10, { mean: 10, sd: 0 }); // 10
 * expectedSales(10, { mean: 10, sd: 3 }); // ≈ 8.80
 */
export function expectedSales(y: number, d: NormalDemand): number {
  if (y <= 0) return 0;
  if (d.sd <= 0) return Math.min(y, Math.max(0, d.mean));
  return expectedMinNormal(y, d) - expectedMinNormal(0, d);
}

/**
 * Expected demand censored at zero, E[max(D, 0)].
 *
 * @example
 * expectedDemand({ mean: 10, sd: 2 }); // ≈ 10
 */
export function expectedDemand(d: NormalDemand): number {
  if (d.sd <= 0) return Math.max(0, d.mean);
  return d.mean - expectedMinNormal(0, d);
}

/**
 * Cycle service level P(D ≤ y): the chance that `y` units cover all demand.
 *
 * @example
 * cycleServiceLevel(10, { mean: 10, sd: 2 }); // 0.5
 */
export function cycleServiceLevel(y: number, d: NormalDemand): number {
  if (y < 0) return 0;
  if (d.sd <= 0) return y >= d.mean ? 1 : 0;
  return normalCdf((y - d.mean) / d.sd);
}

/**
 * Smallest stock level whose cycle service level is at least `level` (0 < level < 1).
 *
 * @example
 * stockForServiceLevel(0.95, { mean: 100, sd: 10 }); // ≈ 116.4
 */
export function stockForServiceLevel(level: number, d: NormalDemand): number {
  if (d.sd <= 0) return Math.max(0, d.mean);
  return Math.max(0, d.mean + normalQuantile(level) * d.sd);
}

/** E[min(a, X)] for X ~ N(μ, σ²), σ > 0: μ − σ·L((a−μ)/σ) with the normal loss L. */
function expectedMinNormal(a: number, d: NormalDemand): number {
  const z = (a - d.mean) / d.sd;
  const loss = normalPdf(z) - z * normalCdf(-z);
  return d.mean - d.sd * loss;
}

function finite(x: number | undefined): number | undefined {
  return x !== undefined && Number.isFinite(x) ? x : undefined;
}

function midpoint(lo: number | undefined, hi: number | undefined): number | undefined {
  const l = finite(lo);
  const h = finite(hi);
  return l !== undefined && h !== undefined ? (l + h) / 2 : undefined;
}
