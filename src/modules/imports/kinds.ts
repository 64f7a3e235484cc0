import { createHash } from 'node:crypto';
import { DERIVED_STORED } from '../metrics/catalogue.js';
import type { FieldSpec, HeaderIssue } from './csv/mapping.js';
import { isAmbiguous, type RowReader } from './row-reader.js';

/**
 * What each import kind reads: its fields (with header synonyms) and how one CSV record
 * becomes one staged row — a key (the record's identity in the file) and a normalised
 * payload. Staged payloads are JSON; the commit turns them into records-repo inputs.
 */

export const IMPORT_KINDS = ['orders', 'products', 'expenses', 'metrics'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export type Payload = Record<string, unknown>;

export interface KindSpec {
  kind: ImportKind;
  fields: readonly FieldSpec[];
  /** Extra header rules beyond required fields. */
  checkMapping(mapped: ReadonlySet<string>): HeaderIssue[];
  /** Reads one record; returns null when it has errors (they are on the reader). */
  read(r: RowReader): Payload | null;
  /** The record's identity within the file and across imports. */
  keyOf(payload: Payload): string;
  /**
   * Rows sharing a key: `duplicate` = an error on every row after the first; `group` =
   * lines of one record (orders), where only identical lines are duplicates.
   */
  sameKey: 'duplicate' | 'group';
  /** How a key reads in a message, e.g. `SKU "ABC"`. */
  describe(key: string): string;
}

const f = (
  name: string,
  required: boolean,
  description: string,
  synonyms: string[],
): FieldSpec => ({
  name,
  required,
  description,
  synonyms,
});

// ---------------------------------------------------------------------------------------
// Orders: one row per order line; rows sharing an order id are one order.

export const ORDER_FIELDS: readonly FieldSpec[] = [
  f('orderId', true, 'the order number; rows with the same one are lines of one order', [
    'orderid',
    'ordernumber',
    'orderno',
    'ordernumbernumber',
    'order',
    'name',
    'receiptnumber',
    'receiptid',
    'transactionid',
    'saleid',
    'salesordernumber',
    'invoicenumber',
    'id',
  ]),
  f('orderedAt', true, 'when the order was placed', [
    'orderedat',
    'orderdate',
    'orderdatetime',
    'createdat',
    'created',
    'date',
    'datetime',
    'timestamp',
    'time',
    'paidat',
    'processedat',
    'saledate',
    'transactiondate',
  ]),
  f('lineId', false, 'a line id, when one order can list the same item twice', [
    'lineitemid',
    'lineid',
    'itemid',
  ]),
  f('sku', false, 'the product SKU', [
    'sku',
    'lineitemsku',
    'productsku',
    'itemsku',
    'variantsku',
    'productcode',
    'itemcode',
  ]),
  f('productName', false, 'the product name', [
    'productname',
    'lineitemname',
    'itemname',
    'product',
    'item',
    'title',
    'description',
  ]),
  f('quantity', false, 'units sold on the line (default 1)', [
    'quantity',
    'lineitemquantity',
    'qty',
    'units',
    'unitssold',
    'count',
  ]),
  f('unitPrice', false, 'price of one unit, before discounts', [
    'unitprice',
    'lineitemprice',
    'price',
    'itemprice',
    'saleprice',
    'priceeach',
  ]),
  f('lineTotal', false, 'quantity × unit price, when there is no unit price column', [
    'linetotal',
    'lineamount',
    'lineitemtotal',
    'grosssales',
    'amount',
    'total',
    'sales',
    'subtotal',
  ]),
  f('unitCost', false, 'cost of one unit', [
    'unitcost',
    'cost',
    'costperitem',
    'costprice',
    'cogs',
  ]),
  f('discount', false, 'discount on the line (a negative number is read as a discount too)', [
    'discount',
    'lineitemdiscount',
    'discountamount',
    'discounts',
  ]),
  f('tax', false, 'tax on the line', [
    'tax',
    'taxes',
    'lineitemtax',
    'vat',
    'salestax',
    'taxamount',
  ]),
  f('shipping', false, 'shipping charged on the order (once per order)', [
    'shipping',
    'shippingcost',
    'shippingamount',
    'delivery',
    'deliveryfee',
  ]),
  f('refundedQuantity', false, 'units refunded on the line', [
    'refundedquantity',
    'refundedqty',
    'returnedquantity',
    'returnedqty',
    'returns',
  ]),
  f('customerId', false, 'the customer id', [
    'customerid',
    'customernumber',
    'clientid',
    'customer',
  ]),
  f('email', false, 'the customer e-mail', [
    'email',
    'customeremail',
    'buyeremail',
    'emailaddress',
  ]),
  f('customerName', false, 'the customer name', [
    'customername',
    'billingname',
    'clientname',
    'buyername',
  ]),
  f('channel', false, 'sales channel (web, store, marketplace …)', [
    'channel',
    'saleschannel',
    'source',
    'ordersource',
  ]),
  f('location', false, 'store or location', [
    'location',
    'store',
    'storename',
    'outlet',
    'branch',
    'shop',
  ]),
  f(
    'status',
    false,
    'completed, cancelled, refunded or pending (Shopify/Square wording understood)',
    ['status', 'orderstatus', 'financialstatus', 'paymentstatus', 'state'],
  ),
  f('currency', false, 'ISO currency code', ['currency', 'currencycode']),
];

const STATUS: Record<string, 'completed' | 'cancelled' | 'refunded' | 'pending'> = {
  completed: 'completed',
  complete: 'completed',
  paid: 'completed',
  fulfilled: 'completed',
  closed: 'completed',
  success: 'completed',
  succeeded: 'completed',
  delivered: 'completed',
  shipped: 'completed',
  partiallyrefunded: 'completed',
  partiallypaid: 'completed',
  done: 'completed',
  cancelled: 'cancelled',
  canceled: 'cancelled',
  voided: 'cancelled',
  void: 'cancelled',
  failed: 'cancelled',
  declined: 'cancelled',
  refunded: 'refunded',
  returned: 'refunded',
  pending: 'pending',
  open: 'pending',
  authorized: 'pending',
  unpaid: 'pending',
  processing: 'pending',
  draft: 'pending',
};

const round4 = (n: number) => Math.round(n * 10_000) / 10_000;

function currency(r: RowReader, field: string): string | null {
  const c = r.text(field, { max: 3 });
  if (c === null) return null;
  if (!/^[A-Za-z]{3}$/.test(c)) {
    r.error(field, `"${c}" is not a three-letter currency code (USD, EUR …)`);
    return null;
  }
  return c.toUpperCase();
}

const compact = (o: Payload): Payload =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined));

