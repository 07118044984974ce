import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import type { Pool } from 'pg';
import { buildApp } from '../../api/app';
import type { AccountStore } from '../../messages/accounts';
import { pgAccountStore } from '../../db/accounts';
import { pgIdempotencyStore } from '../../db/idempotency';
import { prepaidLedger } from '../../db/prepaid';
import { ticketNumberAllocator } from '../../db/ticket-numbers';
import { pgTicketSnapshots } from '../../db/ticket-snapshots';
import { migratedPool } from '../support/e2e/stack';

/**
 * The /v1/admin routes on a real socket over the real account store (app.inject cannot load light-my-request's
 * ESM-only `cookie` under Jest on Node 20). No admin route reaches Temporal: a client that never connects will do.
 */
describe('the admin API', () => {
  let db: Pool;
  let accounts: AccountStore;
  let app: FastifyInstance;
  let baseUrl: string;
  const tokens: Record<'admin' | 'agent' | 'manager' | 'customer', string> = {
    admin: '',
    agent: '',
    manager: '',
    customer: '',
  };
  const run = randomUUID().slice(0, 8);
  const acme = `acme-${run}`;

  beforeAll(async () => {
    db = await migratedPool();
    accounts = pgAccountStore(db);
    const temporal = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
    app = buildApp({
      temporal,
      allocateTicketNumber: ticketNumberAllocator(db),
      accounts,
      idempotency: pgIdempotencyStore(db),
      snapshots: pgTicketSnapshots(db),
      prepaid: prepaidLedger(db),
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/v1/admin`;
    // The first admin key comes from the store, as `vigil admin keys create` makes it.
    tokens.admin = (await accounts.createApiKey({ role: 'admin', label: 'e2e admin' })).token;
    tokens.agent = (await accounts.createApiKey({ role: 'agent', label: 'e2e agent' })).token;
    tokens.manager = (await accounts.createApiKey({ role: 'manager', label: 'e2e manager' })).token;
    await accounts.createCustomer({ id: acme, name: 'Acme SA' });
    tokens.customer = (
      await accounts.createApiKey({ role: 'customer', customerId: acme, label: 'e2e customer' })
    ).token;
  });

  afterAll(async () => {
    await app?.close();
    await db?.end();
  });

  /** `token` null sends no Authorization header. */
  async function call(method: 'GET' | 'POST', url: string, body?: unknown, token: string | null = tokens.admin) {
    const response = await fetch(`${baseUrl}${url}`, {
      method,
      headers: {
        ...(token === null ? {} : { authorization: `Bearer ${token}` }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const raw = await response.text();
    return {
      status: response.status,
      headers: Object.fromEntries(response.headers),
      raw,
      body: JSON.parse(raw) as Record<string, any>,
    };
  }

  const problem = (status: number, slug: string, field?: string) => ({
    status,
    headers: expect.objectContaining({ 'content-type': expect.stringMatching(/^application\/problem\+json/) }),
    body: expect.objectContaining({
      type: `https://vigil.dev/problems/${slug}`,
      status,
      ...(field
        ? {
            errors: expect.arrayContaining([expect.objectContaining({ field })]),
            detail: expect.stringContaining(field),
          }
        : {}),
    }),
  });

  describe('who may call it', () => {
    const routes: ReadonlyArray<readonly ['GET' | 'POST', string]> = [
      ['GET', '/customers'],
      ['POST', '/customers'],
      ['GET', '/customers/acme'],
      ['POST', '/customers/acme/contracts'],
      ['GET', '/customers/acme/contracts'],
      ['GET', '/contracts/1'],
      ['GET', '/api-keys'],
      ['POST', '/api-keys'],
      ['POST', '/api-keys/abc/revoke'],
    ];

    it.each(routes)('%s %s answers 401 without a key, with a challenge', async (method, url) => {
      const answer = await call(method, url, method === 'POST' ? {} : undefined, null);
      expect(answer).toMatchObject(problem(401, 'unauthorized'));
      expect(answer.headers['www-authenticate']).toBe('Bearer realm="vigil"');
    });

    it.each(routes)('%s %s answers 403 to agent, manager and customer keys, and does nothing', async (method, url) => {
      for (const role of ['agent', 'manager', 'customer'] as const) {
        const answer = await call(
          method,
          url,
          method === 'POST' ? { id: `denied-${run}`, name: 'Denied', role: 'admin', label: 'escalated' } : undefined,
          tokens[role],
        );
        expect(answer).toMatchObject(problem(403, 'forbidden'));
        expect(answer.body.detail).toContain('admin');
      }
      expect(await accounts.getCustomer(`denied-${run}`)).toBeUndefined();
      expect((await accounts.listApiKeys()).filter(({ label }) => label === 'escalated')).toEqual([]);
    });

    it('answers 401 to an unknown token', async () => {
      const answer = await call(
        'GET',
        '/customers',
        undefined,
        'vgl_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      );
      expect(answer).toMatchObject(problem(401, 'unauthorized'));
    });
  });

  describe('customers', () => {
    it('adds a customer, shows it and lists it', async () => {
      const id = `globex-${run}`;
      const created = await call('POST', '/customers', { id, name: 'Globex Sàrl', language: 'de' });
      expect(created.status).toBe(201);
      expect(created.headers.location).toBe(`/v1/admin/customers/${id}`);
      expect(created.body).toEqual({
        id,
        name: 'Globex Sàrl',
        language: 'de',
        createdAt: expect.any(String),
        links: { self: `/v1/admin/customers/${id}`, contracts: `/v1/admin/customers/${id}/contracts` },
      });
      expect(await call('GET', `/customers/${id}`)).toMatchObject({ status: 200, body: created.body });
      expect((await call('GET', '/customers')).body.customers).toContainEqual(created.body);
    });

    it('answers 409 to a second customer with the same id', async () => {
      expect(await call('POST', '/customers', { id: acme, name: 'Acme again' })).toMatchObject(
        problem(409, 'customer-exists', 'body.id'),
      );
      expect((await accounts.getCustomer(acme))?.name).toBe('Acme SA');
    });

    it.each([
      [{ id: 'Acme', name: 'Acme' }, 'body.id'],
      [{ id: `x-${run}` }, 'body.name'],
      [{ id: `x-${run}`, name: 'X', language: 'es' }, 'body.language'],
    ])('answers 422 to %j naming %s', async (body, field) => {
      expect(await call('POST', '/customers', body)).toMatchObject(problem(422, 'invalid-request', field));
    });

    it('answers 404 for an unknown customer', async () => {
      expect(await call('GET', `/customers/nobody-${run}`)).toMatchObject(problem(404, 'not-found'));
    });
  });

  describe('contracts', () => {
    const contract = {
      policyId: 'care-solutions',
      policyVersion: 1,
      tier: 'Gold',
      startsOn: '2026-01-01',
      endsOn: '2027-12-31',
      invoicingFrequency: 'monthly',
      authorizedContacts: [{ name: 'Ana Lopes', email: 'ana@acme.lu', outOfHours: true }],
      escalationContacts: [{ level: 'customer-service-manager', name: 'Cleo Marx', email: 'cleo@acme.lu' }],
    };

    it('adds a contract to a customer, shows it and lists it', async () => {
      const created = await call('POST', `/customers/${acme}/contracts`, contract);
      expect(created.status).toBe(201);
      const id = created.body.id as string;
      expect(id).toMatch(/^[1-9]\d*$/);
      expect(created.headers.location).toBe(`/v1/admin/contracts/${id}`);
      expect(created.body).toEqual({
        ...contract,
        id,
        customerId: acme,
        createdAt: expect.any(String),
        links: { self: `/v1/admin/contracts/${id}`, customer: `/v1/admin/customers/${acme}` },
      });
      expect(await call('GET', `/contracts/${id}`)).toMatchObject({ status: 200, body: created.body });
      expect((await call('GET', `/customers/${acme}/contracts`)).body.contracts).toContainEqual(created.body);
    });

    it('answers 404 for the contracts of an unknown customer, and for an unknown contract', async () => {
      expect(await call('POST', `/customers/nobody-${run}/contracts`, contract)).toMatchObject(
        problem(404, 'not-found'),
      );
      expect(await call('GET', `/customers/nobody-${run}/contracts`)).toMatchObject(problem(404, 'not-found'));
      expect(await call('GET', '/contracts/999999999999')).toMatchObject(problem(404, 'not-found'));
      expect(await call('GET', '/contracts/abc')).toMatchObject(problem(422, 'invalid-request', 'params.id'));
    });

    it.each([
      [{ policyId: 'nope' }, 'unknown-policy', 'body.policyId'],
      [{ policyVersion: 7 }, 'unknown-policy-version', 'body.policyVersion'],
      [{ endsOn: '2025-12-31' }, 'invalid-contract-dates', 'body.endsOn'],
      [{ startsOn: '2026-02-30' }, 'invalid-request', 'body.startsOn'],
      [{ invoicingFrequency: 'yearly' }, 'invalid-request', 'body.invoicingFrequency'],
      [
        { authorizedContacts: [{ name: 'Ana', email: 'not-an-address' }] },
        'invalid-request',
        'body.authorizedContacts.0.email',
      ],
      [
        { escalationContacts: [{ level: 'ceo', name: 'Dan', email: 'dan@acme.lu' }] },
        'invalid-request',
        'body.escalationContacts.0.level',
      ],
    ])('answers 422 to %j (%s) naming %s, and adds nothing', async (change, slug, field) => {
      const before = await accounts.listContracts(acme);
      expect(await call('POST', `/customers/${acme}/contracts`, { ...contract, ...change })).toMatchObject(
        problem(422, slug, field),
      );
      expect(await accounts.listContracts(acme)).toEqual(before);
    });
  });

  describe('API keys', () => {
    it('issues a key whose token is shown once and works at once', async () => {
      const issued = await call('POST', '/api-keys', { role: 'customer', customerId: acme, label: 'portal' });
      expect(issued.status).toBe(201);
      expect(issued.headers['cache-control']).toBe('no-store');
      expect(issued.body).toEqual({
        id: expect.any(String),
        role: 'customer',
        customerId: acme,
        label: 'portal',
        createdAt: expect.any(String),
        token: expect.stringMatching(/^vgl_/),
        links: { revoke: `/v1/admin/api-keys/${issued.body.id}/revoke` },
      });
      expect(await accounts.authenticate(issued.body.token)).toMatchObject({
        keyId: issued.body.id,
        role: 'customer',
        customerId: acme,
      });

      const listed = await call('GET', '/api-keys');
      expect(listed.body.apiKeys).toContainEqual({ ...issued.body, token: undefined });
      // The secret is what follows vgl_<id>_, and base64url may itself hold underscores.
      expect(listed.raw).not.toContain(issued.body.token.split('_').slice(2).join('_'));
      expect(listed.body.apiKeys.every((key: object) => !('token' in key) && !('secretHash' in key))).toBe(true);
    });

    it('revokes a key: its token is refused from then on', async () => {
      const issued = await call('POST', '/api-keys', { role: 'admin', label: 'temporary admin' });
      expect((await call('GET', '/customers', undefined, issued.body.token)).status).toBe(200);
      const revoked = await call('POST', `/api-keys/${issued.body.id}/revoke`);
      expect(revoked).toMatchObject({ status: 200, body: { id: issued.body.id, revokedAt: expect.any(String) } });
      expect(revoked.body).not.toHaveProperty('token');
      const refused = await call('GET', '/customers', undefined, issued.body.token);
      expect(refused).toMatchObject(problem(401, 'unauthorized'));
      expect(refused.headers['www-authenticate']).toContain('invalid_token');
    });

    it('answers 404 when revoking an unknown key', async () => {
      expect(await call('POST', '/api-keys/000000000000/revoke')).toMatchObject(problem(404, 'not-found'));
    });

    it.each([
      [{ role: 'customer', label: 'no company' }, 'key-customer-mismatch', 'body.customerId'],
      [{ role: 'agent', label: 'agent of one', customerId: acme }, 'key-customer-mismatch', 'body.customerId'],
      [{ role: 'customer', label: 'ghost', customerId: `nobody-${run}` }, 'unknown-customer', 'body.customerId'],
      [{ role: 'root', label: 'root' }, 'invalid-request', 'body.role'],
      [{ role: 'agent' }, 'invalid-request', 'body.label'],
    ])('answers 422 to %j (%s) naming %s', async (body, slug, field) => {
      expect(await call('POST', '/api-keys', body)).toMatchObject(problem(422, slug, field));
    });
  });

  describe('prepaid hours of a contract', () => {
    let contractId: string;
    let globexToken: string;
    const prepaid = (
      method: 'GET' | 'POST',
      id: string,
      body?: unknown,
      token: string | null = tokens.admin,
      key?: string,
    ) =>
      fetch(`${baseUrl.replace(/\/admin$/, '')}/contracts/${id}/prepaid-hours`, {
        method,
        headers: {
          ...(token === null ? {} : { authorization: `Bearer ${token}` }),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(key ? { 'idempotency-key': key } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      }).then(async (response) => ({ status: response.status, body: (await response.json()) as Record<string, any> }));

    beforeAll(async () => {
      contractId = (
        await accounts.createContract({ customerId: acme, policyId: 'econnect-maintenance', startsOn: '2026-01-01' })
      ).id;
      const globex = `prepaid-globex-${run}`;
      await accounts.createCustomer({ id: globex, name: 'Globex' });
      globexToken = (await accounts.createApiKey({ role: 'customer', customerId: globex, label: 'globex' })).token;
    });

    it('records a purchase once per Idempotency-Key and shows the balance to staff and to the customer', async () => {
      const purchase = { minutes: 2400, description: '40 h for 2026' };
      expect(await prepaid('POST', contractId, purchase, tokens.admin, `order-${run}`)).toMatchObject({
        status: 201,
        body: { contractId, boughtMinutes: 2400, balanceMinutes: 2400 },
      });
      expect(await prepaid('POST', contractId, purchase, tokens.admin, `order-${run}`)).toMatchObject({
        status: 201,
        body: { boughtMinutes: 2400 },
      });
      expect(
        await prepaid('POST', contractId, { ...purchase, minutes: 60 }, tokens.admin, `order-${run}`),
      ).toMatchObject({ status: 422, body: { type: 'https://vigil.dev/problems/idempotency-key-reused' } });
      for (const token of [tokens.agent, tokens.manager, tokens.customer]) {
        expect(await prepaid('GET', contractId, undefined, token)).toMatchObject({
          status: 200,
          body: {
            balanceMinutes: 2400,
            movements: [{ minutes: 2400, ticketNumber: null, description: '40 h for 2026' }],
          },
        });
      }
    });

    it("refuses purchases by anyone but an admin, hides other companies' contracts, and names bad fields", async () => {
      expect((await prepaid('POST', contractId, { minutes: 60, description: 'x' }, tokens.agent)).status).toBe(403);
      expect((await prepaid('GET', contractId, undefined, null)).status).toBe(401);
      expect((await prepaid('GET', contractId, undefined, globexToken)).status).toBe(404);
      expect((await prepaid('GET', '999999999', undefined)).status).toBe(404);
      expect((await prepaid('POST', '999999999', { minutes: 60, description: 'x' })).status).toBe(404);
      const refused = await prepaid('POST', contractId, { minutes: 0, description: 'x' });
      expect(refused).toMatchObject({ status: 422, body: { detail: expect.stringContaining('minutes') } });
    });
  });
});
