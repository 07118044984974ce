import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { Client, Connection, ServiceError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { buildApp } from '../../api/app';
import { apiTemporalConnectionOptions } from '../../api/dependency-clients';
import { dependencyFailure, NoWorkerPolling, UpdateMayBeApplied } from '../../api/dependency-errors';
import { sharedFor, workerPolling } from '../../api/readiness';
import { formatTicketNumber } from '../../domain/ticket/ticket-number';
import { inMemoryAccounts } from '../support/in-memory-accounts';
import { FakeTemporal } from '../support/api/fake-temporal';
import { apiHarness, expectProblem, NOW, openingBody } from '../support/api/harness';
import { inMemoryIdempotency, inMemorySnapshots } from '../support/api/in-memory-stores';
import { sharedCompilers } from '../support/api/shared-compilers';

// What the Temporal client throws, its gRPC status as the cause (shapes seen on the dev server).
const grpcError = (code: number, details: string) =>
  Object.assign(new Error(`${code} ${details}`), { code, details, metadata: {} });
const serviceError = (code: number, details: string) =>
  new ServiceError('Workflow Update failed', { cause: grpcError(code, details) });

describe('dependencyFailure', () => {
  it.each([
    [
      'no worker polling',
      new NoWorkerPolling('vigil-tickets'),
      { status: 503, reason: 'no worker is polling the ticket task queue (vigil-tickets)' },
    ],
    [
      'a query Temporal gave up on: no poller seen (after 29 s, measured)',
      new ServiceError('Failed to query Workflow', {
        cause: grpcError(9, 'no poller seen for task queue recently, worker may be down'),
      }),
      { status: 503, reason: 'no worker is polling the ticket task queue' },
    ],
    [
      'an Update cut by its deadline',
      new WorkflowUpdateRPCTimeoutOrCancelledError('Deadline exceeded', { cause: grpcError(4, 'Deadline exceeded') }),
      {
        status: 503,
        reason:
          "Temporal or the ticket's worker is busy and did not answer in time, and the action may still be applied (a retry is safe with the same Idempotency-Key; without one, read the ticket before sending the action again)",
      },
    ],
    [
      'a query cut by its deadline (CANCELLED, measured)',
      new ServiceError('Failed to query Workflow', { cause: grpcError(1, 'Call cancelled') }),
      { status: 503, reason: "Temporal or the ticket's worker is busy and did not answer in time" },
    ],
    [
      'a deadline on a call the server had (grpc-js detail)',
      new ServiceError('Failed to query Workflow', {
        cause: grpcError(4, 'Deadline exceeded after 2.001s,LB pick: 0.001s,remote_addr=127.0.0.1:7233'),
      }),
      { status: 503, reason: "Temporal or the ticket's worker is busy and did not answer in time" },
    ],
    [
      'an opening cut by its deadline on a server that had it, its name resolved (grpc-js detail, under load)',
      new WorkflowUpdateRPCTimeoutOrCancelledError('Deadline exceeded', {
        cause: grpcError(
          4,
          'Deadline exceeded after 8.254s,name resolution: 0.001s,LB pick: 0.004s,remote_addr=127.0.0.1:33921',
        ),
      }),
      {
        status: 503,
        reason:
          "Temporal or the ticket's worker is busy and did not answer in time, and the action may still be applied (a retry is safe with the same Idempotency-Key; without one, read the ticket before sending the action again)",
      },
    ],
    [
      'a name that does not resolve',
      new ServiceError('Failed to describe', {
        cause: grpcError(14, 'Name resolution failed for target dns:temporal.invalid:7233'),
      }),
      { status: 503, reason: 'Temporal is unreachable' },
    ],
    [
      'a deadline that passed while still connecting',
      new ServiceError('Failed to describe', {
        cause: grpcError(4, 'Deadline exceeded after 2.001s,Waiting for LB pick'),
      }),
      { status: 503, reason: 'Temporal is unreachable' },
    ],
    [
      'UNAVAILABLE written by a loaded server',
      serviceError(14, 'Service unavailable: persistence is busy'),
      { status: 503, reason: 'Temporal is busy: it answered, but could not serve the call now' },
    ],
    [
      'UNAVAILABLE from Temporal once an Update was sent to it',
      new UpdateMayBeApplied(serviceError(14, 'Service unavailable: persistence is busy')),
      {
        status: 503,
        reason:
          'Temporal is busy: it answered, but could not serve the call now, and the action may have been applied (a retry is safe with the same Idempotency-Key; without one, read the ticket before sending the action again)',
      },
    ],
    [
      'a refused connection',
      new ServiceError('Failed to describe', {
        cause: grpcError(14, 'No connection established. Last error: connect ECONNREFUSED 127.0.0.1:7233'),
      }),
      { status: 503, reason: 'Temporal is unreachable' },
    ],
    [
      'a connection that went away',
      new ServiceError('Failed to describe', { cause: grpcError(14, 'Connection dropped') }),
      { status: 503, reason: 'Temporal is unreachable' },
    ],
    [
      'Temporal unreachable',
      new ServiceError('Failed to describe', { cause: grpcError(14, 'No connection established') }),
      { status: 503, reason: 'Temporal is unreachable' },
    ],
    [
      "one workflow's in-flight Update limit",
      serviceError(8, 'limit on number of concurrent in-flight updates has been reached (10)'),
      { status: 429, reason: 'too many actions are in progress on this ticket' },
    ],
    [
      'too many outstanding updates',
      serviceError(8, 'too many outstanding updates'),
      { status: 429, reason: 'too many actions are in progress on this ticket' },
    ],
    [
      "the namespace's request limit",
      serviceError(8, 'namespace rate limit exceeded'),
      { status: 503, reason: 'Temporal is overloaded' },
    ],
    [
      "Fastify's deadline on the request",
      Object.assign(new Error('Request timed out'), { code: 'FST_ERR_HANDLER_TIMEOUT', statusCode: 503 }),
      { status: 503, reason: 'the request did not complete in time' },
    ],
    [
      'a PostgreSQL client that lost its server',
      new Error('Client has encountered a connection error and is not queryable'),
      { status: 503, reason: 'PostgreSQL is unreachable' },
    ],
  ])('makes %s a failure to retry', (_case, error, failure) => {
    expect(dependencyFailure(error)).toEqual(failure);
  });

  it.each([
    [
      'a refusal at a continue-as-new',
      serviceError(9, 'Unable to perform workflow execution update due to unexpected workflow task failure.'),
    ],
    ['an invalid argument', serviceError(3, 'invalid')],
    ['a plain bug', new TypeError('x is undefined')],
  ])('leaves %s alone', (_case, error) => {
    expect(dependencyFailure(error)).toBeUndefined();
  });
});

describe('a ticket whose worker does not answer', () => {
  let harness: Awaited<ReturnType<typeof apiHarness>>;
  beforeEach(async () => {
    harness = await apiHarness();
  });
  afterEach(() => harness.app.close());

  const withSnapshot = (ticketNumber: string) => {
    const ticket = harness.ticketOf('acme', ticketNumber);
    harness.snapshots.tickets.set(ticketNumber, { ...ticket, revision: 2 });
  };

  it('is read from its last snapshot, marked stale, without a query sent to no worker', async () => {
    withSnapshot('VIG-000001');
    harness.temporal.worker = 'gone';
    const response = await harness.call('customer', 'GET', '/v1/tickets/VIG-000001');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ ticketNumber: 'VIG-000001', revision: 2, stale: true });
    expect(response.headers.warning).toBe(
      '110 vigil "stale: revision 2 from the read model; no worker is polling the ticket task queue (vigil-tickets)"',
    );
    expect(harness.temporal.calls).not.toContain('query ticket-VIG-000001');
  });

  it('is read stale too when a worker is seen but the query times out', async () => {
    withSnapshot('VIG-000001');
    harness.temporal.worker = 'stuck';
    const response = await harness.call('agent', 'GET', '/v1/tickets/VIG-000001');
    expect(response.json()).toMatchObject({ stale: true });
    expect(response.headers.warning).toMatch(
      /^110 vigil "stale: revision 2 from the read model; Temporal or the ticket's worker is busy and did not answer in time"$/,
    );
  });

  it('is read stale when its running workflow fails the query (a run being continued as new), never a 500', async () => {
    withSnapshot('VIG-000001');
    harness.temporal.failNextQuery(
      new ServiceError('Failed to query Workflow', { cause: grpcError(9, 'workflow execution already completed') }),
    );
    const response = await harness.call('agent', 'GET', '/v1/tickets/VIG-000001');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ revision: 2, stale: true });
    expect(response.headers.warning).toMatch(
      /^110 vigil "stale: revision 2 from the read model; its workflow did not answer \(Failed to query Workflow\)"$/,
    );
  });

  it('is read live, unmarked, when the worker answers', async () => {
    withSnapshot('VIG-000001');
    const response = await harness.call('agent', 'GET', '/v1/tickets/VIG-000001');
    expect(response.statusCode).toBe(200);
    expect(response.json().stale).toBeUndefined();
    expect(response.headers.warning).toBeUndefined();
  });

  it('answers 503 naming the worker for a ticket the read model does not have yet', async () => {
    harness.ticketOf('acme', 'VIG-000001', 'request');
    harness.temporal.worker = 'gone';
    const response = await harness.call('agent', 'GET', '/v1/tickets/VIG-000001');
    expectProblem(response, 503, 'unavailable');
    expect(response.headers['retry-after']).toBe('5');
    expect(response.json().detail).toBe(
      'no worker is polling the ticket task queue (vigil-tickets); try again in a few seconds',
    );
  });

  it.each([
    ['an agent', 'agent', 'reassign', { agent: 'lea', by: 'marc' }],
    ['a customer', 'customer', 'cancel', { by: 'Ana Lopes', reason: 'Fixed itself' }],
  ] as const)("answers %s's action 503 naming the worker, not 500", async (_who, caller, action, body) => {
    harness.ticketOf('acme', 'VIG-000001');
    harness.temporal.worker = 'gone';
    const response = await harness.call(caller, 'POST', `/v1/tickets/VIG-000001/${action}`, body);
    expectProblem(response, 503, 'unavailable');
    expect(response.headers['retry-after']).toBe('5');
    // The Update it sent waits with Temporal for a worker, which applies it once one polls again: a keyless client told
    // only that no worker polls would send the action a second time.
    expect(response.json().detail).toBe(
      'no worker is polling the ticket task queue (vigil-tickets), and the action may have been applied (a retry is safe with the same Idempotency-Key; without one, read the ticket before sending the action again); try again in a few seconds',
    );
  });

  it('answers an action 503 when a worker is seen but the Update times out', async () => {
    harness.ticketOf('acme', 'VIG-000001');
    harness.temporal.worker = 'stuck';
    const response = await harness.call('agent', 'POST', '/v1/tickets/VIG-000001/reassign', {
      agent: 'lea',
      by: 'marc',
    });
    expectProblem(response, 503, 'unavailable');
    expect(response.json().detail).toBe(
      "Temporal or the ticket's worker is busy and did not answer in time, and the action may still be applied (a retry is safe with the same Idempotency-Key; without one, read the ticket before sending the action again); try again in a few seconds",
    );
  });

  // The request may have reached Temporal, which then applies the Update whatever it answered: a client that takes the
  // 503 for "not applied" and sends the action again without its key acts twice.
  it.each([
    ['applied', true],
    ['not applied', false],
  ])(
    'answers an Update failed UNAVAILABLE (%s) 503 saying it may have been applied; the same key applies it once',
    async (_case, applied) => {
      harness.ticketOf('acme', 'VIG-000001');
      harness.temporal.failNextUpdate(serviceError(14, 'Service unavailable: persistence is busy'), { applied });
      const reassign = () =>
        harness.call(
          'agent',
          'POST',
          '/v1/tickets/VIG-000001/reassign',
          { agent: 'lea' },
          { 'idempotency-key': 'reassign-lea' },
        );
      const response = await reassign();
      expectProblem(response, 503, 'unavailable');
      expect(response.headers['retry-after']).toBe('5');
      expect(response.json().detail).toBe(
        'Temporal is busy: it answered, but could not serve the call now, and the action may have been applied (a retry is safe with the same Idempotency-Key; without one, read the ticket before sending the action again); try again in a few seconds',
      );
      const retry = await reassign();
      expect(retry.statusCode).toBe(200);
      expect(harness.temporal.updates.map(({ update }) => update)).toEqual(['reassign']);
    },
  );

  it('answers an Update Temporal could not be reached for 503 saying it may have been applied, a key or not', async () => {
    harness.ticketOf('acme', 'VIG-000001');
    harness.temporal.failNextUpdate(
      serviceError(14, 'No connection established. Last error: connect ECONNREFUSED 127.0.0.1:7233'),
      { applied: false },
    );
    const response = await harness.call('agent', 'POST', '/v1/tickets/VIG-000001/reassign', { agent: 'lea' });
    expectProblem(response, 503, 'unavailable');
    expect(response.json().detail).toBe(
      'Temporal is unreachable, and the action may have been applied (a retry is safe with the same Idempotency-Key; without one, read the ticket before sending the action again); try again in a few seconds',
    );
  });

  it('answers 429 with Retry-After when Temporal refuses more Updates on the ticket', async () => {
    harness.ticketOf('acme', 'VIG-000001');
    harness.temporal.failNextUpdate(
      serviceError(8, 'limit on number of concurrent in-flight updates has been reached (10)'),
      { applied: false },
    );
    const response = await harness.call('agent', 'POST', '/v1/tickets/VIG-000001/reassign', {
      agent: 'lea',
      by: 'marc',
    });
    expectProblem(response, 429, 'ticket-busy');
    expect(response.headers['retry-after']).toBe('1');
    expect(response.json().detail).toBe('too many actions are in progress on this ticket; try again in a second');
    expect(harness.temporal.updates).toEqual([]);
  });

  // Temporal's client sends an Update again until it is accepted; the server may turn the later attempt away after it
  // admitted the first (seen on the full server under load): a 429 then would have a keyless client act twice.
  it('answers the outcome, not 429, of an action Temporal applied although it turned a resend of it away', async () => {
    harness.ticketOf('acme', 'VIG-000001');
    harness.temporal.failNextUpdate(
      serviceError(8, 'limit on number of concurrent in-flight updates has been reached (10)'),
      { applied: true },
    );
    const response = await harness.call('agent', 'POST', '/v1/tickets/VIG-000001/reassign', {
      agent: 'lea',
      by: 'marc',
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().ticketNumber).toBe('VIG-000001');
    expect(harness.temporal.updates.map(({ update }) => update)).toEqual(['reassign']);
  });
});