export const orders: KindSpec = {
  kind: 'orders',
  fields: ORDER_FIELDS,
  sameKey: 'group',
  describe: (k) => `order "${k}"`,
  checkMapping(mapped) {
    if (mapped.has('unitPrice') || mapped.has('lineTotal')) return [];
    return [
      {
        column: null,
        reason:
          'no price column: map "unitPrice" (price of one unit) or "lineTotal" (quantity × price)',
      },
    ];
  },
  read(r) {
    const orderId = r.text('orderId', { required: true, max: 200 });
    const orderedAt = r.date('orderedAt', 'instant', 'o.orderedAt', { required: true });
    const quantity = r.has('quantity')
      ? r.number('quantity', {
          required: true,
          greaterThan: 0,
          hint: 'a return belongs in refundedQuantity on the original line, or mark the order status "refunded"',
        })
      : 1;
    let unitPrice = r.number('unitPrice', { min: 0, hint: 'prices cannot be negative' });
    const lineTotal = r.number('lineTotal', { min: 0, hint: 'line totals cannot be negative' });
    if (unitPrice === null && r.raw('unitPrice') === null) {
      if (lineTotal !== null && quantity) unitPrice = round4(lineTotal / quantity);
      else if (r.raw('lineTotal') === null)
        r.error(r.has('unitPrice') ? 'unitPrice' : 'lineTotal', 'is empty; a price is required');
    }
    const discount = r.number('discount');
    const refundedQuantity = r.number('refundedQuantity', { min: 0 });
    if (refundedQuantity !== null && quantity !== null && refundedQuantity > quantity) {
      r.error(
        'refundedQuantity',
        `${refundedQuantity} units refunded but only ${quantity} sold on the line`,
      );
    }
    const email = r.text('email', { max: 320 });
    if (email !== null && !/^[^\s@]+@[^\s@]+$/.test(email))
      r.error('email', `"${email}" is not an e-mail address`);
    const statusRaw = r.text('status', { max: 50 });
    let status: string | null = null;
    if (statusRaw !== null) {
      status = STATUS[statusRaw.toLowerCase().replace(/[^a-z]/g, '')] ?? null;
      if (!status)
        r.error(
          'status',
          `"${statusRaw}" is not an order status (completed, cancelled, refunded, pending)`,
        );
    }
    const o = compact({
      orderedAt,
      customerId: r.text('customerId', { max: 200 }),
      email: email?.toLowerCase() ?? null,
      customerName: r.text('customerName', { max: 200 }),
      channel: r.text('channel', { max: 100 }),
      location: r.text('location', { max: 100 }),
      status,
      currency: currency(r, 'currency'),
      shipping: r.number('shipping', { min: 0 }),
    });
    const l = compact({
      lineId: r.text('lineId', { max: 200 }),
      sku: r.text('sku', { max: 200 }),
      productName: r.text('productName', { max: 500 }),
      quantity,
      unitPrice,
      unitCost: r.number('unitCost', { min: 0 }),
      discount: discount === null ? null : Math.abs(discount),
      tax: r.number('tax', { min: 0 }),
      refundedQuantity,
    });
    if (r.errors.length) return null;
    return { id: orderId, o, l };
  },
  keyOf: (p) => String(p.id),
};

