/**
 * Node naming of the evidence graph. A node is a metric, optionally sliced by dimensions
 * (`orders`, `marketing_spend[channel=instagram]`, `revenue[channel=store,location=main]`),
 * or a calendar context node the module computes itself (`weekday`, `month`, `season`,
 * `trend`, `holiday`, `holiday_eve`, `weekend`). Dimensions are written in the order
 * channel, location, sku; ids are canonicalised to that order.
 */

export const DIMENSIONS = ['channel', 'location', 'sku'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export const CALENDAR_NODES = [
  'weekday',
  'weekend',
  'month',
  'season',
  'trend',
  'holiday',
  'holiday_eve',
] as const;
export type CalendarNode = (typeof CALENDAR_NODES)[number];

export type ParsedNode =
  | {
      kind: 'metric';
      id: string;
      metric: string;
      dims: Partial<Record<Dimension, string>>;
    }
  | { kind: 'calendar'; id: string; name: CalendarNode };

const METRIC = /^[a-z][a-z0-9_.]{0,62}$/;
const NODE = /^([a-z][a-z0-9_.]{0,62})(?:\[([^\]]*)\])?$/;
const VALUE = /^[^[\]=,]{1,100}$/;

/** Why a node id cannot be read, or null when it can. */
export type NodeSyntaxError = string;

/**
 * Reads a node id. Returns the parsed node (with its canonical id) or a message saying
 * what is wrong with it.
 *
 * @example
 * parseNode('marketing_spend[channel=instagram]');
 * // { kind: 'metric', id: 'marketing_spend[channel=instagram]', metric: 'marketing_spend', dims: { channel: 'instagram' } }
 */
export function parseNode(text: string): ParsedNode | NodeSyntaxError {
  const m = NODE.exec(text.trim());
  if (!m)
    return `"${text}" is not a node id: write a metric name (lower-case letters, digits, _ and .) optionally followed by [dimension=value,…]`;
  const name = m[1]!;
  const inner = m[2];
  if ((CALENDAR_NODES as readonly string[]).includes(name)) {
    if (inner !== undefined) return `calendar node "${name}" takes no dimensions`;
    return { kind: 'calendar', id: name, name: name as CalendarNode };
  }
  const dims: Partial<Record<Dimension, string>> = {};
  if (inner !== undefined) {
    if (inner.trim() === '')
      return `"${text}": empty [] (leave the brackets out for the whole metric)`;
    for (const part of inner.split(',')) {
      const eq = part.indexOf('=');
      const key = (eq < 0 ? part : part.slice(0, eq)).trim();
      const value = eq < 0 ? '' : part.slice(eq + 1).trim();
      if (!(DIMENSIONS as readonly string[]).includes(key))
        return `"${text}": unknown dimension "${key}" (use ${DIMENSIONS.join(', ')})`;
      if (!VALUE.test(value))
        return `"${text}": dimension ${key} needs a value of 1–100 characters without [ ] = ,`;
      if (dims[key as Dimension] !== undefined) return `"${text}": dimension ${key} given twice`;
      dims[key as Dimension] = value;
    }
  }
  return { kind: 'metric', id: formatNode(name, dims), metric: name, dims };
}

/** The canonical id of a metric slice. */
export function formatNode(metric: string, dims: Partial<Record<Dimension, string>>): string {
  const parts = DIMENSIONS.filter((d) => dims[d] !== undefined).map((d) => `${d}=${dims[d]}`);
  return parts.length ? `${metric}[${parts.join(',')}]` : metric;
}

/** True for a plain name a latent (unmeasured) node may carry. */
export function isLatentName(text: string): boolean {
  return METRIC.test(text) && !(CALENDAR_NODES as readonly string[]).includes(text);
}

/** A comparison turning a node's daily value into a 0/1 treatment (`spend > 0`). */
export interface Condition {
  node: string;
  op: '>' | '>=' | '<' | '<=' | '==' | '!=';
  value: number;
  text: string;
}

const CONDITION = /^(.+?)\s*(>=|<=|==|!=|>|<)\s*(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)$/i;

/**
 * Reads `node` or `node OP number`. Returns the node and the comparison (absent when the
 * text is a plain node, which must then be 0/1 itself), or an error message.
 *
 * @example
 * parseCondition('marketing_spend[channel=instagram] > 0');
 * // { node: 'marketing_spend[channel=instagram]', condition: { op: '>', value: 0, … } }
 */
export function parseCondition(
  text: string,
): { node: ParsedNode; condition: Condition | null } | NodeSyntaxError {
  const m = CONDITION.exec(text.trim());
  const nodeText = m ? m[1]! : text;
  const node = parseNode(nodeText);
  if (typeof node === 'string') return node;
  if (!m) return { node, condition: null };
  const value = Number(m[3]);
  if (!Number.isFinite(value)) return `"${text}": the threshold must be a finite number`;
  const op = m[2] as Condition['op'];
  return { node, condition: { node: node.id, op, value, text: `${node.id} ${op} ${value}` } };
}

/** Applies a condition to one value (1 = treated). */
export function testCondition(c: Condition, v: number): 0 | 1 {
  switch (c.op) {
    case '>':
      return v > c.value ? 1 : 0;
    case '>=':
      return v >= c.value ? 1 : 0;
    case '<':
      return v < c.value ? 1 : 0;
    case '<=':
      return v <= c.value ? 1 : 0;
    case '==':
      return v === c.value ? 1 : 0;
    default:
      return v !== c.value ? 1 : 0;
  }
}
