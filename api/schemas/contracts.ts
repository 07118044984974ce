import { Type } from '@sinclair/typebox';
import { literals } from '../../messages/schema-parts';
import { INVOICING_FREQUENCIES } from '../../messages/accounts';
import { Contact } from '../../messages/open-ticket';
import { ContractId } from './admin';
import { Line } from './text';

const CivilDate = Type.String({ format: 'date', description: 'civil date YYYY-MM-DD' });

export const ContractListQuery = Type.Object(
  {
    customer: Type.Optional(
      Line(100, { description: "staff: one customer's contracts; a customer is held to its own company" }),
    ),
  },
  { additionalProperties: false },
);

export const ContactListQuery = Type.Object(
  {
    ...ContractListQuery.properties,
    contractId: Type.Optional(
      Type.String({
        pattern: ContractId.pattern,
        description:
          "only this contract's contacts (one of the customer's in force; another's is refused as an unknown one); staff naming it need not name the customer, the contract's own",
      }),
    ),
  },
  { additionalProperties: false },
);

/** What a customer may know of its own contracts: the terms it works under, not the admin's record (contacts, prices). */
export const ContractInForce = Type.Object({
  id: Type.String(),
  customerId: Type.String(),
  policyId: Type.String(),
  policyVersion: Type.Optional(
    Type.Integer({ description: 'the policy version the contract pins; absent: the version in force' }),
  ),
  tier: Type.Optional(Type.String()),
  startsOn: CivilDate,
  endsOn: Type.Optional(CivilDate),
  invoicingFrequency: literals(INVOICING_FREQUENCIES),
  links: Type.Object({ prepaidHours: Type.String() }),
});

export const ContractsInForce = Type.Object({
  on: Type.String({ format: 'date', description: 'the day (Europe/Luxembourg) the contracts are in force' }),
  contracts: Type.Array(ContractInForce, { description: 'by customer id' }),
});

export const OpenableContacts = Type.Object({
  contacts: Type.Array(Contact, {
    description:
      "the person signed in first when the caller is a customer's contact, then the authorized contacts of the customer's contracts in force (only the one contractId names, when given), each address once. Opening holds only a customer's contact signed in to it, for the contract the ticket opens under (with contractId, exactly this list); API keys and staff may name any contact",
  }),
});

export const CustomerNamesQuery = Type.Object(
  {
    customer: Type.Optional(
      Line(100, { description: "staff: that customer's name alone; a customer is held to its own company" }),
    ),
  },
  { additionalProperties: false },
);

/** What anyone who reads tickets may know of a customer: the name its id stands for, nothing of its terms or books. */
export const CustomerNames = Type.Object({
  customers: Type.Array(Type.Object({ id: Type.String(), name: Type.String() }), {
    description: 'by id: every customer for staff, or the one named; a customer, its own company',
  }),
});
