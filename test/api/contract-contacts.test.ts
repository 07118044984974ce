import { consoleHarness } from '../support/api/console-harness';
import { expectProblem } from '../support/api/harness';

type Harness = Awaited<ReturnType<typeof consoleHarness>>;

// A contract's authorized contacts become accounts of its customer's contacts (db/contact-accounts.ts), once.
describe("a contract's contacts as people who sign in", () => {
  let harness: Harness;
  beforeEach(async () => (harness = await consoleHarness()));

  const admin = (method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown) =>
    harness.call('admin', method, url, body);
  const contract = (authorizedContacts: unknown[]) => ({
    policyId: 'econnect',
    startsOn: '2026-06-01',
    authorizedContacts,
  });
  const acmeContacts = async () =>
    (await harness.people.users.list())
      .filter((user) => user.customerId === 'acme')
      .map(({ email, name, role, hasPassword }) => ({ email, name, role, hasPassword }));

  it("gives each authorized contact, out of hours or not, an account among the customer's contacts, without a password", async () => {
    const saved = await admin(
      'POST',
      '/v1/admin/customers/acme/contracts',
      contract([
        { name: 'Dora Diaz', email: 'dora@acme.lu', outOfHours: true },
        { name: 'Emil Eck', email: 'emil@acme.lu' },
      ]),
    );
    expect(saved.statusCode).toBe(201);
    expect(await acmeContacts()).toEqual([
      { email: 'carla@acme.lu', name: 'Carla Contact', role: 'customer', hasPassword: false },
      { email: 'dora@acme.lu', name: 'Dora Diaz', role: 'customer', hasPassword: false },
      { email: 'emil@acme.lu', name: 'Emil Eck', role: 'customer', hasPassword: false },
    ]);
  });

  it('creates no duplicate when the same people are saved again, in another case, or on another contract', async () => {
    const people = [{ name: 'Dora Diaz', email: 'dora@acme.lu', outOfHours: true }];
    const first = await admin('POST', '/v1/admin/customers/acme/contracts', contract(people));
    await admin('PATCH', `/v1/admin/contracts/${first.json().id as string}`, { authorizedContacts: people });
    await admin(
      'POST',
      '/v1/admin/customers/acme/contracts',
      contract([
        { name: 'Dora D.', email: 'DORA@acme.lu' },
        { name: 'Carla', email: 'carla@acme.lu' },
      ]),
    );
    const before = await harness.people.users.list();
    expect(before.filter((user) => user.email.toLowerCase() === 'dora@acme.lu')).toHaveLength(1);
    // The account keeps the name it was given: a contract does not rename a person.
    expect(before.find((user) => user.email === 'dora@acme.lu')?.name).toBe('Dora Diaz');
    expect(before.filter((user) => user.email === 'carla@acme.lu')).toHaveLength(1);
  });

  it('links a contact added to a contract later, and leaves a removed one their account', async () => {
    const saved = (
      await admin(
        'POST',
        '/v1/admin/customers/acme/contracts',
        contract([{ name: 'Dora Diaz', email: 'dora@acme.lu' }]),
      )
    ).json();
    const changed = await admin('PATCH', `/v1/admin/contracts/${saved.id as string}`, {
      authorizedContacts: [{ name: 'Emil Eck', email: 'emil@acme.lu', outOfHours: true }],
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({
      id: saved.id,
      policyId: 'econnect',
      authorizedContacts: [{ name: 'Emil Eck', email: 'emil@acme.lu', outOfHours: true }],
    });
    expect((await acmeContacts()).map(({ email }) => email)).toEqual(['carla@acme.lu', 'dora@acme.lu', 'emil@acme.lu']);
  });

  it('refuses, naming the field, an address that signs in for the desk or another company, and saves nothing', async () => {
    const contractsBefore = await harness.accounts.listContracts('acme');
    const usersBefore = await harness.people.users.list();
    const desk = await admin(
      'POST',
      '/v1/admin/customers/acme/contracts',
      contract([
        { name: 'Dora', email: 'dora@acme.lu' },
        { name: 'Ines', email: 'INES@desk.test' },
      ]),
    );
    expectProblem(desk, 409, 'contact-account-taken', 'body.authorizedContacts.1.email');
    expect(desk.json().detail).toContain("already signs in as the desk's agent Ines Agent");
    await harness.people.users.create({ email: 'gus@globex.lu', name: 'Gus', role: 'customer', customerId: 'globex' });
    const other = await admin(
      'POST',
      '/v1/admin/customers/acme/contracts',
      contract([{ name: 'Gus', email: 'gus@globex.lu' }]),
    );
    expectProblem(other, 409, 'contact-account-taken', 'body.authorizedContacts.0.email');
    expect(other.json().detail).toContain('a contact of customer "globex"');
    const patched = await admin('PATCH', `/v1/admin/contracts/${harness.contracts.acme.id}`, {
      authorizedContacts: [{ name: 'Gus', email: 'gus@globex.lu' }],
    });
    expectProblem(patched, 409, 'contact-account-taken', 'body.authorizedContacts.0.email');
    expect(await harness.accounts.listContracts('acme')).toEqual(contractsBefore);
    expect((await harness.people.users.list()).length).toBe(usersBefore.length + 1);
  });

  it("changes only a contract's people, checked as when it was saved", async () => {
    const { id } = harness.contracts.acme;
    expectProblem(
      await admin('PATCH', `/v1/admin/contracts/${id}`, { rates: { hourlyCents: 1 } }),
      422,
      'invalid-request',
    );
    expectProblem(await admin('PATCH', `/v1/admin/contracts/${id}`, {}), 422, 'invalid-request');
    expectProblem(
      await admin('PATCH', `/v1/admin/contracts/${id}`, {
        escalationContacts: [{ level: 'ceo', name: 'Dan', email: 'dan@acme.lu' }],
      }),
      422,
      'invalid-request',
      'body.escalationContacts.0.level',
    );
    expectProblem(await admin('PATCH', '/v1/admin/contracts/999', { authorizedContacts: [] }), 404, 'not-found');
    expectProblem(
      await harness.app.inject({
        method: 'PATCH',
        url: `/v1/admin/contracts/${id}`,
        headers: { authorization: `Bearer ${harness.tokens.agent}` },
        payload: { authorizedContacts: [] },
      }),
      403,
      'forbidden',
    );
  });
});
