/**
 * `vigil admin users ...`: the people who sign in to the console, in the database DATABASE_URL names, through the same
 * store as the admin API (db/users.ts). A password is never an argument (other users of the machine read those in
 * `ps`): `--password-stdin` reads it from standard input; without it the person signs in by a link or a reset.
 */
import fs from 'node:fs';
import { Pool } from 'pg';
import { LANGUAGES, type Language } from '../messages/accounts';
import { ROLES, type Role } from '../messages/principal';
import { migrate } from '../db/migrate';
import { pgSessionStore } from '../db/sessions';
import { pgUserStore, UserError, type User, type UserStore } from '../db/users';
import { UsageError, parseArgs } from './args';
import type { CliResult } from './result';

export const USERS_USAGE = `  vigil admin users add --email EMAIL --name NAME --role admin|agent|manager|customer [--customer ID]
      [--language en|fr|de|nl|lb] [--password-stdin] [--json]
  vigil admin users list [--json]
  vigil admin users disable USER-ID [--json]   (their sessions end at once)
`;

const FLAG_OF_FIELD: Readonly<Record<string, string>> = { customerId: 'customer', password: 'password-stdin' };

const userLine = (user: User) =>
  [
    user.id,
    user.email,
    user.name,
    user.role,
    user.customerId ?? '-',
    user.hasPassword ? 'password' : 'no password',
    user.disabledAt ? `disabled ${user.disabledAt}` : 'active',
  ].join('\t') + '\n';

type Work = (users: UserStore, db: Pool) => Promise<{ json: unknown; text: string }>;

function oneOf<T extends string>(value: string | undefined, values: readonly T[], flag: string): T | undefined {
  if (value === undefined) return undefined;
  if (!values.includes(value as T)) throw new UsageError(`--${flag}: "${value}" is not one of ${values.join(', ')}`);
  return value as T;
}

/** The command line as work on the store, or a UsageError: nothing here touches the database. */
export function usersAction(argv: readonly string[], readStdin: () => string): { work: Work; json: boolean } {
  const args = parseArgs(argv, ['email', 'name', 'role', 'customer', 'language'], ['json', 'password-stdin']);
  const json = args.flags.has('json');
  const verb = args.command;
  const allowed: Record<string, readonly string[]> = {
    add: ['email', 'name', 'role', 'customer', 'language'],
    list: [],
    disable: [],
  };
  const options = verb === undefined ? undefined : allowed[verb];
  if (!options) throw new UsageError(`users needs a command: add, list or disable${verb ? ` (not "${verb}")` : ''}`);
  const stray = [...args.options.keys()].find((option) => !options.includes(option));
  if (stray) throw new UsageError(`--${stray} does not apply to admin users ${verb}`);
  if (verb !== 'disable' && args.positionals.length)
    throw new UsageError(`admin users ${verb} takes no argument "${args.positionals[0]}"`);
  if (verb === 'list')
    return {
      json,
      work: async (users) => ({ json: await users.list(), text: (await users.list()).map(userLine).join('') }),
    };
  if (verb === 'disable') {
    const [id, ...extra] = args.positionals;
    if (id === undefined || extra.length) throw new UsageError('users disable needs exactly one user id');
    return {
      json,
      work: async (users, db) => {
        const user = await users.disable(id);
        if (!user) throw new UsageError(`no user "${id}"`);
        await pgSessionStore(db).destroyAll(user.id);
        return { json: user, text: userLine(user) };
      },
    };
  }
  const need = (flag: string) => {
    const value = args.options.get(flag);
    if (value === undefined) throw new UsageError(`users add needs --${flag}`);
    return value;
  };
  const input = {
    email: need('email'),
    name: need('name'),
    role: oneOf(need('role'), ROLES, 'role') as Role,
    customerId: args.options.get('customer'),
    language: oneOf<Language>(args.options.get('language'), LANGUAGES, 'language'),
    // The line's end is the terminal's, not the password's.
    password: args.flags.has('password-stdin') ? readStdin().replace(/\r?\n$/, '') : undefined,
  };
  return { json, work: async (users) => ((user) => ({ json: user, text: userLine(user) }))(await users.create(input)) };
}

const failed = (exitCode: number, message: string): CliResult => ({
  exitCode,
  stdout: '',
  stderr: `vigil: ${message}\n`,
});

/** Runs `vigil admin users ...`: bad input exits 2 with one line naming the flag, an unreachable database exits 1. */
export async function runUsersCli(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  readStdin = () => fs.readFileSync(0, 'utf8'),
): Promise<CliResult> {
  let db: Pool | undefined;
  try {
    const { work, json } = usersAction(argv, readStdin);
    if (!env.DATABASE_URL) throw new UsageError('DATABASE_URL is not set: it names the PostgreSQL database');
    db = new Pool({ connectionString: env.DATABASE_URL });
    try {
      await migrate(db);
    } catch (error) {
      return failed(
        1,
        `cannot use the database DATABASE_URL names: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      );
    }
    const output = await work(pgUserStore(db), db);
    return { exitCode: 0, stdout: json ? `${JSON.stringify(output.json)}\n` : output.text, stderr: '' };
  } catch (error) {
    if (error instanceof UsageError) return failed(2, error.message);
    if (error instanceof UserError)
      return failed(2, `--${FLAG_OF_FIELD[error.field] ?? error.field}: ${error.message}`);
    throw error;
  } finally {
    await db?.end();
  }
}