// ---------------------------------------------------------------------------------------
// Products: the catalogue, with an optional stock count per row.

export const PRODUCT_FIELDS: readonly FieldSpec[] = [
  f('sku', true, 'the SKU (a product is identified by it)', [
    'sku',
    'variantsku',
    'productsku',
    'itemsku',
    'productcode',
    'itemcode',
    'code',
    'barcode',
  ]),
  f('name', false, 'the product name', [
    'name',
    'productname',
    'title',
    'itemname',
    'item',
    'product',
    'description',
  ]),
  f('category', false, 'category', [
    'category',
    'producttype',
    'type',
    'department',
    'productcategory',
  ]),
  f('supplier', false, 'supplier', ['supplier', 'vendor', 'manufacturer', 'brand']),
  f('unitCost', false, 'cost of one unit', [
    'unitcost',
    'cost',
    'costperitem',
    'costprice',
    'purchaseprice',
    'buyprice',
  ]),
  f('unitPrice', false, 'selling price of one unit', [
    'unitprice',
    'price',
    'variantprice',
    'retailprice',
    'saleprice',
    'sellprice',
  ]),
  f('leadTimeDays', false, 'supplier lead time in days', [
    'leadtimedays',
    'leadtime',
    'leadtimeindays',
  ]),
  f('casePack', false, 'units per case', ['casepack', 'packsize', 'casesize', 'unitspercase']),
  f('minOrderQty', false, 'minimum order quantity', [
    'minorderqty',
    'moq',
    'minimumorderquantity',
    'minorderquantity',
  ]),
  f('shelfLifeDays', false, 'shelf life in days', ['shelflifedays', 'shelflife']),
  f('active', false, 'whether it is sold (yes/no, active/archived)', [
    'active',
    'enabled',
    'status',
    'published',
  ]),
  f('onHand', false, 'units in stock (a stock snapshot)', [
    'onhand',
    'stockonhand',
    'stock',
    'instock',
    'inventory',
    'variantinventoryqty',
    'inventoryquantity',
    'quantity',
    'qty',
    'available',
  ]),
  f('location', false, 'where the stock is', ['location', 'warehouse', 'store', 'stocklocation']),
  f('stockAt', false, 'when the stock was counted (default: the upload time)', [
    'stockat',
    'asof',
    'countedat',
    'stockdate',
    'snapshotdate',
    'date',
  ]),
];

export const products: KindSpec = {
  kind: 'products',
  fields: PRODUCT_FIELDS,
  sameKey: 'duplicate',
  describe: (k) => `SKU "${k}"`,
  checkMapping: () => [],
  read(r) {
    const sku = r.text('sku', { required: true, max: 200 });
    const onHand = r.number('onHand', {
      min: 0,
      hint: 'a stock count cannot be negative; count oversold items as 0',
    });
    const p = compact({
      sku,
      name: r.text('name', { max: 500 }),
      category: r.text('category', { max: 200 }),
      supplier: r.text('supplier', { max: 200 }),
      unitCost: r.number('unitCost', { min: 0 }),
      unitPrice: r.number('unitPrice', { min: 0 }),
      leadTimeDays: r.number('leadTimeDays', { min: 0, integer: true }),
      casePack: r.number('casePack', { greaterThan: 0, integer: true }),
      minOrderQty: r.number('minOrderQty', { min: 0, integer: true }),
      shelfLifeDays: r.number('shelfLifeDays', { greaterThan: 0, integer: true }),
      active: r.boolean('active'),
      onHand,
      location: r.text('location', { max: 100 }),
      stockAt: r.date('stockAt', 'instant', 'stockAt'),
    });
    if (p.stockAt !== undefined && onHand === null && !r.errors.length) {
      r.error(
        'stockAt',
        'a stock date without a stock count; fill the on-hand column or leave the date empty',
      );
    }
    if (r.errors.length) return null;
    return p;
  },
  keyOf: (p) => String(p.sku),
};

// ---------------------------------------------------------------------------------------
// Expenses.

