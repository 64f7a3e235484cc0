import { createHash } from 'node:crypto';
import { getTenant } from '../accounts/repo.js';
import {
  deriveMetrics,
  ensurePartitions,
  refreshRollups,
  upsertPoints,
  type MetricPoint,
} from '../metrics/write-repo.js';
import { upsertExpenses, upsertInventory, upsertOrders, upsertProducts } from '../records/repo.js';
import type {
  ExpenseInput,
  InventoryInput,
  OrderInput,
  ProductInput,
  UpsertCounts,
} from '../records/types.js';
import { AppError } from '../../platform/errors/app-error.js';
import type { TenantTx } from '../../platform/tenancy/context.js';
import { localDay } from './csv/values.js';
import { KINDS, type ImportKind, type Payload } from './kinds.js';
import * as repo from './repo.js';

/**
 * The commit: every staged record of an import goes into the canonical tables through the
 * records repository in ONE transaction (all or nothing), then the derived metrics of the
 * affected local days are recomputed, the staging rows dropped and the import marked
 * committed — in that same transaction. A record whose fingerprint matches what the last
 * import of it wrote is left alone and counted as unchanged.
 */

/** Every CSV import writes its records under this source. */
export const CSV_SOURCE = 'csv';

type RunTx = <T>(fn: (tx: TenantTx) => Promise<T>) => Promise<T>;

export interface CommitOptions {
  /** Statuses the import may be in (validated for inline, committing for a job). */
  allowed: repo.ImportStatus[];
  /** Progress 0…1 with a message; called inside the transaction, so it must not use it. */
  onProgress?: (fraction: number, message: string) => void;
  now?: () => Date;
}

const PAGE_ROWS = 2_000;
const LAST_ROW = 2 ** 31 - 1;

interface StagedRecord {
  key: string;
  /** One staged payload, or the ordered lines of an order. */
  payload: Payload | Payload[];
  fingerprint: string;
  unchanged: boolean;
}

/**
 * Reads the staged records in key order, a page of rows at a time; the lines of one order
 * (rows sharing a key) always arrive together.
 */
async function* stagedRecords(
  tx: TenantTx,
  importId: string,
  kind: ImportKind,
  grouped: boolean,
): AsyncGenerator<StagedRecord[]> {
  let after = { key: '', row: -1 };
  for (;;) {
    const rows = await repo.pageStaged(tx, importId, after, PAGE_ROWS);
    if (!rows.length) return;
    const groups: { key: string; payloads: Payload[] }[] = [];
    for (const r of rows) {
      const last = groups.at(-1);
      if (last && last.key === r.key) last.payloads.push(r.payload);
      else groups.push({ key: r.key, payloads: [r.payload] });
    }
    if (rows.length === PAGE_ROWS) {
      if (groups.length > 1)
        groups.pop(); // may continue on the next page
      else {
        // One order with more lines than a page: read the rest of it.
        const g = groups[0]!;
        let more = { key: g.key, row: rows.at(-1)!.row_no };
        for (;;) {
          const next = (await repo.pageStaged(tx, importId, more, PAGE_ROWS)).filter(
            (r) => r.key === g.key,
          );
          if (!next.length) break;
          g.payloads.push(...next.map((r) => r.payload));
          more = { key: g.key, row: next.at(-1)!.row_no };
        }
      }
    }
    after = { key: groups.at(-1)!.key, row: LAST_ROW };
    const known = await repo.fingerprintsOf(
      tx,
      kind,
      groups.map((g) => g.key),
    );
    yield groups.map((g) => {
      const payload = grouped ? g.payloads : g.payloads[0]!;
      const fingerprint = createHash('sha256')
        .update(JSON.stringify(payload))
        .digest('hex')
        .slice(0, 32);
      return { key: g.key, payload, fingerprint, unchanged: known.get(g.key) === fingerprint };
    });
  }
}

class Span {
  min: string | null = null;
  max: string | null = null;
  add(v: string | null | undefined): void {
    if (!v) return;
    if (this.min === null || v < this.min) this.min = v;
    if (this.max === null || v > this.max) this.max = v;
  }
}

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The first line stating each order-level value (lines may leave them blank). */
function orderHead(lines: Payload[]): Payload {
  const head: Payload = {};
  for (const l of lines) {
    for (const [k, v] of Object.entries((l.o ?? {}) as Payload)) if (!(k in head)) head[k] = v;
  }
  return head;
}

