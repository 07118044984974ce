import { findUnsafeText, TEXT_RULE } from '../domain/text';

/** Bad command-line input: reported as one line on stderr with a non-zero exit. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly code = 'USAGE';
}

export interface ParsedArgs {
  readonly command: string | undefined;
  readonly positionals: readonly string[];
  readonly options: ReadonlyMap<string, string>;
  /** Every value of each option in the order given, for options that may repeat (`options` keeps the last). */
  readonly repeated: ReadonlyMap<string, readonly string[]>;
  readonly flags: ReadonlySet<string>;
}

/**
 * Every value on a command line is one line of text, as the API's schemas have it: the CLI writes to the same
 * tables without going through the API, so what the API refuses is refused here too (domain/text.ts says why).
 */
function lineOf(value: string, where: string): string {
  const reason = findUnsafeText(value);
  if (reason) throw new UsageError(`${where}: expected ${TEXT_RULE.line}; ${reason}`);
  return value;
}

/**
 * `--name value`, `--name=value` and bare flags; which names take a value is
 * declared so that a missing value is caught instead of swallowing the next option.
 */
export function parseArgs(
  argv: readonly string[],
  valued: readonly string[],
  flagNames: readonly string[],
): ParsedArgs {
  const positionals: string[] = [];
  const options = new Map<string, string>();
  const repeated = new Map<string, string[]>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('--')) {
      positionals.push(lineOf(arg, i === 0 ? 'the first argument' : `the argument after "${argv[i - 1]}"`));
      continue;
    }
    const [name = '', inline] = arg.slice(2).split(/=(.*)/s, 2);
    if (flagNames.includes(name) && inline === undefined) {
      flags.add(name);
    } else if (valued.includes(name)) {
      const value = inline ?? argv[++i];
      if (value === undefined || (inline === undefined && value.startsWith('--')))
        throw new UsageError(`--${name} needs a value`);
      lineOf(value, `--${name}`);
      options.set(name, value);
      repeated.set(name, [...(repeated.get(name) ?? []), value]);
    } else {
      throw new UsageError(`unknown option --${name}`);
    }
  }
  const [command, ...rest] = positionals;
  return { command, positionals: rest, options, repeated, flags };
}
