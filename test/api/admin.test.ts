import type { Caller } from '../support/api/harness';
import { apiHarness, expectProblem } from '../support/api/harness';

type Harness = Awaited<ReturnType<typeof apiHarness>>;

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

// Every row has its body, undefined or not: it.each takes a parameter beyond a row's length for Jest's `done`.
const ROUTES: ReadonlyArray<readonly ['GET' | 'POST', string, unknown]> = [
  ['GET', '/v1/admin/customers', undefined],
  ['POST', '/v1/admin/customers', { id: 'initech', name: 'Initech' }],
  ['GET', '/v1/admin/customers/acme', undefined],
  ['POST', '/v1/admin/customers/acme/contracts', contract],
  ['GET', '/v1/admin/customers/acme/contracts', undefined],
  ['GET', '/v1/admin/contracts/1', undefined],
  ['GET', '/v1/admin/api-keys', undefined],
  ['POST', '/v1/admin/api-keys', { role: 'admin', label: 'escalated' }],
  ['POST', '/v1/admin/api-keys/abc/revoke', undefined],
];

describe('who may call the admin API', () => {
  let harness: Harness;
  beforeAll(async () => (harness = await apiHarness()));

  /** Everything an admin call could change, to show that a refused one changed none of it. */
  const accountsNow = async () => ({
    customers: await harness.accounts.listCustomers(),
    contracts: await harness.accounts.listContracts('acme'),
    keys: await harness.accounts.listApiKeys(),
  });

  it.each(ROUTES)('%s %s answers 401 without a key', async (method, url, body) => {
    const response = await harness.call(undefined, method, url, body);
    expectProblem(response, 401, 'unauthorized');
    expect(response.headers['www-authenticate']).toBe('Bearer realm="vigil"');
  });

  it.each(
    ROUTES.flatMap(([method, url, body]) =>
      (['agent', 'manager', 'customer'] as Caller[]).map((caller) => [method, url, caller, body] as const),
    ),
  )('%s %s answers 403 to a %s key and changes nothing', async (method, url, caller, body) => {
    const before = await accountsNow();
    const response = await harness.call(caller, method, url, body);
    expectProblem(response, 403, 'forbidden');
    expect(response.json().detail).toContain('the role admin');
    expect(await accountsNow()).toEqual(before);
  });

  it('checks the role before the input: a non-admin is not told what a body should hold', async () => {
    expectProblem(await harness.call('agent', 'POST', '/v1/admin/customers', { nonsense: true }), 403, 'forbidden');
  });
});

describe('customers', () => {
  let harness: Harness;
  beforeAll(async () => (harness = await apiHarness()));

  it('adds a customer (201, Location), shows it and lists it', async () => {
    const created = await harness.call('admin', 'POST', '/v1/admin/customers', {
      id: 'initech',
      name: 'Initech Sàrl',
      language: 'fr',
    });
    expect(created.statusCode).toBe(201);
    expect(created.headers.location).toBe('/v1/admin/customers/initech');
    expect(created.json()).toEqual({
      id: 'initech',
      name: 'Initech Sàrl',
      language: 'fr',
      createdAt: expect.any(String),
      links: { self: '/v1/admin/customers/initech', contracts: '/v1/admin/customers/initech/contracts' },
    });
    const shown = await harness.call('admin', 'GET', '/v1/admin/customers/initech');
    expect({ status: shown.statusCode, body: shown.json() }).toEqual({ status: 200, body: created.json() });
    const listed = await harness.call('admin', 'GET', '/v1/admin/customers');
    expect(listed.statusCode).toBe(200);
    expect(listed.json().customers.map(({ id }: { id: string }) => id)).toEqual(['acme', 'globex', 'initech']);
  });

  it('answers 409 customer-exists naming body.id to a second customer with the same id, and keeps the first', async () => {
    expectProblem(
      await harness.call('admin', 'POST', '/v1/admin/customers', { id: 'acme', name: 'Acme again' }),
      409,
      'customer-exists',
      'body.id',
    );
    expect((await harness.accounts.getCustomer('acme'))?.name).toBe('Acme');
  });

  it.each([
    [{ id: 'Acme', name: 'Acme' }, 'body.id'],
    [{ id: 'umbrella' }, 'body.name'],
    [{ id: 'umbrella', name: '' }, 'body.name'],
    [{ id: 'umbrella', name: 'Umbrella', language: 'es' }, 'body.language'],
    [{ id: 'umbrella', name: 'Umbrella', vip: true }, 'body.vip'],
  ])('answers 422 to %j naming %s, and adds nothing', async (body, field) => {
    expectProblem(await harness.call('admin', 'POST', '/v1/admin/customers', body), 422, 'invalid-request', field);
    expect(await harness.accounts.getCustomer('umbrella')).toBeUndefined();
  });

  it('answers 404 for an unknown customer, 422 naming params.id for one that cannot exist', async () => {
    expectProblem(await harness.call('admin', 'GET', '/v1/admin/customers/nobody'), 404, 'not-found');
    expectProblem(
      await harness.call('admin', 'GET', '/v1/admin/customers/No%20Body'),
      422,
      'invalid-request',
      'params.id',
    );
  });
});