export function toOrderInput(key: string, lines: Payload[]): OrderInput {
  const h = orderHead(lines);
  const customerKey = str(h.customerId) ?? str(h.email);
  return {
    externalId: key,
    orderedAt: String(h.orderedAt),
    customer: customerKey
      ? { externalId: customerKey, name: str(h.customerName) ?? null, email: str(h.email) ?? null }
      : null,
    channel: str(h.channel) ?? '',
    location: str(h.location) ?? '',
    status: (str(h.status) as OrderInput['status']) ?? 'completed',
    currency: str(h.currency) ?? null,
    shipping: num(h.shipping) ?? 0,
    lines: lines.map((x) => {
      const l = (x.l ?? {}) as Payload;
      return {
        sku: str(l.sku) ?? null,
        productName: str(l.productName) ?? null,
        quantity: num(l.quantity) ?? 1,
        unitPrice: num(l.unitPrice) ?? 0,
        unitCost: num(l.unitCost) ?? null,
        discount: num(l.discount) ?? 0,
        tax: num(l.tax) ?? 0,
        refundedQuantity: num(l.refundedQuantity) ?? 0,
      };
    }),
  };
}

const CATALOGUE_FIELDS = [
  'name',
  'category',
  'supplier',
  'unitCost',
  'unitPrice',
  'leadTimeDays',
  'casePack',
  'minOrderQty',
  'shelfLifeDays',
  'active',
];

export function toProductInput(p: Payload): ProductInput {
  const sku = String(p.sku);
  return {
    externalId: `sku:${sku}`,
    sku,
    name: str(p.name) ?? sku,
    category: str(p.category) ?? null,
    supplier: str(p.supplier) ?? null,
    unitCost: num(p.unitCost) ?? null,
    unitPrice: num(p.unitPrice) ?? null,
    leadTimeDays: num(p.leadTimeDays) ?? null,
    ...(num(p.casePack) !== undefined ? { casePack: num(p.casePack)! } : {}),
    ...(num(p.minOrderQty) !== undefined ? { minOrderQty: num(p.minOrderQty)! } : {}),
    shelfLifeDays: num(p.shelfLifeDays) ?? null,
    active: typeof p.active === 'boolean' ? p.active : true,
  };
}

export function toInventoryInput(p: Payload, now: Date, timeZone: string): InventoryInput | null {
  const onHand = num(p.onHand);
  if (onHand === undefined) return null;
  const sku = String(p.sku);
  const location = str(p.location) ?? '';
  const at = str(p.stockAt);
  return {
    externalId: `${sku}|${location}|${at ?? localDay(now, timeZone)}`,
    sku,
    location,
    time: at ?? now.toISOString(),
    onHand,
  };
}

export function toExpenseInput(key: string, p: Payload): ExpenseInput {
  return {
    externalId: key,
    incurredAt: String(p.incurredAt),
    dueAt: str(p.dueAt) ?? null,
    paidAt: str(p.paidAt) ?? null,
    vendor: str(p.vendor) ?? null,
    category: str(p.category) ?? 'other',
    description: str(p.description) ?? null,
    amount: num(p.amount) ?? 0,
    currency: str(p.currency) ?? null,
  };
}

const add = (a: UpsertCounts, b: UpsertCounts) => {
  a.inserted += b.inserted;
  a.updated += b.updated;
};

