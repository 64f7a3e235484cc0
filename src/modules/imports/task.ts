import { AsyncLocalStorage } from 'node:async_hooks';
import { defineTask } from '../../platform/jobs/types.js';
import { commitStaged } from './commit.js';
import * as repo from './repo.js';

export const IMPORT_COMMIT_TASK = 'imports.commit';

export interface CommitJobPayload {
  importId: string;
  /**
   * True on a server database, where progress can be written from another connection while
   * the commit's transaction is open. PGlite has one session: the transaction holds it, so
   * progress there is reported when the commit ends.
   */
  progressWhileWriting: boolean;
}

const RETRY_LIMIT = 2;
const PROGRESS_EVERY_MS = 1_000;

/** Commits a large import in the background (see `commitStaged`); the result is its counts. */
export const importCommitTask = defineTask<CommitJobPayload, repo.CommitResult | null>({
  name: IMPORT_COMMIT_TASK,
  retryLimit: RETRY_LIMIT,
  retryDelaySeconds: 15,
  expireInSeconds: 2 * 3600,
  concurrency: 1,
  async run(ctx) {
    const { importId, progressWhileWriting } = ctx.payload;
    // Progress is written outside the commit's transaction, from the context it started in.
    const outside = AsyncLocalStorage.snapshot();
    let last = 0;
    const onProgress = progressWhileWriting
      ? (fraction: number, message: string) => {
          const now = Date.now();
          if (now - last < PROGRESS_EVERY_MS && fraction < 1) return;
          last = now;
          outside(() => {
            void Promise.all([
              ctx.progress(fraction, message),
              ctx.withTenant((tx) => repo.recordCommitProgress(tx, importId, fraction, message)),
            ]).catch((err: unknown) => ctx.log.warn({ err }, 'import progress not recorded'));
          });
        }
      : undefined;
    try {
      const row = await commitStaged(ctx.withTenant, importId, {
        allowed: ['committing'],
        ...(onProgress ? { onProgress } : {}),
      });
      await ctx.progress(1, 'committed');
      return row.result;
    } catch (err) {
      if (ctx.attempt > RETRY_LIMIT) {
        const message = err instanceof Error ? err.message : String(err);
        await ctx.withTenant((tx) =>
          repo.markCommitFailed(tx, importId, `the commit failed: ${message}`),
        );
      }
      throw err;
    }
  },
});
