import { createRng, type Rng } from '../engines/shared/random.js';
import type {
  CashBalanceInput,
  ExpenseInput,
  InventoryInput,
  InvoiceInput,
  MarketingSpendInput,
  OrderInput,
  OrderLineInput,
  PaymentInput,
  ProductInput,
  ShiftInput,
  StaffInput,
} from '../modules/records/types.js';
import { fromLocalWallTime } from '../modules/metrics/local-time.js';
import { DEMO_PRODUCTS, type DemoProduct } from './catalogue.js';
import { addDays, dayOfYear, daysBetween, holidayOf, weekday } from './calendar.js';

/**
 * A deterministic café + web shop: 2+ years of orders with weekly and yearly seasonality,
 * US holidays, growth, promotions, stock-outs, a price rise, an Instagram campaign with a
 * planted causal effect on store orders, and a few anomalies. Same (seed, endDay) → same
 * data. docs/demo-business.md lists what is planted; `facts` returns it for tests.
 */
export interface DemoOptions {
  seed: number;
  /** Last day of data (local date, YYYY-MM-DD); usually yesterday. */
  endDay: string;
  days: number;
  timeZone: string;
  /** Scales order volume (1 = ~60 store + ~10 web orders a day at the start). */
  volume: number;
}

export const DEFAULT_DEMO: Omit<DemoOptions, 'endDay'> = {
  seed: 20_240_917,
  days: 760,
  timeZone: 'America/New_York',
  volume: 0.8,
};

export interface DemoFacts {
  startDay: string;
  endDay: string;
  /** Yearly growth of order volume. */
  growthPerYear: number;
  priceRise: { day: string; skus: string[]; factor: number; elasticity: number };
  promotions: {
    start: string;
    end: string;
    category: 'pastry';
    discount: number;
    upliftFactor: number;
  }[];
  stockouts: { sku: string; start: string; end: string }[];
  campaign: {
    channel: 'instagram';
    windowStart: string;
    windowEnd: string;
    /** Days the campaign ran; more likely on weekends (confounded with weekday). */
    days: string[];
    /** Planted effect: extra expected store orders per campaign day. */
    extraOrdersPerDay: number;
    /** Planted effect in revenue: extra orders × the expected store order value in the window. */
    revenueEffectPerDay: number;
  };
  anomalies: {
    day: string;
    kind: 'pos_outage' | 'catering_order' | 'refund_spike';
    description: string;
  }[];
}

export interface DemoData {
  products: ProductInput[];
  orders: OrderInput[];
  inventory: InventoryInput[];
  payments: PaymentInput[];
  invoices: InvoiceInput[];
  expenses: ExpenseInput[];
  cashBalances: CashBalanceInput[];
  staff: StaffInput[];
  shifts: ShiftInput[];
  marketing: MarketingSpendInput[];
  facts: DemoFacts;
}

const WEEKDAY_STORE = [0.9, 0.88, 0.94, 1.0, 1.12, 1.32, 1.18];
const WEEKDAY_WEB = [1.05, 1.0, 1.0, 1.0, 0.95, 0.9, 1.1];
// Share of store orders per local hour 7:00–17:00 (two peaks: morning coffee and lunch).
const STORE_HOURS = [7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17];
const STORE_HOUR_WEIGHT = [0.09, 0.17, 0.13, 0.08, 0.09, 0.14, 0.1, 0.06, 0.06, 0.05, 0.03];
const CAMPAIGN_EXTRA_ORDERS = 9;

function poisson(rng: Rng, mean: number): number {
  if (mean <= 0) return 0;
  if (mean > 40) return Math.max(0, Math.round(mean + Math.sqrt(mean) * rng.normal()));
  const l = Math.exp(-mean);
  let k = 0;
  let p = 1;
  do {
    k++;
    p *= rng.uniform();
  } while (p > l);
  return k - 1;
}

