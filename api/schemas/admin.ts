import { Type } from '@sinclair/typebox';
import {
  AuthorizedContact,
  EscalationContact,
  INVOICING_FREQUENCIES,
  LANGUAGES,
  NewApiKey,
} from '../../messages/accounts';
import { ROLES } from '../../messages/principal';
import { E_INVOICE_FORMATS } from '../../domain/invoicing/parties';
import { literals, strictObject } from '../../messages/schema-parts';
import { Email, Line } from './text';

const CivilDate = Type.String({ format: 'date', description: 'civil date YYYY-MM-DD' });
const Instant = Type.String({ format: 'date-time', description: 'ISO-8601 instant with offset' });

// The customers table's CHECK: the id goes into URLs and the tickets' search attributes.
const CustomerId = Type.String({
  pattern: '^[a-z0-9][a-z0-9-]{0,62}$',
  description: 'lowercase letters, digits and dashes, e.g. acme',
});

export const CustomerIdParams = Type.Object({ id: CustomerId });
export const ContractIdParams = Type.Object({
  id: Type.String({ pattern: '^[1-9][0-9]{0,17}$', description: 'contract id, e.g. 42' }),
});
export const ApiKeyIdParams = Type.Object({
  id: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', description: 'the public id of an API key' }),
});

// Shapes only; the VAT number's form per country and its check digits are db/account-input.ts's (checkedBilling).
export const CustomerBilling = strictObject({
  legalName: Line(200, { description: 'the name the invoices are addressed to' }),
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

export const NewCustomerBody = strictObject({
  id: CustomerId,
  name: Line(200),
  language: Type.Optional(literals(LANGUAGES)),
  billing: Type.Optional(CustomerBilling),
  timeZone: Type.Optional(TimeZone),
});

export const CustomerPatchBody = strictObject({
  name: Type.Optional(Line(200)),
  language: Type.Optional(literals(LANGUAGES)),
  billing: Type.Optional(CustomerBilling),
  timeZone: Type.Optional(Type.Union([TimeZone, Type.Null({ description: "back to the desk's zone" })])),
});

export const CustomerView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  language: literals(LANGUAGES),
  billing: Type.Optional(CustomerBilling),
  timeZone: Type.Optional(Type.String()),
  createdAt: Instant,
  links: Type.Object({ self: Type.String(), contracts: Type.String() }),
});
export const CustomerList = Type.Object({ customers: Type.Array(CustomerView) });

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
const ContractRates = strictObject({
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

export const ContractContactsPatchBody = Type.Object(
  { authorizedContacts: Type.Optional(AuthorizedContacts), escalationContacts: Type.Optional(EscalationContacts) },
  { additionalProperties: false, minProperties: 1 },
);

export const NewContractBody = strictObject({
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
    ...ContractRates,
    minProperties: 1,
    description:
      'the contract\'s own prices, replacing the policy\'s figures they name, e.g. {"hourlyCentsByRole": {"technician": 9000}}',
  }),
});

export const ContractView = Type.Object({
  id: Type.String(),
  customerId: Type.String(),
  policyId: Type.String(),
  policyVersion: Type.Optional(Type.Integer()),
  tier: Type.Optional(Type.String()),
  startsOn: CivilDate,
  endsOn: Type.Optional(CivilDate),
  invoicingFrequency: literals(INVOICING_FREQUENCIES),
  authorizedContacts: Type.Array(AuthorizedContact),
  escalationContacts: Type.Array(EscalationContact),
  emergencyResponseTarget: Type.Optional(Type.Object({ amount: Type.Integer(), unit: Type.String() })),
  rates: Type.Optional(ContractRates),
  quoteRequiredAboveMinutes: Type.Optional(Type.Integer()),
  maxPeoplePerTicket: Type.Optional(Type.Integer()),
  createdAt: Instant,
  links: Type.Object({ self: Type.String(), customer: Type.String() }),
});
export const ContractList = Type.Object({ contracts: Type.Array(ContractView) });

// A new key's body is the store's command (messages/accounts.ts) but for mailRelay: the key that may act for a mail's
// sender is made on the command line only (vigil admin keys create --mail-relay), by whoever runs the inbound process.
export const NewApiKeyBody = Type.Omit(NewApiKey, ['mailRelay']);

const apiKeyProperties = {
  id: Type.String(),
  role: literals(ROLES),
  customerId: Type.Optional(Type.String()),
  label: Type.String(),
  mailRelay: Type.Optional(Type.Boolean()),
  createdAt: Instant,
  revokedAt: Type.Optional(Instant),
  links: Type.Object({ revoke: Type.String() }),
};
export const ApiKeyView = Type.Object(apiKeyProperties);
export const ApiKeyList = Type.Object({ apiKeys: Type.Array(ApiKeyView) });
export const IssuedApiKeyView = Type.Object({
  ...apiKeyProperties,
  token: Type.String({ description: 'Authorization: Bearer <token>; shown this once, only its hash is kept' }),
});
