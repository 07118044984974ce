import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import type { AccountStore, ApiKeyRecord, Contract, Customer } from '../../messages/accounts';
import { changeContractContacts, createContract } from '../../db/contact-accounts';
import type { SessionStore } from '../../db/sessions';
import type { UserStore } from '../../db/users';
import type { IdempotencyStore } from '../../db/idempotency';
import type { OneTransaction } from '../../db/transaction';
import { requireRoles } from '../auth';
import { createOnce, sendCreated } from '../idempotent-creations';
import { notFound } from '../problems';
import {
  ApiKeyIdParams,
  ApiKeyList,
  ApiKeyView,
  ContractContactsPatchBody,
  ContractIdParams,
  ContractList,
  ContractView,
  CustomerIdParams,
  CustomerList,
  CustomerView,
  IssuedApiKeyView,
  NewApiKeyBody,
  NewContractBody,
  NewCustomerBody,
  CustomerPatchBody,
} from '../schemas/admin';
import { problemResponses as problems } from '../schemas/problem';
import { IdempotencyHeaders } from '../schemas/ticket';

export interface AdminRoutesDeps {
  accounts: AccountStore;
  /** Given with `users`: the sessions a contact taken off a contract loses (db/contact-accounts.ts removeContactAccounts). */
  sessions?: SessionStore;
  /** The Idempotency-Keys of the creations, kept as the ticket actions' (api/idempotent-creations.ts). */
  idempotency: IdempotencyStore;
  /** The console's people: given, a contract's authorized contacts become accounts of its customer (db/contact-accounts.ts). */
  users?: UserStore;
  /** Saves a contract and its contacts' accounts as one transaction (db/api-stores.ts); absent, in memory, each write stands alone. */
  transaction?: OneTransaction;
}

// Every admin route answers these: no key, a key without the admin role, a server failure.
const refusals = problems(401, 403, 500);

// The links assume app.ts mounts these routes under /v1/admin.
const customerView = (customer: Customer) => ({
  ...customer,
  links: { self: `/v1/admin/customers/${customer.id}`, contracts: `/v1/admin/customers/${customer.id}/contracts` },
});
const contractView = (contract: Contract) => ({
  ...contract,
  links: { self: `/v1/admin/contracts/${contract.id}`, customer: `/v1/admin/customers/${contract.customerId}` },
});
const apiKeyView = <K extends ApiKeyRecord>(key: K) => ({
  ...key,
  links: { revoke: `/v1/admin/api-keys/${key.id}/revoke` },
});

