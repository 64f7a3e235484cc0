import { mkdir, writeFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { buildApp } from '../app.js';
import { loadConfig } from '../platform/config/config.js';
import { openEmbeddedDatabase, type EmbeddedDatabase } from '../platform/db/embedded.js';
import { openServerDatabase } from '../platform/db/server.js';
import { migrate } from '../platform/db/migrate.js';
import type { Database } from '../platform/db/types.js';
import { refreshContinuousAggregates } from '../platform/db/aggregates.js';
import { JobQueue } from '../platform/jobs/queue.js';
import { createLogger } from '../platform/observability/logger.js';
import { withTenant } from '../platform/tenancy/context.js';
import { refreshPending, refreshRollups } from '../modules/metrics/write-repo.js';
import { generateDemo } from '../demo/generator.js';
import { loadDemoData } from '../demo/load.js';

/**
 * `dyocense bench ingest` — the business_metrics store under load, per database:
 *  1. ingest: the same rows through raw COPY and through POST /v1/metrics:batch (10k points
 *     per call, upsert + RLS view + rollups), same run, same table;
 *  2. queries: T tenants × Y years × M daily metrics loaded, then p50/p95 of the series
 *     endpoint (one metric, 2 years by day) and of the summary endpoint over real HTTP handling;
 *  3. storage (TimescaleDB): bytes before/after compression, on the demo business and on the
 *     query data set.
 */

interface Options {
  databases: ('server' | 'embedded')[];
  serverUrl: string;
  tenants: number;
  years: number;
  metrics: number;
  ingestTenants: number;
  ingestDays: number;
  samples: number;
  out: string;
  demo: boolean;
}

const DAY = 86_400_000;
const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};
const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

function* rows(
  tenants: string[],
  metrics: number,
  days: number,
  endDay: number,
): Generator<string> {
  for (const t of tenants) {
    for (let m = 0; m < metrics; m++) {
      const name = `bench_metric_${String(m).padStart(2, '0')}`;
      for (let d = 0; d < days; d++) {
        const time = new Date((endDay - days + 1 + d) * DAY).toISOString();
        const value = 100 + m + 10 * Math.sin(d / 7) + (d % 13);
        yield `${t},${name},${time},${value.toFixed(3)},"","","",bench\n`;
      }
    }
  }
}

/** One tenant's rows as `POST /v1/metrics:batch` bodies of 10k points. */
function jsonBatches(
  tenantId: string,
  o: Options,
  endDay: number,
): { body: string; count: number }[] {
  const out: { body: string; count: number }[] = [];
  let batch: { metric: string; time: string; value: number }[] = [];
  const flush = () => {
    out.push({ body: JSON.stringify({ points: batch }), count: batch.length });
    batch = [];
  };
  for (const line of rows([tenantId], o.metrics, o.ingestDays, endDay)) {
    const [, metric, time, value] = line.split(',');
    batch.push({ metric: metric!, time: time!.replace('.000Z', 'Z'), value: Number(value) });
    if (batch.length === 10_000) flush();
  }
  if (batch.length) flush();
  return out;
}

async function copyRows(
  db: Database,
  url: string | undefined,
  lines: Iterable<string>,
): Promise<number> {
  const columns = '(tenant_id, metric_name, time, value, channel, location, sku, source)';
  let count = 0;
  const counted = function* () {
    for (const l of lines) {
      count++;
      yield l;
    }
  };
  if (db.kind === 'embedded') {
    const blob = new Blob([...counted()]);
    const pglite = (db as EmbeddedDatabase).pglite as unknown as {
      query(text: string, params: unknown[], options: { blob: Blob }): Promise<unknown>;
    };
    await pglite.query(`copy business_metrics ${columns} from '/dev/blob' with (format csv)`, [], {
      blob,
    });
    return count;
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await pipeline(
      Readable.from(counted()),
      client.query(copyFrom(`copy business_metrics ${columns} from stdin with (format csv)`)),
    );
  } finally {
    await client.end();
  }
  return count;
}

