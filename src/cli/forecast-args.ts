/** A bad command-line argument: printed with the usage text, exit code 2. */
export class UsageError extends Error {}

/**
 * Runs a command's `parseArgs` call. Returns its values, or the exit code when the command should
 * stop: 0 after `--help` (usage printed), 2 after printing what was wrong with the arguments.
 *
 * @example
 * const v = parseCommandArgs(() => parseArgs({ args, options }).values, USAGE);
 * if (typeof v === 'number') return v;
 */
export function parseCommandArgs<T extends { help?: boolean | undefined }>(
  parse: () => T,
  usage: string,
): T | number {
  let values: T;
  try {
    values = parse();
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : String(err)}\n\n${usage}`);
    return 2;
  }
  if (values.help) {
    console.log(usage);
    return 0;
  }
  return values;
}
