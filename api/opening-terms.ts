import { DateTime } from 'luxon';
import { PolicyLookupError } from '../domain/policy/errors';
import { sameEmailAddress } from '../domain/text';
import type { AccountStore, Contract } from '../messages/accounts';
import { DESK_ZONE } from '../messages/desk-zone';
import type { Person, Principal } from '../messages/principal';
import type { Contact, OpenTicketInput } from '../messages/ticket';
import type { PolicySource } from '../policies/catalog';
import { forbidden, invalidField } from './problems';

export type OpeningTerms = Pick<
  OpenTicketInput,
  | 'customerId'
  | 'policyId'
  | 'policyVersion'
  | 'contractId'
  | 'authorizedContacts'
  | 'emergencyResponseTarget'
  | 'quoteRequiredAboveMinutes'
  | 'maxPeoplePerTicket'
>;

export interface OpeningRequest {
  customerId?: string;
  contractId?: string;
  contact?: Pick<Contact, 'email'>;
}

/**
 * The person, then the contacts the contracts authorize, each address once: GET /v1/contacts answers it for the
 * contracts in force (or the one it names), and opening holds a customer's contact signed in to it for the contract
 * the ticket opens under (`checkContact`). Keys and staff pass no person and are not held to it.
 */
export function openableContacts(person: Person | undefined, contracts: readonly Contract[]): Contact[] {
  const all = [
    ...(person ? [{ name: person.name, email: person.email }] : []),
    ...contracts.flatMap((contract) => contract.authorizedContacts.map(({ name, email }) => ({ name, email }))),
  ];
  return all.filter(
    (contact, index) => all.findIndex((other) => sameEmailAddress(other.email, contact.email)) === index,
  );
}

/**
 * A customer's contact signed in opens for themselves or for a contact their contract authorizes, not for anyone: a
 * ticket's contact is who the desk answers. Keys (integrations, the inbound mail) relay contacts as they come.
 */
function checkContact(principal: Principal, contract: Contract, contact: OpeningRequest['contact']): void {
  if (principal.role !== 'customer' || !principal.person || !contact) return;
  const allowed = openableContacts(principal.person, [contract]);
  if (allowed.some((candidate) => sameEmailAddress(candidate.email, contact.email))) return;
  throw invalidField(
    'body.contact.email',
    `${contact.email} is neither you nor a contact contract ${contract.id} authorizes: name one of ${allowed.map((candidate) => candidate.email).join(', ')}`,
  );
}

/**
 * The contract `contractId` names among the customer's in force, or a refusal naming `field`; a contract of another
 * company is refused as an unknown one, so that its existence does not leak.
 */
export function namedContract(
  customerId: string,
  inForce: readonly Contract[],
  contractId: string,
  today: string,
  field: string,
): Contract {
  const named = inForce.find((contract) => contract.id === contractId);
  if (!named)
    throw invalidField(
      field,
      `contract ${contractId} is not one of customer ${customerId}'s contracts in force on ${today}`,
    );
  return named;
}

/** A customer's key opens for its own company only; staff must say for whom. */
function customerOf(principal: Principal, body: OpeningRequest): string {
  if (principal.role !== 'customer') {
    if (body.customerId === undefined)
      throw invalidField('body.customerId', 'is required when the API key is not a customer key');
    return body.customerId;
  }
  const own = principal.customerId;
  if (!own || (body.customerId !== undefined && body.customerId !== own)) {
    throw forbidden(`this API key opens tickets for customer ${own ?? '(none)'} only, not ${body.customerId}`);
  }
  return own;
}

function chosenContract(
  customerId: string,
  inForce: Contract[],
  contractId: string | undefined,
  today: string,
): Contract {
  if (inForce.length === 0)
    throw invalidField('body.customerId', `customer ${customerId} has no contract in force on ${today}`);
  if (contractId !== undefined) return namedContract(customerId, inForce, contractId, today, 'body.contractId');
  if (inForce.length > 1) {
    throw invalidField(
      'body.contractId',
      `is required: customer ${customerId} has ${inForce.length} contracts in force (${inForce.map((contract) => contract.id).join(', ')})`,
    );
  }
  return inForce[0]!;
}

/**
 * An unpinned contract may start on the day its policy's first version takes effect, at whatever hour it does
 * (db/account-input.ts checkedContract compares dates): a ticket registered that day before the instant would have no
 * version to plan under, and its workflow would fail at registration, the ticket left unacknowledged. It is refused
 * here instead. Only that day can lack terms, so only then is the policy looked up.
 */
async function checkTermsInForce(
  policies: PolicySource,
  contract: Contract,
  today: string,
  now: number,
  field: string,
): Promise<void> {
  if (contract.policyVersion !== undefined || contract.startsOn !== today) return;
  try {
    await policies.inForce(contract.policyId, now);
  } catch (error) {
    if (!(error instanceof PolicyLookupError) || error.code !== 'POLICY_NOT_IN_FORCE') throw error;
    throw invalidField(
      field,
      `contract ${contract.id} runs under policy ${contract.policyId}, which is not in force yet at ${new Date(now).toISOString()}: tickets open under it once it takes effect`,
    );
  }
}

/**
 * The terms a new ticket runs under, from the customer's contract in force today (Europe/Luxembourg): its policy,
 * the version it pins, and the contacts it allows to report a disruption out of hours.
 */
export async function openingTerms(
  accounts: AccountStore,
  principal: Principal,
  body: OpeningRequest,
  now: number,
  policies: PolicySource,
): Promise<OpeningTerms> {
  const customerId = customerOf(principal, body);
  const today = DateTime.fromMillis(now, { zone: DESK_ZONE }).toISODate()!;
  // Both read at once: the opening waits for one round trip to PostgreSQL here, not two in turn. An unknown customer has
  // no contracts, and is refused as unknown all the same.
  const [customer, inForce] = await Promise.all([
    accounts.getCustomer(customerId),
    accounts.contractsInForce(customerId, today),
  ]);
  if (!customer) throw invalidField('body.customerId', `names no known customer: ${customerId}`);
  const contract = chosenContract(customerId, inForce, body.contractId, today);
  checkContact(principal, contract, body.contact);
  await checkTermsInForce(
    policies,
    contract,
    today,
    now,
    body.contractId === undefined ? 'body.customerId' : 'body.contractId',
  );
  return {
    customerId,
    policyId: contract.policyId,
    ...(contract.policyVersion === undefined ? {} : { policyVersion: contract.policyVersion }),
    contractId: contract.id,
    // As the contract spells them: registrationRefusal (domain/ticket/steps.ts) compares addresses regardless of case.
    authorizedContacts: contract.authorizedContacts.filter((contact) => contact.outOfHours).map(({ email }) => email),
    // The ticket keeps the contract's emergency target it opened under, as it keeps its policy version.
    ...(contract.emergencyResponseTarget === undefined
      ? {}
      : { emergencyResponseTarget: contract.emergencyResponseTarget }),
    ...(contract.quoteRequiredAboveMinutes === undefined
      ? {}
      : { quoteRequiredAboveMinutes: contract.quoteRequiredAboveMinutes }),
    ...(contract.maxPeoplePerTicket === undefined ? {} : { maxPeoplePerTicket: contract.maxPeoplePerTicket }),
  };
}
