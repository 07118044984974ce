import { apiHarness, openingBody } from '../support/api/harness';

describe('Idempotency-Key on POST /v1/tickets', () => {
  let harness: Awaited<ReturnType<typeof apiHarness>>;

  beforeEach(async () => {
    harness = await apiHarness();
  });

  const open = (
    key: string | undefined,
    body: object = openingBody,
    caller: Parameters<typeof harness.call>[0] = 'customer',
  ) => harness.call(caller, 'POST', '/v1/tickets', body, key === undefined ? {} : { 'idempotency-key': key });

  it('answers a retried POST with the same ticket, marked replayed, and never starts a second workflow', async () => {
    const first = await open('order-7');
    expect(first.statusCode).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();

    // Same request, keys in another order: a client may serialize its retry differently.
    const { contact, ...rest } = openingBody;
    const retry = await open('order-7', { contact: { email: contact.email, name: contact.name }, ...rest });
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.headers.location).toBe(first.headers.location);
    expect(retry.json()).toEqual(first.json());
    expect(harness.temporal.started.map((input) => input.ticketNumber)).toEqual(['VIG-000001']);
  });

  it('refuses the same key with a different body (422 naming the header) and opens nothing', async () => {
    await open('order-8');
    const reused = await open('order-8', { ...openingBody, title: 'Scanner down' });
    expect(reused.statusCode).toBe(422);
    expect(reused.json()).toMatchObject({
      type: 'https://vigil.dev/problems/idempotency-key-reused',
      errors: [
        {
          field: 'headers.idempotency-key',
          message: 'order-8 was already used with a different request: use a new key for a new ticket',
        },
      ],
    });
    expect(harness.temporal.started).toHaveLength(1);
  });

  it('scopes keys to the API key that sent them', async () => {
    const mine = await open('shared-key', { ...openingBody, customerId: 'acme' }, 'customer');
    const theirs = await open('shared-key', { ...openingBody, customerId: 'acme' }, 'agent');
    expect(theirs.json().ticketNumber).not.toBe(mine.json().ticketNumber);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
  });

  it('opens a new ticket each time without a key', async () => {
    await open(undefined);
    await open(undefined);
    expect(harness.temporal.started.map((input) => input.ticketNumber)).toEqual(['VIG-000001', 'VIG-000002']);
  });

  it('records nothing for a refused request, so the key stays free for the corrected one', async () => {
    expect((await open('order-9', { ...openingBody, contractId: '999' })).statusCode).toBe(422);
    expect(harness.idempotency.records.size).toBe(0);
    expect((await open('order-9')).statusCode).toBe(201);
  });

  it('names the header when the key is unusable', async () => {
    const tooLong = await open('k'.repeat(256));
    expect(tooLong.statusCode).toBe(422);
    expect(tooLong.json().errors[0].field).toBe('headers.idempotency-key');
  });

  describe('after a crash between recording the key and starting the workflow', () => {
    it('starts the recorded ticket on the retry, under the number recorded', async () => {
      // The first attempt recorded the key and died before Temporal heard of the ticket.
      const first = await open('order-10');
      const number = first.json().ticketNumber;
      harness.temporal.forget(number);
      harness.temporal.started.length = 0;

      const retry = await open('order-10');
      expect(retry.statusCode).toBe(201);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(retry.json().ticketNumber).toBe(number);
      expect(harness.temporal.started).toEqual([expect.objectContaining({ ticketNumber: number, customerId: 'acme' })]);
    });

    it('does not start again a ticket Temporal has forgotten but the read model keeps', async () => {
      const number = (await open('order-11')).json().ticketNumber;
      harness.snapshots.tickets.set(number, harness.ticketOf('acme', number, 'closed'));
      harness.temporal.forget(number);
      harness.temporal.started.length = 0;

      expect((await open('order-11')).json().ticketNumber).toBe(number);
      expect(harness.temporal.started).toEqual([]);
    });
  });

  it('takes the number a concurrent twin recorded first, and starts that ticket once', async () => {
    await open('probe');
    const { requestHash } = [...harness.idempotency.records.values()][0]!;
    harness.temporal.started.length = 0;
    // The twin records the key between this request's look-up and its claim.
    const lookUp = harness.idempotency.find.bind(harness.idempotency);
    harness.idempotency.find = async (apiKeyId, key) => {
      const found = await lookUp(apiKeyId, key);
      if (key === 'order-12')
        await harness.idempotency.claim(apiKeyId, key, { ticketNumber: 'VIG-000042', requestHash });
      return found;
    };
    const raced = await open('order-12');
    expect(raced.json().ticketNumber).toBe('VIG-000042');
    expect(raced.headers['idempotent-replayed']).toBe('true');
    expect(harness.temporal.started.map((input) => input.ticketNumber)).toEqual(['VIG-000042']);
  });
});
