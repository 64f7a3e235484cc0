/** Why web/dist needs a build, or null when it is up to date. */
export function staleReason(): string | null;

/** Builds the dashboard when stale (or always with `force`); throws when the build fails. */
export function buildWebIfStale(options?: {
  force?: boolean;
  log?: (line: string) => void;
}): Promise<{ built: boolean; reason: string; seconds?: number }>;
