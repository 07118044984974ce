/**
 * `vigil admin ...`: customers, contracts, API keys, prepaid hours and policy versions in the database DATABASE_URL
 * names, through the same stores as the API. The command line is checked before any connection, so a typo costs no round trip.
 */
import { randomUUID } from 'node:crypto';
import { DatabaseError, Pool } from 'pg';
import {
  AccountError,
  type AccountStore,
  type ApiKeyRecord,
  type Contract,
  type Language,
  type InvoicingFrequency,
  type NewContract,
} from '../messages/accounts';
import { authorizedContactOf, escalationContactOf, type Parsed } from '../messages/contact-lines';
import type { Role } from '../messages/principal';
import { pgAccountStore } from '../db/accounts';
import { changeContractContacts, createContract } from '../db/contact-accounts';
import { pgSessionStore, type SessionStore } from '../db/sessions';
import { pgUserStore, type User, type UserStore } from '../db/users';
import { PrepaidKeyReusedError, prepaidLedger, type PrepaidAccount, type PrepaidLedger } from '../db/prepaid';
import { migrate } from '../db/migrate';
import { joinable, oneTransactionOn, type OneTransaction } from '../db/transaction';
import { publishPolicyVersion } from '../db/policy-publishing';
import { pgPolicyCatalog, type PolicyVersionRecord } from '../db/policy-versions';
import { rebuildSlaReport } from '../db/sla-report';
import { PolicyPublishError, PolicyValidationError } from '../domain/policy';
import { readJsonFile } from '../policies/json-file';
import type { PolicyVersionStore } from '../api/routes/policies';
import { UsageError, parseArgs, type ParsedArgs } from './args';
import { readContractRates, required } from './commands';
import type { ContractRates } from '../domain/pricing/contract-rates';
import type { CliResult } from './result';
import type { CustomerBilling } from '../domain/invoicing/parties';

export const ADMIN_USAGE = `  vigil admin customers add --id ID --name NAME [--language en|fr|de|nl|lb] [--time-zone ZONE] [BILLING] [--json]
  vigil admin customers update --id ID [--name NAME] [--language en|fr|de|nl|lb] [--time-zone ZONE|desk] [BILLING] [--json]
      ZONE, where the customer's contacts read their e-mails' dates: an IANA zone (Europe/Paris); desk: the desk's again
      BILLING, who invoices are addressed to: --legal-name NAME --street TEXT --postal-code CODE --city CITY --country CC
      [--vat-number BE0403170701] --invoice-email EMAIL [--e-invoice peppol-ubl|factur-x] (update: the flags given change)
  vigil admin customers list [--json]
  vigil admin contracts add --customer ID --policy ID [--version N] [--tier TIER] --starts YYYY-MM-DD [--ends YYYY-MM-DD]
      [--invoicing monthly|quarterly] [--authorized-contact "Name <email>[,out-of-hours]"]...
      [--escalation-contact "level:Name <email>"]... [--emergency-response-hours N] [--quote-above-minutes N]
      [--max-people N] [--rates FILE] [--json]
      (each authorized contact gets an account among the customer's contacts, or keeps the one it has)
  vigil admin contracts contacts CONTRACT-ID [--authorized-contact "Name <email>[,out-of-hours]"]... [--no-authorized-contacts]
      [--escalation-contact "level:Name <email>"]... [--no-escalation-contacts] [--json]
      (each list given replaces the contract's whole list: new authorized contacts get accounts, and one that no other
      contract of the customer names is disabled and signed out, their history kept)
  vigil admin contracts list --customer ID [--json]
  vigil admin keys create --role admin|agent|manager|customer --label LABEL [--customer ID] [--mail-relay] [--json]
  vigil admin keys list [--json]
  vigil admin keys revoke KEY-ID [--json]
  vigil admin prepaid buy --contract ID --minutes N --description TEXT [--key IDEMPOTENCY-KEY] [--json]
  vigil admin prepaid show --contract ID [--json]
  vigil admin policies publish FILE [--json]   (a policy document: the next version of a policy, or a new policy)
  vigil admin policies list [--json]
  vigil admin policies show ID VERSION [--json]
  vigil admin reports rebuild [--json]   (the SLA report's roll-up from the tickets' rows: after old workers wrote tickets)
  (DATABASE_URL names the database; its migrations are applied first)
`;

