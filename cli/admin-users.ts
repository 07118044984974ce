/**
 * `vigil admin users ...`: the people who sign in to the console, in the database DATABASE_URL names, through the same
 * stores and functions as the admin API (db/users.ts, api/web/sign-in-mail.ts). A password is never an argument
 * (other users of the machine read those in `ps`): `--password-stdin` reads it from standard input; without it the
 * person signs in by a link or a reset, which are mailed through the outbox and never printed.
 */
import fs from 'node:fs';
import { Pool } from 'pg';
import { LANGUAGES, UserPatch, type AccountStore, type Language } from '../messages/accounts';
import { ROLES, type Role } from '../messages/principal';
import { unionOptions } from '../messages/schema-parts';
import { pgAccountStore } from '../db/accounts';
import { migrate } from '../db/migrate';
import { enqueueNotice } from '../db/outbox';
import { pgSessionStore, type SessionStore } from '../db/sessions';
import { pgSignInTokenStore } from '../db/sign-in-tokens';
import { pgUserStore, UserError, type User, type UserStore } from '../db/users';
import { consoleSettingsFromEnv } from '../api/web/console-settings';
import { DEFAULT_PUBLIC_URL, LinkRefused, sendLinkTo, type LinkMailer, type SentLink } from '../api/web/sign-in-mail';
import { UsageError, parseArgs, type ParsedArgs } from './args';
import type { CliResult } from './result';

const FLAG_OF_FIELD: Readonly<Record<string, string>> = { customerId: 'customer', password: 'password-stdin' };

/** A value given for a field the patch may take away (`customerId: null`): `-`, as the users list shows "none". */
const NONE = '-';

/**
 * What `update` takes: each field of the admin API's PATCH body (messages/accounts.ts UserPatch) as a flag, with the
 * choices its schema allows and whether `-` takes it away (a schema that takes null).
 */
const PATCH_FLAGS = Object.entries(UserPatch.properties).map(([field, schema]) => {
  const options = unionOptions(schema);
  const choices = options.flatMap((option) => (typeof option.const === 'string' ? [option.const] : []));
  return {
    field,
    flag: FLAG_OF_FIELD[field] ?? field,
    ...(choices.length ? { choices } : {}),
    nullable: options.some((option) => option.type === 'null'),
  };
});

const PATCH_USAGE = PATCH_FLAGS.map(
  ({ flag, choices, nullable }) =>
    `[--${flag} ${choices?.join('|') ?? flag.toUpperCase()}${nullable ? `|${NONE}` : ''}]`,
).join(' ');

export const USERS_USAGE = `  vigil admin users add --email EMAIL --name NAME --role admin|agent|manager|customer [--customer ID]
      [--language en|fr|de|nl|lb] [--password-stdin] [--json]
  vigil admin users list [--json]
  vigil admin users update USER ${PATCH_USAGE} [--json]
      (${NONE}: no company, or the customer's language again; a staff role given alone takes the company away)
  vigil admin users disable USER [--json]   (their sessions end at once)
  vigil admin users enable USER [--json]
  vigil admin users password-reset USER [--json]   (mails a one-time link to choose a password, through the outbox)
  vigil admin users sign-in-link USER [--json]   (mails a customer's contact a one-time sign-in link, likewise)
      USER: the person's id or e-mail address; a link is never printed (VIGIL_PUBLIC_URL: where it points)
`;

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

/** What the commands work on: the stores of the admin API's users routes (api/app.ts builds the same). */
interface UsersStores {
  users: UserStore;
  sessions: SessionStore;
  accounts: AccountStore;
  /** The links' mailer, built when a link is sent: VIGIL_PUBLIC_URL is read then, as the API reads it. */
  links: () => LinkMailer;
}
type Work = (stores: UsersStores) => Promise<{ json: unknown; text: string }>;

function oneOf<T extends string>(value: string | undefined, values: readonly T[], flag: string): T | undefined {
  if (value === undefined) return undefined;
  if (!values.includes(value as T)) throw new UsageError(`--${flag}: "${value}" is not one of ${values.join(', ')}`);
  return value as T;
}

/** The person a command names, by id or by e-mail address (whatever its case). */
async function personOf(users: UserStore, reference: string): Promise<User> {
  const user = reference.includes('@') ? (await users.findByEmails([reference]))[0] : await users.get(reference);
  if (!user) throw new UsageError(`no user "${reference}"`);
  return user;
}

/** The patch the flags give; `-` is null where the schema takes null. */
function patchOf(args: ParsedArgs): UserPatch {
  const patch = Object.fromEntries(
    PATCH_FLAGS.flatMap(({ field, flag, choices, nullable }): [string, string | null | undefined][] => {
      const value = args.options.get(flag);
      if (value === undefined) return [];
      if (value === NONE && nullable) return [[field, null]];
      return [[field, choices ? oneOf(value, choices, flag) : value]];
    }),
  );
  if (Object.keys(patch).length === 0)
    throw new UsageError(`users update needs at least one of ${PATCH_FLAGS.map(({ flag }) => `--${flag}`).join(', ')}`);
  return patch;
}

const sentText = (what: string, sent: SentLink) =>
  `queued ${what} for ${sent.sentTo} (user ${sent.userId}) in the outbox, valid until ${sent.expiresAt}\n`;

