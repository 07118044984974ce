import type { LightMyRequestResponse } from 'fastify';
import { RETRY_AFTER_SECONDS } from '../../api/problems';
import { consoleHarness } from '../support/api/console-harness';

/** The answer as a client compares it: the request's own id aside, which names this request's log lines. */
const answerOf = (response: LightMyRequestResponse) => {
  const { requestId: _own, ...body } = response.json<Record<string, unknown>>();
  return { status: response.statusCode, body };
};

describe('Idempotency-Key on the admin creations', () => {
  let harness: Awaited<ReturnType<typeof consoleHarness>>;

  beforeEach(async () => {
    harness = await consoleHarness();
  });

  const create = (path: string, body: object, key?: string) =>
    harness.call('admin', 'POST', `/v1/admin${path}`, body, key === undefined ? {} : { 'idempotency-key': key });

  it('answers a retried customer with the first answer, marked replayed, with its Location, and adds it once', async () => {
    const first = await create('/customers', { id: 'initech', name: 'Initech' }, 'customer-1');
    const again = await create('/customers', { name: 'Initech', id: 'initech' }, 'customer-1');
    expect([first.statusCode, first.headers['idempotent-replayed']]).toEqual([201, undefined]);
    expect([again.statusCode, again.headers['idempotent-replayed'], again.headers.location]).toEqual([
      201,
      'true',
      '/v1/admin/customers/initech',
    ]);
    expect(again.json()).toEqual(first.json());
    expect((await harness.accounts.listCustomers()).filter(({ id }) => id === 'initech')).toHaveLength(1);
  });

  it('refuses the key with another body or on another route, 422 naming the header, and creates nothing', async () => {
    await create('/customers', { id: 'initech', name: 'Initech' }, 'customer-1');
    const other = await create('/customers', { id: 'umbrella', name: 'Umbrella' }, 'customer-1');
    expect([other.statusCode, other.json().errors]).toEqual([
      422,
      [
        {
          field: 'headers.idempotency-key',
          message: 'customer-1 was already used with a different request: use a new key for a new creation',
        },
      ],
    ]);
    const elsewhere = await create('/api-keys', { role: 'agent', label: 'Initech' }, 'customer-1');
    expect(elsewhere.statusCode).toBe(422);
    expect(await harness.accounts.getCustomer('umbrella')).toBeUndefined();
  });

  it('answers a refusal again as it was', async () => {
    const first = await create('/customers', { id: 'acme', name: 'Acme again' }, 'duplicate');
    const again = await create('/customers', { id: 'acme', name: 'Acme again' }, 'duplicate');
    expect(answerOf(first).status).toBe(409);
    expect(answerOf(again)).toEqual(answerOf(first));
    expect(again.headers['idempotent-replayed']).toBe('true');
  });

  it('makes one contract of twins sent together, and keeps creating without a key', async () => {
    const contract = { policyId: 'econnect', startsOn: '2026-06-01' };
    const before = (await harness.accounts.listContracts('acme')).length;
    const twins = await Promise.all([
      create('/customers/acme/contracts', contract, 'contract-1'),
      create('/customers/acme/contracts', contract, 'contract-1'),
    ]);
    expect(twins.map(({ statusCode }) => statusCode)).toEqual([201, 201]);
    expect(twins[1].json()).toEqual(twins[0].json());
    expect(twins.map(({ headers }) => headers['idempotent-replayed']).sort()).toEqual(['true', undefined]);
    expect(await harness.accounts.listContracts('acme')).toHaveLength(before + 1);
    await create('/customers/acme/contracts', contract);
    await create('/customers/acme/contracts', contract);
    expect(await harness.accounts.listContracts('acme')).toHaveLength(before + 3);
  });

  it('lets a twin go after its bounded wait, 409 request-in-progress with Retry-After, while the first still creates', async () => {
    // The first request stays inside its creation until the test lets it go: its twin waits KEY_WAIT_MS, then is let go.
    const createCustomer = harness.accounts.createCustomer.bind(harness.accounts);
    let entered!: () => void;
    let finish!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const finished = new Promise<void>((resolve) => (finish = resolve));
    jest.spyOn(harness.accounts, 'createCustomer').mockImplementationOnce(async (input) => {
      entered();
      await finished;
      return createCustomer(input);
    });
    const customer = { id: 'initech', name: 'Initech' };
    const first = create('/customers', customer, 'customer-1');
    await inside;
    const twin = await create('/customers', customer, 'customer-1');
    expect([twin.statusCode, twin.json().type, twin.headers['retry-after']]).toEqual([
      409,
      expect.stringMatching(/request-in-progress$/),
      String(RETRY_AFTER_SECONDS),
    ]);
    expect(await harness.accounts.getCustomer('initech')).toBeUndefined();

    // The first is served once let go, and the twin sent again gets its answer.
    finish();
    const served = await first;
    const again = await create('/customers', customer, 'customer-1');
    expect([served.statusCode, again.statusCode, again.headers['idempotent-replayed']]).toEqual([201, 201, 'true']);
    expect(again.json()).toEqual(served.json());
    expect((await harness.accounts.listCustomers()).filter(({ id }) => id === 'initech')).toHaveLength(1);
  });

  it("gives a retried API key's token again, and keeps it in the record only sealed by the client's key", async () => {
    const first = await create('/api-keys', { role: 'agent', label: 'Robot' }, 'key-1');
    const again = await create('/api-keys', { role: 'agent', label: 'Robot' }, 'key-1');
    expect([first.statusCode, again.statusCode, again.headers['cache-control']]).toEqual([201, 201, 'no-store']);
    expect(again.json()).toEqual(first.json());
    expect((await harness.accounts.listApiKeys()).filter(({ label }) => label === 'Robot')).toHaveLength(1);
    const records = [...harness.idempotency.actions.entries()];
    expect(records).toHaveLength(1);
    const [stored, record] = records[0]!;
    expect(stored).not.toContain('key-1');
    expect(JSON.stringify(record.answer)).not.toContain(first.json<{ token: string }>().token);
  });

  it('adds a person once under a key, and answers the retry with them', async () => {
    const person = { email: 'olga@desk.test', name: 'Olga Agent', role: 'agent' };
    const [first, again] = await Promise.all([
      create('/users', person, 'person-1'),
      create('/users', person, 'person-1'),
    ]);
    expect([first.statusCode, again.statusCode]).toEqual([201, 201]);
    expect(again.json()).toEqual(first.json());
    expect(first.headers.location).toBe(`/v1/admin/users/${first.json<{ id: string }>().id}`);
    expect((await harness.people.users.list()).filter(({ email }) => email === person.email)).toHaveLength(1);
  });
});
