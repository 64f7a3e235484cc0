/**
 * `npm run bench:observability`: requests per second on `GET /v1/health` with and without
 * instrumentation, in the same run. Four server processes (off / metrics / metrics+tracing at
 * 100% and at 10% sampling, see server.ts) are measured in alternating rounds so drift hits
 * every variant alike; the
 * load comes from `wrk` when installed (apt-get install wrk), else from a Node keep-alive
 * client in its own process. Writes the table to docs/benchmarks/observability.md with
 * --write. Target: instrumented ≥ 85% of the uninstrumented rate.
 *
 *   npm run bench:observability -- [--rounds 5] [--seconds 5] [--connections 32] [--write]
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    seconds: { type: 'string', default: '5' },
    connections: { type: 'string', default: '32' },
    write: { type: 'boolean', default: false },
  },
});
const rounds = Number(values.rounds);
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const MODES = ['off', 'metrics', 'full', 'sampled'] as const;
type Mode = (typeof MODES)[number];
const LABEL: Record<Mode, string> = {
  off: 'uninstrumented',
  metrics: 'metrics (tracing off)',
  full: 'metrics + tracing, every request traced',
  sampled: 'metrics + tracing, 10% of requests sampled',
};
/** Server mode and extra environment of each variant. */
const VARIANT: Record<Mode, { mode: string; env: Record<string, string> }> = {
  off: { mode: 'off', env: {} },
  metrics: { mode: 'metrics', env: {} },
  full: { mode: 'full', env: { OTEL_TRACES_SAMPLER: 'parentbased_always_on' } },
  sampled: {
    mode: 'full',
    env: { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' },
  },
};

// The OTLP/HTTP endpoint the traced server exports to: accepts and counts span batches.
let exports = 0;
let exportedBytes = 0;
const sink = createServer((req, res) => {
  req.on('data', (c: Buffer) => (exportedBytes += c.length));
  req.on('end', () => {
    exports++;
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
});
await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
const sinkUrl = `http://127.0.0.1:${(sink.address() as { port: number }).port}`;

function startServer(mode: Mode): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const { mode: serverMode, env } = VARIANT[mode];
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(here, 'server.ts'), serverMode, sinkUrl],
      { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } },
    );
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /\{"port":(\d+)\}/.exec(out);
      if (m) resolve({ child, url: `http://127.0.0.1:${m[1]}/v1/health` });
    });
    child.on('exit', (code) => reject(new Error(`${mode} server exited with ${code}`)));
  });
}

const hasWrk = spawnSync('wrk', ['--version']).error === undefined;

/**
 * CPU seconds a process has used (Linux /proc). Throughput on a shared machine moves with
 * what else runs; CPU time per request barely does, so it is reported next to req/s.
 */
