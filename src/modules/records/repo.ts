import type { TenantTx } from '../../platform/tenancy/context.js';
import type {
  CashBalanceInput,
  CustomerRef,
  ExpenseInput,
  InventoryInput,
  InvoiceInput,
  MarketingSpendInput,
  OrderInput,
  PaymentInput,
  ProductInput,
  ShiftInput,
  StaffInput,
  UpsertCounts,
} from './types.js';

/**
 * Bulk upserts of canonical records. Each function sends its whole batch as one JSON
 * parameter and lets PostgreSQL unpack it (jsonb_to_recordset), so a batch of thousands is
 * a handful of statements, never SQL built from values.
 */

const counts = (rows: { inserted: boolean }[]): UpsertCounts => ({
  inserted: rows.filter((r) => r.inserted).length,
  updated: rows.filter((r) => !r.inserted).length,
});

export async function upsertProducts(
  tx: TenantTx,
  source: string,
  items: ProductInput[],
): Promise<UpsertCounts> {
  if (!items.length) return { inserted: 0, updated: 0 };
  const { rows } = await tx.query<{ inserted: boolean }>(
    `insert into products (tenant_id, source, external_id, sku, name, category, supplier, unit_cost, unit_price,
                           lead_time_days, case_pack, min_order_qty, shelf_life_days, storage_units, active)
     select $1::uuid, $2, p."externalId", p.sku, coalesce(p.name, ''), p.category, p.supplier, p."unitCost", p."unitPrice",
            p."leadTimeDays", coalesce(p."casePack", 1), coalesce(p."minOrderQty", 0), p."shelfLifeDays",
            coalesce(p."storageUnits", 1), coalesce(p.active, true)
       from jsonb_to_recordset($3::jsonb) as p("externalId" text, sku text, name text, category text, supplier text,
            "unitCost" numeric, "unitPrice" numeric, "leadTimeDays" int, "casePack" int, "minOrderQty" int,
            "shelfLifeDays" int, "storageUnits" numeric, active boolean)
     on conflict (tenant_id, source, external_id) do update set
       sku = excluded.sku, name = excluded.name, category = excluded.category, supplier = excluded.supplier,
       unit_cost = excluded.unit_cost, unit_price = excluded.unit_price, lead_time_days = excluded.lead_time_days,
       case_pack = excluded.case_pack, min_order_qty = excluded.min_order_qty, shelf_life_days = excluded.shelf_life_days,
       storage_units = excluded.storage_units, active = excluded.active, updated_at = now()
     returning (xmax = 0) as inserted`,
    [tx.tenantId, source, JSON.stringify(items)],
    'records.upsertProducts',
  );
  return counts(rows);
}

/** Creates a bare product for every SKU no product has yet (orders may mention new SKUs). */
async function ensureSkus(tx: TenantTx, source: string, skus: string[]): Promise<void> {
  if (!skus.length) return;
  await tx.query(
    `insert into products (tenant_id, source, external_id, sku, name)
     select $1::uuid, $2, 'sku:' || s.sku, s.sku, s.sku
       from (select distinct unnest($3::text[]) as sku) s
      where not exists (select 1 from products p where p.sku = s.sku)
     on conflict (tenant_id, source, external_id) do nothing`,
    [tx.tenantId, source, skus],
    'records.ensureSkus',
  );
}

export async function upsertInventory(
  tx: TenantTx,
  source: string,
  items: InventoryInput[],
): Promise<UpsertCounts> {
  if (!items.length) return { inserted: 0, updated: 0 };
  await ensureSkus(
    tx,
    source,
    items.map((i) => i.sku),
  );
  const { rows } = await tx.query<{ inserted: boolean }>(
    `insert into inventory_levels (tenant_id, product_id, location, time, on_hand, source, external_id)
     select $1::uuid, (select p.id from products p where p.sku = i.sku order by p.active desc, p.created_at limit 1),
            coalesce(i.location, ''), i.time, i."onHand", $2, i."externalId"
       from jsonb_to_recordset($3::jsonb) as i("externalId" text, sku text, location text, time timestamptz, "onHand" numeric)
     on conflict (tenant_id, source, external_id) do update set
       on_hand = excluded.on_hand, time = excluded.time, location = excluded.location, product_id = excluded.product_id
     returning (xmax = 0) as inserted`,
    [tx.tenantId, source, JSON.stringify(items)],
    'records.upsertInventory',
  );
  return counts(rows);
}

