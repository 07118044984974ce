import { ConfigError } from './config';

/**
 * How a long-running process ends on an error it cannot go on from (its main's rejection): a configuration refused at
 * start is one line naming the variable, for whoever set it; anything else with its stack, for whoever debugs it.
 */
export function exitOnError(error: unknown): never {
  console.error(error instanceof ConfigError ? `configuration refused: ${error.message}` : error);
  process.exit(1);
}
