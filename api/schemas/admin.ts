import { Type } from '@sinclair/typebox';
import {
  AuthorizedContact,
  CivilDate,
  ContractContactsPatch,
  ContractRatesSchema,
  CustomerBillingSchema,
  CustomerId,
  CustomerPatch,
  EscalationContact,
  INVOICING_FREQUENCIES,
  LANGUAGES,
  NewApiKey,
  NewContract,
  NewCustomer,
} from '../../messages/accounts';
import { ROLES } from '../../messages/principal';
import { literals } from '../../messages/schema-parts';

// The bodies are the store's commands, defined once beside its types (messages/accounts.ts).
export { CustomerPatch as CustomerPatchBody, NewContract as NewContractBody, NewCustomer as NewCustomerBody };
export { ContractContactsPatch as ContractContactsPatchBody };

const Instant = Type.String({ format: 'date-time', description: 'ISO-8601 instant with offset' });

export const CustomerIdParams = Type.Object({ id: CustomerId });
export const ContractId = Type.String({ pattern: '^[1-9][0-9]{0,17}$', description: 'contract id, e.g. 42' });
export const ContractIdParams = Type.Object({ id: ContractId });
export const ApiKeyIdParams = Type.Object({
  id: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', description: 'the public id of an API key' }),
});

export const CustomerView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  language: literals(LANGUAGES),
  billing: Type.Optional(CustomerBillingSchema),
  timeZone: Type.Optional(Type.String()),
  createdAt: Instant,
  links: Type.Object({ self: Type.String(), contracts: Type.String() }),
});
export const CustomerList = Type.Object({ customers: Type.Array(CustomerView) });

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
  rates: Type.Optional(ContractRatesSchema),
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
