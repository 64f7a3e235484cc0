import { randomUUID } from 'node:crypto';
import { connect, type AddressInfo } from 'node:net';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTracing } from '../../src/platform/observability/tracing.js';
import { metrics } from '../../src/platform/observability/metrics.js';
import { installObservability } from '../../src/platform/observability/install.js';
import { createLogger } from '../../src/platform/observability/logger.js';
import { installProblemHandlers } from '../../src/platform/http/problem.js';
import { withTenant } from '../../src/platform/tenancy/context.js';
import { LogCapture } from '../helpers/app.js';
import { createObservedContext, type ObservedContext } from './helpers.js';

const exporter = new InMemorySpanExporter();
let ctx: ObservedContext;
/** A second app on the same process observability, with a route that enqueues a job. */
let jobApp: FastifyInstance;
const jobAppLogs = new LogCapture();

beforeAll(async () => {
  const tracing = await startTracing({ serviceName: 'dyocense-test', exporter, synchronous: true });
  expect(tracing.enabled).toBe(true);
  ctx = await createObservedContext({ env: { LOG_LEVEL: 'debug' } });
  jobApp = Fastify({
    loggerInstance: createLogger({ level: 'info', destination: jobAppLogs }),
    logController: new LogController({ requestIdLogLabel: 'request_id' }),
    genReqId: () => randomUUID(),
  }) as unknown as FastifyInstance;
  installProblemHandlers(jobApp);
  installObservability(jobApp, {
    config: ctx.config,
    db: ctx.database.db,
    jobs: ctx.jobs,
    observability: ctx.observability,
  });
  jobApp.post<{ Body: { tenantId: string } }>('/test/enqueue', async (request) => {
    const { tenantId } = request.body;
    await withTenant(ctx.database.db, tenantId, (tx) =>
      tx.query('select count(*) from jobs', [], 'test.beforeEnqueue'),
    );
    const job = await ctx.jobs.enqueue(tenantId, 'test.observed', {});
    request.log.info({ jobId: job.id }, 'enqueued');
    return { jobId: job.id };
  });
  jobApp.get('/test/slow', async () => {
    await new Promise((r) => setTimeout(r, 400));
    return { ok: true };
  });
  await jobApp.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await jobApp?.close();
  await ctx?.close();
});

const spansOf = (traceId: string) =>
  exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
const parentId = (s: ReadableSpan) => s.parentSpanContext?.spanId;

/** Every span but the root has its parent in the same trace: one connected tree. */
function expectConnected(spans: ReadableSpan[], rootParent?: string) {
  const ids = new Set(spans.map((s) => s.spanContext().spanId));
  const roots = spans.filter((s) => !parentId(s) || !ids.has(parentId(s)!));
  expect(roots.map((s) => s.name)).toHaveLength(1);
  expect(parentId(roots[0]!)).toBe(rootParent);
  return roots[0]!;
}

