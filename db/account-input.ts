/**
 * The rules an account change must pass before it reaches PostgreSQL, shared by the API and the CLI through
 * the store: each refusal is an AccountError naming the field, where the table would only say "check violated".
 */
import {
  AccountError,
  INVOICING_FREQUENCIES,
  LANGUAGES,
  type AuthorizedContact,
  type Contract,
  type ContractContactsPatch,
  type Customer,
  type CustomerPatch,
  type EscalationContact,
  type NewApiKey,
  type NewContract,
  type NewCustomer,
} from '../messages/accounts';
import { ROLES } from '../messages/principal';
import { parseIsoDate } from '../domain/calendar';
import { DateTime, IANAZone } from 'luxon';
import { DESK_ZONE } from '../messages/desk-zone';
import type { Duration } from '../domain/calendar';
import type { Policy } from '../domain/policy';
import { emergencyTargetIssues } from '../domain/policy/emergency';
import { contractRatesIssues, type ContractRates } from '../domain/pricing/contract-rates';
import type { PolicyCatalog } from '../policies/catalog';
import { coveredEscalationContacts } from '../mail/desk-roles';
import { COUNTRY_CODE } from '../domain/invoicing/countries';
import { E_INVOICE_FORMATS, type CustomerBilling } from '../domain/invoicing/parties';
import { checkVatNumber } from '../domain/invoicing/vat-number';
import { EMAIL_ADDRESS, hasSomethingToRead, textLength } from '../domain/text';

// The customers table's CHECK, told to the caller in words.
const CUSTOMER_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

const invalid = (field: string, message: string) => new AccountError('INVALID_FIELD', field, message);

function text(value: unknown, field: string, maxLength: number): string {
  const trimmed = typeof value === 'string' ? value.trim() : '';
  if (!trimmed) throw invalid(field, 'must not be empty');
  // Zero-width characters alone are as empty as spaces, to the command line as to the API (domain/text.ts).
  if (!hasSomethingToRead(trimmed))
    throw invalid(field, 'must not be empty: it holds nothing but white space and invisible characters');
  // In characters (code points), as the API's schemas count (messages/text-fields.ts), not UTF-16 units: a name of
  // emoji the schema took was refused here at half its length.
  if (textLength(trimmed) > maxLength) throw invalid(field, `must be at most ${maxLength} characters`);
  return trimmed;
}

function oneOf<T extends string>(values: readonly T[], value: unknown, field: string): T {
  if (!values.includes(value as T))
    throw invalid(field, `must be one of ${values.join(', ')} (got "${String(value)}")`);
  return value as T;
}

function email(value: unknown, field: string): string {
  const address = text(value, field, 320);
  if (!EMAIL_ADDRESS.test(address)) throw invalid(field, `"${address}" is not an e-mail address`);
  return address;
}

export function civilDate(value: unknown, field: string): string {
  if (typeof value !== 'string' || parseIsoDate(value) === undefined) {
    throw new AccountError('CONTRACT_DATES', field, `must be a date YYYY-MM-DD (got "${String(value)}")`);
  }
  return value;
}

export function checkedCustomer(customer: NewCustomer): Omit<Customer, 'createdAt'> {
  if (typeof customer.id !== 'string' || !CUSTOMER_ID.test(customer.id)) {
    throw invalid(
      'id',
      `must be 1 to 63 lowercase letters, digits or dashes, not starting with a dash (got "${String(customer.id)}")`,
    );
  }
  return {
    id: customer.id,
    name: text(customer.name, 'name', 200),
    language: oneOf(LANGUAGES, customer.language ?? 'en', 'language'),
    ...(customer.billing === undefined ? {} : { billing: checkedBilling(customer.billing) }),
    ...(customer.timeZone === undefined ? {} : { timeZone: checkedTimeZone(customer.timeZone, 'timeZone') }),
  };
}

