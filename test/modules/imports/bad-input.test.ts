import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { ImportsService } from '../../../src/modules/imports/service.js';
import { createTestContext, type TestContext, type TestTenant } from '../../helpers/app.js';
import { fixture, multipart, NOTHING, recordCounts, upload, type UploadResult } from './helpers.js';

/**
 * Malformed CSVs, one kind per test: each must come back `invalid` with a clear report (row,
 * column, reason), refuse to commit, and leave every canonical table untouched. Files the
 * importer can read correctly (BOM, other encodings, delimiters, quoted newlines) must read
 * correctly instead.
 */

let ctx: TestContext;
let t: TestTenant;

beforeAll(async () => {
  ctx = await createTestContext();
  t = await ctx.newTenant();
});
afterAll(async () => {
  await ctx?.close();
});

const HEAD = 'Order ID,Date,SKU,Quantity,Unit Price';

async function expectInvalid(
  res: UploadResult,
  expected: { row: number | null; column?: string | null; reason: RegExp }[],
): Promise<void> {
  expect(res.status, res.raw).toBe(201);
  const imp = res.body.import;
  expect(imp.status).toBe('invalid');
  for (const e of expected) {
    const hit = imp.errors.find(
      (x) =>
        x.row === e.row &&
        (e.column === undefined || x.column === e.column) &&
        e.reason.test(x.reason),
    );
    expect(
      hit,
      `expected error ${JSON.stringify({ ...e, reason: String(e.reason) })} in ${JSON.stringify(imp.errors, null, 1)}`,
    ).toBeTruthy();
  }
  expect(imp.errorCount).toBeGreaterThanOrEqual(expected.length);
  // Nothing is written, and committing is refused.
  const commit = await ctx.inject({
    method: 'POST',
    url: `/v1/imports/${imp.id}/commit`,
    headers: t.auth,
  });
  expect(commit.statusCode).toBe(422);
  expect(commit.json().code).toBe('import_invalid');
  const counts = await recordCounts(ctx, t);
  const { staged: _staged, ...canonical } = counts;
  expect(canonical).toEqual(NOTHING);
}

async function expectValid(res: UploadResult): Promise<UploadResult['body']['import']> {
  expect(res.status, res.raw).toBe(201);
  expect(res.body.import.errors).toEqual([]);
  expect(res.body.import.status).toBe('validated');
  return res.body.import;
}