interface Output {
  json: unknown;
  text: string;
}
interface AdminStores {
  accounts: AccountStore;
  users: UserStore;
  sessions: SessionStore;
  /** The stores above writing as one transaction: a contract saved with its contacts' accounts (db/contact-accounts.ts). */
  transaction: OneTransaction;
  prepaid: PrepaidLedger;
  policies: PolicyVersionStore;
  /** Rebuilds the SLA report's roll-up; gives the rows it holds. */
  rebuildSlaReport: () => Promise<number>;
}
type Action = (stores: AdminStores) => Promise<Output>;

interface Command {
  /** The options it takes: any other is refused, rather than silently ignored. */
  options: readonly string[];
  action(args: ParsedArgs): Action;
}

// The store names the input at fault as its field; the user typed a flag.
const FLAG_OF_FIELD: Readonly<Record<string, string>> = {
  id: 'id',
  name: 'name',
  language: 'language',
  timeZone: 'time-zone',
  customerId: 'customer',
  policyId: 'policy',
  policyVersion: 'version',
  tier: 'tier',
  startsOn: 'starts',
  endsOn: 'ends',
  invoicingFrequency: 'invoicing',
  authorizedContacts: 'authorized-contact',
  escalationContacts: 'escalation-contact',
  emergencyResponseTarget: 'emergency-response-hours',
  quoteRequiredAboveMinutes: 'quote-above-minutes',
  maxPeoplePerTicket: 'max-people',
  role: 'role',
  label: 'label',
};

// The customer's invoicing identity, one flag per field (checkedBilling names `billing.<field>`).
const BILLING_FLAGS = {
  legalName: 'legal-name',
  street: 'street',
  postalCode: 'postal-code',
  city: 'city',
  country: 'country',
  vatNumber: 'vat-number',
  email: 'invoice-email',
  eInvoiceFormat: 'e-invoice',
} as const satisfies Record<keyof CustomerBilling, string>;

/** The billing flags given, over `base` (the customer's billing, on update); undefined when none is given. */
function billingOf(args: ParsedArgs, base?: CustomerBilling): CustomerBilling | undefined {
  const given = Object.entries(BILLING_FLAGS).filter(([, flag]) => args.options.has(flag));
  if (given.length === 0) return undefined;
  return {
    ...base,
    ...Object.fromEntries(given.map(([field, flag]) => [field, args.options.get(flag)])),
  } as CustomerBilling;
}

function flagOf({ field }: AccountError): string {
  const [name = field, index] = field.split('.');
  if (name === 'billing' && index && Object.hasOwn(BILLING_FLAGS, index))
    return `--${BILLING_FLAGS[index as keyof CustomerBilling]}`;
  // The rates file's wrong figure by its path in the file.
  if (name === 'rates') return `--rates ${field.slice('rates'.length).replaceAll('.', '/') || '/'}`;
  const flag = `--${FLAG_OF_FIELD[name] ?? name}`;
  // A repeated flag's item is named by its rank; a part of one flag's value (emergencyResponseTarget.amount) by the flag.
  return index === undefined || !/^[0-9]+$/.test(index) ? flag : `${flag} #${Number(index) + 1}`;
}

/** A contact flag's value, read as the console reads its contact lines (messages/contact-lines.ts). */
function contactOf<T>(parsed: Parsed<T>, flag: string): T {
  if ('problem' in parsed) throw new UsageError(`--${flag}: ${parsed.problem}`);
  return parsed.contact;
}
const authorizedContact = (text: string) => contactOf(authorizedContactOf(text), 'authorized-contact');
const escalationContact = (text: string) => contactOf(escalationContactOf(text), 'escalation-contact');

/** A contact list to replace: the flag's values, none with `--no-...`, undefined (left as it is) with neither. */
function contactList<T>(args: ParsedArgs, flag: string, none: string, read: (text: string) => T): T[] | undefined {
  const given = args.repeated.get(flag);
  if (given && args.flags.has(none)) throw new UsageError(`--${none} and --${flag} contradict each other`);
  if (args.flags.has(none)) return [];
  return given?.map(read);
}

const accountsText = (people: readonly User[], what: string) =>
  people.length ? `contact accounts ${what}: ${people.map(({ email }) => email).join(', ')}\n` : '';

function wholeNumber(args: ParsedArgs, name: string): number | undefined {
  const value = args.options.get(name);
  if (value === undefined) return undefined;
  if (!/^[1-9][0-9]{0,8}$/.test(value))
    throw new UsageError(`--${name}: "${value}" is not a whole number of at least 1`);
  return Number(value);
}