export async function upsertCustomers(
  tx: TenantTx,
  source: string,
  items: CustomerRef[],
): Promise<void> {
  if (!items.length) return;
  await tx.query(
    `insert into customers (tenant_id, source, external_id, name, email)
     select distinct on (c."externalId") $1::uuid, $2, c."externalId", c.name, c.email
       from jsonb_to_recordset($3::jsonb) as c("externalId" text, name text, email text)
     on conflict (tenant_id, source, external_id) do update set
       name = coalesce(excluded.name, customers.name), email = coalesce(excluded.email, customers.email)`,
    [tx.tenantId, source, JSON.stringify(items)],
    'records.upsertCustomers',
  );
}

/**
 * Orders with their lines. Totals are computed from the lines (gross = Σ qty × price);
 * a re-import replaces an order's lines. First-seen times of customers follow their orders.
 */
export async function upsertOrders(
  tx: TenantTx,
  source: string,
  items: OrderInput[],
): Promise<UpsertCounts> {
  if (!items.length) return { inserted: 0, updated: 0 };
  const customers = items.flatMap((o) => (o.customer ? [o.customer] : []));
  await upsertCustomers(tx, source, customers);
  await ensureSkus(tx, source, [
    ...new Set(items.flatMap((o) => o.lines.flatMap((l) => (l.sku ? [l.sku] : [])))),
  ]);
  const payload = JSON.stringify(
    items.map((o) => ({
      externalId: o.externalId,
      orderedAt: o.orderedAt,
      customerExternalId: o.customer?.externalId ?? null,
      channel: o.channel ?? '',
      location: o.location ?? '',
      status: o.status ?? 'completed',
      currency: o.currency ?? null,
      gross: round2(o.lines.reduce((s, l) => s + l.quantity * l.unitPrice, 0)),
      discount: round2((o.discount ?? 0) + o.lines.reduce((s, l) => s + (l.discount ?? 0), 0)),
      tax: round2((o.tax ?? 0) + o.lines.reduce((s, l) => s + (l.tax ?? 0), 0)),
      shipping: o.shipping ?? 0,
      refunded:
        o.refunded ??
        round2(o.lines.reduce((s, l) => s + (l.refundedQuantity ?? 0) * l.unitPrice, 0)),
    })),
  );
  const { rows } = await tx.query<{ inserted: boolean }>(
    `insert into orders (tenant_id, source, external_id, ordered_at, customer_id, channel, location, status, currency,
                         gross, discount, tax, shipping, refunded)
     select $1::uuid, $2, o."externalId", o."orderedAt", c.id,
            o.channel, o.location, o.status, o.currency, o.gross, o.discount, o.tax, o.shipping, o.refunded
       from jsonb_to_recordset($3::jsonb) as o("externalId" text, "orderedAt" timestamptz, "customerExternalId" text,
            channel text, location text, status text, currency text, gross numeric, discount numeric, tax numeric,
            shipping numeric, refunded numeric)
       left join customers c on c.source = $2 and c.external_id = o."customerExternalId"
     on conflict (tenant_id, source, external_id) do update set
       ordered_at = excluded.ordered_at, customer_id = excluded.customer_id, channel = excluded.channel,
       location = excluded.location, status = excluded.status, currency = excluded.currency, gross = excluded.gross,
       discount = excluded.discount, tax = excluded.tax, shipping = excluded.shipping, refunded = excluded.refunded
     returning (xmax = 0) as inserted`,
    [tx.tenantId, source, payload],
    'records.upsertOrders',
  );
  const lines = JSON.stringify(
    items.flatMap((o) =>
      o.lines.map((l, i) => ({
        orderExternalId: o.externalId,
        lineNo: i + 1,
        sku: l.sku ?? null,
        quantity: l.quantity,
        unitPrice: l.unitPrice,
        unitCost: l.unitCost ?? null,
        discount: l.discount ?? 0,
        tax: l.tax ?? 0,
        refundedQuantity: l.refundedQuantity ?? 0,
      })),
    ),
  );
  await tx.query(
    `delete from order_lines ol using orders o
      where ol.order_id = o.id and o.source = $1 and o.external_id = any($2::text[])`,
    [source, items.map((o) => o.externalId)],
    'records.deleteOrderLines',
  );
  await tx.query(
    `insert into order_lines (tenant_id, order_id, line_no, product_id, sku, quantity, unit_price, unit_cost, discount, tax, refunded_quantity)
     select $1::uuid, o.id, l."lineNo", p.id, l.sku, l.quantity, l."unitPrice", coalesce(l."unitCost", p.unit_cost),
            l.discount, l.tax, l."refundedQuantity"
       from jsonb_to_recordset($3::jsonb) as l("orderExternalId" text, "lineNo" int, sku text, quantity numeric,
            "unitPrice" numeric, "unitCost" numeric, discount numeric, tax numeric, "refundedQuantity" numeric)
       join orders o on o.source = $2 and o.external_id = l."orderExternalId"
       left join (select distinct on (sku) sku, id, unit_cost from products order by sku, active desc, created_at) p
              on p.sku = l.sku`,
    [tx.tenantId, source, lines],
    'records.insertOrderLines',
  );
  await tx.query(
    `update customers c set first_seen_at = f.first
       from (select customer_id, min(ordered_at) as first from orders
              where customer_id is not null and source = $1 and external_id = any($2::text[]) group by customer_id) f
      where c.id = f.customer_id and (c.first_seen_at is null or c.first_seen_at > f.first)`,
    [source, items.map((o) => o.externalId)],
    'records.customerFirstSeen',
  );
  return counts(rows);
}