describe('structure and encoding', () => {
  it('1. wrong delimiter: a ;-separated file forced to "," is refused at the header, naming ;', async () => {
    const csv = 'Order ID;Date;SKU;Quantity;Unit Price\n1;2026-01-05;A;1;2,50\n';
    const res = await upload(ctx, t, { kind: 'orders', delimiter: ',' }, csv);
    await expectInvalid(res, [
      { row: 1, column: 'Order ID;Date;SKU;Quantity;Unit Price', reason: /looks separated by ";"/ },
    ]);
  });

  it('2. a ;-separated file with decimal commas is detected and read', async () => {
    const csv =
      'Order ID;Date;SKU;Quantity;Unit Price\n1;2026-01-05;A;1;2,50\n2;2026-01-05;A;2;1.002,75\n';
    const imp = await expectValid(await upload(ctx, t, { kind: 'orders' }, csv));
    expect(imp.delimiter).toBe(';');
    expect(imp.decimalSeparator).toBe(',');
    expect(imp.preview.map((p) => (p.values.l as { unitPrice: number }).unitPrice)).toEqual([
      2.5, 1002.75,
    ]);
  });

  it('3. a UTF-8 byte-order mark is stripped, so the first header still maps', async () => {
    const csv = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(`${HEAD}\n1,2026-01-05,A,1,2.50\n`),
    ]);
    const imp = await expectValid(await upload(ctx, t, { kind: 'orders' }, csv));
    expect(imp.mapping.orderId).toBe('Order ID');
    expect(imp.encoding).toBe('utf-8 (BOM)');
  });

  it('4. Windows-1252 (not UTF-8) is read as such, with a warning', async () => {
    const csv = Buffer.from(`${HEAD},Product\n1,2026-01-05,A,1,2.50,Caf\xe9 cr\xe8me\n`, 'latin1');
    const imp = await expectValid(await upload(ctx, t, { kind: 'orders' }, csv));
    expect(imp.encoding).toBe('windows-1252');
    expect(imp.warnings.join(' ')).toMatch(/not UTF-8.*Windows-1252/);
    expect((imp.preview[0]!.values.l as { productName: string }).productName).toBe('Café crème');
  });

  it('5. UTF-16 with a byte-order mark is read', async () => {
    const csv = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from(`${HEAD}\n1,2026-01-05,Ü-1,1,2.50\n`, 'utf16le'),
    ]);
    const imp = await expectValid(await upload(ctx, t, { kind: 'orders' }, csv));
    expect(imp.encoding).toBe('utf-16le (BOM)');
    expect((imp.preview[0]!.values.l as { sku: string }).sku).toBe('Ü-1');
  });

  it('6. invalid UTF-8 after the sniffed start is an error: mixed encodings', async () => {
    const rows = Array.from({ length: 2500 }, (_, i) => `${i + 1},2026-01-05,SKU-${i},1,2.50`).join(
      '\n',
    );
    const csv = Buffer.concat([
      Buffer.from(`${HEAD}\n${rows}\n`),
      Buffer.from('9999,2026-01-05,Caf\xe9,1,2.50\n', 'latin1'),
    ]);
    expect(csv.length).toBeGreaterThan(64 * 1024);
    const res = await upload(ctx, t, { kind: 'orders' }, csv);
    await expectInvalid(res, [
      { row: null, reason: /not valid UTF-8 at byte \d+.*mixes encodings/ },
    ]);
  });

  it('7. an Excel workbook uploaded as CSV is recognised', async () => {
    const xlsx = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(200, 1)]);
    await expectInvalid(await upload(ctx, t, { kind: 'orders' }, xlsx, 'sales.xlsx'), [
      { row: null, reason: /Excel workbook.*save it as CSV/ },
    ]);
  });

  it('8. quoted newlines stay inside their value, and later rows keep their numbers', async () => {
    const csv = `${HEAD},Product\n1,2026-01-05,A,1,2.50,"Latte\nwith oat milk"\n2,2026-01-05,B,-1,2.50,Tea\n`;
    const res = await upload(ctx, t, { kind: 'orders' }, csv);
    await expectInvalid(res, [{ row: 3, column: 'Quantity', reason: /greater than 0/ }]);
    expect(res.body.import.errors[0]!.line).toBe(4);
    expect((res.body.import.preview[0]!.values.l as { productName: string }).productName).toBe(
      'Latte\nwith oat milk',
    );
  });

  it('9. a quote that never closes is reported with its line', async () => {
    const csv = `${HEAD}\n1,2026-01-05,A,1,2.50\n2,"2026-01-05,B,1,2.50\n3,2026-01-05,C,1,2.50\n`;
    await expectInvalid(await upload(ctx, t, { kind: 'orders' }, csv), [
      { row: 3, reason: /never closed/ },
    ]);
  });

  it('10. a row with missing fields', async () => {
    const csv = `${HEAD}\n1,2026-01-05,A,1,2.50\n2,2026-01-05,B\n`;
    await expectInvalid(await upload(ctx, t, { kind: 'orders' }, csv), [
      { row: 3, column: null, reason: /has 3 fields but the header has 5/ },
    ]);
  });

  it('11. a row with extra fields (an unquoted delimiter inside a value)', async () => {
    const csv = `${HEAD},Product\n1,2026-01-05,A,1,2.50,Mocha, large\n`;
    await expectInvalid(await upload(ctx, t, { kind: 'orders' }, csv), [
      { row: 2, column: null, reason: /has 7 fields but the header has 6.*Quote values/ },
    ]);
  });

  it('12. a required column is missing from the header', async () => {
    const csv = 'Order ID,SKU,Quantity,Unit Price\n1,A,1,2.50\n';
    await expectInvalid(await upload(ctx, t, { kind: 'orders' }, csv), [
      { row: 1, column: null, reason: /no column for required field "orderedAt"/ },
    ]);
  });

  it('13. a duplicated header that is used', async () => {
    const csv = 'Order ID,Date,SKU,Quantity,Unit Price,Date\n1,2026-01-05,A,1,2.50,2026-01-06\n';
    await expectInvalid(await upload(ctx, t, { kind: 'orders' }, csv), [
      { row: 1, column: 'Date', reason: /appears twice \(columns 2 and 6\)/ },
    ]);
  });

  it('14. an empty file', async () => {
    await expectInvalid(await upload(ctx, t, { kind: 'orders' }, ''), [
      { row: null, reason: /the file is empty/ },
    ]);
  });

  it('15. a header and no data', async () => {
    await expectInvalid(await upload(ctx, t, { kind: 'orders' }, `${HEAD}\n\n`), [
      { row: 1, reason: /header row but no data rows/ },
    ]);
  });

  it('blank lines and rows of empty cells are skipped, not errors', async () => {
    const csv = `${HEAD}\n\n1,2026-01-05,A,1,2.50\n,,,,\n\n2,2026-01-05,B,1,2.50\n`;
    const imp = await expectValid(await upload(ctx, t, { kind: 'orders' }, csv));
    expect(imp.rowCount).toBe(2);
  });
});