export const EXPENSE_FIELDS: readonly FieldSpec[] = [
  f(
    'expenseId',
    false,
    'an id (bill or transaction number); without one, identical rows count as duplicates',
    [
      'expenseid',
      'id',
      'transactionid',
      'reference',
      'ref',
      'billnumber',
      'billno',
      'receiptnumber',
      'documentnumber',
      'number',
    ],
  ),
  f('incurredAt', true, 'when the cost was incurred', [
    'incurredat',
    'date',
    'expensedate',
    'billdate',
    'transactiondate',
    'invoicedate',
    'postedat',
  ]),
  f('amount', true, 'the amount (positive)', [
    'amount',
    'total',
    'totalamount',
    'cost',
    'value',
    'debit',
    'amountpaid',
    'net',
  ]),
  f('vendor', false, 'who was paid', [
    'vendor',
    'supplier',
    'payee',
    'merchant',
    'paidto',
    'contact',
  ]),
  f('category', false, 'expense category (default "other")', [
    'category',
    'account',
    'expensecategory',
    'type',
    'expensetype',
  ]),
  f('description', false, 'a description', ['description', 'memo', 'note', 'notes', 'details']),
  f('currency', false, 'ISO currency code', ['currency', 'currencycode']),
  f('dueAt', false, 'when the bill is due', ['dueat', 'duedate', 'due']),
  f('paidAt', false, 'when it was paid', ['paidat', 'paiddate', 'paymentdate', 'datepaid']),
];

export const expenses: KindSpec = {
  kind: 'expenses',
  fields: EXPENSE_FIELDS,
  sameKey: 'duplicate',
  describe: (k) => (k.startsWith('row:') ? 'an identical expense' : `expense "${k}"`),
  checkMapping: () => [],
  read(r) {
    const p = compact({
      expenseId: r.text('expenseId', { max: 200 }),
      incurredAt: r.date('incurredAt', 'instant', 'incurredAt', { required: true }),
      amount: r.number('amount', {
        required: true,
        min: 0,
        hint: 'an expense is a positive amount; leave refunds from vendors out of an expense import',
      }),
      vendor: r.text('vendor', { max: 200 }),
      category: r.text('category', { max: 100 }),
      description: r.text('description', { max: 2000 }),
      currency: currency(r, 'currency'),
      dueAt: r.date('dueAt', 'instant', 'dueAt'),
      paidAt: r.date('paidAt', 'instant', 'paidAt'),
    });
    if (r.errors.length) return null;
    return p;
  },
  keyOf(p) {
    if (typeof p.expenseId === 'string') return p.expenseId;
    const content = JSON.stringify([
      p.incurredAt,
      p.amount,
      p.vendor,
      p.category,
      p.description,
      p.currency,
      p.dueAt,
      p.paidAt,
    ]);
    return `row:${createHash('sha1').update(content).digest('hex').slice(0, 24)}`;
  },
};

// ---------------------------------------------------------------------------------------
// Metric points.

export const METRIC_FIELDS: readonly FieldSpec[] = [
  f('metric', true, 'the metric name (lower case, e.g. website_visitors)', [
    'metric',
    'metricname',
    'kpi',
    'series',
    'name',
    'measure',
  ]),
  f('time', true, 'the time of the point (business-local)', [
    'time',
    'timestamp',
    'date',
    'datetime',
    'day',
    'period',
  ]),
  f('value', true, 'the value', ['value', 'amount', 'number', 'count', 'total']),
  f('channel', false, 'channel dimension', ['channel']),
  f('location', false, 'location dimension', ['location', 'store']),
  f('sku', false, 'SKU dimension', ['sku', 'product']),
];

const DERIVED = new Set(DERIVED_STORED);

export const metrics: KindSpec = {
  kind: 'metrics',
  fields: METRIC_FIELDS,
  sameKey: 'duplicate',
  describe: (k) => `point ${k.split('|').filter(Boolean).join(' / ')}`,
  checkMapping: () => [],
  read(r) {
    const rawName = r.text('metric', { required: true, max: 63 });
    let metric: string | null = null;
    if (rawName !== null) {
      const m = rawName
        .trim()
        .toLowerCase()
        .replace(/[\s-]+/g, '_');
      if (!/^[a-z][a-z0-9_.]{0,62}$/.test(m)) {
        r.error(
          'metric',
          `"${rawName}" is not a metric name: use lower-case letters, digits, "_" and "."; start with a letter`,
        );
      } else if (DERIVED.has(m)) {
        r.error(
          'metric',
          `"${m}" is computed from your records (orders, expenses, stock …); import those instead of the metric`,
        );
      } else metric = m;
    }
    const p = compact({
      metric,
      time: r.date('time', 'wall', 'time', { required: true }),
      value: r.number('value', { required: true }),
      channel: r.text('channel', { max: 100 }),
      location: r.text('location', { max: 100 }),
      sku: r.text('sku', { max: 200 }),
    });
    if (r.errors.length) return null;
    return p;
  },
  keyOf: (p) =>
    [
      p.metric,
      p.channel ?? '',
      p.location ?? '',
      p.sku ?? '',
      isAmbiguous(p.time) ? p.time.raw : p.time,
    ].join('|'),
};

export const KINDS: Record<ImportKind, KindSpec> = { orders, products, expenses, metrics };