/** `--emergency-response-hours N`: whole calendar hours; the store checks the range and the policy. */
function emergencyHours(args: ParsedArgs): NewContract['emergencyResponseTarget'] {
  const amount = wholeNumber(args, 'emergency-response-hours');
  return amount === undefined ? undefined : { amount, unit: 'calendarHours' };
}

const contractLine = (contract: Contract) =>
  [
    contract.id,
    contract.customerId,
    `${contract.policyId} ${contract.policyVersion === undefined ? '(version in force)' : `v${contract.policyVersion}`}`,
    `${contract.startsOn}..${contract.endsOn ?? ''}`,
    contract.tier ?? '-',
    contract.invoicingFrequency,
    `${contract.authorizedContacts.length} authorized, ${contract.escalationContacts.length} escalation contacts`,
    ...(contract.emergencyResponseTarget ? [`emergency response ${contract.emergencyResponseTarget.amount} h`] : []),
    ...(contract.quoteRequiredAboveMinutes ? [`quote above ${contract.quoteRequiredAboveMinutes} min`] : []),
    ...(contract.maxPeoplePerTicket ? [`at most ${contract.maxPeoplePerTicket} people per ticket`] : []),
    ...(contract.rates ? [`contract rates ${JSON.stringify(contract.rates)}`] : []),
  ].join('\t') + '\n';

const keyLine = (key: ApiKeyRecord) =>
  [
    key.id,
    key.role,
    key.customerId ?? '-',
    key.label,
    ...(key.mailRelay ? ['mail relay'] : []),
    key.revokedAt ? `revoked ${key.revokedAt}` : 'active',
  ].join('\t') + '\n';

// The balance is the current year's only: hours are valid for the year they were bought in, and expire at its end.
const prepaidText = (account: PrepaidAccount) =>
  `contract ${account.contractId}: ${account.boughtMinutes} min bought, ${account.usedMinutes} used, ${account.expiredMinutes} expired, ` +
  `${account.balanceMinutes} left for ${account.balanceYear} (expire after ${account.balanceYear}-12-31)\n` +
  account.movements
    .map(
      ({ at, kind, year, minutes, ticketNumber, description, invoiceNumber }) =>
        `  ${at}\t${minutes > 0 ? '+' : ''}${minutes}\t${ticketNumber ?? '-'}\t${description}\t${kind} ${year}\t${invoiceNumber ?? '-'}\n`,
    )
    .join('');

const policyLine = (record: PolicyVersionRecord) =>
  [
    record.policyId,
    `v${record.version}`,
    `effective ${record.effectiveFrom}`,
    record.title,
    `published ${record.publishedAt} by ${record.publishedBy}`,
  ].join('\t') + '\n';

function onePositional(args: ParsedArgs, missing: string): string {
  const [value, ...extra] = args.positionals.slice(1);
  if (value === undefined || extra.length) throw new UsageError(missing);
  return value;
}

function contractId(args: ParsedArgs): string {
  const id = required(args, 'contract');
  if (!/^[1-9][0-9]{0,17}$/.test(id)) throw new UsageError(`--contract: "${id}" is not a contract id`);
  return id;
}