describe('values', () => {
  it('16. bad dates: impossible days, words', async () => {
    const csv = `${HEAD}\n1,2026-02-30,A,1,2.50\n2,yesterday,A,1,2.50\n3,2026-01-05 25:00,A,1,2.50\n`;
    await expectInvalid(await upload(ctx, t, { kind: 'orders' }, csv), [
      { row: 2, column: 'Date', reason: /day 30 does not exist in 2026-02/ },
      { row: 3, column: 'Date', reason: /not a date this importer reads/ },
      { row: 4, column: 'Date', reason: /not a valid time of day|not a date this importer reads/ },
    ]);
  });

  it('17. ambiguous dates with nothing in the file to settle them ask for dateFormat', async () => {
    const csv = `${HEAD}\n1,03/04/2026,A,1,2.50\n2,05/06/2026,A,1,2.50\n`;
    await expectInvalid(await upload(ctx, t, { kind: 'orders' }, csv), [
      { row: 2, column: 'Date', reason: /ambiguous.*dateFormat=DMY or dateFormat=MDY/ },
      { row: 3, column: 'Date', reason: /ambiguous/ },
    ]);
    const imp = await expectValid(await upload(ctx, t, { kind: 'orders', dateFormat: 'DMY' }, csv));
    expect((imp.preview[0]!.values.o as { orderedAt: string }).orderedAt).toBe(
      '2026-04-03T00:00:00.000Z',
    );
  });

  it('ambiguous dates are settled by the rest of the column (13/04 shows D/M/Y)', async () => {
    const csv = `${HEAD}\n1,03/04/2026,A,1,2.50\n2,13/04/2026,A,1,2.50\n`;
    const imp = await expectValid(await upload(ctx, t, { kind: 'orders' }, csv));
    expect(imp.dateFormat).toBe('DMY');
    expect((imp.preview[0]!.values.o as { orderedAt: string }).orderedAt).toBe(
      '2026-04-03T00:00:00.000Z',
    );
  });

  it('18. dates that contradict each other (13/04 and 04/13 in one file)', async () => {
    const csv = `${HEAD}\n1,13/04/2026,A,1,2.50\n2,14/04/2026,A,1,2.50\n3,04/15/2026,A,1,2.50\n`;
    await expectInvalid(await upload(ctx, t, { kind: 'orders' }, csv), [
      { row: 4, column: 'Date', reason: /only reads as month\/day\/year.*day\/month\/year/ },
    ]);
  });

  it('19. numbers: currency and thousands read; a decimal comma in a decimal-point file and words are errors', async () => {
    const csv = `${HEAD}\n1,2026-01-05,A,1,"$1,234.50"\n2,2026-01-05,A,1,12.5\n3,2026-01-05,A,1,"12,5"\n4,2026-01-05,A,1,abc\n5,2026-01-05,A,1,1.2.3\n`;
    await expectInvalid(await upload(ctx, t, { kind: 'orders' }, csv), [
      { row: 4, column: 'Unit Price', reason: /decimal point; if it means 12.5, pass decimal=,/ },
      { row: 5, column: 'Unit Price', reason: /"abc" is not a number/ },
      { row: 6, column: 'Unit Price', reason: /is not a number/ },
    ]);
  });

  it('20. negative quantities and prices where they cannot be', async () => {
    const csv = `${HEAD}\n1,2026-01-05,A,-2,2.50\n2,2026-01-05,A,1,-2.50\n3,2026-01-05,A,0,2.50\n`;
    await expectInvalid(await upload(ctx, t, { kind: 'orders' }, csv), [
      { row: 2, column: 'Quantity', reason: /must be greater than 0, got -2.*refundedQuantity/ },
      { row: 3, column: 'Unit Price', reason: /must not be negative/ },
      { row: 4, column: 'Quantity', reason: /must be greater than 0, got 0/ },
    ]);
    const exp = 'Date,Vendor,Amount\n2026-01-05,Acme,-12.00\n';
    await expectInvalid(await upload(ctx, t, { kind: 'expenses' }, exp), [
      { row: 2, column: 'Amount', reason: /must not be negative.*positive amount/ },
    ]);
    const stock = 'SKU,On hand\nA,-3\n';
    await expectInvalid(await upload(ctx, t, { kind: 'products' }, stock), [
      { row: 2, column: 'On hand', reason: /cannot be negative/ },
    ]);
  });

  it('21. duplicates inside the file: SKUs, metric points, order lines, identical expenses', async () => {
    await expectInvalid(
      await upload(ctx, t, { kind: 'products' }, 'SKU,Name\nA,Apple\nB,Banana\nA,Apricot\n'),
      [{ row: 4, reason: /SKU "A" is also on row 2/ }],
    );
    await expectInvalid(
      await upload(
        ctx,
        t,
        { kind: 'metrics' },
        'metric,time,value\nvisitors,2026-01-05,1\nvisitors,2026-01-05 00:00,2\n',
      ),
      [{ row: 3, reason: /visitors.*also on row 2/ }],
    );
    await expectInvalid(
      await upload(
        ctx,
        t,
        { kind: 'orders' },
        `${HEAD}\n1,2026-01-05,A,1,2.50\n1,2026-01-05,A,1,2.50\n`,
      ),
      [{ row: 3, reason: /duplicate line: the same as row 2 of order "1"/ }],
    );
    await expectInvalid(
      await upload(
        ctx,
        t,
        { kind: 'expenses' },
        'Date,Vendor,Amount\n2026-01-05,Acme,12\n2026-01-05,Acme,12\n',
      ),
      [{ row: 3, reason: /identical expense is also on row 2.*add an id column/ }],
    );
  });

  it('22. lines of one order that disagree on order-level values', async () => {
    const csv = `${HEAD},Channel\n1,2026-01-05,A,1,2.50,web\n1,2026-01-05,B,1,2.50,store\n1,2026-01-05,C,1,2.50,\n`;
    await expectInvalid(await upload(ctx, t, { kind: 'orders' }, csv), [
      { row: 3, column: 'Channel', reason: /order "1" has "store" here but "web" on row 2/ },
    ]);
  });

  it('23. spreadsheet formula injection in text fields', async () => {
    const csv = `${HEAD},Product,Customer Name\n1,2026-01-05,A,1,2.50,"=cmd|' /C calc'!A0",Ann\n2,2026-01-05,B,1,2.50,Tea,@SUM(A1:A9)\n3,2026-01-05,C,1,2.50,-5 off,+44 20 7946 0000\n`;
    const res = await upload(ctx, t, { kind: 'orders' }, csv);
    await expectInvalid(res, [
      { row: 2, column: 'Product', reason: /looks like a spreadsheet formula/ },
      { row: 3, column: 'Customer Name', reason: /looks like a spreadsheet formula/ },
    ]);
    expect(res.body.import.errors.filter((e) => e.row === 4)).toEqual([]);
    // The downloadable report escapes them, so opening it in a spreadsheet runs nothing.
    const report = await ctx.inject({
      method: 'GET',
      url: `/v1/imports/${res.body.import.id}/errors.csv`,
      headers: t.auth,
    });
    expect(report.statusCode).toBe(200);
    expect(report.headers['content-type']).toMatch(/^text\/csv/);
    expect(report.headers['content-disposition']).toMatch(
      /attachment; filename="upload-errors.csv"/,
    );
    expect(report.body.split('\r\n')[0]).toBe('row,line,column,value,reason');
    expect(report.body).toContain(`,'=cmd|' /C calc'!A0,`);
    expect(report.body).toContain(`'@SUM(A1:A9)`);
    expect(report.body).not.toMatch(/(^|,)=cmd/m);
  });

  it('24. empty required cells and unknown enumerations', async () => {
    const csv = `${HEAD},Status\n,2026-01-05,A,1,2.50,paid\n2,,A,1,2.50,paid\n3,2026-01-05,A,1,,paid\n4,2026-01-05,A,1,2.50,lost in the post\n`;
    await expectInvalid(await upload(ctx, t, { kind: 'orders' }, csv), [
      { row: 2, column: 'Order ID', reason: /is empty; a value is required/ },
      { row: 3, column: 'Date', reason: /is empty; a date is required/ },
      { row: 4, column: 'Unit Price', reason: /a price is required/ },
      { row: 5, column: 'Status', reason: /not an order status/ },
    ]);
  });

  it('25. metric names: derived metrics and malformed names are refused', async () => {
    const csv =
      'metric,time,value\nrevenue,2026-01-05,100\n9lives,2026-01-05,1\nWebsite Visitors,2026-01-05,3\n';
    const res = await upload(ctx, t, { kind: 'metrics' }, csv);
    await expectInvalid(res, [
      { row: 2, column: 'metric', reason: /"revenue" is computed from your records/ },
      { row: 3, column: 'metric', reason: /not a metric name/ },
    ]);
    expect(res.body.import.errors.filter((e) => e.row === 4)).toEqual([]);
  });

  it('26. a mapping to a header the file does not have', async () => {
    const csv = `${HEAD}\n1,2026-01-05,A,1,2.50\n`;
    await expectInvalid(
      await upload(
        ctx,
        t,
        { kind: 'orders', mapping: JSON.stringify({ orderId: 'Order Number' }) },
        csv,
      ),
      [{ row: 1, column: 'Order Number', reason: /which the header row does not have/ }],
    );
  });
});

