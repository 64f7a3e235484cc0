import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '../platform/runtime/bootstrap.js';
import { startWorker } from '../start-worker.js';

/** `dyocense worker` — runs background jobs until SIGTERM. */
export async function run(args: string[]): Promise<number> {
  parseArgs({ args, options: {}, strict: true });
  const config = loadConfigOrExit();
  await startWorker(config);
  return new Promise(() => {});
}