async function openFresh(
  kind: 'server' | 'embedded',
  serverUrl: string,
): Promise<{ db: Database; url?: string; drop: () => Promise<void> }> {
  if (kind === 'embedded') {
    const db = await openEmbeddedDatabase({ build: 'timescaledb' });
    await migrate(db);
    return { db, drop: () => db.close() };
  }
  const name = `dyocense_bench_${process.pid}`;
  const admin = await openServerDatabase({
    url: serverUrl,
    poolMax: 1,
    statementTimeoutMs: 0,
    connectAttempts: 2,
  });
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  await admin.close();
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  const db = await openServerDatabase({
    url: u.toString(),
    poolMax: 10,
    statementTimeoutMs: 0,
    connectAttempts: 2,
  });
  await migrate(db);
  return {
    db,
    url: u.toString(),
    drop: async () => {
      await db.close();
      const a = await openServerDatabase({
        url: serverUrl,
        poolMax: 1,
        statementTimeoutMs: 0,
        connectAttempts: 2,
      });
      await a.query(`drop database if exists ${name} with (force)`);
      await a.close();
    },
  };
}

async function makeApp(db: Database, url: string | undefined) {
  const logger = createLogger({ level: 'silent' });
  const jobs = new JobQueue(db, logger, { databaseUrl: url });
  await jobs.start({ work: false });
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    AUTH_RATE_LIMIT_PER_MINUTE: '100000',
    BODY_LIMIT_BYTES: String(16 * 1024 * 1024),
  });
  const { app, services } = await buildApp({
    config,
    db,
    logger,
    jwtSecret: 'bench-secret-bench-secret-bench-secret',
    jobs,
  });
  const tenants: { id: string; auth: { authorization: string } }[] = [];
  const signup = async (i: number) => {
    const s = await services.accounts.signup(
      {
        email: `bench-${i}-${randomUUID()}@example.com`,
        password: 'bench-password-1',
        name: 'Bench',
        businessName: `Bench ${i}`,
        currency: 'USD',
        timezone: 'UTC',
        industry: null,
      },
      { ip: null },
    );
    tenants.push({ id: s.tenant.id, auth: { authorization: `Bearer ${s.accessToken}` } });
  };
  return {
    app,
    tenants,
    signup,
    close: async () => {
      await app.close();
      await jobs.stop(2000);
    },
  };
}

async function tableBytes(db: Database): Promise<number> {
  const { rows } = await db.query<{ bytes: number }>(
    `select coalesce((select sum(total_bytes) from hypertable_detailed_size('business_metrics')), 0)::float8 as bytes`,
  );
  return rows[0]?.bytes ?? 0;
}

async function compressAll(db: Database): Promise<void> {
  await db.query(
    `select compress_chunk(c, if_not_compressed => true) from show_chunks('business_metrics') c`,
  );
}

