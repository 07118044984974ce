import { CalendarError } from '../domain/calendar';
import { PolicyLookupError, PolicyValidationError } from '../domain/policy';
import { UsageError, parseArgs } from './args';
import { ADMIN_USAGE, runAdminCli } from './admin';
import { USERS_USAGE, runUsersCli } from './admin-users';
import { INVOICES_USAGE, runInvoicesCli } from './invoices';
import { deadlinesCommand, policiesCommand, priceCommand, validateCommand } from './commands';
import type { CliResult } from './result';

export const USAGE = `usage:
  vigil policies [--json]
  vigil deadlines --policy ID --opened ISO-8601 [--priority P1|P2|P3|P4] [--kind incident|request|change] [--json]
  vigil validate FILE
  vigil price --policy ID --entries FILE [--contract-rates FILE] [--json]
${ADMIN_USAGE}${USERS_USAGE}${INVOICES_USAGE}`;

const commands: Readonly<Record<string, (args: ReturnType<typeof parseArgs>) => string>> = {
  policies: policiesCommand,
  deadlines: deadlinesCommand,
  validate: validateCommand,
  price: priceCommand,
};

/** Runs one command; never throws for bad input, which becomes exit code 2 and one stderr line. */
export function runCli(argv: readonly string[]): CliResult {
  try {
    const args = parseArgs(
      argv,
      ['policy', 'opened', 'priority', 'kind', 'entries', 'contract-rates'],
      ['json', 'help'],
    );
    if (args.flags.has('help') || args.command === 'help') return { exitCode: 0, stdout: USAGE, stderr: '' };
    const command = args.command === undefined ? undefined : commands[args.command];
    if (!command)
      throw new UsageError(
        args.command === undefined
          ? 'missing command (policies, deadlines, validate, price, admin)'
          : `unknown command "${args.command}"`,
      );
    return { exitCode: 0, stdout: command(args), stderr: '' };
  } catch (error) {
    const badInput =
      error instanceof UsageError ||
      error instanceof PolicyLookupError ||
      error instanceof PolicyValidationError ||
      error instanceof CalendarError;
    if (!badInput) throw error;
    return { exitCode: 2, stdout: '', stderr: `vigil: ${error.message}\n` };
  }
}

/** The whole command line: `admin` talks to the database, so it is the one command that runs asynchronously. */
export async function runVigil(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<CliResult> {
  const [command, ...rest] = argv;
  if (command === 'admin' && rest[0] === 'users' && !rest.includes('--help')) return runUsersCli(rest.slice(1), env);
  if (command === 'admin' && !rest.includes('--help')) return runAdminCli(rest, env);
  if (command === 'invoices' && !rest.includes('--help')) return runInvoicesCli(rest, env);
  return runCli(argv);
}