export function checkedCustomerPatch(patch: CustomerPatch): CustomerPatch {
  return {
    ...(patch.name === undefined ? {} : { name: text(patch.name, 'name', 200) }),
    ...(patch.language === undefined ? {} : { language: oneOf(LANGUAGES, patch.language, 'language') }),
    ...(patch.billing === undefined ? {} : { billing: checkedBilling(patch.billing) }),
    ...(patch.timeZone === undefined
      ? {}
      : { timeZone: patch.timeZone === null ? null : checkedTimeZone(patch.timeZone, 'timeZone') }),
  };
}

/**
 * An IANA zone that luxon, which tells the mails' dates, knows (IANAZone.isValidZone), kept as given. An offset such
 * as `+01:00` is refused: it knows no summer time.
 */
export function checkedTimeZone(value: unknown, field: string): string {
  const zone = typeof value === 'string' ? value.trim() : '';
  if (!IANAZone.isValidZone(zone))
    throw invalid(field, `must be an IANA time zone such as Europe/Luxembourg (got "${String(value)}")`);
  return zone;
}

/**
 * A customer's invoicing identity: every field EN 16931 needs of a buyer, the VAT number in the shape (and check
 * digits, where Vigil knows them) of the customer's country, normalised as it will be printed.
 */
export function checkedBilling(billing: CustomerBilling): CustomerBilling {
  const country = text(billing.country, 'billing.country', 2).toUpperCase();
  if (!COUNTRY_CODE.test(country))
    throw invalid(
      'billing.country',
      `must be an ISO 3166 country code of two letters, e.g. BE (got "${String(billing.country)}")`,
    );
  let vatNumber: string | undefined;
  if (billing.vatNumber !== undefined && billing.vatNumber !== '') {
    const check = checkVatNumber(text(billing.vatNumber, 'billing.vatNumber', 40), country);
    if (!check.ok) throw invalid('billing.vatNumber', check.problem);
    vatNumber = check.vatNumber;
  }
  return {
    legalName: text(billing.legalName, 'billing.legalName', 200),
    street: text(billing.street, 'billing.street', 200),
    postalCode: text(billing.postalCode, 'billing.postalCode', 20),
    city: text(billing.city, 'billing.city', 100),
    country,
    ...(vatNumber ? { vatNumber } : {}),
    email: email(billing.email, 'billing.email'),
    ...(billing.eInvoiceFormat === undefined
      ? {}
      : { eInvoiceFormat: oneOf(E_INVOICE_FORMATS, billing.eInvoiceFormat, 'billing.eInvoiceFormat') }),
  };
}

/**
 * The versions a contract may run under, from the published ones: the pinned one, or any, since each ticket takes the
 * one in force when it registers. Its refusals name the field, as the other checks here do.
 */
export async function policiesFor(
  catalog: PolicyCatalog,
  policyId: string,
  policyVersion: number | undefined,
): Promise<Policy[]> {
  if (policyVersion !== undefined && !(Number.isInteger(policyVersion) && policyVersion > 0)) {
    throw invalid('policyVersion', `must be a whole number of at least 1 (got ${String(policyVersion)})`);
  }
  const known = await catalog.list();
  const versions = known.find(({ id }) => id === policyId)?.versions;
  if (!versions)
    throw new AccountError(
      'POLICY_UNKNOWN',
      'policyId',
      `unknown policy "${policyId}" (known: ${known.map(({ id }) => id).join(', ')})`,
    );
  if (policyVersion !== undefined && !versions.includes(policyVersion)) {
    throw new AccountError(
      'POLICY_VERSION_UNKNOWN',
      'policyVersion',
      `policy "${policyId}" has no version ${policyVersion} (versions: ${versions.join(', ')})`,
    );
  }
  const policies: Policy[] = [];
  for (const version of policyVersion === undefined ? versions : [policyVersion])
    policies.push(await catalog.find(policyId, version));
  return policies;
}

