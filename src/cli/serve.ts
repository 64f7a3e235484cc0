import { parseArgs } from 'node:util';
import { startApi } from '../start.js';
import { loadConfigOrExit } from '../platform/runtime/bootstrap.js';

/** `dyocense serve` — the HTTP API and dashboard. */
export async function run(args: string[]): Promise<number> {
  parseArgs({ args, options: {}, strict: true });
  const config = loadConfigOrExit();
  const started = await startApi(config, { name: 'api' });
  started.logger.info({ url: started.url }, 'listening');
  return new Promise(() => {}); // runs until a signal
}
