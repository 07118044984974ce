import { randomUUID } from 'node:crypto';
import { pgUserStore } from '../../db/users';
import { contractsStartOn, startStack, type Stack } from '../support/e2e/stack';

jest.setTimeout(180_000);

// Contracts' contacts as accounts (db/contact-accounts.ts) and the people routes, on PostgreSQL: its unique index on
// the address whatever its case, its insert that skips an address already taken, its CHECK on a contact's company.
describe("contacts as accounts and the admin's people routes, on PostgreSQL", () => {
  let stack: Stack;
  const unique = randomUUID().slice(0, 8);
  const customerId = `contacts-${unique}`;
  const dora = `dora.${unique}@contacts.test`;
  const emil = `emil.${unique}@contacts.test`;
  const admin = (method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown) =>
    fetch(`${stack.baseUrl}${path}`, {
      method,
      headers: { ...stack.auth('admin'), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    }).then(async (response) => ({ status: response.status, body: (await response.json()) as Record<string, any> }));
  const accountsOf = async (email: string) =>
    (
      await stack.db.query(
        'SELECT id::text, email, name, role, customer_id, password_hash FROM users WHERE lower(email) = lower($1)',
        [email],
      )
    ).rows;

  beforeAll(async () => {
    stack = await startStack('contact-accounts');
    await stack.accounts.createCustomer({ id: customerId, name: 'Contacts SA', language: 'fr' });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it("makes each authorized contact an account of the customer's contacts, once however often the contract is saved", async () => {
    const contract = {
      policyId: 'econnect',
      startsOn: contractsStartOn(),
      authorizedContacts: [{ name: 'Dora Diaz', email: dora, outOfHours: true }],
    };
    const saved = await admin('POST', `/admin/customers/${customerId}/contracts`, contract);
    expect(saved.status).toBe(201);
    expect(await accountsOf(dora)).toEqual([
      {
        id: expect.any(String),
        email: dora,
        name: 'Dora Diaz',
        role: 'customer',
        customer_id: customerId,
        password_hash: null,
      },
    ]);

    const again = await admin('PATCH', `/admin/contracts/${saved.body.id as string}`, {
      authorizedContacts: [
        { name: 'Dora D.', email: dora.toUpperCase() },
        { name: 'Emil Eck', email: emil },
      ],
    });
    expect([again.status, again.body.authorizedContacts.length]).toEqual([200, 2]);
    await admin('POST', `/admin/customers/${customerId}/contracts`, contract);
    expect(await accountsOf(dora)).toHaveLength(1);
    expect((await accountsOf(dora))[0].name).toBe('Dora Diaz');
    expect(await accountsOf(emil)).toEqual([expect.objectContaining({ role: 'customer', customer_id: customerId })]);
    const listed = await admin('GET', `/admin/users?customer=${customerId}`);
    expect(listed.body.users.map(({ email }: { email: string }) => email)).toEqual([dora, emil]);
  });

  it("refuses a contact whose address is the desk's, naming the field, and saves nothing", async () => {
    const ines = `ines.${unique}@desk.test`;
    await pgUserStore(stack.db).create({ email: ines, name: 'Ines Agent', role: 'agent' });
    const before = await stack.accounts.listContracts(customerId);
    const refused = await admin('POST', `/admin/customers/${customerId}/contracts`, {
      policyId: 'econnect',
      startsOn: contractsStartOn(),
      authorizedContacts: [{ name: 'Ines', email: ines }],
    });
    expect([refused.status, refused.body.code, refused.body.errors[0].field]).toEqual([
      409,
      'CONTACT_ACCOUNT_TAKEN',
      'body.authorizedContacts.0.email',
    ]);
    expect(await stack.accounts.listContracts(customerId)).toEqual(before);
    expect(await accountsOf(ines)).toEqual([expect.objectContaining({ role: 'agent', customer_id: null })]);
  });

  it('changes a role and a company, disables and enables, and mails a sign-in link in the customer’s language', async () => {
    const [{ id }] = await accountsOf(emil);
    const agent = await admin('PATCH', `/admin/users/${id as string}`, { role: 'agent' });
    expect([agent.status, agent.body.role, agent.body.customerId]).toEqual([200, 'agent', undefined]);
    const refused = await admin('PATCH', `/admin/users/${id as string}`, {
      role: 'customer',
      customerId: `nobody-${unique}`,
    });
    expect([refused.status, refused.body.errors[0].field]).toEqual([422, 'body.customerId']);
    expect((await admin('PATCH', `/admin/users/${id as string}`, { role: 'customer', customerId })).body).toMatchObject(
      { role: 'customer', customerId },
    );

    expect((await admin('POST', `/admin/users/${id as string}/disable`)).body.disabledAt).toEqual(expect.any(String));
    expect((await admin('POST', `/admin/users/${id as string}/sign-in-link`)).status).toBe(409);
    expect((await admin('POST', `/admin/users/${id as string}/enable`)).body.disabledAt).toBeUndefined();
    const sent = await admin('POST', `/admin/users/${id as string}/sign-in-link`);
    expect([sent.status, sent.body.sentTo]).toEqual([202, emil]);
    const { rows } = await stack.db.query<{ kind: string; subject: string; body: string }>(
      'SELECT kind, subject, body FROM outbox WHERE recipient = $1',
      [emil],
    );
    expect(rows).toEqual([
      expect.objectContaining({ kind: 'console-sign-in-link', subject: 'Votre lien de connexion au support Vigil' }),
    ]);
    expect(rows[0]!.body).toMatch(/\/console\/link\/[A-Za-z0-9_-]{43}\?lang=(en|fr)\n/);
  });
});