function authorizedContacts(contacts: readonly AuthorizedContact[]): AuthorizedContact[] {
  const seen = new Set<string>();
  return contacts.map((contact, index) => {
    const field = `authorizedContacts.${index}`;
    const checked: AuthorizedContact = {
      name: text(contact.name, `${field}.name`, 200),
      email: email(contact.email, `${field}.email`),
    };
    if (seen.has(checked.email.toLowerCase())) throw invalid(`${field}.email`, `${checked.email} is listed twice`);
    seen.add(checked.email.toLowerCase());
    return contact.outOfHours ? { ...checked, outOfHours: true } : checked;
  });
}

function escalationContacts(contacts: readonly EscalationContact[], policies: readonly Policy[]): EscalationContact[] {
  const levels = [...new Set(policies.flatMap((policy) => policy.escalationLevels))];
  return contacts.map((contact, index) => {
    const field = `escalationContacts.${index}`;
    if (!levels.includes(contact.level)) {
      const known = levels.length ? `its levels are ${levels.join(', ')}` : 'it has no escalation level';
      throw invalid(`${field}.level`, `the policy notifies no "${String(contact.level)}": ${known}`);
    }
    return {
      level: contact.level,
      name: text(contact.name, `${field}.name`, 200),
      email: email(contact.email, `${field}.email`),
    };
  });
}

/** The contract's emergency response target: whole calendar hours, and only where its policy has an emergency clock. */
function emergencyResponseTarget(target: Duration | undefined, policies: readonly Policy[]): Duration | undefined {
  if (target === undefined) return undefined;
  if (typeof target !== 'object' || target === null)
    throw invalid('emergencyResponseTarget', 'must be {"amount": N, "unit": "calendarHours"}');
  const [issue] = emergencyTargetIssues(target, 'emergencyResponseTarget');
  if (issue) throw invalid(issue.path.replace('/', '.'), issue.message);
  const without = policies.filter((policy) => !policy.emergencyResponse());
  if (without.length > 0) {
    throw invalid(
      'emergencyResponseTarget',
      `policy "${without[0]!.id}" v${without[0]!.version} gives the emergency channel no response clock to override`,
    );
  }
  return { amount: target.amount, unit: target.unit };
}

/**
 * The contract's own rates, checked like the policy's against every version it may run under: a role or service the
 * policy does not bill, or a figure it has no place for, is refused naming its path (`rates.hourlyCentsByRole.x`).
 */
function contractRates(rates: ContractRates | undefined, policies: readonly Policy[]): ContractRates | undefined {
  if (rates === undefined) return undefined;
  for (const policy of policies) {
    const [issue] = contractRatesIssues(policy.billing?.document, rates, '/rates');
    if (issue)
      throw invalid(
        issue.path.slice(1).replaceAll('/', '.'),
        `${issue.message} (policy "${policy.id}" v${policy.version})`,
      );
  }
  return rates;
}

/** The contract's own quote limit: whole minutes, and only where its policy has a quote gate to move. */
function quoteLimit(minutes: number | undefined, policies: readonly Policy[]): number | undefined {
  if (minutes === undefined) return undefined;
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > 100_000)
    throw invalid('quoteRequiredAboveMinutes', `must be whole minutes from 1 to 100000 (got ${String(minutes)})`);
  const without = policies.find((policy) => policy.document.quoteRequiredAboveMinutes === undefined);
  if (without)
    throw invalid(
      'quoteRequiredAboveMinutes',
      `policy "${without.id}" v${without.version} has no quote gate to change`,
    );
  return minutes;
}

/** The contract's own people count: whole people, and only where its policy limits the people on a ticket. */
function peopleLimit(people: number | undefined, policies: readonly Policy[]): number | undefined {
  if (people === undefined) return undefined;
  if (!Number.isInteger(people) || people < 1 || people > 1000)
    throw invalid('maxPeoplePerTicket', `must be whole people from 1 to 1000 (got ${String(people)})`);
  const without = policies.find((policy) => policy.document.maxPeoplePerTicket === undefined);
  if (without)
    throw invalid('maxPeoplePerTicket', `policy "${without.id}" v${without.version} has no people limit to change`);
  return people;
}

/** A new contract as the table will hold it. */
export type CheckedContract = Omit<Contract, 'id' | 'createdAt'>;

