import type { CommandModule } from './commands.js';

/** `dyocense bench <name> …` — each benchmark lives in its own `bench-<name>.ts`. */
const benchmarks: Record<string, { summary: string; load: () => Promise<CommandModule> }> = {
  m4: {
    summary: 'forecast accuracy on M4-format CSV (sMAPE, MASE, OWA, MSIS, coverage)',
    load: () => import('./bench-m4.js'),
  },
  optimize: {
    summary: 'optimizer solve times and gaps (inventory, staffing, budget)',
    load: () => import('./bench-optimize.js'),
  },
  ingest: {
    summary: 'metric store: API ingest vs COPY, series/summary latency at scale, compression',
    load: () => import('./bench-ingest.js'),
  },
  causal: {
    summary: 'effect estimation accuracy (NSW, CPS, IHDP, synthetic SCMs) and discovery',
    load: () => import('./bench-causal.js'),
  },
};

export async function run(args: string[]): Promise<number> {
  const [name, ...rest] = args;
  const entry = name ? benchmarks[name] : undefined;
  if (!entry) {
    const list = Object.entries(benchmarks).map(([n, b]) => `  ${n.padEnd(10)} ${b.summary}`);
    console.error(`usage: dyocense bench <name> [options]\n\nbenchmarks:\n${list.join('\n')}`);
    return 2;
  }
  return (await entry.load()).run(rest);
}