describe('limits', () => {
  it('27. a file over the size limit is refused (413) and the import marked failed', async () => {
    const service = new ImportsService({ db: ctx.database.db, jobs: null, maxBytes: 100_000 });
    const big = Buffer.from(`${HEAD}\n${'1,2026-01-05,A,1,2.50\n'.repeat(10_000)}`);
    await expect(
      service.upload(t.tenantId, {
        kind: 'orders',
        fileName: 'big.csv',
        source: Readable.from([big.subarray(0, 60_000), big.subarray(60_000)]),
        expectedBytes: big.length,
        mapping: {},
        dateFormat: null,
        delimiter: null,
        decimal: null,
        dryRun: false,
        createdBy: null,
      }),
    ).rejects.toMatchObject({ code: 'payload_too_large', status: 413 });
    const list = await service.list(t.tenantId, {
      kind: 'orders',
      status: 'failed',
      limit: 5,
      before: null,
    });
    expect(list[0]).toMatchObject({ file_name: 'big.csv', status: 'failed' });
    expect(list[0]!.failure).toMatch(/larger than the 98 KB an import accepts/);
    const { staged: _s, ...canonical } = await recordCounts(ctx, t);
    expect(canonical).toEqual(NOTHING);
  });
});

describe('requests', () => {
  it('refuses a non-multipart body, a missing kind, bad options and a missing file', async () => {
    const json = await ctx.inject({
      method: 'POST',
      url: '/v1/imports',
      headers: t.auth,
      payload: { kind: 'orders' },
    });
    expect(json.statusCode).toBe(415);
    const noKind = await upload(ctx, t, {}, `${HEAD}\n`);
    expect(noKind.status).toBe(400);
    expect(JSON.parse(noKind.raw).errors[0].path).toBe('/body/kind');
    const badMapping = await upload(ctx, t, { kind: 'orders', mapping: '{nope' }, `${HEAD}\n`);
    expect(badMapping.status).toBe(400);
    const { payload, headers } = multipart({ kind: 'orders' }, null);
    const noFile = await ctx.inject({
      method: 'POST',
      url: '/v1/imports',
      headers: { ...t.auth, ...headers },
      payload,
    });
    expect(noFile.statusCode).toBe(400);
  });

  it('a viewer cannot upload', async () => {
    const inv = (
      await ctx.inject({
        method: 'POST',
        url: '/v1/invitations',
        headers: t.auth,
        payload: { email: `v-${Date.now()}@example.com`, role: 'viewer' },
      })
    ).json();
    const viewer = (
      await ctx.inject({
        method: 'POST',
        url: '/v1/auth/accept-invitation',
        payload: { token: inv.token, password: 'correct-horse-battery', name: 'V' },
      })
    ).json();
    const { payload, headers } = multipart(
      { kind: 'orders' },
      { name: 'a.csv', content: fixture('orders.csv') },
    );
    const res = await ctx.inject({
      method: 'POST',
      url: '/v1/imports',
      headers: { authorization: `Bearer ${viewer.accessToken}`, ...headers },
      payload,
    });
    expect(res.statusCode).toBe(403);
  });
});