/** The app on the fake Temporal, or on the client given, with the options a test is about. */
async function appWith(
  deps: Partial<Parameters<typeof buildApp>[0]>,
  options: Parameters<typeof buildApp>[1] = {},
  accounts = inMemoryAccounts(),
) {
  const temporal = new FakeTemporal(() => NOW);
  const app = buildApp(
    {
      temporal: temporal.client,
      allocateTicketNumber: async () => formatTicketNumber(1),
      accounts,
      idempotency: inMemoryIdempotency(),
      snapshots: inMemorySnapshots(),
      now: () => NOW,
      ...deps,
    },
    { ...sharedCompilers, ...options },
  );
  const token = (await accounts.createApiKey({ role: 'agent', label: 'desk' })).token;
  return { app, temporal, auth: { authorization: `Bearer ${token}` } };
}

describe('deadlines', () => {
  let blackHole: net.Server;
  const held: net.Socket[] = [];
  let connection: Connection;

  beforeAll(async () => {
    // Accepts connections and never answers: a Temporal that hangs rather than refuses.
    blackHole = net.createServer((socket) => void held.push(socket));
    await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
    connection = Connection.lazy(
      apiTemporalConnectionOptions(`127.0.0.1:${(blackHole.address() as AddressInfo).port}`),
    );
  });

  afterAll(async () => {
    await connection.close();
    held.forEach((socket) => socket.destroy());
    await new Promise((resolve) => blackHole.close(resolve));
  });

  it('bound every Temporal call of a ticket request: a hanging Temporal gets a 503, not a wait without end', async () => {
    const { app, auth } = await appWith({
      temporal: new Client({ connection }),
      temporalDeadlineMs: 200,
      readiness: {},
    });
    const response = await app.inject({
      method: 'POST',
      url: '/v1/tickets/VIG-000001/reassign',
      headers: auth,
      payload: { agent: 'lea', by: 'marc' },
    });
    expectProblem(response, 503, 'unavailable');
    expect(response.headers['retry-after']).toBe('5');
    // The black hole never completes the HTTP/2 handshake: the deadline passes while the call waits for a connection.
    // The client's Update call fails the same way whether or not its request left, so the API cannot say it did not.
    expect(response.json().detail).toBe(
      'Temporal is unreachable, and the action may have been applied (a retry is safe with the same Idempotency-Key; without one, read the ticket before sending the action again); try again in a few seconds',
    );
    await app.close();
  });

  // The ticket's number is drawn before its workflow starts: a start Temporal may have received leaves a ticket the
  // client may not know of. Told its number, a client without an Idempotency-Key reads it rather than open another.
  it.each([
    ['without', {}],
    ['with', { 'idempotency-key': 'open-printer' }],
  ])(
    'answer an opening %s an Idempotency-Key that Temporal may have received 503 naming the ticket to read first',
    async (_case, headers) => {
      const accounts = inMemoryAccounts();
      await accounts.createCustomer({ id: 'acme', name: 'Acme' });
      await accounts.createContract({
        customerId: 'acme',
        policyId: 'esker',
        policyVersion: 1,
        startsOn: '2026-01-01',
      });
      const { app, auth } = await appWith(
        { temporal: new Client({ connection }), temporalDeadlineMs: 200, readiness: {} },
        {},
        accounts,
      );
      const response = await app.inject({
        method: 'POST',
        url: '/v1/tickets',
        headers: { ...auth, ...headers },
        payload: { ...openingBody, customerId: 'acme' },
      });
      expectProblem(response, 503, 'unavailable');
      expect(response.headers['retry-after']).toBe('5');
      expect(response.json().detail).toBe(
        'Temporal is unreachable, and ticket VIG-000001 may have been opened (a retry is safe with the same Idempotency-Key; without one, read GET /v1/tickets/VIG-000001 before opening it again); try again in a few seconds',
      );
      await app.close();
    },
  );

  it("answer 503 with Retry-After when Fastify's own deadline on the request passes", async () => {
    const hanging = { find: () => new Promise<never>(() => undefined) };
    const { app, auth } = await appWith({ snapshots: hanging }, { handlerTimeout: 100 });
    // A ticket Temporal does not keep is read from the read model, which hangs here.
    const response = await app.inject({ method: 'GET', url: '/v1/tickets/VIG-000001', headers: auth });
    expectProblem(response, 503, 'unavailable');
    expect(response.headers['retry-after']).toBe('5');
    expect(response.json().detail).toBe('the request did not complete in time; try again in a few seconds');
    await app.close();
  });
});

