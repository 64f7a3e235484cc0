import type { PlanIssue } from '../../engines/optimize/index.js';
import { AppError, type FieldError } from '../../platform/errors/app-error.js';
import type { TenantTx } from '../../platform/tenancy/context.js';
import type { MetricsService } from '../metrics/service.js';

/** Runs `fn` in a transaction scoped to the plan's tenant (a request's or a job's). */
export type TenantRunner = <T>(fn: (tx: TenantTx) => Promise<T>) => Promise<T>;

/** What building an optimizer input from the tenant's data needs. */
export interface BuildContext {
  run: TenantRunner;
  metrics: MetricsService;
  /** The business's IANA time zone (its local days and hours). */
  timeZone: string;
  /** Today, local to the business. */
  today: string;
  /** Progress of a long build (a job reports it; inline builds ignore it). */
  progress(fraction: number, message: string): Promise<void>;
}

/** An optimizer input built from tenant data and the request's overrides. */
export interface Built<I> {
  input: I;
  /** Data problems found while building (the engine adds its own). */
  issues: PlanIssue[];
  /** Facts about the build for the plan's summary (as-of date, history window …). */
  facts: Record<string, string | number | boolean | null>;
}

/** A 400 answer listing every problem of a request body, with JSON-pointer paths. */
export function invalidRequest(errors: FieldError[]): AppError {
  return new AppError(
    'validation_failed',
    errors.length === 1
      ? `${errors[0]!.path} ${errors[0]!.message}`
      : `${errors.length} problems in the request: ${errors
          .slice(0, 3)
          .map((e) => `${e.path} ${e.message}`)
          .join('; ')}`,
    { errors: errors.slice(0, 200) },
  );
}

/** Ids that appear twice in a body array, as field errors (`/body/<field>/<i>/<key>`). */
export function duplicateIds(
  items: ReadonlyArray<Record<string, unknown>> | undefined,
  field: string,
  key: string,
): FieldError[] {
  const seen = new Set<unknown>();
  const errors: FieldError[] = [];
  (items ?? []).forEach((item, i) => {
    if (seen.has(item[key]))
      errors.push({
        path: `/body/${field}/${i}/${key}`,
        message: `"${String(item[key])}" is listed twice`,
      });
    seen.add(item[key]);
  });
  return errors;
}

/** Copies the defined fields of `from` (undefined means "not overridden"). */
export function definedFields<T extends object>(from: T): Partial<T> {
  return Object.fromEntries(Object.entries(from).filter(([, v]) => v !== undefined)) as Partial<T>;
}