const COMMANDS: Readonly<Record<string, Command>> = {
  'customers add': {
    options: ['id', 'name', 'language', 'time-zone', ...Object.values(BILLING_FLAGS)],
    action(args) {
      const billing = billingOf(args);
      const timeZone = args.options.get('time-zone');
      const input = {
        id: required(args, 'id'),
        name: required(args, 'name'),
        language: args.options.get('language') as Language | undefined,
        ...(billing ? { billing } : {}),
        ...(timeZone === undefined ? {} : { timeZone }),
      };
      return async ({ accounts: store }) => {
        const customer = await store.createCustomer(input);
        return { json: customer, text: `added customer ${customer.id}: ${customer.name} (${customer.language})\n` };
      };
    },
  },
  'customers update': {
    options: ['id', 'name', 'language', 'time-zone', ...Object.values(BILLING_FLAGS)],
    action(args) {
      const id = required(args, 'id');
      const timeZone = args.options.get('time-zone');
      return async ({ accounts: store }) => {
        const existing = await store.getCustomer(id);
        if (!existing) throw new UsageError(`--id: no customer "${id}"`);
        const billing = billingOf(args, existing.billing);
        const customer = await store.updateCustomer(id, {
          name: args.options.get('name'),
          language: args.options.get('language') as Language | undefined,
          ...(billing ? { billing } : {}),
          // `desk`: no zone of its own, the desk's again (no IANA zone is named so).
          ...(timeZone === undefined ? {} : { timeZone: timeZone === 'desk' ? null : timeZone }),
        });
        return {
          json: customer,
          text: `updated customer ${id}${customer?.billing ? `: invoices to ${customer.billing.legalName}, ${customer.billing.country}` : ''}\n`,
        };
      };
    },
  },
  'customers list': {
    options: [],
    action:
      () =>
      async ({ accounts: store }) => {
        const customers = await store.listCustomers();
        return {
          json: customers,
          text: customers.map(({ id, name, language }) => `${id}\t${name}\t${language}\n`).join(''),
        };
      },
  },
  'contracts add': {
    options: [
      'customer',
      'policy',
      'version',
      'tier',
      'starts',
      'ends',
      'invoicing',
      'authorized-contact',
      'escalation-contact',
      'emergency-response-hours',
      'quote-above-minutes',
      'max-people',
      'rates',
    ],
    action(args) {
      const input = {
        customerId: required(args, 'customer'),
        policyId: required(args, 'policy'),
        policyVersion: wholeNumber(args, 'version'),
        tier: args.options.get('tier'),
        startsOn: required(args, 'starts'),
        endsOn: args.options.get('ends'),
        invoicingFrequency: args.options.get('invoicing') as InvoicingFrequency | undefined,
        authorizedContacts: (args.repeated.get('authorized-contact') ?? []).map(authorizedContact),
        escalationContacts: (args.repeated.get('escalation-contact') ?? []).map(escalationContact),
        emergencyResponseTarget: emergencyHours(args),
        quoteRequiredAboveMinutes: wholeNumber(args, 'quote-above-minutes'),
        maxPeoplePerTicket: wholeNumber(args, 'max-people'),
        // A JSON file of the policy's figures it replaces, checked by the store against the policy.
        rates: args.options.has('rates')
          ? (readContractRates(args.options.get('rates')!, 'rates') as ContractRates)
          : undefined,
      };
      return async (stores) => {
        // As the admin API does: each authorized contact signs in as one of the customer's contacts.
        const { contract, added } = await createContract(stores, input);
        return {
          json: contract,
          text: `added contract ${contractLine(contract)}${accountsText(added, 'added (sign in by a link)')}`,
        };
      };
    },
  },
  'contracts contacts': {
    options: ['authorized-contact', 'escalation-contact'],
    action(args) {
      const id = onePositional(args, 'contracts contacts needs exactly one contract id');
      const patch = {
        authorizedContacts: contactList(args, 'authorized-contact', 'no-authorized-contacts', authorizedContact),
        escalationContacts: contactList(args, 'escalation-contact', 'no-escalation-contacts', escalationContact),
      };
      if (!patch.authorizedContacts && !patch.escalationContacts)
        throw new UsageError(
          'contracts contacts needs --authorized-contact, --escalation-contact, --no-authorized-contacts or --no-escalation-contacts',
        );
      return async (stores) => {
        const changed = await changeContractContacts(stores, id, patch);
        if (!changed) throw new UsageError(`no contract "${id}"`);
        const { contract, added, disabled } = changed;
        return {
          json: changed,
          text:
            `changed contract ${contractLine(contract)}${accountsText(added, 'added (sign in by a link)')}` +
            accountsText(disabled, 'disabled and signed out (no contract of the customer names them)'),
        };
      };
    },
  },
  'contracts list': {
    options: ['customer'],
    action(args) {
      const customerId = required(args, 'customer');
      return async ({ accounts: store }) => {
        if (!(await store.getCustomer(customerId))) throw new UsageError(`--customer: no customer "${customerId}"`);
        const contracts = await store.listContracts(customerId);
        return { json: contracts, text: contracts.map(contractLine).join('') };
      };
    },
  },
  'keys create': {
    options: ['role', 'label', 'customer'],
    action(args) {
      // --mail-relay: the inbound mail process's key, acting for each mail's sender (agent keys only).
      const input = {
        role: required(args, 'role') as Role,
        label: required(args, 'label'),
        customerId: args.options.get('customer'),
        mailRelay: args.flags.has('mail-relay'),
      };
      return async ({ accounts: store }) => {
        const key = await store.createApiKey(input);
        const text = `created key ${keyLine(key)}token: ${key.token}\n(shown this once: only its hash is kept)\n`;
        return { json: key, text };
      };
    },
  },
  'keys list': {
    options: [],
    action:
      () =>
      async ({ accounts: store }) => {
        const keys = await store.listApiKeys();
        return { json: keys, text: keys.map(keyLine).join('') };
      },
  },
  'keys revoke': {
    options: [],
    action(args) {
      const id = onePositional(args, 'keys revoke needs exactly one key id');
      return async ({ accounts: store }) => {
        const key = await store.revokeApiKey(id);
        if (!key) throw new UsageError(`no API key "${id}"`);
        return { json: key, text: `revoked key ${keyLine(key)}` };
      };
    },
  },
  'prepaid buy': {
    options: ['contract', 'minutes', 'description', 'key'],
    action(args) {
      const id = contractId(args);
      const minutes = wholeNumber(args, 'minutes');
      if (minutes === undefined) throw new UsageError('--minutes is required');
      const purchase = {
        minutes,
        description: required(args, 'description'),
        idempotencyKey: args.options.get('key') ?? randomUUID(),
      };
      return async ({ prepaid }) => {
        const account = await prepaid.buy(id, purchase).catch((error: unknown) => {
          throw error instanceof PrepaidKeyReusedError ? new UsageError(`--key: ${error.message}`) : error;
        });
        if (!account) throw new UsageError(`--contract: no contract "${id}"`);
        return { json: account, text: prepaidText(account) };
      };
    },
  },
  'prepaid show': {
    options: ['contract'],
    action(args) {
      const id = contractId(args);
      return async ({ prepaid }) => {
        const account = await prepaid.account(id);
        if (!account) throw new UsageError(`--contract: no contract "${id}"`);
        return { json: account, text: prepaidText(account) };
      };
    },
  },
  'policies publish': {
    options: [],
    action(args) {
      const file = onePositional(args, 'policies publish needs the policy file to publish');
      const document = readJsonFile(file, (detail) => new UsageError(`${file}: ${detail}`));
      return async ({ policies }) => {
        const { published, created } = await policies
          .publish(document, `vigil admin policies publish ${file}`)
          .catch((error: unknown) => {
            throw error instanceof PolicyValidationError || error instanceof PolicyPublishError
              ? new PolicyRefused(file, error)
              : error;
          });
        return {
          json: published,
          text: `${created ? 'published' : 'already published, unchanged:'} ${policyLine(published)}`,
        };
      };
    },
  },
  'policies list': {
    options: [],
    action:
      () =>
      async ({ policies }) => {
        const versions = await policies.versions();
        return { json: versions, text: versions.map(policyLine).join('') };
      },
  },
  'reports rebuild': {
    options: [],
    action:
      () =>
      async ({ rebuildSlaReport }) => {
        const rows = await rebuildSlaReport();
        return {
          json: { rows },
          text: `SLA report rebuilt from the tickets: ${rows} customer, priority and month rows\n`,
        };
      },
  },
  'policies show': {
    options: [],
    action(args) {
      const [id, version, ...extra] = args.positionals.slice(1);
      if (id === undefined || version === undefined || extra.length || !/^[1-9][0-9]{0,6}$/.test(version))
        throw new UsageError('policies show needs a policy id and a version number');
      return async ({ policies }) => {
        const found = await policies.version(id, Number(version));
        if (!found) throw new UsageError(`policy "${id}" has no version ${version}`);
        return { json: found, text: `${JSON.stringify(found.document, null, 2)}\n` };
      };
    },
  },
};

