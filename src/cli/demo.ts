import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '../platform/runtime/bootstrap.js';
import { startApi } from '../start.js';
import { ensureDemoBusiness } from '../demo/seed.js';

/**
 * `dyocense demo` (= `npm start`): the embedded database, a demo business with its owner,
 * the API and the worker in one process. Prints the URL and the demo login.
 */
export async function run(args: string[]): Promise<number> {
  parseArgs({ args, options: {}, strict: true });
  const t0 = Date.now();
  const config = loadConfigOrExit();
  let demo: Awaited<ReturnType<typeof ensureDemoBusiness>> | undefined;
  const started = await startApi(config, {
    name: 'demo',
    beforeListen: async (rt, built) => {
      demo = await ensureDemoBusiness(rt, built.services, {
        email: config.demoEmail,
        password: config.demoPassword,
      });
    },
  });
  const seconds = ((Date.now() - t0) / 1000).toFixed(1);
  console.log(
    [
      '',
      `  Dyocense is running at ${started.url}  (started in ${seconds} s, ${started.db.description})`,
      `  Demo login: ${config.demoEmail} / ${config.demoPassword}   business: ${demo?.tenantName}`,
      `  API docs:   ${started.url}/docs`,
      '  Stop with Ctrl+C.',
      '',
    ].join('\n'),
  );
  return new Promise(() => {});
}