describe('tracing', () => {
  it('a request that enqueues a job produces one connected trace: HTTP → DB → job → DB', async () => {
    const tenant = await ctx.newTenant();
    const res = await jobApp.inject({
      method: 'POST',
      url: '/test/enqueue',
      payload: { tenantId: tenant.tenantId },
    });
    expect(res.statusCode).toBe(200);
    const { jobId } = res.json();
    expect((await ctx.waitForJob(tenant.tenantId, jobId))?.status).toBe('succeeded');

    const server = exporter
      .getFinishedSpans()
      .find((s) => s.name === 'POST /test/enqueue' && s.kind === SpanKind.SERVER)!;
    expect(server).toBeDefined();
    const traceId = server.spanContext().traceId;
    const spans = spansOf(traceId);
    expect(expectConnected(spans)).toBe(server);
    expect(server.attributes['http.route']).toBe('/test/enqueue');
    expect(server.attributes['http.response.status_code']).toBe(200);

    const route = spans.find((s) => s.name === 'route POST /test/enqueue')!;
    expect(parentId(route)).toBe(server.spanContext().spanId);
    const before = spans.find((s) => s.name === 'test.beforeEnqueue')!;
    expect(before.kind).toBe(SpanKind.CLIENT);
    expect(before.attributes['db.system.name']).toBe('postgresql');
    expect(parentId(before)).toBe(route.spanContext().spanId);
    expect(spans.find((s) => s.name === 'jobs.insert')).toBeDefined();

    // the job's span continues the trace of the request that enqueued it, and links to it
    const job = spans.find((s) => s.name === 'job test.observed')!;
    expect(job.kind).toBe(SpanKind.CONSUMER);
    expect(parentId(job)).toBe(route.spanContext().spanId);
    expect(job.links.map((l) => l.context.spanId)).toEqual([route.spanContext().spanId]);
    const inJob = spans.find((s) => s.name === 'test.count')!;
    expect(parentId(inJob)).toBe(job.spanContext().spanId);
  });

  it('continues the caller’s W3C trace context on the real app (with a body and auth)', async () => {
    const tenant = await ctx.newTenant();
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const callerSpan = '00f067aa0ba902b7';
    const res = await ctx.inject({
      method: 'PATCH',
      url: '/v1/tenant',
      headers: {
        ...tenant.auth,
        traceparent: `00-${traceId}-${callerSpan}-01`,
        'x-request-id': 'trace-req-1',
      },
      payload: { name: 'Renamed while traced' },
    });
    expect(res.statusCode).toBe(200);
    const spans = spansOf(traceId);
    const server = expectConnected(spans, callerSpan);
    expect(server.name).toBe('PATCH /v1/tenant');
    expect(server.attributes['dyocense.tenant_id']).toBe(tenant.tenantId);
    // the body is parsed from socket events; the handler's statements still join the trace
    const update = spans.filter((s) => s.kind === SpanKind.CLIENT);
    expect(update.length).toBeGreaterThan(0);
    expect(update.map((s) => s.name)).toContain('tenancy.set_tenant');

    // request log lines carry the trace and span ids next to request and tenant ids
    const lines = ctx.logs.lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.request_id === 'trace-req-1');
    const completed = lines.find((l) => l.msg === 'request completed')!;
    expect(completed).toMatchObject({
      trace_id: traceId,
      span_id: server.spanContext().spanId,
      tenant_id: tenant.tenantId,
    });
    // no line carries the ids twice
    for (const raw of ctx.logs.lines) expect(raw.match(/"trace_id"/g)?.length ?? 0).toBeLessThan(2);
  });

  it('records nothing for a request whose caller did not sample its trace', async () => {
    const tenant = await ctx.newTenant();
    const traceId = '5bf92f3577b34da6a3ce929d0e0e4737';
    const before = exporter.getFinishedSpans().length;
    const res = await ctx.inject({
      method: 'PATCH',
      url: '/v1/tenant',
      headers: {
        ...tenant.auth,
        traceparent: `00-${traceId}-00f067aa0ba902b8-00`,
        'x-request-id': 'unsampled-req-1',
      },
      payload: { name: 'Renamed, not traced' },
    });
    expect(res.statusCode).toBe(200);
    // parent-based sampling: no server, route or statement span, here or in another trace
    expect(spansOf(traceId)).toEqual([]);
    expect(exporter.getFinishedSpans().length).toBe(before);
    // the completed line still names the caller's trace, for correlation with its logs
    const completed = ctx.logs.lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.request_id === 'unsampled-req-1' && l.msg === 'request completed');
    expect(completed).toMatchObject({ trace_id: traceId });
  });

  it('keeps the context over a real socket, where the body arrives in later events', async () => {
    const tenant = await ctx.newTenant();
    const { port } = jobApp.server.address() as AddressInfo;
    const traceId = 'a'.repeat(31) + '1';
    const body = JSON.stringify({ tenantId: tenant.tenantId });
    // headers first, the body 100 ms later: it is read in a later turn of the event loop
    const response = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.write(
          [
            'POST /test/enqueue HTTP/1.1',
            'host: localhost',
            'content-type: application/json',
            `content-length: ${Buffer.byteLength(body)}`,
            `traceparent: 00-${traceId}-${'b'.repeat(16)}-01`,
            'connection: close',
            '',
            '',
          ].join('\r\n'),
        );
        setTimeout(() => socket.write(body), 100); // `connection: close`: the server ends it
      });
      let text = '';
      socket.on('data', (d) => (text += d.toString()));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(response).toMatch(/^HTTP\/1\.1 200/);
    const { jobId } = JSON.parse(response.slice(response.indexOf('\r\n\r\n') + 4)) as {
      jobId: string;
    };
    await ctx.waitForJob(tenant.tenantId, jobId);
    const spans = spansOf(traceId);
    expectConnected(spans, 'b'.repeat(16));
    expect(spans.map((s) => s.name)).toEqual(
      expect.arrayContaining([
        'test.beforeEnqueue',
        'jobs.insert',
        'job test.observed',
        'test.count',
      ]),
    );
  });

  it('ends the span and the in-flight count of a request the client abandons', async () => {
    const { port } = jobApp.server.address() as AddressInfo;
    const traceId = 'c'.repeat(31) + '2';
    await new Promise<void>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.write(
          `GET /test/slow HTTP/1.1\r\nhost: x\r\ntraceparent: 00-${traceId}-${'d'.repeat(16)}-01\r\n\r\n`,
        );
        setTimeout(() => socket.destroy(), 100);
      });
      socket.on('close', () => resolve());
    });
    await new Promise((r) => setTimeout(r, 600));
    const server = spansOf(traceId).find((s) => s.kind === SpanKind.SERVER)!;
    expect(server.attributes).toMatchObject({
      'dyocense.aborted': true,
      'http.response.status_code': 499,
    });
    expect((await metrics.httpAborted.get()).values).toEqual([
      expect.objectContaining({ labels: { route: '/test/slow' }, value: 1 }),
    ]); // and nothing else was abandoned
    expect((await metrics.httpInFlight.get()).values[0]!.value).toBe(0);
  });

  it('job log lines carry the trace and span of the job', async () => {
    const tenant = await ctx.newTenant();
    const res = await jobApp.inject({
      method: 'POST',
      url: '/test/enqueue',
      payload: { tenantId: tenant.tenantId },
    });
    const { jobId } = res.json();
    await ctx.waitForJob(tenant.tenantId, jobId);
    const line = ctx.logs.lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.job_id === jobId && l.msg === 'observed task running')!;
    const job = exporter
      .getFinishedSpans()
      .find((s) => s.name === 'job test.observed' && s.spanContext().traceId === line.trace_id)!;
    expect(job).toBeDefined();
    expect(line).toMatchObject({ tenant_id: tenant.tenantId, span_id: job.spanContext().spanId });
    const enqueued = jobAppLogs.lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.jobId === jobId)!;
    expect(enqueued.trace_id).toBe(line.trace_id);
    expect(enqueued.request_id).toEqual(expect.any(String));
  });

  it('makes no spans for statements outside any request or job', async () => {
    const before = exporter.getFinishedSpans().length;
    await ctx.scrape();
    await ctx.database.db.query('select 1', [], 'test.untraced');
    const after = exporter.getFinishedSpans().slice(before);
    expect(after.filter((s) => s.name === 'test.untraced')).toEqual([]);
  });
});
