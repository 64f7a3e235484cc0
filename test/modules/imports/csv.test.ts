import { describe, expect, it } from 'vitest';
import { firstInvalidUtf8, sniffEncoding } from '../../../src/modules/imports/csv/decode.js';
import { sniffDelimiter } from '../../../src/modules/imports/csv/dialect.js';
import { mapHeaders, normaliseHeader } from '../../../src/modules/imports/csv/mapping.js';
import {
  csvCell,
  looksLikeFormula,
  parseDate,
  parseNumber,
  toInstant,
  toLocalWallAsUtc,
  type WallTime,
} from '../../../src/modules/imports/csv/values.js';
import { ORDER_FIELDS, PRODUCT_FIELDS } from '../../../src/modules/imports/kinds.js';

/** The pure CSV helpers, cell by cell. */

describe('parseNumber', () => {
  it.each([
    ['1234', '.', 1234],
    ['$1,234.50', '.', 1234.5],
    ['USD 1,234.50', '.', 1234.5],
    ['1.234,50 €', ',', 1234.5],
    ['€1.200,50', ',', 1200.5],
    ['1 234,5', ',', 1234.5],
    ['1\u00a0234.5', '.', 1234.5],
    ["1'234.50", '.', 1234.5],
    ['(12.50)', '.', -12.5],
    ['-12.50', '.', -12.5],
    ['12.50-', '.', -12.5],
    ['-$5', '.', -5],
    ['12%', '.', 12],
    ['.5', '.', 0.5],
    ['1.5e3', '.', 1500],
  ] as const)('%s with decimal %s → %d', (raw, decimal, value) => {
    expect(parseNumber(raw, decimal)).toEqual({ ok: true, value });
  });

  it.each([
    ['12,5', '.', /if it means 12.5, pass decimal=,/],
    ['1.234.567,5', '.', /pass decimal=,/],
    ['abc', '.', /"abc" is not a number/],
    ['1.2.3', '.', /is not a number/],
    ['', '.', /is empty/],
    ['$', '.', /is not a number/],
  ] as const)('%s with decimal %s is refused', (raw, decimal, reason) => {
    const r = parseNumber(raw, decimal);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });
});

const wall = (v: ReturnType<typeof parseDate>): WallTime => {
  if (v.kind !== 'ok') throw new Error(JSON.stringify(v));
  return v.value;
};

describe('parseDate', () => {
  it('reads ISO dates with and without times and offsets', () => {
    expect(wall(parseDate('2026-01-05', null))).toMatchObject({
      year: 2026,
      month: 1,
      day: 5,
      hour: 0,
      dateOnly: true,
      offsetMinutes: null,
    });
    expect(wall(parseDate('2026-01-05T08:30:15.250Z', null))).toMatchObject({
      hour: 8,
      minute: 30,
      second: 15,
      millisecond: 250,
      offsetMinutes: 0,
    });
    expect(wall(parseDate('2026-01-05 08:00:00 -0500', null))).toMatchObject({
      hour: 8,
      offsetMinutes: -300,
    });
    expect(wall(parseDate('2026-01-05 8:00 PM', null))).toMatchObject({ hour: 20 });
    expect(wall(parseDate('2026/01/05', null))).toMatchObject({ month: 1, day: 5 });
    expect(wall(parseDate('5 Jan 2026', null))).toMatchObject({ month: 1, day: 5 });
    expect(wall(parseDate('January 5, 2026 14:00', null))).toMatchObject({
      month: 1,
      day: 5,
      hour: 14,
    });
  });

  it('tells D/M from M/D when a part is above 12, and says when it cannot', () => {
    expect(parseDate('25/03/2026', null)).toMatchObject({
      kind: 'ok',
      evidence: 'DMY',
      value: { month: 3, day: 25 },
    });
    expect(parseDate('03/25/26', null)).toMatchObject({
      kind: 'ok',
      evidence: 'MDY',
      value: { year: 2026, month: 3, day: 25 },
    });
    expect(parseDate('03/04/2026', null)).toMatchObject({
      kind: 'ambiguous',
      mdy: { month: 3, day: 4 },
      dmy: { month: 4, day: 3 },
    });
    expect(parseDate('04/04/2026', null)).toMatchObject({ kind: 'ok', evidence: null });
    expect(parseDate('03.04.2026', 'DMY')).toMatchObject({
      kind: 'ok',
      value: { month: 4, day: 3 },
    });
    expect(parseDate('25/03/2026', 'MDY')).toMatchObject({ kind: 'error' });
  });

  it('refuses impossible dates and times', () => {
    for (const s of [
      '2026-02-29',
      '2026-13-01',
      '2026-01-05 24:00',
      '1850-01-01',
      '13/13/2026',
      'soon',
    ]) {
      expect(parseDate(s, null).kind, s).toBe('error');
    }
    expect(parseDate('2024-02-29', null).kind).toBe('ok');
  });
});

