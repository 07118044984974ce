import { createHash, randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { AccountError, type AccountStore } from '../../messages/accounts';
import { pgAccountStore } from '../../db/accounts';
import { migratedPool } from '../support/e2e/stack';

// The account store on the real PostgreSQL; customer ids are made unique so that other test files can share the database.
describe('the PostgreSQL account store', () => {
  let db: Pool;
  let accounts: AccountStore;
  const run = randomUUID().slice(0, 8);
  const customerId = (name: string) => `${name}-${run}`;

  beforeAll(async () => {
    db = await migratedPool();
    accounts = pgAccountStore(db);
  });

  afterAll(async () => {
    await db?.end();
  });

  const refusal = (code: string, field: string) => expect.objectContaining({ name: 'AccountError', code, field });

  describe('customers', () => {
    it('creates a customer, reads it back and lists it', async () => {
      const id = customerId('acme');
      const created = await accounts.createCustomer({ id, name: ' Acme SA ', language: 'fr' });
      expect(created).toEqual({
        id,
        name: 'Acme SA',
        language: 'fr',
        createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T.*Z$/),
      });
      expect(await accounts.getCustomer(id)).toEqual(created);
      expect(await accounts.listCustomers()).toContainEqual(created);
      expect(await accounts.getCustomer(customerId('nobody'))).toBeUndefined();
    });

    it('writes English when no language is given', async () => {
      expect((await accounts.createCustomer({ id: customerId('plain'), name: 'Plain' })).language).toBe('en');
    });

    it('refuses a second customer with the same id, keeping the first', async () => {
      const id = customerId('twice');
      await accounts.createCustomer({ id, name: 'First' });
      const second = accounts.createCustomer({ id, name: 'Second' });
      await expect(second).rejects.toBeInstanceOf(AccountError);
      await expect(second).rejects.toEqual(refusal('CUSTOMER_EXISTS', 'id'));
      expect((await accounts.getCustomer(id))?.name).toBe('First');
    });

    it.each([
      [{ id: 'Acme', name: 'Acme' }, 'id'],
      [{ id: '-acme', name: 'Acme' }, 'id'],
      [{ id: customerId('blank'), name: '   ' }, 'name'],
      [{ id: customerId('lang'), name: 'Acme', language: 'es' as never }, 'language'],
    ])('refuses %j naming the field', async (customer, field) => {
      await expect(accounts.createCustomer(customer)).rejects.toEqual(refusal('INVALID_FIELD', field));
    });
  });

  describe('contracts', () => {
    const customer = customerId('contracts');

    beforeAll(async () => {
      await accounts.createCustomer({ id: customer, name: 'Contracts SA' });
    });

    it('keeps the policy, tier, dates, invoicing and contacts, with the id as a string', async () => {
      const contract = {
        customerId: customer,
        policyId: 'care-solutions',
        policyVersion: 1,
        tier: 'Gold',
        startsOn: '2026-01-01',
        endsOn: '2026-12-31',
        invoicingFrequency: 'monthly' as const,
        authorizedContacts: [
          { name: 'Ana Lopes', email: 'ana@acme.lu', outOfHours: true },
          { name: 'Bo Weber', email: 'bo@acme.lu' },
        ],
        escalationContacts: [{ level: 'customer-service-manager', name: 'Cleo Marx', email: 'cleo@acme.lu' }],
      };
      const created = await accounts.createContract(contract);
      expect(created).toEqual({ ...contract, id: expect.stringMatching(/^[1-9]\d*$/), createdAt: expect.any(String) });
      expect(await accounts.getContract(created.id)).toEqual(created);
      expect(await accounts.listContracts(customer)).toContainEqual(created);
    });

    it('leaves the version unpinned, invoices quarterly and names no contacts unless told', async () => {
      const created = await accounts.createContract({
        customerId: customer,
        policyId: 'econnect',
        startsOn: '2027-01-01',
      });
      expect(created).toMatchObject({
        invoicingFrequency: 'quarterly',
        authorizedContacts: [],
        escalationContacts: [],
      });
      expect([created.policyVersion, created.endsOn, created.tier]).toEqual([undefined, undefined, undefined]);
    });

    it('finds no contract for an id that is not one', async () => {
      expect(await accounts.getContract('999999999999')).toBeUndefined();
      expect(await accounts.getContract('not-a-number')).toBeUndefined();
    });

    it.each([
      [{ customerId: 'nobody-here', policyId: 'econnect', startsOn: '2026-01-01' }, 'CUSTOMER_UNKNOWN', 'customerId'],
      [{ policyId: 'nope', startsOn: '2026-01-01' }, 'POLICY_UNKNOWN', 'policyId'],
      [{ policyId: 'econnect', policyVersion: 9, startsOn: '2026-01-01' }, 'POLICY_VERSION_UNKNOWN', 'policyVersion'],
      [{ policyId: 'econnect', startsOn: '2026-02-30' }, 'CONTRACT_DATES', 'startsOn'],
      [{ policyId: 'econnect', startsOn: '1/1/2026' }, 'CONTRACT_DATES', 'startsOn'],
      [{ policyId: 'econnect', startsOn: '2026-06-01', endsOn: '2026-05-31' }, 'CONTRACT_DATES', 'endsOn'],
      // e-connect's terms take effect on 2021-01-01: an unpinned contract has no terms before.
      [{ policyId: 'econnect', startsOn: '2020-12-31' }, 'CONTRACT_DATES', 'startsOn'],
      [
        { policyId: 'econnect', startsOn: '2026-01-01', invoicingFrequency: 'yearly' as never },
        'INVALID_FIELD',
        'invoicingFrequency',
      ],
      [
        {
          policyId: 'econnect',
          startsOn: '2026-01-01',
          authorizedContacts: [
            { name: 'Ana', email: 'ana@acme.lu' },
            { name: 'Bo', email: 'bo.acme.lu' },
          ],
        },
        'INVALID_FIELD',
        'authorizedContacts.1.email',
      ],
      [
        {
          policyId: 'econnect',
          startsOn: '2026-01-01',
          authorizedContacts: [
            { name: 'Ana', email: 'ana@acme.lu' },
            { name: 'Ana L', email: 'ANA@acme.lu' },
          ],
        },
        'INVALID_FIELD',
        'authorizedContacts.1.email',
      ],
      [
        {
          policyId: 'econnect',
          startsOn: '2026-01-01',
          escalationContacts: [{ level: 'desk-manager', name: 'Dan', email: 'dan@acme.lu' }],
        },
        'INVALID_FIELD',
        'escalationContacts.0.level',
      ],
    ])('refuses %j with %s on %s, and writes nothing', async (contract, code, field) => {
      const before = await accounts.listContracts(customer);
      await expect(accounts.createContract({ customerId: customer, ...contract })).rejects.toEqual(
        refusal(code, field),
      );
      expect(await accounts.listContracts(customer)).toEqual(before);
    });

    it('tells the contracts in force on a date, both ends included', async () => {
      const id = customerId('in-force');
      await accounts.createCustomer({ id, name: 'In Force' });
      const first = await accounts.createContract({
        customerId: id,
        policyId: 'econnect',
        startsOn: '2026-01-01',
        endsOn: '2026-06-30',
      });
      const second = await accounts.createContract({ customerId: id, policyId: 'esker', startsOn: '2026-07-01' });
      const inForce = async (date: string) =>
        (await accounts.contractsInForce(id, date)).map((contract) => contract.id);
      expect(await inForce('2025-12-31')).toEqual([]);
      expect(await inForce('2026-01-01')).toEqual([first.id]);
      expect(await inForce('2026-06-30')).toEqual([first.id]);
      expect(await inForce('2026-07-01')).toEqual([second.id]);
      expect(await inForce('2040-01-01')).toEqual([second.id]);
      await expect(accounts.contractsInForce(id, '2026-13-01')).rejects.toEqual(refusal('CONTRACT_DATES', 'onDate'));
    });
  });

  describe('API keys', () => {
    const customer = customerId('keys');

    beforeAll(async () => {
      await accounts.createCustomer({ id: customer, name: 'Keys SA' });
    });

    it('issues a vgl_<id>_<secret> token that authenticates as its principal', async () => {
      const issued = await accounts.createApiKey({ role: 'customer', customerId: customer, label: 'portal' });
      expect(issued.token).toMatch(new RegExp(`^vgl_${issued.id}_[A-Za-z0-9_-]{43}$`));
      expect(issued).toMatchObject({ role: 'customer', customerId: customer, label: 'portal' });
      expect(await accounts.authenticate(issued.token)).toEqual({
        keyId: issued.id,
        role: 'customer',
        customerId: customer,
        label: 'portal',
      });

      const agent = await accounts.createApiKey({ role: 'agent', label: 'desk' });
      expect(await accounts.authenticate(agent.token)).toEqual({ keyId: agent.id, role: 'agent', label: 'desk' });
    });

    it('keeps only the SHA-256 of the secret, never the token', async () => {
      const issued = await accounts.createApiKey({ role: 'admin', label: 'hash check' });
      const secret = issued.token.slice(`vgl_${issued.id}_`.length);
      const { rows } = await db.query<Record<string, unknown>>('SELECT * FROM api_keys WHERE id = $1', [issued.id]);
      const stored = JSON.stringify(rows[0]);
      expect(stored).not.toContain(secret);
      expect(stored).not.toContain(issued.token);
      expect(rows[0]?.secret_hash).toBe(createHash('sha256').update(secret).digest('hex'));
      expect(await accounts.listApiKeys()).toContainEqual(
        expect.objectContaining({ id: issued.id, role: 'admin', label: 'hash check' }),
      );
      expect(JSON.stringify(await accounts.listApiKeys())).not.toContain(secret);
    });

    it('refuses unknown, malformed and tampered tokens', async () => {
      const issued = await accounts.createApiKey({ role: 'agent', label: 'tamper' });
      const secret = issued.token.slice(`vgl_${issued.id}_`.length);
      const flipped = `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`;
      expect(await accounts.authenticate(`vgl_${issued.id}_${flipped}`)).toBeUndefined();
      expect(await accounts.authenticate(`vgl_000000000000_${secret}`)).toBeUndefined();
      expect(await accounts.authenticate(issued.token.slice(0, -1))).toBeUndefined();
      expect(await accounts.authenticate(secret)).toBeUndefined();
      expect(await accounts.authenticate('')).toBeUndefined();
    });

    it('refuses a revoked key at once; revoking again keeps the first instant', async () => {
      const issued = await accounts.createApiKey({ role: 'manager', label: 'leaver' });
      const revoked = await accounts.revokeApiKey(issued.id);
      expect(revoked).toMatchObject({ id: issued.id, revokedAt: expect.any(String) });
      expect(await accounts.authenticate(issued.token)).toBeUndefined();
      expect(await accounts.revokeApiKey(issued.id)).toEqual(revoked);
      expect(await accounts.revokeApiKey('000000000000')).toBeUndefined();
    });

    it.each([
      [{ role: 'customer' as const, label: 'no company' }, 'KEY_CUSTOMER_MISMATCH', 'customerId'],
      [{ role: 'agent' as const, label: 'agent of one', customerId: 'acme' }, 'KEY_CUSTOMER_MISMATCH', 'customerId'],
      [{ role: 'customer' as const, label: 'ghost', customerId: 'nobody-here' }, 'CUSTOMER_UNKNOWN', 'customerId'],
      [{ role: 'root' as never, label: 'root' }, 'INVALID_FIELD', 'role'],
      [{ role: 'agent' as const, label: ' ' }, 'INVALID_FIELD', 'label'],
    ])('refuses %j with %s', async (key, code, field) => {
      await expect(accounts.createApiKey(key)).rejects.toEqual(refusal(code, field));
    });
  });
});
