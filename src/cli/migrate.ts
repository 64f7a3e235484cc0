import { parseArgs } from 'node:util';
import { migrate, migrationStatus } from '../platform/db/migrate.js';
import { loadConfigOrExit, openRuntime } from '../platform/runtime/bootstrap.js';

/** `dyocense migrate [--status]` — apply pending migrations (safe to run concurrently). */
export async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { status: { type: 'boolean' } }, strict: true });
  const config = loadConfigOrExit();
  const rt = await openRuntime(config, 'migrate');
  try {
    if (values.status) {
      const s = await migrationStatus(rt.db);
      console.log(s.current ? 'schema is current' : `pending: ${s.pending.join(', ')}`);
      return s.current ? 0 : 1;
    }
    const result = await migrate(rt.db, {
      onApply: (m) => console.log(`applied ${String(m.id).padStart(4, '0')}-${m.name}`),
    });
    console.log(`${result.applied.length} applied, ${result.alreadyApplied} already applied`);
    return 0;
  } finally {
    await rt.db.close();
  }
}
