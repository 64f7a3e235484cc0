import { buildWebIfStale } from '../../scripts/build-web-if-stale.mjs';

/** Global setup of the browser suite: the dashboard under test is the one built from web/. */
export default async function setup(): Promise<void> {
  await buildWebIfStale({ log: (line) => console.log(line) });
}
