/**
 * Customers, their contracts and API keys as the API and the activities see them. The PostgreSQL store
 * (db/accounts.ts) implements AccountStore; tests of routes may hand the app an in-memory one.
 * Dates are civil (YYYY-MM-DD); instants are ISO-8601 with offset.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { Duration } from '../domain/calendar';
import type { CustomerBilling } from '../domain/invoicing/parties';
import type { ContractRates } from '../domain/pricing/contract-rates';
import { ROLES, type Principal, type Role } from './principal';
import { literals, strictObject } from './schema-parts';
import { Email, Line } from './text-fields';

export const LANGUAGES = ['en', 'fr', 'de', 'nl', 'lb'] as const;
export type Language = (typeof LANGUAGES)[number];

export const INVOICING_FREQUENCIES = ['monthly', 'quarterly'] as const;
export type InvoicingFrequency = (typeof INVOICING_FREQUENCIES)[number];

export interface Customer {
  id: string;
  name: string;
  language: Language;
  /** Who its invoices are addressed to (legal name, address, VAT number, e-mail); absent until an admin sets it. */
  billing?: CustomerBilling;
  /** The IANA zone its contacts read their e-mails' dates in (`Europe/Paris`); absent: the desk's (messages/desk-zone.ts). */
  timeZone?: string;
  createdAt: string;
}

// The shapes a contract's contacts and a new API key take, once: the admin API's bodies (api/schemas/admin.ts) use these
// schemas, and the store's types are theirs (Static<>).
export const AuthorizedContact = strictObject({
  name: Line(200),
  email: Email,
  outOfHours: Type.Optional(
    Type.Boolean({
      description: 'may report a disruption out of hours where the policy lets authorized contacts do so',
    }),
  ),
});
export type AuthorizedContact = Static<typeof AuthorizedContact>;

export const EscalationContact = strictObject({
  level: Line(100, { description: "one of the policy's escalation `notify` names, e.g. desk-manager" }),
  name: Line(200),
  email: Email,
});
export type EscalationContact = Static<typeof EscalationContact>;

export interface Contract {
  id: string;
  customerId: string;
  policyId: string;
  /** Undefined: each ticket runs under the policy version in force when it registers. */
  policyVersion?: number;
  tier?: string;
  startsOn: string;
  endsOn?: string;
  invoicingFrequency: InvoicingFrequency;
  authorizedContacts: AuthorizedContact[];
  escalationContacts: EscalationContact[];
  /** The emergency channel's response target (whole calendar hours), replacing the policy's; absent: the policy's. */
  emergencyResponseTarget?: Duration;
  /** The contract's own prices, replacing the policy's figures they name; absent: the policy's. */
  rates?: ContractRates;
  /** Logged minutes above which more time needs an accepted quote, replacing the policy's limit; absent: the policy's. */
  quoteRequiredAboveMinutes?: number;
  /** How many people may log time on one ticket, replacing the count of the policy's limit; absent: the policy's. */
  maxPeoplePerTicket?: number;
  createdAt: string;
}

export type NewCustomer = Pick<Customer, 'id' | 'name'> & Partial<Pick<Customer, 'language' | 'billing' | 'timeZone'>>;
/**
 * What `updateCustomer` changes: the fields given; `billing` replaces the whole invoicing identity; `timeZone: null`
 * takes the customer back to the desk's zone.
 */
export type CustomerPatch = Partial<Pick<Customer, 'name' | 'language' | 'billing'>> & { timeZone?: string | null };
export type NewContract = Omit<
  Contract,
  'id' | 'createdAt' | 'invoicingFrequency' | 'authorizedContacts' | 'escalationContacts'
> &
  Partial<Pick<Contract, 'invoicingFrequency' | 'authorizedContacts' | 'escalationContacts'>>;

/**
 * What `updateContractContacts` changes: the lists given, each replaced whole. Only the people: a contract's prices
 * and terms are never edited (a new price is a new contract), but who may call and who is told change with the staff.
 */