async function benchOne(kind: 'server' | 'embedded', o: Options): Promise<Record<string, unknown>> {
  const report: Record<string, unknown> = { database: kind };
  const endDay = Math.floor(Date.now() / DAY) - 1;

  const step = (s: string) => console.error(`  [${kind}] ${s}`);
  // 1. ingest: COPY vs API, same rows, same table (emptied in between)
  {
    const { db, url, drop } = await openFresh(kind, o.serverUrl);
    try {
      const h = await makeApp(db, url);
      for (let i = 0; i < o.ingestTenants; i++) await h.signup(i);
      const ids = h.tenants.map((t) => t.id);
      // Both inputs are built before the clock starts: what a client does to produce them
      // (CSV lines, JSON bodies) happens in its own process, not in the ingest path measured.
      const lines = [...rows(ids, o.metrics, o.ingestDays, endDay)];
      const bodies = h.tenants.map((t) => ({
        auth: t.auth,
        payloads: jsonBatches(t.id, o, endDay),
      }));
      step('copy');
      let t0 = process.hrtime.bigint();
      const copied = await copyRows(db, url, lines);
      const copyMs = ms(t0);
      step('api');
      await db.query('truncate business_metrics');
      t0 = process.hrtime.bigint();
      let posted = 0;
      for (const { auth, payloads } of bodies) {
        for (const { body, count } of payloads) {
          const res = await h.app.inject({
            method: 'POST',
            url: '/v1/metrics:batch',
            headers: { ...auth, 'content-type': 'application/json' },
            payload: body,
          });
          if (res.statusCode !== 200)
            throw new Error(`batch failed: ${res.statusCode} ${res.body.slice(0, 300)}`);
          posted += count;
        }
      }
      const apiMs = ms(t0);
      // Plain PostgreSQL defers rollups to the next read; measure that catch-up separately.
      t0 = process.hrtime.bigint();
      for (const t of h.tenants) await withTenant(db, t.id, (tx) => refreshPending(tx));
      const catchUpMs = ms(t0);
      report.ingest = {
        rows: copied,
        copyRowsPerSecond: Math.round(copied / (copyMs / 1000)),
        apiRowsPerSecond: Math.round(posted / (apiMs / 1000)),
        apiVsCopy: Number((posted / apiMs / (copied / copyMs)).toFixed(3)),
        rollupCatchUpSeconds: Number((catchUpMs / 1000).toFixed(2)),
        note: 'API path = HTTP handling + validation + insert through the tenant view (+ change log on plain PostgreSQL), 10k points per request; rollup catch-up is deferred to the next read (TimescaleDB: continuous aggregates)',
      };
      await h.close();
    } finally {
      await drop();
    }
  }

  // 2. queries on T tenants × Y years × M metrics
  {
    const { db, url, drop } = await openFresh(kind, o.serverUrl);
    try {
      const h = await makeApp(db, url);
      for (let i = 0; i < o.tenants; i++) await h.signup(i);
      step('query data set');
      const days = Math.round(o.years * 365);
      let t0 = process.hrtime.bigint();
      const loaded = await copyRows(
        db,
        url,
        rows(
          h.tenants.map((t) => t.id),
          o.metrics,
          days,
          endDay,
        ),
      );
      const loadMs = ms(t0);
      t0 = process.hrtime.bigint();
      if (!(await refreshContinuousAggregates(db))) {
        const from = new Date((endDay - days) * DAY);
        const to = new Date((endDay + 1) * DAY);
        for (const t of h.tenants)
          await withTenant(db, t.id, (tx) => refreshRollups(tx, from, to, null));
      }
      // Planner statistics, as autovacuum (server) or the hourly maintenance job (embedded)
      // gathers them after a bulk load.
      await db.query('analyze');
      const aggregateMs = ms(t0);
      const to = new Date((endDay + 1) * DAY).toISOString().slice(0, 10);
      const from = new Date((endDay + 1 - 730) * DAY).toISOString().slice(0, 10);
      const time = async (url: (i: number) => string) => {
        const out: number[] = [];
        for (let i = 0; i < o.samples; i++) {
          const t = h.tenants[i % h.tenants.length]!;
          const s = process.hrtime.bigint();
          const res = await h.app.inject({ method: 'GET', url: url(i), headers: t.auth });
          out.push(ms(s));
          if (res.statusCode !== 200)
            throw new Error(`query failed: ${res.statusCode} ${res.body.slice(0, 200)}`);
        }
        return out;
      };
      await time(
        (i) =>
          `/v1/metrics/bench_metric_${String(i % o.metrics).padStart(2, '0')}/series?interval=day&from=${from}&to=${to}`,
      ); // warm-up
      const series = await time(
        (i) =>
          `/v1/metrics/bench_metric_${String(i % o.metrics).padStart(2, '0')}/series?interval=day&from=${from}&to=${to}`,
      );
      const weekly = await time(
        (i) =>
          `/v1/metrics/bench_metric_${String(i % o.metrics).padStart(2, '0')}/series?interval=week&from=${from}&to=${to}`,
      );
      const summary = await time(() => '/v1/metrics/summary');
      report.queries = {
        tenants: o.tenants,
        years: o.years,
        metrics: o.metrics,
        rows: loaded,
        loadSeconds: Number((loadMs / 1000).toFixed(1)),
        aggregateSeconds: Number((aggregateMs / 1000).toFixed(1)),
        seriesDay2yP50Ms: Number(percentile(series, 50).toFixed(2)),
        seriesDay2yP95Ms: Number(percentile(series, 95).toFixed(2)),
        seriesWeek2yP95Ms: Number(percentile(weekly, 95).toFixed(2)),
        summaryP50Ms: Number(percentile(summary, 50).toFixed(2)),
        summaryP95Ms: Number(percentile(summary, 95).toFixed(2)),
        samples: o.samples,
      };
      if (kind === 'embedded') {
        const before = await tableBytes(db);
        await compressAll(db);
        const after = await tableBytes(db);
        report.compressionQuerySet = {
          rows: loaded,
          bytesBefore: before,
          bytesAfter: after,
          saved: Number((1 - after / before).toFixed(3)),
        };
      }
      await h.close();
    } finally {
      await drop();
    }
  }

  // 3. compression of the demo business (TimescaleDB only)
  if (kind === 'embedded' && o.demo) {
    const { db, url, drop } = await openFresh(kind, o.serverUrl);
    try {
      const h = await makeApp(db, url);
      await h.signup(0);
      const tenant = h.tenants[0]!;
      const data = generateDemo({
        endDay: new Date(endDay * DAY).toISOString().slice(0, 10),
        timeZone: 'UTC',
      });
      await loadDemoData((fn) => withTenant(db, tenant.id, fn), data, 'UTC');
      const { rows: r } = await db.query<{ n: number }>(
        'select count(*)::int as n from business_metrics',
      );
      const before = await tableBytes(db);
      await compressAll(db);
      const after = await tableBytes(db);
      report.compressionDemo = {
        rows: r[0]?.n ?? 0,
        bytesBefore: before,
        bytesAfter: after,
        saved: Number((1 - after / before).toFixed(3)),
      };
      await h.close();
    } finally {
      await drop();
    }
  }
  return report;
}

