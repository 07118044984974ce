import { randomUUID } from 'node:crypto';
import { contractsStartOn, startStack, type Stack } from '../support/e2e/stack';

jest.setTimeout(180_000);

// The admin API's creations under an Idempotency-Key (api/idempotent-creations.ts) on PostgreSQL: the key's records,
// its advisory lock holding a twin sent in the same instant, and an API key's token sealed in its record.
describe('Idempotency-Key on the admin creations, on PostgreSQL', () => {
  let stack: Stack;
  const unique = randomUUID().slice(0, 8);
  const customerId = `idem-${unique}`;
  const post = (path: string, body: unknown, key: string) =>
    fetch(`${stack.baseUrl}/admin${path}`, {
      method: 'POST',
      headers: { ...stack.auth('admin'), 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify(body),
    }).then(async (response) => ({
      status: response.status,
      replayed: response.headers.get('idempotent-replayed'),
      location: response.headers.get('location'),
      body: (await response.json()) as Record<string, any>,
    }));
  const withoutRequestId = ({ requestId: _own, ...body }: Record<string, any>) => body;

  beforeAll(async () => {
    stack = await startStack('admin-idempotency');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('answers a retried customer, contract and person with the first answer, and creates each once', async () => {
    const customer = { id: customerId, name: 'Idem SA', language: 'fr' };
    const first = await post('/customers', customer, `customer-${unique}`);
    const again = await post('/customers', customer, `customer-${unique}`);
    expect([first.status, first.replayed, again.status, again.replayed, again.location]).toEqual([
      201,
      null,
      201,
      'true',
      `/v1/admin/customers/${customerId}`,
    ]);
    expect(again.body).toEqual(first.body);

    const contract = {
      policyId: 'econnect',
      startsOn: contractsStartOn(),
      authorizedContacts: [{ name: 'Iris Idem', email: `iris.${unique}@idem.test` }],
    };
    const contracts = await Promise.all(
      [1, 2, 3].map(() => post(`/customers/${customerId}/contracts`, contract, `contract-${unique}`)),
    );
    expect(contracts.map(({ status }) => status)).toEqual([201, 201, 201]);
    expect(new Set(contracts.map(({ body }) => body.id)).size).toBe(1);
    expect(contracts.filter(({ replayed }) => replayed === 'true')).toHaveLength(2);
    expect(await stack.accounts.listContracts(customerId)).toHaveLength(1);

    const person = { email: `olga.${unique}@desk.test`, name: 'Olga Agent', role: 'agent' };
    const people = await Promise.all([1, 2].map(() => post('/users', person, `person-${unique}`)));
    expect(people.map(({ status }) => status)).toEqual([201, 201]);
    expect(people[1]!.body).toEqual(people[0]!.body);
    expect((await stack.db.query('SELECT id FROM users WHERE email = $1', [person.email])).rows).toHaveLength(1);
  });

  it('refuses the same key with another body, 422 naming the header, and changes nothing', async () => {
    const refused = await post('/customers', { id: `${customerId}-2`, name: 'Other SA' }, `customer-${unique}`);
    expect([refused.status, refused.body.type, refused.body.errors[0].field]).toEqual([
      422,
      expect.stringMatching(/idempotency-key-reused/),
      'headers.idempotency-key',
    ]);
    expect(await stack.accounts.getCustomer(`${customerId}-2`)).toBeUndefined();
  });

  it('answers a refusal again as it was: a duplicate customer stays a 409 under its key', async () => {
    const duplicate = { id: customerId, name: 'Again' };
    const first = await post('/customers', duplicate, `duplicate-${unique}`);
    const again = await post('/customers', duplicate, `duplicate-${unique}`);
    expect([first.status, again.status, again.replayed]).toEqual([409, 409, 'true']);
    expect(withoutRequestId(again.body)).toEqual(withoutRequestId(first.body));
  });

  it("gives a retried API key's token again, one key made, the token kept in the record only sealed", async () => {
    const body = { role: 'agent', label: `idem ${unique}` };
    const [first, again] = await Promise.all([
      post('/api-keys', body, `key-${unique}`),
      post('/api-keys', body, `key-${unique}`),
    ]);
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.body).toEqual(first.body);
    expect((await stack.accounts.listApiKeys()).filter(({ label }) => label === body.label)).toHaveLength(1);
    const works = await stack.call('GET', '/tickets?limit=1', undefined, { token: first.body.token as string });
    expect(works.status).toBe(200);

    const { rows } = await stack.db.query<{ key: string; answer_body: string }>(
      'SELECT key, answer_body FROM action_idempotency_keys WHERE answer_body LIKE $1',
      [`%idem ${unique}%`],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.key).not.toContain(`key-${unique}`);
    expect(rows[0]!.answer_body).not.toContain(first.body.token as string);
    expect(JSON.parse(rows[0]!.answer_body).token).toMatch(/^sealed:/);
  });
});
