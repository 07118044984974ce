import { type Stack, eventually, startStack } from '../support/e2e/stack';

jest.setTimeout(150_000);

/**
 * The API and Temporal up, the worker gone (shut down, as a crashed or stopped worker process is), on the real dev
 * server: reads fall back to the read model marked stale, actions answer 503 naming the missing worker within the
 * request's deadline, and /ready says which part is missing. Small deadlines are injected; the stack's task queue is
 * its own, so the other tests' workers never answer for it.
 */
describe('the API with no worker polling, on the real dev server', () => {
  let stack: Stack;

  beforeAll(async () => {
    // A worker counts as polling when seen within 5 s: short, so that its absence shows at once once it is gone.
    stack = await startStack('worker-down', { temporalDeadlineMs: 2_000, workerSeenWithinMs: 5_000 });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const call: Stack['call'] = (...args) => stack.call(...args);

  const open = async () => {
    const opened = await call('POST', '/tickets', {
      customerId: stack.customerId,
      title: 'Printer down',
      description: 'The office printer prints blank pages.',
      contact: { name: 'Ana Lopes', email: 'ana@acme.lu' },
    });
    expect(opened.status).toBe(201);
    return opened.body.ticketNumber as string;
  };

  /** /ready once a second (its answer is shared for a second anyway, and it is rate limited per address) until `done`. */
  const readyUntil = (done: (status: number) => boolean) =>
    eventually(
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        const response = await fetch(`${stack.baseUrl.replace(/\/v1$/, '')}/ready`);
        return {
          status: response.status,
          retryAfter: response.headers.get('retry-after'),
          body: (await response.json()) as Record<string, any>,
        };
      },
      (ready) => done(ready.status),
      90_000,
    );

  it('reads the last snapshot marked stale, answers actions 503 naming the worker, and /ready says it is missing', async () => {
    const ticketNumber = await open();
    const taken = await call('POST', `/tickets/${ticketNumber}/take-charge`, { agent: 'marc' });
    expect(taken.status).toBe(200);
    const snapshotRevision = async () =>
      (await stack.db.query<{ revision: number }>('SELECT revision FROM tickets WHERE number = $1', [ticketNumber]))
        .rows[0]?.revision;
    await eventually(snapshotRevision, (revision) => revision === taken.body.revision);
    // The worker has just taken the ticket's tasks: it is seen polling, and the ticket is read live.
    const live = await call('GET', `/tickets/${ticketNumber}`);
    expect({ status: live.status, stale: live.body.stale, warning: live.headers.get('warning') }).toEqual({
      status: 200,
      stale: undefined,
      warning: null,
    });
    expect((await readyUntil((status) => status === 200)).body.checks).toEqual({ temporal: 'up', worker: 'up' });

    await stack.stopWorker();

    const notReady = await readyUntil((status) => status === 503);
    expect(notReady.retryAfter).toBe('5');
    expect(notReady.body).toMatchObject({
      detail: 'not ready: worker does not answer',
      checks: { temporal: 'up', worker: `down: no worker is polling the ticket task queue (${stack.taskQueue})` },
    });

    const read = await call('GET', `/tickets/${ticketNumber}`, undefined, 'customer');
    expect(read.status).toBe(200);
    // The agent's key took it in charge (test/support/e2e/stack.ts labels it): who acts is who is authenticated.
    expect(read.body).toMatchObject({
      ticketNumber,
      status: 'support',
      assignee: taken.body.assignee,
      revision: taken.body.revision,
      stale: true,
    });
    expect(taken.body.assignee).toMatch(/^e2e .* agent$/);
    expect(read.headers.get('warning')).toBe(
      `110 vigil "stale: revision ${taken.body.revision} from the read model; no worker is polling the ticket task queue (${stack.taskQueue})"`,
    );

    const noWorker = `no worker is polling the ticket task queue (${stack.taskQueue}); try again in a few seconds`;
    // An action's Update waits with Temporal for a worker, and is applied once one polls again (below).
    const mayBeApplied = `no worker is polling the ticket task queue (${stack.taskQueue}), and the action may have been applied (a retry is safe with the same Idempotency-Key; without one, read the ticket before sending the action again); try again in a few seconds`;
    for (const [path, body, as] of [
      ['reassign', { agent: 'lea', by: 'marc' }, 'agent'],
      ['cancel', { by: 'Ana Lopes', reason: 'Fixed itself' }, 'customer'],
    ] as const) {
      const refused = await call('POST', `/tickets/${ticketNumber}/${path}`, body, as);
      expect({
        status: refused.status,
        retryAfter: refused.headers.get('retry-after'),
        detail: refused.body.detail,
      }).toEqual({ status: 503, retryAfter: '5', detail: mayBeApplied });
    }

    // Opened while no worker polls: started in Temporal, never registered, absent from the read model.
    const unregistered = await open();
    for (const [method, path, body] of [
      ['GET', '', undefined],
      ['POST', '/take-charge', { agent: 'marc' }],
    ] as const) {
      const refused = await call(method, `/tickets/${unregistered}${path}`, body);
      expect({
        status: refused.status,
        retryAfter: refused.headers.get('retry-after'),
        detail: refused.body.detail,
      }).toEqual({ status: 503, retryAfter: '5', detail: method === 'GET' ? noWorker : mayBeApplied });
    }

    // The worker back: the actions answered 503 above were applied after all, once each, in the order they were sent.
    await stack.startWorker();
    const applied = await eventually(
      async () => (await call('GET', `/tickets/${ticketNumber}`)).body,
      (ticket) => ticket.status === 'cancelled',
      90_000,
    );
    expect(applied.assignee).toBe('lea');
    const types = (applied.events as { type: string }[]).map((event) => event.type);
    expect(types.filter((type) => type === 'reassigned' || type === 'cancelled')).toEqual(['reassigned', 'cancelled']);
  });
});