describe('contracts', () => {
  let harness: Harness;
  beforeAll(async () => (harness = await apiHarness()));

  it('adds a contract to a customer (201, Location), shows it and lists it', async () => {
    const created = await harness.call('admin', 'POST', '/v1/admin/customers/acme/contracts', contract);
    expect(created.statusCode).toBe(201);
    const { id } = created.json();
    expect(created.headers.location).toBe(`/v1/admin/contracts/${id}`);
    expect(created.json()).toEqual({
      ...contract,
      id,
      customerId: 'acme',
      createdAt: expect.any(String),
      links: { self: `/v1/admin/contracts/${id}`, customer: '/v1/admin/customers/acme' },
    });
    const shown = await harness.call('admin', 'GET', `/v1/admin/contracts/${id}`);
    expect({ status: shown.statusCode, body: shown.json() }).toEqual({ status: 200, body: created.json() });
    const listed = await harness.call('admin', 'GET', '/v1/admin/customers/acme/contracts');
    expect(listed.statusCode).toBe(200);
    expect(listed.json().contracts.map((listedContract: { id: string }) => listedContract.id)).toEqual([
      harness.contracts.acme.id,
      id,
    ]);
  });

  it("keeps a contract's own people limit where its policy has one (Care Solutions), and shows it", async () => {
    const created = await harness.call('admin', 'POST', '/v1/admin/customers/acme/contracts', {
      ...contract,
      maxPeoplePerTicket: 2,
    });
    expect([created.statusCode, created.json().maxPeoplePerTicket]).toEqual([201, 2]);
    expect(
      (await harness.call('admin', 'GET', `/v1/admin/contracts/${created.json().id}`)).json().maxPeoplePerTicket,
    ).toBe(2);
  });

  it('answers 404 for the contracts of an unknown customer and for an unknown contract', async () => {
    expectProblem(
      await harness.call('admin', 'POST', '/v1/admin/customers/nobody/contracts', contract),
      404,
      'not-found',
    );
    expectProblem(await harness.call('admin', 'GET', '/v1/admin/customers/nobody/contracts'), 404, 'not-found');
    expectProblem(await harness.call('admin', 'GET', '/v1/admin/contracts/999999'), 404, 'not-found');
    expect(await harness.accounts.listContracts('nobody')).toEqual([]);
  });

  it('answers 422 naming params.id for a contract id that is no number', async () => {
    expectProblem(await harness.call('admin', 'GET', '/v1/admin/contracts/abc'), 422, 'invalid-request', 'params.id');
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
      { authorizedContacts: [{ name: 'Ana', email: 'ana@acme.lu', phone: '+352 1' }] },
      'invalid-request',
      'body.authorizedContacts.0.phone',
    ],
    [
      { escalationContacts: [{ level: 'ceo', name: 'Dan', email: 'dan@acme.lu' }] },
      'invalid-request',
      'body.escalationContacts.0.level',
    ],
    [{ discountPercent: 10 }, 'invalid-request', 'body.discountPercent'],
    [{ maxPeoplePerTicket: 0 }, 'invalid-request', 'body.maxPeoplePerTicket'],
    // Esker's terms limit no people: there is no limit for the contract to change.
    [
      { policyId: 'esker', escalationContacts: [], maxPeoplePerTicket: 2 },
      'invalid-request',
      'body.maxPeoplePerTicket',
    ],
  ])('answers 422 to %j (%s) naming %s, and adds nothing', async (change, slug, field) => {
    const before = await harness.accounts.listContracts('acme');
    expectProblem(
      await harness.call('admin', 'POST', '/v1/admin/customers/acme/contracts', { ...contract, ...change }),
      422,
      slug,
      field,
    );
    expect(await harness.accounts.listContracts('acme')).toEqual(before);
  });
});