export async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      database: { type: 'string', default: 'both' },
      'server-url': {
        type: 'string',
        default: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
      },
      tenants: { type: 'string', default: '100' },
      years: { type: 'string', default: '3' },
      metrics: { type: 'string', default: '30' },
      'ingest-tenants': { type: 'string', default: '10' },
      'ingest-days': { type: 'string', default: '1000' },
      samples: { type: 'string', default: '300' },
      demo: { type: 'boolean', default: true },
      out: { type: 'string', default: 'bench/out/ingest.json' },
    },
    strict: true,
  });
  const int = (name: string, v: string | undefined) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive integer`);
    return n;
  };
  const o: Options = {
    databases:
      values.database === 'both'
        ? ['server', 'embedded']
        : [values.database as 'server' | 'embedded'],
    serverUrl: values['server-url']!,
    tenants: int('tenants', values.tenants),
    years: Number(values.years),
    metrics: int('metrics', values.metrics),
    ingestTenants: int('ingest-tenants', values['ingest-tenants']),
    ingestDays: int('ingest-days', values['ingest-days']),
    samples: int('samples', values.samples),
    out: values.out!,
    demo: values.demo!,
  };
  if (!o.databases.every((d) => d === 'server' || d === 'embedded')) {
    console.error('--database must be server, embedded or both');
    return 2;
  }
  const results = [];
  for (const kind of o.databases) {
    console.error(`bench ingest: ${kind} …`);
    const r = await benchOne(kind, o);
    console.log(JSON.stringify(r, null, 2));
    results.push(r);
  }
  await mkdir('bench/out', { recursive: true });
  await writeFile(
    o.out,
    `${JSON.stringify({ at: new Date().toISOString(), options: o, results }, null, 2)}\n`,
  );
  console.error(`wrote ${o.out}`);
  return 0;
}
