/**
 * Customers, their contracts and API keys as the API and the activities see them. The PostgreSQL store
 * (db/accounts.ts) implements AccountStore; tests of routes may hand the app an in-memory one.
 * Dates are civil (YYYY-MM-DD); instants are ISO-8601 with offset.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { Duration } from '../domain/calendar';
import { E_INVOICE_FORMATS, type CustomerBilling } from '../domain/invoicing/parties';
import type { ContractRates } from '../domain/pricing/contract-rates';
import { ROLES, type Principal, type Role } from './principal';
import { literals, strictObject } from './schema-parts';
import { Email, Line, Name } from './text-fields';

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
  name: Name(200),
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
  name: Name(200),
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

// What the admin API's bodies take (api/schemas/admin.ts) and the store is given: the types are these schemas' (Static<>).
export const CivilDate = Type.String({ format: 'date', description: 'civil date YYYY-MM-DD' });

// The customers table's CHECK: the id goes into URLs and the tickets' search attributes.
export const CustomerId = Type.String({
  pattern: '^[a-z0-9][a-z0-9-]{0,62}$',
  description: 'lowercase letters, digits and dashes, e.g. acme',
});

// Shapes only; the VAT number's form per country and its check digits are db/account-input.ts's (checkedBilling).
export const CustomerBillingSchema = strictObject({
  legalName: Name(200, { description: 'the name the invoices are addressed to' }),
  street: Line(200),
  postalCode: Line(20),
  city: Line(100),
  country: Type.String({
    pattern: '^[A-Za-z]{2}$',
    description: 'ISO 3166-1 alpha-2, e.g. BE; decides the VAT and the e-invoice format',
  }),
  vatNumber: Type.Optional(
    Line(40, { description: "with its country prefix, e.g. BE0403170701; checked against the country's form" }),
  ),
  email: Email,
  eInvoiceFormat: Type.Optional(literals(E_INVOICE_FORMATS)),
});

// A shape only: whether luxon knows the zone is db/account-input.ts's (checkedTimeZone), which names body.timeZone.
const TimeZone = Line(64, {
  description:
    "IANA zone of the dates in the e-mails to the customer's contacts, e.g. Europe/Paris; absent: the desk's",
});

export const NewCustomer = strictObject({
  id: CustomerId,
  name: Name(200),
  language: Type.Optional(literals(LANGUAGES)),
  billing: Type.Optional(CustomerBillingSchema),
  timeZone: Type.Optional(TimeZone),
});
export type NewCustomer = Static<typeof NewCustomer>;

export const CustomerPatch = strictObject({
  name: Type.Optional(Name(200)),
  language: Type.Optional(literals(LANGUAGES)),
  billing: Type.Optional(CustomerBillingSchema),
  timeZone: Type.Optional(Type.Union([TimeZone, Type.Null({ description: "back to the desk's zone" })])),
});
/**
 * What `updateCustomer` changes: the fields given; `billing` replaces the whole invoicing identity; `timeZone: null`
 * takes the customer back to the desk's zone.
 */
export type CustomerPatch = Static<typeof CustomerPatch>;

// Whole calendar hours, day and night (domain/policy/emergency.ts): the store says why in words when it is wrong.
const EmergencyResponseTarget = strictObject({
  amount: Type.Integer({ minimum: 1, maximum: 24, description: 'whole hours, 1 to 24' }),
  unit: Type.Literal('calendarHours', { description: 'an emergency is handled day and night' }),
});

// A contract's own prices (domain/pricing/contract-rates.ts): the shape here, the policy's names and figures by the store.
const CentsFigure = Type.Integer({ minimum: 0, description: 'whole euro cents excl. VAT' });
const CentsByName = Type.Record(Type.String({ minLength: 1, maxLength: 100 }), CentsFigure, {
  minProperties: 1,
  maxProperties: 100,
});
export const ContractRatesSchema = strictObject({
  hourlyCents: Type.Optional(CentsFigure),
  hourlyCentsByRole: Type.Optional(CentsByName),
  hourlyCentsByService: Type.Optional(CentsByName),
  outOfHoursPercent: Type.Optional(
    Type.Integer({ minimum: 1, description: "replaces the percent of the policy's out-of-hours band (150 for x1.5)" }),
  ),
  travel: Type.Optional(
    Type.Object(
      { perTripCents: Type.Optional(CentsFigure), hourlyCents: Type.Optional(CentsFigure) },
      { additionalProperties: false, minProperties: 1 },
    ),
  ),
});