export async function upsertPayments(
  tx: TenantTx,
  source: string,
  items: PaymentInput[],
): Promise<UpsertCounts> {
  if (!items.length) return { inserted: 0, updated: 0 };
  const { rows } = await tx.query<{ inserted: boolean }>(
    `insert into payments (tenant_id, source, external_id, kind, occurred_at, amount, currency, order_id, status)
     select $1::uuid, $2, p."externalId", p.kind, p."occurredAt", p.amount, p.currency,
            (select o.id from orders o where o.source = $2 and o.external_id = p."orderExternalId"),
            coalesce(p.status, 'succeeded')
       from jsonb_to_recordset($3::jsonb) as p("externalId" text, kind text, "occurredAt" timestamptz, amount numeric,
            currency text, "orderExternalId" text, status text)
     on conflict (tenant_id, source, external_id) do update set
       kind = excluded.kind, occurred_at = excluded.occurred_at, amount = excluded.amount, currency = excluded.currency,
       order_id = excluded.order_id, status = excluded.status
     returning (xmax = 0) as inserted`,
    [tx.tenantId, source, JSON.stringify(items)],
    'records.upsertPayments',
  );
  return counts(rows);
}

export async function upsertInvoices(
  tx: TenantTx,
  source: string,
  items: InvoiceInput[],
): Promise<UpsertCounts> {
  if (!items.length) return { inserted: 0, updated: 0 };
  await upsertCustomers(
    tx,
    source,
    items.flatMap((i) => (i.customer ? [i.customer] : [])),
  );
  const payload = items.map((i) => ({
    ...i,
    customerExternalId: i.customer?.externalId ?? null,
    customer: undefined,
  }));
  const { rows } = await tx.query<{ inserted: boolean }>(
    `insert into invoices (tenant_id, source, external_id, customer_id, issued_at, due_at, paid_at, amount, currency, status)
     select $1::uuid, $2, i."externalId",
            (select c.id from customers c where c.source = $2 and c.external_id = i."customerExternalId"),
            i."issuedAt", i."dueAt", i."paidAt", i.amount, i.currency,
            coalesce(i.status, case when i."paidAt" is not null then 'paid' else 'open' end)
       from jsonb_to_recordset($3::jsonb) as i("externalId" text, "customerExternalId" text, "issuedAt" timestamptz,
            "dueAt" timestamptz, "paidAt" timestamptz, amount numeric, currency text, status text)
     on conflict (tenant_id, source, external_id) do update set
       customer_id = excluded.customer_id, issued_at = excluded.issued_at, due_at = excluded.due_at,
       paid_at = excluded.paid_at, amount = excluded.amount, currency = excluded.currency, status = excluded.status
     returning (xmax = 0) as inserted`,
    [tx.tenantId, source, JSON.stringify(payload)],
    'records.upsertInvoices',
  );
  return counts(rows);
}

export async function upsertExpenses(
  tx: TenantTx,
  source: string,
  items: ExpenseInput[],
): Promise<UpsertCounts> {
  if (!items.length) return { inserted: 0, updated: 0 };
  const { rows } = await tx.query<{ inserted: boolean }>(
    `insert into expenses (tenant_id, source, external_id, incurred_at, due_at, paid_at, vendor, category, description, amount, currency)
     select $1::uuid, $2, e."externalId", e."incurredAt", e."dueAt", e."paidAt", e.vendor, coalesce(e.category, 'other'),
            e.description, e.amount, e.currency
       from jsonb_to_recordset($3::jsonb) as e("externalId" text, "incurredAt" timestamptz, "dueAt" timestamptz,
            "paidAt" timestamptz, vendor text, category text, description text, amount numeric, currency text)
     on conflict (tenant_id, source, external_id) do update set
       incurred_at = excluded.incurred_at, due_at = excluded.due_at, paid_at = excluded.paid_at, vendor = excluded.vendor,
       category = excluded.category, description = excluded.description, amount = excluded.amount, currency = excluded.currency
     returning (xmax = 0) as inserted`,
    [tx.tenantId, source, JSON.stringify(items)],
    'records.upsertExpenses',
  );
  return counts(rows);
}