describe('/ready', () => {
  it('says whether a worker polls the ticket task queue', async () => {
    const { app } = await appWith({
      readiness: { temporal: async () => undefined, postgresql: async () => undefined },
    });
    expect((await app.inject({ method: 'GET', url: '/ready' })).json()).toEqual({
      status: 'ready',
      checks: { temporal: 'up', worker: 'up', postgresql: 'up' },
    });
    await app.close();

    const again = await appWith({ readiness: { temporal: async () => undefined, postgresql: async () => undefined } });
    again.temporal.worker = 'gone';
    const response = await again.app.inject({ method: 'GET', url: '/ready' });
    expectProblem(response, 503, 'unavailable');
    expect(response.headers['retry-after']).toBe('5');
    expect(response.json()).toMatchObject({
      detail: 'not ready: worker does not answer',
      checks: {
        temporal: 'up',
        postgresql: 'up',
        worker: 'down: no worker is polling the ticket task queue (vigil-tickets)',
      },
    });
    await again.app.close();
  });

  it('asks its dependencies once for any number of probes at the same moment', async () => {
    let asked = 0;
    const { app } = await appWith({ readiness: { temporal: async () => void asked++, worker: async () => undefined } });
    const statuses = await Promise.all(
      Array.from({ length: 10 }, () =>
        app.inject({ method: 'GET', url: '/ready' }).then((response) => response.statusCode),
      ),
    );
    expect(statuses).toEqual(Array(10).fill(200));
    expect(asked).toBe(1);
    await app.close();
  });

  it('limits each address, without an API key, and leaves the others alone', async () => {
    const { app } = await appWith({ readiness: { temporal: async () => undefined, worker: async () => undefined } });
    const ready = (remoteAddress: string) => app.inject({ method: 'GET', url: '/ready', remoteAddress });
    for (let probe = 0; probe < 120; probe++) expect((await ready('10.0.0.1')).statusCode).toBe(200);
    const limited = await ready('10.0.0.1');
    expectProblem(limited, 429, 'rate-limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await ready('10.0.0.2')).statusCode).toBe(200);
    await app.close();
  });
});

describe('workerPolling', () => {
  // Temporal's record of the task queue's pollers, as DescribeTaskQueue gives it.
  const temporalSeeing = (...lastAccess: (number | undefined)[]) =>
    ({
      options: { namespace: 'default' },
      connection: { withDeadline: <T>(_deadline: number, call: () => Promise<T>) => call() },
      workflowService: {
        describeTaskQueue: async () => ({
          pollers: lastAccess.map((at) => ({ identity: 'w', lastAccessTime: at === undefined ? null : msToTs(at) })),
        }),
      },
    }) as unknown as Client;
  const check = (...lastAccess: (number | undefined)[]) =>
    workerPolling(temporalSeeing(...lastAccess), { taskQueue: 'q', timeoutMs: 1_000, now: () => NOW })();

  it('counts a worker seen within 70 s as polling: an idle long poll lasts up to a minute', async () => {
    await expect(check(NOW - 59_000)).resolves.toBeUndefined();
    await expect(check(NOW - 300_000, NOW - 1_000)).resolves.toBeUndefined();
  });

  it('counts none, one seen longer ago, or one without a time, as no worker', async () => {
    for (const pollers of [[], [NOW - 71_000], [undefined]])
      await expect(check(...pollers)).rejects.toThrow(new NoWorkerPolling('q'));
  });
});

describe('sharedFor', () => {
  it('shares one outcome, a rejection included, until the period after it settled', async () => {
    let clock = 0;
    let calls = 0;
    const shared = sharedFor(
      1_000,
      async () => (++calls % 2 === 1 ? Promise.reject(new Error(`call ${calls}`)) : calls),
      () => clock,
    );
    await expect(Promise.all([shared(), shared()])).rejects.toThrow('call 1');
    clock = 999;
    await expect(shared()).rejects.toThrow('call 1');
    clock = 1_000;
    await expect(shared()).resolves.toBe(2);
    expect(calls).toBe(2);
  });
});