function pickIndex(rng: Rng, weights: readonly number[]): number {
  let total = 0;
  for (const w of weights) total += w;
  let r = rng.uniform() * total;
  for (let i = 0; i < weights.length; i++) {
    r -= weights[i]!;
    if (r <= 0) return i;
  }
  return weights.length - 1;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

export function generateDemo(options: Partial<DemoOptions> & { endDay: string }): DemoData {
  const o: DemoOptions = { ...DEFAULT_DEMO, ...options };
  const rng = createRng(o.seed);
  const startDay = addDays(o.endDay, -(o.days - 1));
  // The zone's offset at noon holds for every business hour (DST switches at 2–3 am).
  const offsets = new Map<string, number>();
  const at = (day: string, hour: number, minute = 0) => {
    let offset = offsets.get(day);
    if (offset === undefined) {
      const noon = new Date(`${day}T12:00:00Z`);
      offset = noon.getTime() - fromLocalWallTime(noon, o.timeZone).getTime();
      offsets.set(day, offset);
    }
    return new Date(
      Date.parse(`${day}T00:00:00Z`) + (hour * 60 + minute) * 60_000 - offset,
    ).toISOString();
  };

  // --- planted events -------------------------------------------------------------------
  const priceRiseDay = addDays(startDay, Math.floor(o.days * 0.53));
  const drinks = DEMO_PRODUCTS.filter((p) => p.category === 'drink').map((p) => p.sku);
  const priceRise = { day: priceRiseDay, skus: drinks, factor: 1.08, elasticity: -0.5 };
  const promotions: DemoFacts['promotions'] = [];
  for (let start = 40; start < o.days - 7; start += 58 + rng.int(30)) {
    promotions.push({
      start: addDays(startDay, start),
      end: addDays(startDay, start + 6),
      category: 'pastry',
      discount: 0.2,
      upliftFactor: 1.35,
    });
  }
  const stockouts = [
    {
      sku: 'BNS-01',
      start: addDays(startDay, Math.floor(o.days * 0.31)),
      end: addDays(startDay, Math.floor(o.days * 0.31) + 8),
    },
    {
      sku: 'CRS-01',
      start: addDays(startDay, Math.floor(o.days * 0.72)),
      end: addDays(startDay, Math.floor(o.days * 0.72) + 2),
    },
  ];
  const campaignStart = addDays(startDay, Math.floor(o.days * 0.6));
  const campaignEnd = addDays(campaignStart, 119);
  const campaignDays = new Set<string>();
  for (let d = campaignStart; d <= campaignEnd; d = addDays(d, 1)) {
    if (rng.uniform() < (weekday(d) >= 5 ? 0.6 : 0.3)) campaignDays.add(d);
  }
  const anomalies: DemoFacts['anomalies'] = [
    {
      day: addDays(startDay, Math.floor(o.days * 0.44)),
      kind: 'pos_outage',
      description: 'card terminal down most of the day: store orders at 15% of normal',
    },
    {
      day: addDays(startDay, Math.floor(o.days * 0.82)),
      kind: 'catering_order',
      description: 'one catering order of 120 sandwiches and 120 lattes',
    },
    {
      day: addDays(startDay, Math.floor(o.days * 0.9)),
      kind: 'refund_spike',
      description: 'a bad batch of muffins: 40% of the day’s orders refunded',
    },
  ];
  const anomalyOn = new Map(anomalies.map((a) => [a.day, a.kind]));

  const isStockedOut = (sku: string, day: string) =>
    stockouts.some((s) => s.sku === sku && day >= s.start && day <= s.end);
  const promoOn = (day: string) => promotions.some((p) => day >= p.start && day <= p.end);

  // --- products -------------------------------------------------------------------------
  const products: ProductInput[] = DEMO_PRODUCTS.map((p) => ({
    externalId: p.sku,
    sku: p.sku,
    name: p.name,
    category: p.category,
    supplier:
      p.category === 'retail'
        ? 'Roastery Co.'
        : p.category === 'drink'
          ? 'Dairy & Co.'
          : 'Morning Bakery',
    unitCost: p.cost,
    unitPrice: p.price,
    leadTimeDays: p.leadTimeDays,
    casePack: p.casePack,
    minOrderQty: p.minOrderQty,
    shelfLifeDays: p.shelfLifeDays,
  }));
  const priceOn = (p: DemoProduct, day: string) =>
    priceRise.skus.includes(p.sku) && day >= priceRise.day
      ? round2(p.price * priceRise.factor)
      : p.price;

  // --- customers: a growing pool; returning customers favour the recent ones ------------
  let nextCustomer = 1;
  const pool: string[] = [];
  const customerFor = (rng: Rng, newShare: number): string => {
    if (pool.length === 0 || rng.uniform() < newShare) {
      const id = `cust-${String(nextCustomer++).padStart(6, '0')}`;
      pool.push(id);
      return id;
    }
    const span = Math.min(pool.length, 1500);
    return pool[pool.length - 1 - Math.floor(span * rng.uniform() ** 1.6)]!;
  };

  // --- orders ---------------------------------------------------------------------------
  const orders: OrderInput[] = [];
  const sold = new Map<string, number>(); // sku|day → units
  let campaignRevenue = 0;
  let campaignOrders = 0;
  for (let i = 0; i < o.days; i++) {
    const day = addDays(startDay, i);
    const holiday = holidayOf(day);
    const growth = 1 + 0.18 * (i / 365);
    const winter = Math.cos((2 * Math.PI * (dayOfYear(day) - 15)) / 365); // +1 mid-January, −1 mid-July
    const yearly = 1 + 0.06 * winter + (day.slice(5, 7) === '12' ? 0.12 : 0);
    const wd = weekday(day);
    const anomaly = anomalyOn.get(day);
    const promo = promoOn(day);

    let storeMean = 58 * o.volume * growth * yearly * WEEKDAY_STORE[wd]!;
    if (holiday === 'closed') storeMean = 0;
    if (holiday === 'christmas_eve') storeMean *= 0.6;
    if (anomaly === 'pos_outage') storeMean *= 0.15;
    const campaign = campaignDays.has(day);
    if (campaign) storeMean += CAMPAIGN_EXTRA_ORDERS * o.volume;
    let webMean = 10 * o.volume * growth * (1 + 0.1 * winter) * WEEKDAY_WEB[wd]!;
    if (holiday === 'black_friday') webMean *= 2.5;
    if (day.slice(5, 7) === '12') webMean *= 1.4;

    // What sells today, and how much each product weighs, per channel (computed once a day).
    const menu = (['store', 'web'] as const).map((channel) => {
      const items = DEMO_PRODUCTS.filter(
        (p) => (p.channel === channel || p.channel === 'both') && !isStockedOut(p.sku, day),
      );
      const weights = items.map((c) => {
        let w =
          c.weight *
          (c.season === 'hot' ? 1 + 0.25 * winter : c.season === 'cold' ? 1 - 0.45 * winter : 1);
        if (priceRise.skus.includes(c.sku) && day >= priceRise.day)
          w *= priceRise.factor ** priceRise.elasticity;
        if (promo && c.category === 'pastry') w *= 1.35;
        return w;
      });
      return { items, weights };
    });

    const makeLines = (channel: 'store' | 'web'): OrderLineInput[] => {
      const { items: candidates, weights } = menu[channel === 'store' ? 0 : 1]!;
      if (!candidates.length) return [];
      const n =
        channel === 'store'
          ? 1 + (rng.uniform() < 0.45 ? 1 : 0) + (rng.uniform() < 0.12 ? 1 : 0)
          : 1 + (rng.uniform() < 0.3 ? 1 : 0);
      const lines: OrderLineInput[] = [];
      for (let k = 0; k < n; k++) {
        const p = candidates[pickIndex(rng, weights)]!;
        const existing = lines.find((l) => l.sku === p.sku);
        if (existing) {
          existing.quantity += 1;
          continue;
        }
        const price = priceOn(p, day);
        const discount = promo && p.category === 'pastry' ? round2(price * 0.2) : 0;
        lines.push({
          sku: p.sku,
          quantity: 1,
          unitPrice: price,
          discount,
          tax: round2((price - discount) * 0.08875),
        });
      }
      for (const l of lines) l.discount = round2((l.discount ?? 0) * l.quantity);
      return lines;
    };

    const emit = (
      channel: 'store' | 'web',
      seq: number,
      hour: number,
      minute: number,
      lines: OrderLineInput[],
      customer: string | null,
    ) => {
      if (!lines.length) return;
      const refund = anomaly === 'refund_spike' && rng.uniform() < 0.4;
      if (refund) for (const l of lines) l.refundedQuantity = l.quantity;
      for (const l of lines)
        sold.set(
          `${l.sku}|${day}`,
          (sold.get(`${l.sku}|${day}`) ?? 0) + l.quantity - (l.refundedQuantity ?? 0),
        );
      orders.push({
        externalId: `${channel}-${day}-${String(seq).padStart(4, '0')}`,
        orderedAt: at(day, hour, minute),
        customer: customer ? { externalId: customer } : null,
        channel,
        location: channel === 'store' ? 'main-street' : 'online',
        status: refund ? 'refunded' : 'completed',
        shipping: channel === 'web' ? 5 : 0,
        lines,
      });
    };

    const storeCount = poisson(rng, storeMean);
    for (let k = 0; k < storeCount; k++) {
      const hour = STORE_HOURS[pickIndex(rng, STORE_HOUR_WEIGHT)]!;
      const lines = makeLines('store');
      if (campaign) {
        campaignOrders++;
        campaignRevenue += lines.reduce(
          (s, l) => s + l.quantity * l.unitPrice - (l.discount ?? 0),
          0,
        );
      }
      emit(
        'store',
        k,
        hour,
        rng.int(60),
        lines,
        rng.uniform() < 0.55 ? customerFor(rng, 0.18) : null,
      );
    }
    const webCount = poisson(rng, webMean);
    for (let k = 0; k < webCount; k++)
      emit('web', k, 8 + rng.int(14), rng.int(60), makeLines('web'), customerFor(rng, 0.35));
    if (anomaly === 'catering_order') {
      emit(
        'store',
        9999,
        10,
        0,
        [
          { sku: 'SAN-01', quantity: 120, unitPrice: priceOn(DEMO_PRODUCTS[8]!, day), tax: 0 },
          { sku: 'LAT-01', quantity: 120, unitPrice: priceOn(DEMO_PRODUCTS[1]!, day), tax: 0 },
        ],
        customerFor(rng, 1),
      );
    }
  }
  const avgCampaignOrder = campaignOrders ? campaignRevenue / campaignOrders : 0;

  // --- inventory: (s, S) replenishment per SKU, daily closing snapshots -----------------
  const inventory: InventoryInput[] = [];
  for (const p of DEMO_PRODUCTS) {
    let onHand = p.casePack * 10;
    const pending: { arrives: number; qty: number }[] = [];
    let total = 0;
    for (let i = 0; i < o.days; i++) total += sold.get(`${p.sku}|${addDays(startDay, i)}`) ?? 0;
    const avgDaily = total / o.days;
    const reorderPoint = Math.ceil(avgDaily * (p.leadTimeDays + 2));
    const orderUpTo = Math.ceil(avgDaily * (p.leadTimeDays + 9));
    for (let i = 0; i < o.days; i++) {
      const day = addDays(startDay, i);
      for (const arrival of pending.filter((x) => x.arrives === i)) onHand += arrival.qty;
      onHand = Math.max(0, onHand - (sold.get(`${p.sku}|${day}`) ?? 0));
      if (isStockedOut(p.sku, day)) onHand = 0;
      const inbound = pending.filter((x) => x.arrives > i).reduce((s, x) => s + x.qty, 0);
      if (onHand + inbound <= reorderPoint && !isStockedOut(p.sku, day)) {
        const qty = Math.max(
          p.minOrderQty,
          Math.ceil((orderUpTo - onHand - inbound) / p.casePack) * p.casePack,
        );
        pending.push({ arrives: i + p.leadTimeDays, qty });
      }
      inventory.push({
        externalId: `inv-${p.sku}-${day}`,
        sku: p.sku,
        location: 'main-street',
        time: at(day, 21),
        onHand,
      });
    }
  }

  // --- money: card settlements and fees, supplier bills, fixed costs, catering invoices --
  const payments: PaymentInput[] = [];
  const expenses: ExpenseInput[] = [];
  const invoices: InvoiceInput[] = [];
  const byDay = new Map<string, number>();
  for (const ord of orders) {
    if (ord.status === 'refunded') continue;
    const day = ord.externalId.slice(
      ord.channel === 'store' ? 6 : 4,
      (ord.channel === 'store' ? 6 : 4) + 10,
    );
    const total =
      ord.lines.reduce(
        (s, l) => s + l.quantity * l.unitPrice - (l.discount ?? 0) + (l.tax ?? 0),
        0,
      ) + (ord.shipping ?? 0);
    byDay.set(day, (byDay.get(day) ?? 0) + total);
  }
  for (let i = 0; i < o.days; i++) {
    const day = addDays(startDay, i);
    const gross = round2(byDay.get(day) ?? 0);
    if (gross > 0) {
      payments.push({
        externalId: `settle-${day}`,
        kind: 'charge',
        occurredAt: at(day, 23),
        amount: gross,
      });
      payments.push({
        externalId: `fee-${day}`,
        kind: 'fee',
        occurredAt: at(day, 23),
        amount: round2(gross * 0.029),
      });
    }
    if (day.endsWith('-01')) {
      expenses.push({
        externalId: `rent-${day}`,
        incurredAt: at(day, 9),
        dueAt: at(day, 9),
        paidAt: at(day, 9),
        vendor: 'Main Street Properties',
        category: 'rent',
        amount: 4500,
      });
      expenses.push({
        externalId: `util-${day}`,
        incurredAt: at(day, 9),
        dueAt: at(addDays(day, 20), 9),
        paidAt: at(addDays(day, 18), 9),
        vendor: 'City Power & Water',
        category: 'utilities',
        amount: round2(
          520 + 160 * Math.abs(Math.cos((2 * Math.PI * dayOfYear(day)) / 365)) + rng.uniform() * 60,
        ),
      });
    }
    if (weekday(day) === 0) {
      // weekly supplier bill for last week's goods, net 15 days, paid on time except now and then
      let cost = 0;
      for (let k = 1; k <= 7; k++) {
        const d = addDays(day, -k);
        for (const p of DEMO_PRODUCTS) cost += (sold.get(`${p.sku}|${d}`) ?? 0) * p.cost;
      }
      const late = rng.uniform() < 0.15 ? 12 : 0;
      const due = addDays(day, 15);
      expenses.push({
        externalId: `supplies-${day}`,
        incurredAt: at(day, 8),
        dueAt: at(due, 8),
        paidAt: addDays(due, late) <= o.endDay ? at(addDays(due, late), 8) : null,
        vendor: 'Morning Bakery & Roastery Co.',
        category: 'inventory',
        amount: round2(cost),
      });
    }
    if (rng.uniform() < 0.07) {
      const issued = day;
      const due = addDays(issued, 30);
      const paidDay = addDays(due, rng.int(25) - 8);
      invoices.push({
        externalId: `inv-${issued}`,
        customer: { externalId: `biz-${1 + rng.int(6)}`, name: 'Office catering client' },
        issuedAt: at(issued, 10),
        dueAt: at(due, 10),
        paidAt: paidDay <= o.endDay ? at(paidDay, 10) : null,
        amount: round2(300 + rng.uniform() * 900),
      });
    }
  }

  // --- staff and shifts sized to demand; marketing ---------------------------------------
  const staff: StaffInput[] = [
    ['alex', 'Alex Rivera', ['barista', 'opening'], 19],
    ['sam', 'Sam Chen', ['barista'], 17.5],
    ['jordan', 'Jordan Lee', ['barista', 'cashier'], 17],
    ['taylor', 'Taylor Brooks', ['kitchen'], 18],
    ['casey', 'Casey Patel', ['cashier', 'barista'], 16.5],
    ['morgan', 'Morgan Diaz', ['kitchen', 'cashier'], 17],
    ['riley', 'Riley Kim', ['barista', 'opening', 'manager'], 24],
    ['quinn', 'Quinn Walsh', ['cashier'], 16],
  ].map(([id, name, skills, rate]) => ({
    externalId: id as string,
    name: name as string,
    skills: skills as string[],
    hourlyRate: rate as number,
    minHoursPerWeek: 12,
    maxHoursPerWeek: 38,
    availability: {
      mon: [[6, 19]],
      tue: [[6, 19]],
      wed: [[6, 19]],
      thu: [[6, 19]],
      fri: [[6, 19]],
      sat: [[7, 18]],
      sun: [[7, 18]],
    } as Record<string, [number, number][]>,
  }));
  const shifts: ShiftInput[] = [];
  const marketing: MarketingSpendInput[] = [];
  const storeOrdersOn = new Map<string, number>();
  for (const ord of orders)
    if (ord.channel === 'store')
      storeOrdersOn.set(
        ord.orderedAt.slice(0, 10),
        (storeOrdersOn.get(ord.orderedAt.slice(0, 10)) ?? 0) + 1,
      );
  for (let i = 0; i < o.days; i++) {
    const day = addDays(startDay, i);
    if (holidayOf(day) !== 'closed') {
      const load = WEEKDAY_STORE[weekday(day)]! * (1 + 0.18 * (i / 365));
      const people = Math.max(3, Math.round(3 * load + 0.5));
      for (let k = 0; k < people; k++) {
        const member = staff[(i * 3 + k) % staff.length]!;
        const start = k % 2 === 0 ? 6 : 11;
        const hours = k % 2 === 0 ? 7 : 6.5;
        shifts.push({
          externalId: `shift-${day}-${k}`,
          staffExternalId: member.externalId,
          role: member.skills?.[0] ?? null,
          location: 'main-street',
          startsAt: at(day, start),
          endsAt: at(day, start + Math.floor(hours), (hours % 1) * 60),
          labourCost: round2(hours * member.hourlyRate * 1.1),
        });
      }
    }
    const googleSpend = round2(20 + rng.uniform() * 10);
    marketing.push({
      externalId: `google-${day}`,
      day,
      channel: 'google',
      campaign: 'always-on search',
      spend: googleSpend,
      clicks: 15 + rng.int(20),
      attributedRevenue: round2(googleSpend * (2.4 + rng.normal() * 0.4)),
    });
    if (campaignDays.has(day)) {
      const spend = round2(60 + rng.uniform() * 30);
      marketing.push({
        externalId: `instagram-${day}`,
        day,
        channel: 'instagram',
        campaign: 'spring latte art',
        spend,
        impressions: 8000 + rng.int(4000),
        clicks: 150 + rng.int(120),
        attributedRevenue: round2(spend * (1.6 + rng.normal() * 0.3)),
      });
    }
  }

  // --- cash: one operating account, closing balance each day -----------------------------
  const cashBalances: CashBalanceInput[] = [];
  let balance = 25_000;
  const outOn = new Map<string, number>();
  const inOn = new Map<string, number>();
  const add = (m: Map<string, number>, iso: string | null | undefined, amount: number) => {
    if (!iso) return;
    const d = iso.slice(0, 10);
    m.set(d, (m.get(d) ?? 0) + amount);
  };
  for (const p of payments) add(p.kind === 'charge' ? inOn : outOn, p.occurredAt, p.amount);
  for (const e of expenses) add(outOn, e.paidAt, e.amount);
  for (const inv of invoices) add(inOn, inv.paidAt, inv.amount);
  for (const s of shifts) add(outOn, s.startsAt, s.labourCost);
  for (const m of marketing) add(outOn, `${m.day}T12:00:00Z`, m.spend);
  for (let i = 0; i < o.days; i++) {
    const day = addDays(startDay, i);
    balance += (inOn.get(day) ?? 0) - (outOn.get(day) ?? 0);
    cashBalances.push({
      externalId: `bal-${day}`,
      account: 'operating',
      time: at(day, 23, 59),
      balance: round2(balance),
    });
  }

  return {
    products,
    orders,
    inventory,
    payments,
    invoices,
    expenses,
    cashBalances,
    staff,
    shifts,
    marketing,
    facts: {
      startDay,
      endDay: o.endDay,
      growthPerYear: 0.18,
      priceRise,
      promotions,
      stockouts,
      campaign: {
        channel: 'instagram',
        windowStart: campaignStart,
        windowEnd: campaignEnd,
        days: [...campaignDays].sort(),
        extraOrdersPerDay: CAMPAIGN_EXTRA_ORDERS * o.volume,
        revenueEffectPerDay: round2(CAMPAIGN_EXTRA_ORDERS * o.volume * avgCampaignOrder),
      },
      anomalies,
    },
  };
}

/** Days of data in the demo (for progress reporting). */
export function demoSpan(facts: DemoFacts): number {
  return daysBetween(facts.startDay, facts.endDay) + 1;
}
