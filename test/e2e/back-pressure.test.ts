import { type Backlog, type QueueBacklog, taskQueueBacklog } from '../../api/back-pressure';
import { RETRY_AFTER_SECONDS } from '../../api/problems';
import { type ApiAnswer, eventually, type Stack, startStack } from '../support/e2e/stack';

jest.setTimeout(300_000);

/** One queue's backlog out of a reading (each reading holds the four the probe reads). */
const of = (backlog: Backlog, queue: QueueBacklog['queue'], kind: QueueBacklog['kind']): QueueBacklog =>
  backlog.find((one) => one.queue === queue && one.kind === kind)!;

/** The bound in this test: a handful of waiting workflow tasks, so that a stopped worker passes it in a few openings. */
const MAX_BACKLOG = 3;

/**
 * Back-pressure on the real dev server, through a real socket: with the stack's worker stopped, openings are taken
 * (their workflows wait for a worker) until the ticket task queue's backlog passes the bound, then refused 503 busy
 * with Retry-After; once a worker is back and has drained the queue, openings are taken again, and every ticket taken
 * was registered and acknowledged once. The bounds reach the API through the variables api/server.ts reads. Temporal
 * refreshes its backlog figures every few seconds: the test waits for them by polling, never by sleeping.
 */
describe('back-pressure on new tickets, on the real dev server', () => {
  let stack: Stack;

  beforeAll(async () => {
    // A worker counts as gone 5 s after its last poll: the openings that fill the queue then skip waiting for it.
    stack = await startStack(
      'back-pressure',
      { workerSeenWithinMs: 5_000 },
      // The age bound is out of reach: it is the count of waiting tasks that this test passes.
      {
        busy: {
          VIGIL_BUSY_MAX_BACKLOG: String(MAX_BACKLOG),
          VIGIL_BUSY_MAX_BACKLOG_AGE_SECONDS: '3600',
          VIGIL_BUSY_PROBE_INTERVAL_MS: '200',
        },
      },
    );
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const open = (title: string) =>
    stack.call('POST', '/tickets', {
      customerId: stack.customerId,
      title,
      description: 'The office printer prints blank pages.',
      contact: { name: 'Ana Lopes', email: 'ana@acme.lu' },
    });
  /** The backlog as Temporal reports it now, read the way the API reads it. */
  const backlog = () => taskQueueBacklog(stack.temporal, { taskQueue: stack.taskQueue, timeoutMs: 5_000 })();
  const ready = async () => (await fetch(`${stack.baseUrl.replace(/\/v1$/, '')}/ready`)).status;

  it('refuses openings as busy while the backlog is past its bound, takes them again once drained, and loses none', async () => {
    const accepted: string[] = [];
    const take = (answer: ApiAnswer) => {
      expect([answer.status, answer.body.detail]).toEqual([201, undefined]);
      accepted.push(answer.body.ticketNumber as string);
    };
    take(await open('Before the worker stopped'));

    await stack.stopWorker();
    // Until the API sees the worker gone, an opening would wait for it to register the ticket.
    await eventually(
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        return ready();
      },
      (status) => status === 503,
      90_000,
    );

    // Each opening now starts a workflow whose first task waits for a worker: one more task in the backlog.
    for (let i = 0; i <= MAX_BACKLOG; i += 1) take(await open(`While the worker is away ${i}`));
    const waiting = accepted.length - 1;
    await eventually(backlog, (now) => of(now, 'tickets', 'workflow').tasks >= waiting, 90_000);

    // The API judges each opening on its last reading: one taken before that reading passes the bound is taken for good.
    let refused: ApiAnswer | undefined;
    for (let tries = 0; tries < 20 && !refused; tries += 1) {
      const answer = await open('Past the bound');
      if (answer.status === 503) refused = answer;
      else take(answer);
    }
    expect(refused).toBeDefined();
    expect({
      status: refused!.status,
      type: refused!.type,
      retryAfter: refused!.headers.get('retry-after'),
      problem: refused!.body.type,
      title: refused!.body.title,
    }).toEqual({
      status: 503,
      type: 'application/problem+json; charset=utf-8',
      retryAfter: String(RETRY_AFTER_SECONDS),
      problem: 'https://vigil.dev/problems/busy',
      title: 'Busy',
    });
    expect(refused!.body.detail).toMatch(
      new RegExp(
        `^the workers are busy: \\d+ workflow tasks wait for a worker on the ticket queue, the oldest for \\d+ s \\(bounds: ${MAX_BACKLOG} tasks, 3600 s\\)`,
      ),
    );
    expect(refused!.body.detail).not.toMatch(/unreachable/);
    const metrics = await (await fetch(`${stack.baseUrl.replace(/\/v1$/, '')}/metrics`)).text();
    expect(metrics).toMatch(/^vigil_requests_refused_busy_total [1-9]/m);

    await stack.startWorker();
    // Refused openings leave nothing to take back: a client retries until the queue is drained and the API sees it.
    const reopened = await eventually(
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 500));
        return open('After the drain');
      },
      (answer) => answer.status !== 503,
      120_000,
    );
    take(reopened);

    // Every ticket taken is registered once and acknowledged once: one acknowledgement event, one mail in the outbox.
    const acknowledgements = async () =>
      (
        await stack.db.query<{ ticket_number: string; count: number }>(
          "SELECT ticket_number, count(*)::int AS count FROM outbox WHERE kind = 'acknowledgement' AND ticket_number = ANY($1) GROUP BY ticket_number ORDER BY ticket_number",
          [accepted],
        )
      ).rows;
    const sent = await eventually(acknowledgements, (rows) => rows.length === accepted.length, 120_000);
    expect(sent).toEqual([...accepted].sort().map((ticket_number) => ({ ticket_number, count: 1 })));
    for (const number of accepted) {
      // The worker is still draining: a query it cannot answer within the API's deadline gets the read model's
      // snapshot, marked stale, which is the API's promise under load. The ticket must answer live once it catches up.
      const ticket = await eventually(
        () => stack.call('GET', `/tickets/${number}`),
        (answer) => answer.body.stale === undefined,
        120_000,
      );
      const events = (ticket.body.events as Array<{ type: string }>).map((event) => event.type);
      expect({
        number,
        stale: ticket.body.stale,
        acknowledged: events.filter((type) => type === 'acknowledged'),
      }).toEqual({ number, stale: undefined, acknowledged: ['acknowledged'] });
    }
    // Nothing was opened for the refused requests: the customer's tickets are the ones taken.
    const { rows } = await stack.db.query<{ number: string }>(
      'SELECT number FROM tickets WHERE customer_id = $1 ORDER BY number',
      [stack.customerId],
    );
    expect(rows.map(({ number }) => number)).toEqual([...accepted].sort());
  });
});