/** Customers, contracts and API keys, for admin keys only; mount under /v1/admin. */
export const adminRoutes: FastifyPluginCallbackTypebox<AdminRoutesDeps> = (
  app,
  { accounts, users, sessions, idempotency, transaction = (work) => work() },
  done,
) => {
  // onRequest, after the app's authentication: a non-admin learns nothing, not even what a body should hold.
  app.addHook('onRequest', requireRoles('admin'));

  async function existingCustomer(id: string): Promise<Customer> {
    const customer = await accounts.getCustomer(id);
    if (!customer) throw notFound(`no customer "${id}"`);
    return customer;
  }

  app.post(
    '/customers',
    {
      schema: {
        summary: 'Add a customer',
        headers: IdempotencyHeaders,
        body: NewCustomerBody,
        response: { 201: CustomerView, ...problems(409, 422), ...refusals },
      },
    },
    async (request, reply) => {
      const created = await createOnce(idempotency, request, {
        create: async () => customerView(await accounts.createCustomer(request.body)),
      });
      return sendCreated(reply, created);
    },
  );

  app.get(
    '/customers',
    { schema: { summary: 'Every customer', response: { 200: CustomerList, ...refusals } } },
    async () => ({
      customers: (await accounts.listCustomers()).map(customerView),
    }),
  );

  app.get(
    '/customers/:id',
    {
      schema: {
        summary: 'A customer',
        params: CustomerIdParams,
        response: { 200: CustomerView, ...problems(404, 422), ...refusals },
      },
    },
    async (request) => customerView(await existingCustomer(request.params.id)),
  );

  app.patch(
    '/customers/:id',
    {
      schema: {
        summary:
          "Change a customer's name, language, time zone or invoicing identity (billing replaces the whole of it; timeZone null: the desk's)",
        params: CustomerIdParams,
        body: CustomerPatchBody,
        response: { 200: CustomerView, ...problems(404, 422), ...refusals },
      },
    },
    async (request) => {
      const customer = await accounts.updateCustomer(request.params.id, request.body);
      if (!customer) throw notFound(`no customer "${request.params.id}"`);
      return customerView(customer);
    },
  );

  app.post(
    '/customers/:id/contracts',
    {
      schema: {
        summary:
          "Add a contract: its policy, dates, tier, invoicing and contacts; each authorized contact gets an account among the customer's contacts",
        params: CustomerIdParams,
        headers: IdempotencyHeaders,
        body: NewContractBody,
        response: { 201: ContractView, ...problems(404, 409, 422), ...refusals },
      },
    },
    async (request, reply) => {
      const created = await createOnce(idempotency, request, {
        create: async () => {
          const { id: customerId } = await existingCustomer(request.params.id);
          const { contract } = await createContract({ accounts, users, transaction }, { ...request.body, customerId });
          return contractView(contract);
        },
      });
      return sendCreated(reply, created);
    },
  );

  app.patch(
    '/contracts/:id',
    {
      schema: {
        summary:
          "Replace a contract's authorized or escalation contacts (its prices and terms never change); new authorized contacts get accounts as when it was added, and one no other contract of the customer names loses theirs (disabled, signed out, their history kept)",
        params: ContractIdParams,
        body: ContractContactsPatchBody,
        response: { 200: ContractView, ...problems(404, 409, 422), ...refusals },
      },
    },
    async (request) => {
      const changed = await changeContractContacts(
        { accounts, users, sessions, transaction },
        request.params.id,
        request.body,
      );
      if (!changed) throw notFound(`no contract ${request.params.id}`);
      return contractView(changed.contract);
    },
  );

  app.get(
    '/customers/:id/contracts',
    {
      schema: {
        summary: "A customer's contracts, oldest first",
        params: CustomerIdParams,
        response: { 200: ContractList, ...problems(404, 422), ...refusals },
      },
    },
    async (request) => {
      const { id } = await existingCustomer(request.params.id);
      return { contracts: (await accounts.listContracts(id)).map(contractView) };
    },
  );

  app.get(
    '/contracts/:id',
    {
      schema: {
        summary: 'A contract',
        params: ContractIdParams,
        response: { 200: ContractView, ...problems(404, 422), ...refusals },
      },
    },
    async (request) => {
      const contract = await accounts.getContract(request.params.id);
      if (!contract) throw notFound(`no contract ${request.params.id}`);
      return contractView(contract);
    },
  );

  app.post(
    '/api-keys',
    {
      schema: {
        summary: 'Issue an API key; the answer holds its token, which is never shown again',
        headers: IdempotencyHeaders,
        body: NewApiKeyBody,
        response: { 201: IssuedApiKeyView, ...problems(422), ...refusals },
      },
    },
    async (request, reply) => {
      const created = await createOnce(idempotency, request, {
        create: async () => apiKeyView(await accounts.createApiKey(request.body)),
        secret: 'token',
      });
      return sendCreated(reply.header('cache-control', 'no-store'), created);
    },
  );

  app.get(
    '/api-keys',
    {
      schema: {
        summary: 'Every API key, revoked ones included (never their tokens)',
        response: { 200: ApiKeyList, ...refusals },
      },
    },
    async () => ({
      apiKeys: (await accounts.listApiKeys()).map(apiKeyView),
    }),
  );

  app.post(
    '/api-keys/:id/revoke',
    {
      schema: {
        summary: 'Revoke an API key at once; revoking it again changes nothing',
        params: ApiKeyIdParams,
        response: { 200: ApiKeyView, ...problems(404, 422), ...refusals },
      },
    },
    async (request) => {
      const key = await accounts.revokeApiKey(request.params.id);
      if (!key) throw notFound(`no API key ${request.params.id}`);
      return apiKeyView(key);
    },
  );

  done();
};
