import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DCLinter } from 'dclint';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { describeSettings } from '../../src/platform/config/config.js';
import { DASHBOARDS, DEPLOY } from './promql.js';

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: string[] | Record<string, { condition: string }>;
  deploy?: { replicas?: number };
  volumes?: string[];
  secrets?: string[];
  expose?: string[];
  ports?: string[];
  healthcheck?: { test: string[] };
}
interface Compose {
  name: string;
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
  secrets: Record<string, { environment?: string }>;
}

const read = (...p: string[]) => readFileSync(join(DEPLOY, ...p), 'utf8');
const composeText = read('docker-compose.yml');
const compose = parse(composeText, { merge: true }) as Compose;
const services = compose.services;

/** Style rules are a matter of taste; the schema check and every other rule stay on. */
const linter = new DCLinter({
  rules: {
    'service-keys-order': 0,
    'services-alphabetical-order': 0,
    'top-level-properties-order': 0,
    'service-dependencies-alphabetical-order': 0,
  },
  quiet: true,
  debug: false,
  exclude: [],
});

describe('deploy/docker-compose.yml', () => {
  it('is valid against the Compose specification and passes dclint', () => {
    const [result] = linter.lintFiles([join(DEPLOY, 'docker-compose.yml')], false);
    expect(result!.messages).toEqual([]);
  });

  it('the schema check catches a broken file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'compose-'));
    const file = join(dir, 'docker-compose.yml');
    writeFileSync(
      file,
      composeText.replace('condition: service_completed_successfully', 'condition: finished'),
    );
    const [result] = linter.lintFiles([file], false);
    expect(result!.messages.map((m: { rule: string }) => m.rule)).toContain('invalid-schema');
  });

  it('runs every part the issue names', () => {
    for (const s of [
      'postgres',
      'migrate',
      'api',
      'worker',
      'proxy',
      'prometheus',
      'alertmanager',
      'grafana',
      'otel-collector',
      'jaeger',
    ])
      expect(Object.keys(services), s).toContain(s);
    expect(services.api!.deploy?.replicas).toBe(2);
    expect(services.worker!.deploy?.replicas).toBe(2);
    expect(services.migrate!.command).toEqual(['migrate']);
    expect(services.api!.command).toEqual(['serve']);
    expect(services.worker!.command).toEqual(['worker']);
  });

  it('PostgreSQL 17 with TimescaleDB, pgvector and pg_cron preloaded', () => {
    const pg = services.postgres!;
    expect(pg.image).toMatch(/^timescale\/timescaledb-ha:pg17/);
    const args = pg.command!.join(' ');
    expect(args).toMatch(/shared_preload_libraries=\S*timescaledb\S*/);
    expect(args).toMatch(/shared_preload_libraries=\S*pg_cron/);
    expect(args).toContain('cron.database_name=dyocense');
    const init = read('postgres', 'initdb', '10-dyocense.sh');
    for (const ext of ['timescaledb', 'vector', 'pg_cron'])
      expect(init).toContain(`create extension if not exists ${ext}`);
    expect(init).toMatch(/create role dyocense_app nologin nosuperuser nobypassrls/);
    expect(pg.environment?.DYOCENSE_DB_PASSWORD).toBeDefined();
  });

  it('starts the app only after migrations, and migrations after a healthy database', () => {
    const condition = (service: string, dep: string) => {
      const d = services[service]!.depends_on;
      return Array.isArray(d) ? undefined : d?.[dep]?.condition;
    };
    expect(condition('migrate', 'postgres')).toBe('service_healthy');
    for (const s of ['api', 'worker'])
      expect(condition(s, 'migrate'), s).toBe('service_completed_successfully');
    for (const [name, s] of Object.entries(services))
      for (const dep of Array.isArray(s.depends_on)
        ? s.depends_on
        : Object.keys(s.depends_on ?? {}))
        expect(Object.keys(services), `${name} → ${dep}`).toContain(dep);
  });

  it('configures the app only with settings it knows, exporting traces to the collector', () => {
    const known = new Set(describeSettings().map((s) => s.env));
    for (const name of ['migrate', 'api', 'worker']) {
      const env = services[name]!.environment ?? {};
      for (const key of Object.keys(env)) {
        // OTEL_* besides the endpoint are the OpenTelemetry SDK's own standard variables
        if (key.startsWith('OTEL_') && !known.has(key)) continue;
        expect(known, `${name}: ${key}`).toContain(key);
      }
      expect(env.OTEL_TRACES_SAMPLER).toBe('parentbased_traceidratio');
      expect(env.DATABASE_URL, name).toMatch(/^postgres:\/\/dyocense:.*@postgres:5432\/dyocense$/);
      expect(env.OTEL_EXPORTER_OTLP_ENDPOINT).toBe('http://otel-collector:4318');
      expect(env.METRICS_TOKEN).toBeDefined();
      expect(env.JWT_SECRET).toBeDefined();
    }
    expect(services.worker!.environment?.WORKER_METRICS_PORT).toBe('9464');
  });

  it('declares every named volume and secret, and every mounted file exists', () => {
    for (const [name, s] of Object.entries(services)) {
      for (const v of s.volumes ?? []) {
        const source = v.split(':')[0]!;
        if (source.startsWith('.'))
          expect(existsSync(join(DEPLOY, source)), `${name}: ${v}`).toBe(true);
        else expect(Object.keys(compose.volumes), `${name}: ${v}`).toContain(source);
      }
      for (const secret of s.secrets ?? []) expect(Object.keys(compose.secrets)).toContain(secret);
      if (s.build) expect(existsSync(join(DEPLOY, s.build.context, s.build.dockerfile))).toBe(true);
    }
  });

  it('pins every third-party image and keeps internal services off public interfaces', () => {
    for (const [name, s] of Object.entries(services)) {
      if (!s.image || s.build) continue;
      expect(s.image, name).toMatch(/:[\w.-]+$/);
      expect(s.image, name).not.toMatch(/:latest$/);
      if (name !== 'proxy')
        for (const p of s.ports ?? [])
          expect(p, `${name} publishes ${p}`).toMatch(/^127\.0\.0\.1:/);
    }
  });

  it('documents every variable it reads in .env.example', () => {
    const documented = new Set(
      read('.env.example')
        .split('\n')
        .map((l) => /^([A-Z_][A-Z0-9_]*)=/.exec(l)?.[1])
        .filter(Boolean),
    );
    const used = [...composeText.matchAll(/\$\{([A-Z_][A-Z0-9_]*)/g)].map((m) => m[1]!);
    for (const secret of Object.values(compose.secrets))
      if (secret.environment) used.push(secret.environment);
    for (const v of new Set(used)) expect(documented, v).toContain(v);
  });
});

