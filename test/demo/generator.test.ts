import { describe, expect, it } from 'vitest';
import { generateDemo } from '../../src/demo/generator.js';
import { weekday } from '../../src/demo/calendar.js';

const data = generateDemo({ endDay: '2026-06-30', days: 420, volume: 0.5 });
const localDay = (o: { externalId: string }) =>
  o.externalId.replace(/^(store|web)-/, '').slice(0, 10);

describe('demo business generator', () => {
  it('is deterministic for a seed and end day, and different for another seed', () => {
    const again = generateDemo({ endDay: '2026-06-30', days: 420, volume: 0.5 });
    expect(again.orders.length).toBe(data.orders.length);
    expect(JSON.stringify(again.orders.slice(-20))).toBe(JSON.stringify(data.orders.slice(-20)));
    const other = generateDemo({ endDay: '2026-06-30', days: 420, volume: 0.5, seed: 7 });
    expect(other.orders.length).not.toBe(data.orders.length);
  });

  it('covers the requested span, ending on the end day', () => {
    expect(data.facts.startDay).toBe('2025-05-07');
    expect(data.facts.endDay).toBe('2026-06-30');
    const days = new Set(data.orders.map(localDay));
    expect(days.has('2025-05-07')).toBe(true);
    expect(days.has('2026-06-30')).toBe(true);
    const storeDays = new Set(data.orders.filter((o) => o.channel === 'store').map(localDay));
    expect(storeDays.has('2025-12-25')).toBe(false); // the café is closed on Christmas
    expect(days.has('2025-12-25')).toBe(true); // the web shop is not
  });

  it('has weekly seasonality: Saturdays busier than Tuesdays in the store', () => {
    const count = (wd: number) =>
      data.orders.filter((o) => o.channel === 'store' && weekday(localDay(o)) === wd).length;
    expect(count(5) / count(1)).toBeGreaterThan(1.3);
  });

  it('grows: the last 90 days have more orders than the first 90', () => {
    const first = data.orders.filter((o) => localDay(o) < '2025-08-05').length;
    const last = data.orders.filter((o) => localDay(o) > '2026-04-01').length;
    expect(last / first).toBeGreaterThan(1.08);
  });

  it('plants stock-outs: no sales of the SKU while it is out, and zero stock on hand', () => {
    for (const s of data.facts.stockouts) {
      const sold = data.orders.filter(
        (o) =>
          localDay(o) >= s.start && localDay(o) <= s.end && o.lines.some((l) => l.sku === s.sku),
      );
      expect(sold).toHaveLength(0);
      const snapshotDay = (i: { externalId: string }) => i.externalId.slice(-10);
      const stock = data.inventory.filter(
        (i) => i.sku === s.sku && snapshotDay(i) >= s.start && snapshotDay(i) <= s.end,
      );
      expect(stock.length).toBeGreaterThan(1);
      expect(stock.every((i) => i.onHand === 0)).toBe(true);
    }
  });

  it('plants a drink price rise on its day', () => {
    const latte = (before: boolean) =>
      data.orders
        .flatMap((o) => o.lines)
        .find(
          (l, i, all) =>
            l.sku === 'LAT-01' && (before ? i < all.length / 10 : i > (all.length * 9) / 10),
        );
    expect(latte(true)?.unitPrice).toBe(4.75);
    expect(latte(false)?.unitPrice).toBe(5.13);
    expect(data.facts.priceRise.factor).toBe(1.08);
  });

  it('plants the campaign: more likely on weekends, with marketing spend exactly on its days', () => {
    const c = data.facts.campaign;
    const weekendShare = c.days.filter((d) => weekday(d) >= 5).length / c.days.length;
    expect(weekendShare).toBeGreaterThan(2 / 7 + 0.1); // confounded with the busy weekend
    const instagram = data.marketing.filter((m) => m.channel === 'instagram').map((m) => m.day);
    expect(instagram).toEqual(c.days);
    expect(c.extraOrdersPerDay).toBe(4.5);
    expect(c.revenueEffectPerDay).toBeGreaterThan(25);
  });

  it('plants its anomalies', () => {
    const outage = data.facts.anomalies.find((a) => a.kind === 'pos_outage')!;
    const storeOn = (d: string) =>
      data.orders.filter((o) => o.channel === 'store' && localDay(o) === d).length;
    expect(storeOn(outage.day)).toBeLessThan(
      0.35 *
        storeOn(
          data.orders
            .map(localDay)
            .find((d) => d > outage.day && weekday(d) === weekday(outage.day))!,
        ),
    );
    const catering = data.facts.anomalies.find((a) => a.kind === 'catering_order')!;
    expect(
      data.orders.some(
        (o) => localDay(o) === catering.day && o.lines.some((l) => l.quantity === 120),
      ),
    ).toBe(true);
  });

  it('produces every record kind the product uses', () => {
    expect(data.products).toHaveLength(12);
    expect(data.staff).toHaveLength(8);
    for (const key of [
      'inventory',
      'payments',
      'invoices',
      'expenses',
      'cashBalances',
      'shifts',
      'marketing',
    ] as const) {
      expect(data[key].length, key).toBeGreaterThan(10);
    }
  });
});
