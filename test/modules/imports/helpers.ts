import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { TestContext, TestTenant } from '../../helpers/app.js';
import { withTenant } from '../../../src/platform/tenancy/context.js';

export const fixture = (name: string): Buffer =>
  readFileSync(new URL(`../../fixtures/imports/${name}`, import.meta.url));

/** A multipart/form-data body: fields first, then the file part. */
export function multipart(
  fields: Record<string, string>,
  file: { name: string; content: Buffer | string } | null,
): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----dyocense${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    chunks.push(
      Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`),
    );
  }
  if (file) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${file.name}"\r\ncontent-type: text/csv\r\n\r\n`,
      ),
      Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content, 'utf8'),
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(chunks),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

export interface UploadResult {
  status: number;
  body: {
    import: {
      id: string;
      status: string;
      errors: {
        row: number | null;
        line: number | null;
        column: string | null;
        value: string | null;
        reason: string;
      }[];
      errorCount: number;
      warnings: string[];
      preview: { row: number; values: Record<string, unknown> }[];
      mapping: Record<string, string>;
      encoding: string | null;
      delimiter: string | null;
      decimalSeparator: string | null;
      dateFormat: string | null;
      rowCount: number;
      recordCount: number;
      result: {
        inserted: number;
        updated: number;
        unchanged: number;
        derivedPoints: number;
      } | null;
      duplicateOf: string | null;
      [k: string]: unknown;
    };
    job: { id: string; status: string } | null;
  };
  raw: string;
}

export async function upload(
  ctx: TestContext,
  t: TestTenant,
  fields: Record<string, string>,
  content: Buffer | string,
  name = 'upload.csv',
): Promise<UploadResult> {
  const { payload, headers } = multipart(fields, { name, content });
  const res = await ctx.inject({
    method: 'POST',
    url: '/v1/imports',
    headers: { ...t.auth, ...headers },
    payload,
  });
  return { status: res.statusCode, body: res.json(), raw: res.body };
}

/** Row counts of the canonical tables a CSV import writes, for "nothing was written" checks. */
export async function recordCounts(
  ctx: TestContext,
  t: TestTenant,
): Promise<Record<string, number>> {
  return withTenant(ctx.database.db, t.tenantId, async (tx) => {
    const { rows } = await tx.query<{ t: string; n: number }>(
      `select 'orders' as t, count(*)::int as n from orders
       union all select 'order_lines', count(*)::int from order_lines
       union all select 'products', count(*)::int from products
       union all select 'inventory', count(*)::int from inventory_levels
       union all select 'expenses', count(*)::int from expenses
       union all select 'customers', count(*)::int from customers
       union all select 'metrics', count(*)::int from tenant_business_metrics
       union all select 'staged', count(*)::int from import_rows`,
    );
    return Object.fromEntries(rows.map((r) => [r.t, r.n]));
  });
}

export const NOTHING = {
  orders: 0,
  order_lines: 0,
  products: 0,
  inventory: 0,
  expenses: 0,
  customers: 0,
  metrics: 0,
};

export async function query<R>(
  ctx: TestContext,
  t: TestTenant,
  sql: string,
  params: unknown[] = [],
): Promise<R[]> {
  return withTenant(
    ctx.database.db,
    t.tenantId,
    async (tx) => (await tx.query<R>(sql, params)).rows,
  );
}