/** What each command does to the person it names. */
const PERSON_VERBS: Readonly<
  Record<
    string,
    {
      options: readonly string[];
      work: (args: ParsedArgs) => (user: User, stores: UsersStores) => Promise<{ json: unknown; text: string }>;
    }
  >
> = {
  update: {
    options: PATCH_FLAGS.map(({ flag }) => flag),
    work(args) {
      const patch = patchOf(args);
      return async (user, { users }) => {
        const changed = await users.update(user.id, patch);
        if (!changed) throw new UsageError(`no user "${user.id}"`);
        return { json: changed, text: userLine(changed) };
      };
    },
  },
  disable: {
    options: [],
    work:
      () =>
      async (user, { users, sessions }) => {
        const disabled = (await users.disable(user.id)) ?? user;
        await sessions.destroyAll(disabled.id);
        return { json: disabled, text: userLine(disabled) };
      },
  },
  enable: {
    options: [],
    work:
      () =>
      async (user, { users }) => {
        const enabled = (await users.enable(user.id)) ?? user;
        return { json: enabled, text: userLine(enabled) };
      },
  },
  'password-reset': {
    options: [],
    work: () => async (user, stores) => {
      const sent = await sendLinkTo(stores.links(), stores.accounts, 'reset', user);
      return { json: sent, text: sentText('a password reset link', sent) };
    },
  },
  'sign-in-link': {
    options: [],
    work: () => async (user, stores) => {
      const sent = await sendLinkTo(stores.links(), stores.accounts, 'sign-in', user);
      return { json: sent, text: sentText('a sign-in link', sent) };
    },
  },
};

const ADD_OPTIONS = ['email', 'name', 'role', 'customer', 'language'];
const VERBS = ['add', 'list', ...Object.keys(PERSON_VERBS)];

/** The command line as work on the stores, or a UsageError: nothing here touches the database. */
export function usersAction(argv: readonly string[], readStdin: () => string): { work: Work; json: boolean } {
  const valued = [...new Set([...ADD_OPTIONS, ...Object.values(PERSON_VERBS).flatMap(({ options }) => options)])];
  const args = parseArgs(argv, valued, ['json', 'password-stdin']);
  const json = args.flags.has('json');
  const verb = args.command;
  if (verb === undefined || !VERBS.includes(verb))
    throw new UsageError(
      `users needs a command: ${VERBS.slice(0, -1).join(', ')} or ${VERBS.at(-1)!}${verb ? ` (not "${verb}")` : ''}`,
    );
  const options = verb === 'add' ? ADD_OPTIONS : verb === 'list' ? [] : PERSON_VERBS[verb]!.options;
  const stray = [...args.options.keys()].find((option) => !options.includes(option));
  if (stray) throw new UsageError(`--${stray} does not apply to admin users ${verb}`);
  if (verb !== 'add' && args.flags.has('password-stdin'))
    throw new UsageError(`--password-stdin does not apply to admin users ${verb}`);
  const person = Object.hasOwn(PERSON_VERBS, verb) ? PERSON_VERBS[verb]! : undefined;
  if (person) {
    const [reference, ...extra] = args.positionals;
    if (reference === undefined || extra.length)
      throw new UsageError(`users ${verb} needs exactly one user: an id or an e-mail address`);
    const work = person.work(args);
    return { json, work: async (stores) => work(await personOf(stores.users, reference), stores) };
  }
  if (args.positionals.length) throw new UsageError(`admin users ${verb} takes no argument "${args.positionals[0]}"`);
  if (verb === 'list')
    return {
      json,
      work: async ({ users }) => ((all) => ({ json: all, text: all.map(userLine).join('') }))(await users.list()),
    };
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
  return {
    json,
    work: async ({ users }) => ((user) => ({ json: user, text: userLine(user) }))(await users.create(input)),
  };
}

const failed = (exitCode: number, message: string): CliResult => ({
  exitCode,
  stdout: '',
  stderr: `vigil: ${message}\n`,
});

/** The links' mailer as the API builds it (api/app.ts): the tokens, the outbox, VIGIL_PUBLIC_URL, the clock. */
function linkMailer(db: Pool, env: NodeJS.ProcessEnv): LinkMailer {
  let publicUrl: string;
  try {
    publicUrl = consoleSettingsFromEnv(env).publicUrl ?? DEFAULT_PUBLIC_URL;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return {
    signInTokens: pgSignInTokenStore(db),
    notices: (notice) => enqueueNotice(db, notice),
    publicUrl,
    now: Date.now,
  };
}

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
    const pool = new Pool({ connectionString: env.DATABASE_URL });
    db = pool;
    try {
      await migrate(pool);
    } catch (error) {
      return failed(
        1,
        `cannot use the database DATABASE_URL names: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      );
    }
    const output = await work({
      users: pgUserStore(pool),
      sessions: pgSessionStore(pool),
      accounts: pgAccountStore(pool),
      links: () => linkMailer(pool, env),
    });
    return { exitCode: 0, stdout: json ? `${JSON.stringify(output.json)}\n` : output.text, stderr: '' };
  } catch (error) {
    if (error instanceof UsageError) return failed(2, error.message);
    if (error instanceof LinkRefused) return failed(2, error.message);
    if (error instanceof UserError)
      return failed(2, `--${FLAG_OF_FIELD[error.field] ?? error.field}: ${error.message}`);
    throw error;
  } finally {
    await db?.end();
  }
}
