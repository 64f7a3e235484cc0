import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export const DEPLOY = join(import.meta.dirname, '..', '..', 'deploy');
export const DASHBOARDS = join(DEPLOY, 'grafana', 'dashboards');

const KEYWORDS = new Set([
  'and',
  'or',
  'unless',
  'bool',
  'offset',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'inf',
  'nan',
]);

/**
 * The metric names a PromQL expression reads: what is left once strings, label matchers,
 * ranges, grouping clauses, Grafana variables, numbers, keywords and function calls are
 * removed. Enough for the expressions we write (a test checks it on tricky ones).
 */
export function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\$\{?[A-Za-z_][A-Za-z0-9_]*\}?/g, ' ')
    .replace(/(^|[^A-Za-z0-9_:.])(\d+(\.\d+)?([eE][-+]?\d+)?)/g, '$1 ');
  const names = new Set<string>();
  for (const m of stripped.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*/g)) {
    const rest = stripped.slice(m.index! + m[0].length);
    if (/^\s*\(/.test(rest)) continue; // a function call
    if (KEYWORDS.has(m[0].toLowerCase())) continue;
    names.add(m[0]);
  }
  return [...names];
}

export interface Query {
  where: string;
  expr: string;
}

interface Panel {
  title?: string;
  type?: string;
  targets?: { expr?: string }[];
  panels?: Panel[];
}

/** Every PromQL expression in the Grafana dashboards (panel targets and template queries). */
export function dashboardQueries(): Query[] {
  const out: Query[] = [];
  for (const file of readdirSync(DASHBOARDS).filter((f) => f.endsWith('.json'))) {
    const d = JSON.parse(readFileSync(join(DASHBOARDS, file), 'utf8')) as {
      panels: Panel[];
      templating?: { list?: { query?: string | { query?: string } }[] };
    };
    const walk = (panels: Panel[]) => {
      for (const p of panels) {
        for (const t of p.targets ?? [])
          if (t.expr) out.push({ where: `${file}: ${p.title}`, expr: t.expr });
        walk(p.panels ?? []);
      }
    };
    walk(d.panels);
    for (const v of d.templating?.list ?? []) {
      const q = typeof v.query === 'string' ? v.query : v.query?.query;
      if (q) out.push({ where: `${file}: variable`, expr: q.replace(/label_values\(/g, '(') });
    }
  }
  return out;
}

/** Every alert and recording rule expression. */
export function ruleQueries(): Query[] {
  const rules = parse(readFileSync(join(DEPLOY, 'prometheus', 'alerts.yml'), 'utf8')) as {
    groups: { name: string; rules: { alert?: string; record?: string; expr: string }[] }[];
  };
  return rules.groups.flatMap((g) =>
    g.rules.map((r) => ({ where: `alerts.yml: ${r.alert ?? r.record}`, expr: r.expr })),
  );
}

/** Series names that Prometheus itself creates for every target, not the application. */
export const PROMETHEUS_SERIES = new Set(['up']);

/** The exported family a series name belongs to (`x_bucket` → histogram `x`), or null. */
export function familyOf(series: string, families: Map<string, string>): string | null {
  if (families.has(series)) return series;
  const m = /^(.*)_(bucket|sum|count)$/.exec(series);
  if (m && ['histogram', 'summary'].includes(families.get(m[1]!) ?? '')) return m[1]!;
  return null;
}