/** `policies`: the versions the contract may run under (policiesFor), which its terms are checked against. */
export function checkedContract(contract: NewContract, policies: readonly Policy[]): CheckedContract {
  const { customerId, policyId, policyVersion, tier, startsOn, endsOn } = contract;
  civilDate(startsOn, 'startsOn');
  // Unpinned, each month and ticket runs under the version in force then: there must be one from the first day.
  const firstTerms = DateTime.fromMillis(Math.min(...policies.map((policy) => policy.effectiveFrom)), {
    zone: DESK_ZONE,
  }).toISODate()!;
  if (policyVersion === undefined && startsOn < firstTerms) {
    throw new AccountError(
      'CONTRACT_DATES',
      'startsOn',
      `policy "${policyId}" takes effect on ${firstTerms}: the contract cannot start before (${startsOn}), or pin a version`,
    );
  }
  if (endsOn !== undefined && civilDate(endsOn, 'endsOn') < startsOn) {
    throw new AccountError('CONTRACT_DATES', 'endsOn', `the contract ends (${endsOn}) before it starts (${startsOn})`);
  }
  return {
    customerId,
    policyId,
    policyVersion,
    tier: tier === undefined ? undefined : text(tier, 'tier', 100),
    startsOn,
    endsOn,
    invoicingFrequency: oneOf(INVOICING_FREQUENCIES, contract.invoicingFrequency ?? 'quarterly', 'invoicingFrequency'),
    authorizedContacts: authorizedContacts(contract.authorizedContacts ?? []),
    ...termsUnder(contract, policies),
  };
}

/**
 * The contract's terms that name what its policy has (escalation levels, the emergency clock, rates), checked against
 * `policies`: when it is saved, and again against each new version of its policy before that version is published.
 */
export function termsUnder(
  contract: Partial<
    Pick<
      Contract,
      'escalationContacts' | 'emergencyResponseTarget' | 'rates' | 'quoteRequiredAboveMinutes' | 'maxPeoplePerTicket'
    >
  >,
  policies: readonly Policy[],
) {
  return {
    quoteRequiredAboveMinutes: quoteLimit(contract.quoteRequiredAboveMinutes, policies),
    maxPeoplePerTicket: peopleLimit(contract.maxPeoplePerTicket, policies),
    escalationContacts: coveredEscalationContacts(
      escalationContacts(contract.escalationContacts ?? [], policies),
      policies,
    ),
    emergencyResponseTarget: emergencyResponseTarget(contract.emergencyResponseTarget, policies),
    rates: contractRates(contract.rates, policies),
  };
}

/** A contract's contacts as changed, checked as when it is saved, against the versions it may run under. */
export function checkedContractContacts(
  patch: ContractContactsPatch,
  policies: readonly Policy[],
): ContractContactsPatch {
  return {
    ...(patch.authorizedContacts === undefined
      ? {}
      : { authorizedContacts: authorizedContacts(patch.authorizedContacts) }),
    ...(patch.escalationContacts === undefined
      ? {}
      : {
          escalationContacts: coveredEscalationContacts(
            escalationContacts(patch.escalationContacts, policies),
            policies,
          ),
        }),
  };
}

export function checkedApiKey(key: NewApiKey): NewApiKey {
  const role = oneOf(ROLES, key.role, 'role');
  const label = text(key.label, 'label', 200);
  if (role === 'customer' && key.customerId === undefined) {
    throw new AccountError('KEY_CUSTOMER_MISMATCH', 'customerId', 'a customer key needs the customer it acts for');
  }
  if (role !== 'customer' && key.customerId !== undefined) {
    throw new AccountError(
      'KEY_CUSTOMER_MISMATCH',
      'customerId',
      `only a customer key acts for a customer; a ${role} key sees every customer`,
    );
  }
  if (key.mailRelay && role !== 'agent')
    throw new AccountError('INVALID_FIELD', 'mailRelay', `only an agent key relays mail; this is a ${role} key`);
  return { role, label, customerId: key.customerId, ...(key.mailRelay ? { mailRelay: true } : {}) };
}