/** Every command, grouped by what it acts on ("customers add|update|list, …"), from COMMANDS itself. */
const KNOWN_COMMANDS = [
  ...Object.keys(COMMANDS).reduce((groups, name) => {
    const [noun = name, verb = ''] = name.split(' ');
    return groups.set(noun, [...(groups.get(noun) ?? []), verb]);
  }, new Map<string, string[]>()),
]
  .map(([noun, verbs]) => `${noun} ${verbs.join('|')}`)
  .join(', ');
const TAKES_ARGUMENTS = new Set(['keys revoke', 'policies publish', 'policies show', 'contracts contacts']);
/** Bare flags, each of one command. */
const FLAGS_OF: Readonly<Record<string, string>> = {
  'mail-relay': 'keys create',
  'no-authorized-contacts': 'contracts contacts',
  'no-escalation-contacts': 'contracts contacts',
};
const VALUED = [...new Set(Object.values(COMMANDS).flatMap(({ options }) => options))];

/** The command line as an action on the store, or a UsageError: nothing here touches the database. */
export function adminAction(argv: readonly string[]): { action: Action; json: boolean } {
  const args = parseArgs(argv, VALUED, ['json', ...Object.keys(FLAGS_OF)]);
  const [verb] = args.positionals;
  const name = `${args.command ?? ''} ${verb ?? ''}`.trim();
  const command = COMMANDS[name];
  if (!command) {
    const known = KNOWN_COMMANDS;
    throw new UsageError(
      name ? `unknown admin command "${name}" (known: ${known})` : `admin needs a command (${known})`,
    );
  }
  if (!TAKES_ARGUMENTS.has(name) && args.positionals.length > 1)
    throw new UsageError(`admin ${name} takes no argument "${args.positionals[1]}"`);
  const stray = [...args.options.keys()].find((option) => !command.options.includes(option));
  if (stray) throw new UsageError(`--${stray} does not apply to admin ${name}`);
  const strayFlag = Object.keys(FLAGS_OF).find((flag) => args.flags.has(flag) && FLAGS_OF[flag] !== name);
  if (strayFlag) throw new UsageError(`--${strayFlag} does not apply to admin ${name}`);
  return { action: command.action(args), json: args.flags.has('json') };
}