const AuthorizedContacts = Type.Array(AuthorizedContact, {
  maxItems: 200,
  description:
    "the customer's people who may call, each given an account among the customer's contacts (or linked to the one their address has) so that they can sign in to the console",
});
const EscalationContacts = Type.Array(EscalationContact, { maxItems: 50 });

export const ContractContactsPatch = Type.Object(
  { authorizedContacts: Type.Optional(AuthorizedContacts), escalationContacts: Type.Optional(EscalationContacts) },
  { additionalProperties: false, minProperties: 1 },
);
/**
 * What `updateContractContacts` changes: the lists given, each replaced whole. Only the people: a contract's prices
 * and terms are never edited (a new price is a new contract), but who may call and who is told change with the staff.
 */
export type ContractContactsPatch = Static<typeof ContractContactsPatch>;

export const NewContract = strictObject({
  policyId: Line(100, { description: 'a preset policy id (GET vigil policies)' }),
  policyVersion: Type.Optional(
    Type.Integer({
      minimum: 1,
      description: 'pin a version; absent, each ticket runs under the version in force when it registers',
    }),
  ),
  tier: Type.Optional(Line(100)),
  startsOn: CivilDate,
  endsOn: Type.Optional(CivilDate),
  invoicingFrequency: Type.Optional(literals(INVOICING_FREQUENCIES)),
  authorizedContacts: Type.Optional(AuthorizedContacts),
  escalationContacts: Type.Optional(EscalationContacts),
  emergencyResponseTarget: Type.Optional({
    ...EmergencyResponseTarget,
    description: 'replaces the policy\'s emergency response target, e.g. {"amount": 2, "unit": "calendarHours"}',
  }),
  quoteRequiredAboveMinutes: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: 100_000,
      description:
        "logged minutes above which more time needs a quote the customer accepted, replacing the policy's (e-connect: 480)",
    }),
  ),
  maxPeoplePerTicket: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: 1000,
      description:
        "how many people may log time on one ticket, replacing the policy's count (Care Solutions: 3 on remote assistance); the services it counts stay the policy's",
    }),
  ),
  rates: Type.Optional({
    ...ContractRatesSchema,
    minProperties: 1,
    description:
      'the contract\'s own prices, replacing the policy\'s figures they name, e.g. {"hourlyCentsByRole": {"technician": 9000}}',
  }),
});
/** A new contract: the body's terms, under the customer the route names. */
export type NewContract = Static<typeof NewContract> & Pick<Contract, 'customerId'>;

// A person who signs in to the console (db/users.ts): the admin API's bodies and the store's input.
export const NewUser = strictObject({
  email: Email,
  name: Name(200),
  role: literals(ROLES),
  customerId: Type.Optional(Line(100, { description: "a customer contact's company; only for the role customer" })),
  language: Type.Optional(literals(LANGUAGES)),
  password: Type.Optional(
    Type.String({
      minLength: 12,
      maxLength: 256,
      description: 'optional: without one, the person signs in by a link sent by e-mail or sets one by a reset',
    }),
  ),
});
export type NewUser = Static<typeof NewUser>;

/**
 * What `update` changes: the fields given. `customerId: null` (or a role other than customer, which takes no company)
 * leaves the person without a company; `language: null` takes them back to their customer's language, else English.
 */
export const UserPatch = Type.Object(
  {
    name: Type.Optional(Name(200)),
    role: Type.Optional(literals(ROLES)),
    customerId: Type.Optional(
      Type.Union([Line(100), Type.Null()], {
        description: "a customer contact's company; null, or a staff role given alone, takes it away",
      }),
    ),
    language: Type.Optional(
      Type.Union([literals(LANGUAGES), Type.Null({ description: "back to the customer's language, else English" })]),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UserPatch = Static<typeof UserPatch>;

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
  /**
   * The contract with its contacts replaced, and as it was just before (read under the same lock, so that two changes
   * at once each see the other's); undefined when there is none.
   */
  updateContractContacts(
    id: string,
    patch: ContractContactsPatch,
  ): Promise<{ contract: Contract; before: Contract } | undefined>;
  /** The customer's contracts, by start date, then in the order they were made (id). */
  listContracts(customerId: string): Promise<Contract[]>;
  /**
   * The customer's contracts in force on a civil date (starts on or before it, ends on or after it, or never), in
   * listContracts' order.
   */
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
