import { randomUUID } from 'node:crypto';
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import type { AccountStore } from '../../messages/accounts';
import { PrepaidKeyReusedError, type PrepaidLedger } from '../../db/prepaid';
import { requireRoles } from '../auth';
import { idempotencyKeyReused, notFound } from '../problems';
import { principalOf } from '../request-principal';
import { ContractIdParams } from '../schemas/admin';
import { PrepaidAccountView, PrepaidPurchaseBody, PrepaidPurchaseHeaders } from '../schemas/prepaid';
import { problemResponses } from '../schemas/problem';

export interface PrepaidRoutesDeps {
  accounts: AccountStore;
  prepaid: PrepaidLedger;
}

/** Prepaid maintenance hours of a contract: its balance for everyone concerned, purchases for admins. */
export const prepaidRoutes: FastifyPluginCallbackTypebox<PrepaidRoutesDeps> = (app, { accounts, prepaid }, done) => {
  const missing = (id: string) => notFound(`no contract ${id}`);

  app.get(
    '/contracts/:id/prepaid-hours',
    {
      schema: {
        summary: 'Prepaid hours of a contract: bought, used, balance and every movement',
        params: ContractIdParams,
        response: { 200: PrepaidAccountView, ...problemResponses(401, 404, 422, 500) },
      },
    },
    async (request) => {
      const { customerId } = principalOf(request);
      // A customer key sees its own company's contracts only; another's answers as if it did not exist.
      if (customerId !== undefined && (await accounts.getContract(request.params.id))?.customerId !== customerId)
        throw missing(request.params.id);
      const account = await prepaid.account(request.params.id);
      if (!account) throw missing(request.params.id);
      return account;
    },
  );

  app.post(
    '/contracts/:id/prepaid-hours',
    {
      onRequest: requireRoles('admin'),
      schema: {
        summary: 'Record prepaid hours bought under a contract',
        params: ContractIdParams,
        headers: PrepaidPurchaseHeaders,
        body: PrepaidPurchaseBody,
        response: { 201: PrepaidAccountView, ...problemResponses(401, 403, 404, 422, 500) },
      },
    },
    async (request, reply) => {
      const idempotencyKey = request.headers['idempotency-key'] ?? randomUUID();
      const account = await prepaid
        .buy(request.params.id, { ...request.body, idempotencyKey })
        .catch((error: unknown) => {
          throw error instanceof PrepaidKeyReusedError ? idempotencyKeyReused(idempotencyKey, 'purchase') : error;
        });
      if (!account) throw missing(request.params.id);
      return reply.status(201).send(account);
    },
  );

  done();
};