export async function upsertCashBalances(
  tx: TenantTx,
  source: string,
  items: CashBalanceInput[],
): Promise<UpsertCounts> {
  if (!items.length) return { inserted: 0, updated: 0 };
  const { rows } = await tx.query<{ inserted: boolean }>(
    `insert into cash_balances (tenant_id, account, time, balance, source, external_id)
     select $1::uuid, b.account, b.time, b.balance, $2, b."externalId"
       from jsonb_to_recordset($3::jsonb) as b("externalId" text, account text, time timestamptz, balance numeric)
     on conflict (tenant_id, source, external_id) do update set
       account = excluded.account, time = excluded.time, balance = excluded.balance
     returning (xmax = 0) as inserted`,
    [tx.tenantId, source, JSON.stringify(items)],
    'records.upsertCashBalances',
  );
  return counts(rows);
}

export async function upsertStaff(
  tx: TenantTx,
  source: string,
  items: StaffInput[],
): Promise<UpsertCounts> {
  if (!items.length) return { inserted: 0, updated: 0 };
  const { rows } = await tx.query<{ inserted: boolean }>(
    `insert into staff (tenant_id, source, external_id, name, skills, hourly_rate, min_hours_per_week, max_hours_per_week, availability, active)
     select $1::uuid, $2, s."externalId", s.name, coalesce(array(select jsonb_array_elements_text(s.skills)), '{}'),
            s."hourlyRate", coalesce(s."minHoursPerWeek", 0), coalesce(s."maxHoursPerWeek", 40),
            coalesce(s.availability, '{}'::jsonb), coalesce(s.active, true)
       from jsonb_to_recordset($3::jsonb) as s("externalId" text, name text, skills jsonb, "hourlyRate" numeric,
            "minHoursPerWeek" numeric, "maxHoursPerWeek" numeric, availability jsonb, active boolean)
     on conflict (tenant_id, source, external_id) do update set
       name = excluded.name, skills = excluded.skills, hourly_rate = excluded.hourly_rate,
       min_hours_per_week = excluded.min_hours_per_week, max_hours_per_week = excluded.max_hours_per_week,
       availability = excluded.availability, active = excluded.active
     returning (xmax = 0) as inserted`,
    [tx.tenantId, source, JSON.stringify(items)],
    'records.upsertStaff',
  );
  return counts(rows);
}

export async function upsertShifts(
  tx: TenantTx,
  source: string,
  items: ShiftInput[],
): Promise<UpsertCounts> {
  if (!items.length) return { inserted: 0, updated: 0 };
  const { rows } = await tx.query<{ inserted: boolean }>(
    `insert into staff_shifts (tenant_id, source, external_id, staff_id, role, location, starts_at, ends_at, labour_cost)
     select $1::uuid, $2, s."externalId",
            (select st.id from staff st where st.source = $2 and st.external_id = s."staffExternalId"),
            s.role, coalesce(s.location, ''), s."startsAt", s."endsAt", s."labourCost"
       from jsonb_to_recordset($3::jsonb) as s("externalId" text, "staffExternalId" text, role text, location text,
            "startsAt" timestamptz, "endsAt" timestamptz, "labourCost" numeric)
     on conflict (tenant_id, source, external_id) do update set
       staff_id = excluded.staff_id, role = excluded.role, location = excluded.location,
       starts_at = excluded.starts_at, ends_at = excluded.ends_at, labour_cost = excluded.labour_cost
     returning (xmax = 0) as inserted`,
    [tx.tenantId, source, JSON.stringify(items)],
    'records.upsertShifts',
  );
  return counts(rows);
}

export async function upsertMarketingSpend(
  tx: TenantTx,
  source: string,
  items: MarketingSpendInput[],
): Promise<UpsertCounts> {
  if (!items.length) return { inserted: 0, updated: 0 };
  const { rows } = await tx.query<{ inserted: boolean }>(
    `insert into marketing_spend (tenant_id, day, channel, campaign, spend, impressions, clicks, attributed_revenue, source, external_id)
     select $1::uuid, m.day, m.channel, coalesce(m.campaign, ''), m.spend, m.impressions, m.clicks, m."attributedRevenue", $2, m."externalId"
       from jsonb_to_recordset($3::jsonb) as m("externalId" text, day date, channel text, campaign text, spend numeric,
            impressions bigint, clicks bigint, "attributedRevenue" numeric)
     on conflict (tenant_id, source, external_id) do update set
       day = excluded.day, channel = excluded.channel, campaign = excluded.campaign, spend = excluded.spend,
       impressions = excluded.impressions, clicks = excluded.clicks, attributed_revenue = excluded.attributed_revenue
     returning (xmax = 0) as inserted`,
    [tx.tenantId, source, JSON.stringify(items)],
    'records.upsertMarketingSpend',
  );
  return counts(rows);
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