describe('API keys', () => {
  let harness: Harness;
  beforeAll(async () => (harness = await apiHarness()));

  it('issues a key whose token is shown once, never cached, and works at once', async () => {
    const issued = await harness.call('admin', 'POST', '/v1/admin/api-keys', {
      role: 'customer',
      customerId: 'acme',
      label: 'portal',
    });
    expect(issued.statusCode).toBe(201);
    expect(issued.headers['cache-control']).toBe('no-store');
    const key = issued.json();
    expect(key).toEqual({
      id: expect.any(String),
      role: 'customer',
      customerId: 'acme',
      label: 'portal',
      createdAt: expect.any(String),
      token: expect.any(String),
      links: { revoke: `/v1/admin/api-keys/${key.id}/revoke` },
    });
    const read = await harness.app.inject({
      method: 'GET',
      url: '/v1/invoices',
      headers: { authorization: `Bearer ${key.token}` },
    });
    expect(read.statusCode).toBe(200);

    const listed = await harness.call('admin', 'GET', '/v1/admin/api-keys');
    expect(listed.statusCode).toBe(200);
    expect(listed.json().apiKeys).toContainEqual({ ...key, token: undefined });
    expect(listed.body).not.toContain(key.token);
  });

  it('revokes a key: its token is refused from then on, and revoking again changes nothing', async () => {
    const { id, token } = await harness.accounts.createApiKey({ role: 'agent', label: 'leaving' });
    const revoked = await harness.call('admin', 'POST', `/v1/admin/api-keys/${id}/revoke`);
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json()).toMatchObject({ id, role: 'agent', revokedAt: expect.any(String) });
    expectProblem(
      await harness.app.inject({ method: 'GET', url: '/v1/invoices', headers: { authorization: `Bearer ${token}` } }),
      401,
      'unauthorized',
    );
    const again = await harness.call('admin', 'POST', `/v1/admin/api-keys/${id}/revoke`);
    expect(again.json().revokedAt).toBe(revoked.json().revokedAt);
  });

  it('answers 404 when revoking an unknown key, 422 naming params.id for an id no key has', async () => {
    expectProblem(await harness.call('admin', 'POST', '/v1/admin/api-keys/nosuchkey/revoke'), 404, 'not-found');
    expectProblem(
      await harness.call('admin', 'POST', '/v1/admin/api-keys/no%20such%20key/revoke'),
      422,
      'invalid-request',
      'params.id',
    );
  });

  it.each([
    [{ role: 'root', label: 'x' }, 'invalid-request', 'body.role'],
    [{ role: 'agent' }, 'invalid-request', 'body.label'],
    [{ role: 'agent', label: 'x', expiresAt: '2027-01-01' }, 'invalid-request', 'body.expiresAt'],
    [{ role: 'customer', label: 'x' }, 'key-customer-mismatch', 'body.customerId'],
    [{ role: 'agent', label: 'x', customerId: 'acme' }, 'key-customer-mismatch', 'body.customerId'],
    [{ role: 'customer', label: 'x', customerId: 'nobody' }, 'unknown-customer', 'body.customerId'],
  ])('answers 422 to %j (%s) naming %s, and issues nothing', async (body, slug, field) => {
    const before = await harness.accounts.listApiKeys();
    expectProblem(await harness.call('admin', 'POST', '/v1/admin/api-keys', body), 422, slug, field);
    expect(await harness.accounts.listApiKeys()).toEqual(before);
  });
});
