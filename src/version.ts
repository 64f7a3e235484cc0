import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
/** The package version, reported by /v1/health and the build_info metric. */
export const VERSION: string = (require('../package.json') as { version: string }).version;
