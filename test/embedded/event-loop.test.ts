import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

/**
 * PGlite executes on this thread; a job awaiting statement after statement must still let
 * HTTP requests and timers run between them (it once held /v1/health for 35 s during the
 * demo load). On the server database the pool's socket I/O gives the same guarantee.
 */
describe('a long chain of database work', () => {
  it('lets the event loop run between top-level operations', async () => {
    let finished = false;
    const chain = (async () => {
      for (let i = 0; i < 20; i++) {
        await t.db.transaction((tx) =>
          tx.query('select count(*) from generate_series(1, 100000)', [], 'test.work'),
        );
        await t.db.query('select 1', [], 'test.ping');
      }
      finished = true;
    })();
    const firedDuringChain = await new Promise<boolean>((resolve) =>
      setTimeout(() => resolve(!finished), 5),
    );
    await chain;
    expect(firedDuringChain).toBe(true);
  });
});