/** Commits the staged rows of `importId` (see the module comment). */
export async function commitStaged(
  runTx: RunTx,
  importId: string,
  opts: CommitOptions,
): Promise<repo.ImportRow> {
  const started = Date.now();
  const now = (opts.now ?? (() => new Date()))();
  return runTx(async (tx) => {
    await repo.lockForCommit(tx, importId);
    const imp = await repo.getImport(tx, importId);
    if (!imp) throw new AppError('not_found', `import ${importId} not found`);
    if (imp.status === 'committed') return imp;
    if (!opts.allowed.includes(imp.status)) {
      throw new AppError(
        'conflict',
        `import ${importId} is ${imp.status}; only a validated import can be committed`,
      );
    }
    const tenant = await getTenant(tx);
    const timeZone = tenant?.timezone ?? 'UTC';
    const kind: ImportKind = imp.kind;
    const spec = KINDS[kind];
    const grouped = spec.sameKey === 'group';
    const total = Math.max(imp.record_count, 1);
    const counts: UpsertCounts = { inserted: 0, updated: 0 };
    const stock: UpsertCounts = { inserted: 0, updated: 0 };
    let unchanged = 0;
    let done = 0;
    const days = new Span();
    const times = new Span();
    const metricNames = new Set<string>();
    const catalogue = CATALOGUE_FIELDS.some((f) => f in imp.mapping);
    for await (const page of stagedRecords(tx, importId, kind, grouped)) {
      const changed = page.filter((r) => !r.unchanged);
      unchanged += page.length - changed.length;
      if (changed.length) {
        switch (kind) {
          case 'orders': {
            const items = changed.map((r) => toOrderInput(r.key, r.payload as Payload[]));
            for (const o of items) days.add(localDay(new Date(o.orderedAt), timeZone));
            add(counts, await upsertOrders(tx, CSV_SOURCE, items));
            break;
          }
          case 'products': {
            const rows = changed.map((r) => r.payload as Payload);
            if (catalogue)
              add(counts, await upsertProducts(tx, CSV_SOURCE, rows.map(toProductInput)));
            const inv = rows
              .map((p) => toInventoryInput(p, now, timeZone))
              .filter((i): i is InventoryInput => i !== null);
            for (const i of inv) days.add(localDay(new Date(i.time), timeZone));
            const written = await upsertInventory(tx, CSV_SOURCE, inv);
            add(stock, written);
            if (!catalogue) add(counts, written); // a stock-only file: its records are the snapshots
            break;
          }
          case 'expenses': {
            const items = changed.map((r) => toExpenseInput(r.key, r.payload as Payload));
            for (const e of items)
              for (const t of [e.incurredAt, e.dueAt, e.paidAt])
                if (t) days.add(localDay(new Date(t), timeZone));
            add(counts, await upsertExpenses(tx, CSV_SOURCE, items));
            break;
          }
          case 'metrics': {
            const points: MetricPoint[] = changed.map((r) => {
              const p = r.payload as Payload;
              metricNames.add(String(p.metric));
              times.add(String(p.time));
              return {
                metric: String(p.metric),
                time: new Date(String(p.time)),
                value: Number(p.value),
                channel: str(p.channel) ?? '',
                location: str(p.location) ?? '',
                sku: str(p.sku) ?? '',
              };
            });
            const lo = new Date(points.reduce((m, p) => Math.min(m, p.time.getTime()), Infinity));
            const hi = new Date(points.reduce((m, p) => Math.max(m, p.time.getTime()), -Infinity));
            await ensurePartitions(tx, lo, hi);
            const existing = await repo.fingerprintsOf(
              tx,
              kind,
              changed.map((r) => r.key),
            );
            await upsertPoints(tx, CSV_SOURCE, points);
            for (const r of changed) {
              if (existing.has(r.key)) counts.updated++;
              else counts.inserted++;
            }
            break;
          }
        }
        await repo.saveFingerprints(
          tx,
          kind,
          importId,
          changed.map((r) => ({ key: r.key, fingerprint: r.fingerprint })),
        );
      }
      done += page.length;
      opts.onProgress?.(
        Math.min(0.95, (done / total) * 0.9),
        `wrote ${done} of ${imp.record_count} records`,
      );
    }

    let derivedPoints = 0;
    if (kind === 'metrics' && times.min && times.max) {
      await refreshRollups(
        tx,
        new Date(times.min),
        new Date(new Date(times.max).getTime() + 3_600_000),
        [...metricNames],
      );
    }
    if (kind !== 'metrics' && days.min && days.max) {
      opts.onProgress?.(0.95, `recomputing metrics for ${days.min} … ${days.max}`);
      await ensurePartitions(
        tx,
        new Date(`${days.min}T00:00:00Z`),
        new Date(`${days.max}T00:00:00Z`),
      );
      derivedPoints = await deriveMetrics(tx, days.min, days.max, timeZone);
    }
    const result: repo.CommitResult = {
      inserted: counts.inserted,
      updated: counts.updated,
      unchanged,
      ...(kind === 'products' ? { stockSnapshots: stock } : {}),
      derivedDays: days.min && days.max ? { from: days.min, to: days.max } : null,
      derivedPoints,
      seconds: Math.round((Date.now() - started) / 10) / 100,
    };
    opts.onProgress?.(1, 'committed');
    return repo.markCommitted(tx, importId, result);
  });
}