describe('deploy/Dockerfile', () => {
  it('builds multi-stage with npm ci and npm run build, and runs the compiled CLI', () => {
    const dockerfile = read('Dockerfile');
    expect(dockerfile.match(/^FROM /gm)).toHaveLength(2);
    expect(dockerfile).toContain('npm ci');
    expect(dockerfile).toContain('npm run build');
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/ENTRYPOINT \["node", "bin\/dyocense.js"\]/);
    const pkg = JSON.parse(readFileSync(join(DEPLOY, '..', 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts.build).toContain('tsc -p tsconfig.build.json');
    // every path the Dockerfile copies from the context is allowed by its .dockerignore
    const ignore = read('Dockerfile.dockerignore');
    for (const m of dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm))
      for (const src of m[1]!.split(/\s+/)) expect(ignore, src).toContain(`!${src}`);
  });
});

describe('Prometheus, Alertmanager, Grafana and the collector', () => {
  const prometheus = parse(read('prometheus', 'prometheus.yml')) as {
    rule_files: string[];
    scrape_configs: {
      job_name: string;
      dns_sd_configs?: { names: string[]; port: number }[];
      authorization?: { credentials_file: string };
    }[];
  };

  it('scrapes every API and worker replica on the ports the app listens on', () => {
    const job = (name: string) => prometheus.scrape_configs.find((j) => j.job_name === name)!;
    expect(job('dyocense-api').dns_sd_configs).toEqual([
      expect.objectContaining({ names: ['api'], port: 8080 }),
    ]);
    expect(job('dyocense-worker').dns_sd_configs).toEqual([
      expect.objectContaining({
        names: ['worker'],
        port: Number(services.worker!.environment!.WORKER_METRICS_PORT),
      }),
    ]);
    for (const j of ['dyocense-api', 'dyocense-worker'])
      expect(job(j).authorization?.credentials_file).toBe('/run/secrets/metrics_token');
    expect(services.prometheus!.volumes).toContain('./prometheus:/etc/prometheus:ro');
    expect(prometheus.rule_files).toEqual(['/etc/prometheus/alerts.yml']);
  });

  it.skipIf(!hasPromtool())('promtool accepts the configuration and the rules', () => {
    const dir = mkdtempSync(join(tmpdir(), 'promtool-'));
    cpSync(join(DEPLOY, 'prometheus'), dir, { recursive: true });
    // the container paths, made relative so promtool can follow them here
    const config = read('prometheus', 'prometheus.yml')
      .replace('/etc/prometheus/alerts.yml', 'alerts.yml')
      .replaceAll('/run/secrets/metrics_token', 'metrics_token');
    writeFileSync(join(dir, 'prometheus.yml'), config);
    writeFileSync(join(dir, 'metrics_token'), 'token\n');
    execFileSync('promtool', ['check', 'config', 'prometheus.yml'], { cwd: dir, stdio: 'pipe' });
    const out = execFileSync('promtool', ['check', 'rules', 'alerts.yml'], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(out).toMatch(/SUCCESS: \d+ rules found/);
  });

  it('Alertmanager routes to a defined receiver', () => {
    const am = parse(read('alertmanager', 'alertmanager.yml')) as {
      route: { receiver: string; routes?: { receiver: string }[] };
      receivers: { name: string }[];
    };
    const names = am.receivers.map((r) => r.name);
    for (const r of [am.route, ...(am.route.routes ?? [])]) expect(names).toContain(r.receiver);
  });

  it('Grafana provisions the Prometheus datasource the dashboards use, and the dashboards', () => {
    const ds = parse(read('grafana', 'provisioning', 'datasources', 'datasources.yml')) as {
      datasources: { uid: string; type: string; url: string }[];
    };
    expect(ds.datasources).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          uid: 'prometheus',
          type: 'prometheus',
          url: 'http://prometheus:9090',
        }),
        expect.objectContaining({ type: 'jaeger', url: 'http://jaeger:16686' }),
      ]),
    );
    const providers = parse(read('grafana', 'provisioning', 'dashboards', 'dashboards.yml')) as {
      providers: { options: { path: string } }[];
    };
    expect(services.grafana!.volumes).toContain(
      `./grafana/dashboards:${providers.providers[0]!.options.path}:ro`,
    );
    for (const file of ['api.json', 'database.json', 'jobs-connectors.json', 'business.json']) {
      const d = JSON.parse(readFileSync(join(DASHBOARDS, file), 'utf8')) as {
        uid: string;
        title: string;
        panels: { type: string; datasource?: { uid: string }; gridPos: object }[];
      };
      expect(d.uid).toMatch(/^dyocense-/);
      const panels = d.panels.filter((p) => p.type !== 'row');
      expect(panels.length, file).toBeGreaterThan(3);
      for (const p of panels) expect(p.datasource?.uid).toBe('prometheus');
    }
  });

  it('the collector receives OTLP/HTTP on the port the app exports to and forwards to Jaeger', () => {
    const otel = parse(read('otel-collector', 'config.yml')) as {
      receivers: { otlp: { protocols: { http: { endpoint: string } } } };
      exporters: Record<string, { endpoint: string }>;
      service: { pipelines: { traces: { receivers: string[]; exporters: string[] } } };
    };
    expect(otel.receivers.otlp.protocols.http.endpoint).toBe('0.0.0.0:4318');
    expect(otel.service.pipelines.traces.receivers).toEqual(['otlp']);
    const exporter = otel.service.pipelines.traces.exporters[0]!;
    expect(otel.exporters[exporter]!.endpoint).toBe('jaeger:4317');
    expect(services.jaeger!.environment).toMatchObject({ COLLECTOR_OTLP_ENABLED: 'true' });
  });
});

function hasPromtool(): boolean {
  try {
    execFileSync('promtool', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