describe('time zones', () => {
  it('naive local times become instants, across DST changes', () => {
    const at = (s: string, tz: string) => toInstant(wall(parseDate(s, null)), tz).toISOString();
    expect(at('2026-01-05 08:00', 'America/New_York')).toBe('2026-01-05T13:00:00.000Z');
    expect(at('2026-07-05 08:00', 'America/New_York')).toBe('2026-07-05T12:00:00.000Z');
    // 02:30 does not exist on 8 March 2026 in New York: it moves forward an hour.
    expect(at('2026-03-08 02:30', 'America/New_York')).toBe('2026-03-08T07:30:00.000Z');
    // 01:30 happens twice on 1 November 2026: the first (EDT) is taken.
    expect(at('2026-11-01 01:30', 'America/New_York')).toBe('2026-11-01T05:30:00.000Z');
    expect(at('2026-01-05T08:00:00+01:00', 'America/New_York')).toBe('2026-01-05T07:00:00.000Z');
    expect(at('2026-01-05 08:00', 'Asia/Kolkata')).toBe('2026-01-05T02:30:00.000Z');
  });

  it('metric times are local wall time written as UTC', () => {
    const w = (s: string, tz: string) =>
      toLocalWallAsUtc(wall(parseDate(s, null)), tz).toISOString();
    expect(w('2026-01-05 08:00', 'America/New_York')).toBe('2026-01-05T08:00:00.000Z');
    expect(w('2026-01-05T08:00:00-05:00', 'Europe/Paris')).toBe('2026-01-05T14:00:00.000Z');
  });
});

describe('formulas', () => {
  it.each([
    "=cmd|' /C calc'!A0",
    '=1+1',
    '@SUM(A1:A9)',
    '+HYPERLINK("http://x")',
    '-2+A3',
    '\t=1',
    ' =A1',
  ])('%s is a formula', (s) => {
    expect(looksLikeFormula(s)).toBe(true);
  });
  it.each(['-5 off', '+44 20 7946 0000', '@home', 'Café', '=', 'a=b', '-'])('%s is text', (s) => {
    expect(looksLikeFormula(s)).toBe(false);
  });
  it('escapes formula-looking cells when writing CSV', () => {
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('-5')).toBe('-5');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell(null)).toBe('');
  });
});

describe('encoding, delimiter, headers', () => {
  it('sniffs encodings', () => {
    expect(sniffEncoding(Buffer.from('\ufeffa,b\n'))).toMatchObject({
      encoding: 'utf-8',
      bomLength: 3,
    });
    expect(sniffEncoding(Buffer.from('a,b\n', 'utf16le'))).toMatchObject({
      encoding: 'utf-16le',
      bomLength: 0,
    });
    expect(sniffEncoding(Buffer.from('caf\xe9\n', 'latin1'))).toMatchObject({
      encoding: 'windows-1252',
    });
    expect(sniffEncoding(Buffer.from('café\n'))).toMatchObject({
      encoding: 'utf-8',
      warning: null,
    });
    expect(sniffEncoding(Buffer.from([0x25, 0x50, 0x44, 0x46, 0x2d])).notText).toMatch(/PDF/);
    expect(firstInvalidUtf8(Buffer.from([0x61, 0xc3]))).toBe(-1); // cut at the end: fine
    expect(firstInvalidUtf8(Buffer.from([0x61, 0xc0, 0x80]))).toBe(1); // overlong
  });

  it('sniffs delimiters, quotes respected', () => {
    expect(sniffDelimiter('a;b;c\n1;"2;5";3\n4;5;6\n').delimiter).toBe(';');
    expect(sniffDelimiter('a\tb\n1,5\t2\n').delimiter).toBe('\t');
    expect(sniffDelimiter('a,b,c\n"x, y",2,3\n').delimiter).toBe(',');
    expect(sniffDelimiter('only\none\n').confident).toBe(false);
  });

  it('maps Shopify and spreadsheet headers, and honours overrides', () => {
    expect(normaliseHeader(' Order #  ')).toBe('ordernumber');
    expect(normaliseHeader('Café_Name')).toBe('cafename');
    const shopify = [
      'Name',
      'Email',
      'Financial Status',
      'Created at',
      'Lineitem quantity',
      'Lineitem name',
      'Lineitem price',
      'Lineitem sku',
      'Billing Name',
    ];
    const m = mapHeaders(shopify, ORDER_FIELDS, {});
    expect(m.mapping).toEqual({
      orderId: 'Name',
      orderedAt: 'Created at',
      sku: 'Lineitem sku',
      productName: 'Lineitem name',
      quantity: 'Lineitem quantity',
      unitPrice: 'Lineitem price',
      email: 'Email',
      customerName: 'Billing Name',
      status: 'Financial Status',
    });
    const o = mapHeaders(['Artikel', 'Bestand'], PRODUCT_FIELDS, {
      sku: 'Artikel',
      onHand: 'Bestand',
    });
    expect(o.errors).toEqual([]);
    expect(o.mapping).toEqual({ sku: 'Artikel', onHand: 'Bestand' });
    expect(mapHeaders(['x'], PRODUCT_FIELDS, { nope: 'x' }).errors[0]!.reason).toMatch(
      /unknown field "nope"/,
    );
  });
});
