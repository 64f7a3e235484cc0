/**
 * The CLI's command table. Each entry lazily imports its module so `dyocense serve`
 * never loads the forecasting or optimisation engines it does not need.
 * A command module exports `run(args: string[]): Promise<number>` (the exit code).
 */
export interface CommandModule {
  run(args: string[]): Promise<number>;
}

export interface CommandEntry {
  summary: string;
  load: () => Promise<CommandModule>;
}

export const commands: Record<string, CommandEntry> = {
  serve: { summary: 'HTTP API, dashboard and /metrics', load: () => import('./serve.js') },
  worker: {
    summary: 'background jobs (imports, syncs, forecasts, plans)',
    load: () => import('./worker.js'),
  },
  migrate: {
    summary: 'apply database migrations (idempotent)',
    load: () => import('./migrate.js'),
  },
  bench: { summary: 'benchmarks: m4 | optimize | causal …', load: () => import('./bench.js') },
  forecast: {
    summary: 'forecast your own series from a long CSV (series_id,date,value)',
    load: () => import('./forecast.js'),
  },
  evidence: {
    summary: 'effect estimation on your own CSV (evidence estimate …)',
    load: () => import('./evidence.js'),
  },
  import: {
    summary: 'import a CSV (orders, products, expenses, metrics) into a business',
    load: () => import('./import.js'),
  },
  demo: {
    summary: 'embedded database + demo business + API + worker in one process',
    load: () => import('./demo.js'),
  },
};