function cpuSeconds(pid: number): number | undefined {
  const file = `/proc/${pid}/stat`;
  if (!existsSync(file)) return undefined;
  const fields = readFileSync(file, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in USER_HZ (100/s)
}

/** Requests per second against `url` for `secs` seconds. */
function load(url: string, secs: number): number {
  if (hasWrk) {
    const r = spawnSync('wrk', ['-t1', `-c${connections}`, `-d${secs}s`, url], {
      encoding: 'utf8',
    });
    const m = /Requests\/sec:\s+([\d.]+)/.exec(r.stdout);
    const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(r.stdout);
    if (!m || non2xx) throw new Error(`wrk failed: ${r.stdout}${r.stderr}`);
    return Number(m[1]);
  }
  const r = spawnSync(
    process.execPath,
    [join(here, 'load.mjs'), url, String(secs), String(connections)],
    {
      encoding: 'utf8',
    },
  );
  const parsed = JSON.parse(r.stdout) as { rps: number; errors: number };
  if (parsed.errors) throw new Error(`${parsed.errors} failed requests`);
  return parsed.rps;
}

const servers = new Map<Mode, { child: ChildProcess; url: string }>();
for (const mode of MODES) servers.set(mode, await startServer(mode));
for (const { url } of servers.values()) load(url, 2); // warm up (JIT, connections)

const results: Record<Mode, number[]> = { off: [], metrics: [], full: [], sampled: [] };
/** Server CPU microseconds per request, per round. */
const cpuPerRequest: Record<Mode, number[]> = { off: [], metrics: [], full: [], sampled: [] };
for (let round = 1; round <= rounds; round++) {
  // rotate the order every round so no variant always runs first
  const order = MODES.map((_, i) => MODES[(i + round) % MODES.length]!);
  for (const mode of order) {
    const { child, url } = servers.get(mode)!;
    const before = cpuSeconds(child.pid!);
    const rps = load(url, seconds);
    const after = cpuSeconds(child.pid!);
    results[mode].push(rps);
    if (before !== undefined && after !== undefined)
      cpuPerRequest[mode].push(((after - before) / (rps * seconds)) * 1e6);
  }
  console.error(
    `round ${round}: ${MODES.map((m) => `${m} ${results[m].at(-1)!.toFixed(0)} req/s ${cpuPerRequest[m].at(-1)?.toFixed(0) ?? '?'} µs`).join(', ')}`,
  );
}
for (const { child } of servers.values()) {
  child.removeAllListeners('exit');
  child.kill('SIGTERM');
}
await new Promise((r) => setTimeout(r, 1500)); // let the traced server flush its last batch
sink.close();

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const base = median(results.off);
const rows = MODES.map((mode) => {
  const m = median(results[mode]);
  const perRound = results[mode].map((r, i) => r / results.off[i]!);
  const cpu = cpuPerRequest[mode].length ? median(cpuPerRequest[mode]) : undefined;
  return {
    mode,
    label: LABEL[mode],
    median: m,
    ratio: m / base,
    worstRound: Math.min(...perRound),
    all: results[mode],
    cpu,
  };
});
const baseCpu = rows[0]!.cpu;
const verdict = (r: (typeof rows)[number]) =>
  `${r.label}: ${(r.ratio * 100).toFixed(1)}% of the uninstrumented rate (${r.ratio >= 0.85 ? 'meets' : 'misses'} the ≥ 85% target)`;

const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
const table = [
  '| variant | median req/s | vs uninstrumented | worst round | server CPU per request | CPU-bound rate vs uninstrumented | all rounds (req/s) |',
  '| --- | ---: | ---: | ---: | ---: | ---: | --- |',
  ...rows.map(
    (r) =>
      `| ${r.label} | ${r.median.toFixed(0)} | ${(r.ratio * 100).toFixed(1)}% | ${(r.worstRound * 100).toFixed(1)}% | ` +
      `${r.cpu?.toFixed(0) ?? '?'} µs | ${r.cpu && baseCpu ? `${((baseCpu / r.cpu) * 100).toFixed(1)}%` : '?'} | ${r.all.map((x) => x.toFixed(0)).join(', ')} |`,
  ),
].join('\n');
const summary = [
  `GET /v1/health, ${rounds} rounds × ${seconds} s per variant, ${connections} keep-alive connections, ` +
    `load from ${hasWrk ? 'wrk (1 thread)' : 'a Node client'}; ${availableParallelism()} CPUs (${cpu}), Node ${process.version}.`,
  `Traced servers exported ${exports} OTLP batches (${(exportedBytes / 1e6).toFixed(1)} MB) during the run.`,
  '',
  ...rows.slice(1).map((r) => `- ${verdict(r)}`),
].join('\n');
console.log(`${table}\n\n${summary}`);

if (values.write) {
  const file = join(root, 'docs', 'benchmarks', 'observability.md');
  mkdirSync(dirname(file), { recursive: true });
  // Everything from the marker on is hand-written analysis, kept across runs.
  const marker = '<!-- analysis (kept by --write) -->';
  const previous = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const analysis = previous.includes(marker) ? previous.slice(previous.indexOf(marker)) : '';
  writeFileSync(
    file,
    `# Observability overhead

Measured by \`npm run bench:observability -- --write\` (bench/observability/). Four API
processes built by the real \`buildApp\` on an in-memory embedded database, logging at info to
/dev/null, serve \`GET /v1/health\` (a cheap route, so the instrumentation's share of the work
is as large as it gets); they are measured in alternating rounds of the same run:

- **uninstrumented**: \`buildApp({ observability: null })\` — no metrics hooks, no tracing;
- **metrics**: the Prometheus hooks (request histogram, in-flight gauge, sizes, error codes), tracing
  off — what a deployment without \`OTEL_EXPORTER_OTLP_ENDPOINT\` runs;
- **metrics + tracing**: plus OpenTelemetry (server and route spans per request, W3C context,
  \`trace_id\`/\`span_id\` on log lines) exported in batches over OTLP/HTTP (protobuf) to a
  local sink — once with every request traced (\`parentbased_always_on\`, the SDK default), once
  with \`OTEL_TRACES_SAMPLER=parentbased_traceidratio\`, \`OTEL_TRACES_SAMPLER_ARG=0.1\`.

${table}

${summary}

Run on ${new Date().toISOString().slice(0, 10)}. The machine is shared with other work, so absolute
numbers move between runs; the ratios within one run are what the target is about. Re-run
with \`npm run bench:observability -- --rounds 7 --seconds 10 --write\` for tighter numbers.
${analysis ? `\n${analysis}` : ''}`,
  );
  console.error(`wrote ${file}`);
}
process.exit(0);