const failed = (exitCode: number, message: string): CliResult => ({
  exitCode,
  stdout: '',
  stderr: `vigil: ${message}\n`,
});

class DatabaseUnreachable extends Error {}

/** A policy file refused for publishing: one line per wrong field, by its path in the file. */
class PolicyRefused extends Error {
  constructor(file: string, error: PolicyValidationError | PolicyPublishError) {
    super(error.issues.map(({ path, message }) => `${file}: ${path}: ${message}`).join('\nvigil: '));
  }
}

async function withStores<T>(databaseUrl: string, work: (stores: AdminStores) => Promise<T>): Promise<T> {
  const pool = new Pool({ connectionString: databaseUrl });
  // Joinable, as the API's stores are (db/api-stores.ts): the writes a command makes through several of them join its transaction.
  const db = joinable(pool);
  try {
    await migrate(db).catch((error: Error) => {
      // pg's connection errors can be an AggregateError with an empty message: the code is what tells.
      throw new DatabaseUnreachable(
        `cannot use the database DATABASE_URL names: ${(error as NodeJS.ErrnoException).code ?? error.message}`,
      );
    });
    const policies = {
      ...pgPolicyCatalog(db),
      publish: (document: unknown, by: string) => publishPolicyVersion(db, document, by),
    };
    return await work({
      accounts: pgAccountStore(db),
      users: pgUserStore(db),
      sessions: pgSessionStore(db),
      transaction: oneTransactionOn(pool),
      prepaid: prepaidLedger(db),
      policies,
      rebuildSlaReport: () => rebuildSlaReport(db),
    });
  } finally {
    await pool.end();
  }
}

/** Runs `vigil admin ...`: bad input exits 2 with one line naming the flag, an unreachable database exits 1. */
export async function runAdminCli(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<CliResult> {
  try {
    const { action, json } = adminAction(argv);
    const databaseUrl = env.DATABASE_URL;
    if (!databaseUrl)
      throw new UsageError(
        'DATABASE_URL is not set: it names the PostgreSQL database, e.g. postgres://vigil:vigil@127.0.0.1:54329/vigil',
      );
    const output = await withStores(databaseUrl, action);
    return { exitCode: 0, stdout: json ? `${JSON.stringify(output.json)}\n` : output.text, stderr: '' };
  } catch (error) {
    if (error instanceof UsageError) return failed(2, error.message);
    if (error instanceof AccountError) return failed(2, `${flagOf(error)}: ${error.message}`);
    if (error instanceof DatabaseUnreachable) return failed(1, error.message);
    if (error instanceof PolicyRefused) return failed(2, error.message);
    // Each command writes in one statement or one transaction (a contract with its contacts' accounts), undone whole.
    if (error instanceof DatabaseError)
      return failed(1, `the database refused the command, so nothing of it was saved: ${error.message}`);
    throw error;
  }
}
