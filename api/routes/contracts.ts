import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import { DateTime } from 'luxon';
import type { AccountStore, Contract } from '../../messages/accounts';
import { DESK_ZONE } from '../../messages/desk-zone';
import { customerScope, customerScopeOrRecord } from '../customer-scope';
import { namedContract, openableContacts } from '../opening-terms';
import { invalidField } from '../problems';
import { principalOf } from '../request-principal';
import {
  ContactListQuery,
  ContractListQuery,
  ContractsInForce,
  CustomerNames,
  CustomerNamesQuery,
  OpenableContacts,
} from '../schemas/contracts';
import { problemResponses as problems } from '../schemas/problem';

export interface ContractRoutesDeps {
  accounts: AccountStore;
  now?: () => number;
}

const inForceView = (contract: Contract) => ({
  id: contract.id,
  customerId: contract.customerId,
  policyId: contract.policyId,
  ...(contract.policyVersion === undefined ? {} : { policyVersion: contract.policyVersion }),
  ...(contract.tier === undefined ? {} : { tier: contract.tier }),
  startsOn: contract.startsOn,
  ...(contract.endsOn === undefined ? {} : { endsOn: contract.endsOn }),
  invoicingFrequency: contract.invoicingFrequency,
  links: { prepaidHours: `/v1/contracts/${contract.id}/prepaid-hours` },
});

/**
 * The contracts in force today, so that a customer can find its own (and the id its prepaid hours are kept under,
 * GET /v1/contracts/:id/prepaid-hours) without an admin key. A customer is held to its own company (another's is
 * 403, as every list is: api/customer-scope.ts); staff see every customer's, or one's. The same for customers' names.
 */
export const contractRoutes: FastifyPluginCallbackTypebox<ContractRoutesDeps> = (
  app,
  { accounts, now = Date.now },
  done,
) => {
  const today = () => DateTime.fromMillis(now(), { zone: DESK_ZONE }).toISODate()!;

  app.get(
    '/contacts',
    {
      schema: {
        summary:
          "The contacts of the customer's contracts in force, or of the one contractId names (a customer: its own company's; staff: the customer named, or the contract's)",
        querystring: ContactListQuery,
        response: { 200: OpenableContacts, ...problems(401, 403, 422, 500) },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const { contractId } = request.query;
      // Staff naming a contract alone: its customer's (customerScopeOrRecord); a customer's key is held to its own.
      const customerId = await customerScopeOrRecord(principal, request.query.customer, async () => {
        if (contractId === undefined) return undefined;
        const contract = await accounts.getContract(contractId);
        if (!contract) throw invalidField('querystring.contractId', `names no known contract: ${contractId}`);
        return contract.customerId;
      });
      if (customerId === undefined)
        throw invalidField('querystring.customer', 'is required from staff, unless contractId names the contract');
      const on = today();
      const inForce = await accounts.contractsInForce(customerId, on);
      // Named, the contract narrows the list to whom opening under it accepts (api/opening-terms.ts checkContact).
      const contracts =
        contractId === undefined
          ? inForce
          : [namedContract(customerId, inForce, contractId, on, 'querystring.contractId')];
      return { contacts: openableContacts(principal.role === 'customer' ? principal.person : undefined, contracts) };
    },
  );

  app.get(
    '/contracts',
    {
      schema: {
        summary: 'Contracts in force today, all or of one customer (a customer: its own)',
        querystring: ContractListQuery,
        response: { 200: ContractsInForce, ...problems(401, 403, 422, 500) },
      },
    },
    async (request) => {
      const on = today();
      const customerId = customerScope(principalOf(request), request.query.customer);
      const customers =
        customerId === undefined
          ? (await accounts.listCustomers()).map((customer) => customer.id).sort()
          : [customerId];
      const contracts = (await Promise.all(customers.map((id) => accounts.contractsInForce(id, on)))).flat();
      return { on, contracts: contracts.map(inForceView) };
    },
  );

  // The admin's GET /v1/admin/customers holds a customer's invoicing identity too: this is the name alone, for the
  // console's board (api/web/board.ts), which shows each ticket's customer by it, one call a page.
  app.get(
    '/customers',
    {
      schema: {
        summary: "Customers' names by id, all or one (a customer: its own)",
        querystring: CustomerNamesQuery,
        response: { 200: CustomerNames, ...problems(401, 403, 422, 500) },
      },
    },
    async (request) => {
      const customerId = customerScope(principalOf(request), request.query.customer);
      const customers =
        customerId === undefined
          ? await accounts.listCustomers()
          : [await accounts.getCustomer(customerId)].filter((customer) => customer !== undefined);
      return {
        customers: customers
          .map(({ id, name }) => ({ id, name }))
          .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
      };
    },
  );
  done();
};