export type ContractContactsPatch = Partial<Pick<Contract, 'authorizedContacts' | 'escalationContacts'>>;

export interface ApiKeyRecord {
  id: string;
  role: Role;
  customerId?: string;
  label: string;
  /** The inbound mail process's key: it acts for the sender of each mail it relays (X-Vigil-Mail-From). */
  mailRelay?: boolean;
  createdAt: string;
  revokedAt?: string;
}

export const NewApiKey = strictObject({
  role: literals(ROLES),
  label: Line(200),
  customerId: Type.Optional(Line(63, { description: 'required for a customer key, refused for any other' })),
  mailRelay: Type.Optional(
    Type.Boolean({
      description:
        "the inbound mail process's key (agent keys only): it may act for the sender of a mail it relays, with X-Vigil-Mail-From",
    }),
  ),
});
export type NewApiKey = Static<typeof NewApiKey>;

/**
 * `vgl_<id>_<secret>`: the id (12 hex digits) is public (logs, revocation) and finds the key; the secret is 32 random
 * bytes in base64url. The id is hex, so the first `_` after it ends it even though a secret may hold `_` too.
 */
const API_TOKEN = /^vgl_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

export const apiToken = (id: string, secret: string): string => `vgl_${id}_${secret}`;

/** The id and secret of a token shaped as Vigil issues them; undefined for anything else, which no key can be. */
export function apiTokenParts(token: string): { id: string; secret: string } | undefined {
  const [, id, secret] = API_TOKEN.exec(token) ?? [];
  return id && secret ? { id, secret } : undefined;
}

/** The whole token is shown once, at creation; the store keeps only its hash. */
export interface IssuedApiKey extends ApiKeyRecord {
  token: string;
}

export interface AccountStore {
  /** The principal a bearer token stands for; undefined for an unknown, malformed or revoked token. */
  authenticate(token: string): Promise<Principal | undefined>;
  createCustomer(customer: NewCustomer): Promise<Customer>;
  getCustomer(id: string): Promise<Customer | undefined>;
  /** The customer as changed; undefined when there is none. */
  updateCustomer(id: string, patch: CustomerPatch): Promise<Customer | undefined>;
  listCustomers(): Promise<Customer[]>;
  createContract(contract: NewContract): Promise<Contract>;
  getContract(id: string): Promise<Contract | undefined>;
  /** The contract with its contacts replaced; undefined when there is none. */
  updateContractContacts(id: string, patch: ContractContactsPatch): Promise<Contract | undefined>;
  listContracts(customerId: string): Promise<Contract[]>;
  /** The customer's contracts in force on a civil date (starts on or before it, ends on or after it, or never). */
  contractsInForce(customerId: string, onDate: string): Promise<Contract[]>;
  createApiKey(key: NewApiKey): Promise<IssuedApiKey>;
  listApiKeys(): Promise<ApiKeyRecord[]>;
  revokeApiKey(id: string): Promise<ApiKeyRecord | undefined>;
}

/** Why the store refused an account change; stable, so the API and the CLI can each map it to their answer. */
export const ACCOUNT_ERROR_CODES = [
  'CUSTOMER_EXISTS',
  'CUSTOMER_UNKNOWN',
  'POLICY_UNKNOWN',
  'POLICY_VERSION_UNKNOWN',
  'CONTRACT_DATES',
  'KEY_CUSTOMER_MISMATCH',
  'CONTACT_ACCOUNT_TAKEN',
  'INVALID_FIELD',
] as const;
export type AccountErrorCode = (typeof ACCOUNT_ERROR_CODES)[number];

/**
 * A refused account change. `field` names the input at fault as the store's input types spell it
 * (`policyId`, `authorizedContacts.0.email`): the API prefixes it with `body.`, the CLI turns it into its flag.
 */
export class AccountError extends Error {
  override readonly name = 'AccountError';

  constructor(
    readonly code: AccountErrorCode,
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}
