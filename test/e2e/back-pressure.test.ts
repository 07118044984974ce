import { DateTime } from 'luxon';
import { type Backlog, type QueueBacklog, taskQueueBacklog } from '../../api/back-pressure';
import { RETRY_AFTER_SECONDS } from '../../api/problems';
import { OPENING_CONTACT } from '../../bench/chaos/actions';
import { seedNightCustomer } from '../../bench/notices/night';
import { type ApiAnswer, eventually, type Stack, startStack } from '../support/e2e/stack';

jest.setTimeout(300_000);

/** One queue's backlog out of a reading (each reading holds the four the probe reads). */
const of = (backlog: Backlog, queue: QueueBacklog['queue'], kind: QueueBacklog['kind']): QueueBacklog =>
  backlog.find((one) => one.queue === queue && one.kind === kind)!;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What the tests below do on a stack: open tickets, read the backlogs as the API does, and count what was taken. */
function onStack(stack: () => Stack) {
  const accepted: string[] = [];
  const open = (title: string) =>
    stack().call('POST', '/tickets', {
      customerId: stack().customerId,
      title,
      description: 'The office printer prints blank pages.',
      contact: OPENING_CONTACT,
    });
  const ready = async () => (await fetch(`${stack().baseUrl.replace(/\/v1$/, '')}/ready`)).status;
  const readyBecomes = (status: number) =>
    eventually(
      async () => {
        await pause(1_000);
        return ready();
      },
      (now) => now === status,
      90_000,
    );
  return {
    accepted,
    open,
    /** The backlogs as Temporal reports them now, read the way the API reads them. */
    backlog: () => taskQueueBacklog(stack().temporal, { taskQueue: stack().taskQueue, timeoutMs: 5_000 })(),
    take: (answer: ApiAnswer) => {
      expect([answer.status, answer.body.detail]).toEqual([201, undefined]);
      accepted.push(answer.body.ticketNumber as string);
    },
    /** Until the API sees the worker gone, an opening would wait for it to register the ticket. */
    workerSeenGone: () => readyBecomes(503),
    /** Until the API sees a worker polling again, an opening would be answered at once, its registration to come. */
    workerSeen: () => readyBecomes(200),
    /** Openings, each after a pause, until one's answer is what `done` waits for: that answer (the others are not kept). */
    openUntil(title: string, done: (answer: ApiAnswer) => boolean, timeoutMs = 120_000) {
      return eventually(
        async () => {
          await pause(500);
          return open(title);
        },
        done,
        timeoutMs,
      );
    },
    /** The busy answer as the API gives it: 503 problem+json, type busy, Retry-After, never "unreachable". */
    expectBusy(refused: ApiAnswer | undefined, detail: RegExp) {
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
      expect(refused!.body.detail).toMatch(detail);
      expect(refused!.body.detail).not.toMatch(/unreachable/);
    },
    /** Every ticket taken is registered once and acknowledged once: one acknowledgement mail each in the outbox. */
    async expectEachAcknowledgedOnce() {
      const acknowledgements = async () =>
        (
          await stack().db.query<{ ticket_number: string; count: number }>(
            "SELECT ticket_number, count(*)::int AS count FROM outbox WHERE kind = 'acknowledgement' AND ticket_number = ANY($1) GROUP BY ticket_number ORDER BY ticket_number",
            [accepted],
          )
        ).rows;
      const sent = await eventually(acknowledgements, (rows) => rows.length === accepted.length, 120_000);
      expect(sent).toEqual([...accepted].sort().map((ticket_number) => ({ ticket_number, count: 1 })));
    },
  };
}

/**
 * A stack whose API refuses new tickets past these bounds, through the variables api/server.ts reads, probing often. A
 * worker counts as gone 5 s after its last poll: openings made while it is away then skip waiting for it.
 */
function startBusyStack(name: string, maxBacklog: number, maxAgeSeconds: number): Promise<Stack> {
  return startStack(
    name,
    { workerSeenWithinMs: 5_000 },
    {
      busy: {
        VIGIL_BUSY_MAX_BACKLOG: String(maxBacklog),
        VIGIL_BUSY_MAX_BACKLOG_AGE_SECONDS: String(maxAgeSeconds),
        VIGIL_BUSY_PROBE_INTERVAL_MS: '200',
      },
    },
  );
}

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
  const on = onStack(() => stack);

  beforeAll(async () => {
    // The age bound is out of reach: it is the count of waiting tasks that this test passes.
    stack = await startBusyStack('back-pressure', MAX_BACKLOG, 3600);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('refuses openings as busy while the backlog is past its bound, takes them again once drained, and loses none', async () => {
    const { accepted, open, take } = on;
    take(await open('Before the worker stopped'));

    await stack.stopWorker();
    await on.workerSeenGone();

    // Each opening now starts a workflow whose first task waits for a worker: one more task in the backlog.
    for (let i = 0; i <= MAX_BACKLOG; i += 1) take(await open(`While the worker is away ${i}`));
    const waiting = accepted.length - 1;
    await eventually(on.backlog, (now) => of(now, 'tickets', 'workflow').tasks >= waiting, 90_000);

    // The API judges each opening on its last reading: one taken before that reading passes the bound is taken for good.
    let refused: ApiAnswer | undefined;
    for (let tries = 0; tries < 20 && !refused; tries += 1) {
      const answer = await open('Past the bound');
      if (answer.status === 503) refused = answer;
      else take(answer);
    }
    on.expectBusy(
      refused,
      new RegExp(
        `^the workers are busy: \\d+ workflow tasks wait for a worker on the ticket queue, the oldest for \\d+ s \\(bounds: ${MAX_BACKLOG} tasks, 3600 s\\)`,
      ),
    );
    const metrics = await (await fetch(`${stack.baseUrl.replace(/\/v1$/, '')}/metrics`)).text();
    expect(metrics).toMatch(/^vigil_requests_refused_busy_total [1-9]/m);

    await stack.startWorker();
    // Refused openings leave nothing to take back: a client retries until the queue is drained and the API sees it.
    take(await on.openUntil('After the drain', (answer) => answer.status !== 503));

    await on.expectEachAcknowledgedOnce();
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

/** The age bound of these tests: a task or notice that waited longer than this is late. */
const MAX_AGE_SECONDS = 2;

/**
 * The age bound on the real dev server, the count bound out of reach: a ticket-queue task that waits past it (the
 * worker stopped) refuses openings; so does a warning notice that waits past it (only the notices' worker stopped),
 * while every opening before it was registered at once; so does an opening the API took that waits past it while every
 * backlog is empty (the worker took its registration and cannot finish it). Each time, once the workers catch up,
 * openings are taken again and nothing was doubled. The waits are Temporal's own figures (approximateBacklogAge) and
 * the API's /metrics, awaited by polling.
 */
describe('back-pressure by age, on the real dev server', () => {
  let stack: Stack;
  const on = onStack(() => stack);

  beforeAll(async () => {
    stack = await startBusyStack('back-pressure-age', 1000, MAX_AGE_SECONDS);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('refuses openings while a ticket-queue task has waited past the bound, and takes them again once it is taken', async () => {
    const { open, take } = on;
    take(await open('Before the worker stopped'));
    await stack.stopWorker();
    await on.workerSeenGone();

    take(await open('While the worker is away'));
    await eventually(on.backlog, (now) => of(now, 'tickets', 'workflow').oldestSeconds > MAX_AGE_SECONDS, 90_000);
    const refused = await on.openUntil('Late', (answer) => answer.status === 503, 90_000);
    on.expectBusy(
      refused,
      new RegExp(
        `^the workers are busy: \\d+ (workflow|activity) tasks wait for a worker on the ticket queue, the oldest for \\d+ s \\(bounds: 1000 tasks, ${MAX_AGE_SECONDS} s\\)`,
      ),
    );

    await stack.startWorker();
    take(await on.openUntil('After the drain', (answer) => answer.status !== 503));
    await on.expectEachAcknowledgedOnce();
  });

  it('refuses openings while a notice has waited past the bound, having registered each ticket before it, and sends each notice once', async () => {
    // A customer whose P1 tickets warn 6 s after registration (10 % of one business minute, its calendar always open)
    // and breach at one minute, the desk told each time.
    const night = await seedNightCustomer(
      stack.db,
      {
        id: `back-pressure-${Date.now().toString(36)}`,
        opensAt: DateTime.utc().startOf('day').toMillis(),
        targetMinutes: 1,
        warningPercent: 10,
      },
      'back-pressure',
    );
    await stack.stopWorker();
    await stack.startWorker({ without: ['notices'] });

    // Temporal's figures of the test before may still stand for a few seconds: a client sends a busy opening again.
    const opened = await eventually(
      () =>
        stack.call('POST', '/tickets', {
          customerId: night.customerId,
          priority: 'P1',
          title: 'Warned while the notices wait',
          description: 'The office printer prints blank pages.',
          contact: OPENING_CONTACT,
        }),
      (answer) => answer.body.type !== 'https://vigil.dev/problems/busy',
      60_000,
    );
    expect([opened.status, opened.body.status, opened.body.detail]).toEqual([201, 'acknowledgement', undefined]);
    const warned = opened.body.ticketNumber as string;

    await eventually(on.backlog, (now) => of(now, 'notices', 'activity').oldestSeconds > MAX_AGE_SECONDS, 90_000);
    // The ticket queue is judged first: a refusal naming the notices says it was within its bounds, served meanwhile.
    const refused = await on.openUntil('While a notice is late', (answer) => answer.status === 503, 90_000);
    on.expectBusy(
      refused,
      new RegExp(
        `^the workers are busy: \\d+ warning or breach notices wait for a worker, the oldest for \\d+ s \\(bound: ${MAX_AGE_SECONDS} s\\)`,
      ),
    );

    await stack.stopWorker();
    await stack.startWorker();
    on.take(await on.openUntil('Once the notices caught up', (answer) => answer.status !== 503));
    await on.expectEachAcknowledgedOnce();

    // The late warning is sent once, and the breach after it once, to the desk.
    const notices = async () =>
      (
        await stack.db.query<{ kind: string; count: number }>(
          'SELECT kind, count(*)::int AS count FROM outbox WHERE ticket_number = $1 AND kind IN ($2, $3) GROUP BY kind ORDER BY kind',
          [warned, 'threshold-warning', 'breach'],
        )
      ).rows;
    expect(await eventually(notices, (rows) => rows.length === 2, 120_000)).toEqual([
      { kind: 'breach', count: 1 },
      { kind: 'threshold-warning', count: 1 },
    ]);
  });

  it('refuses openings while one it took has waited past the bound for a worker that holds its task, every backlog empty', async () => {
    const { open, take } = on;
    const oldestOpening = async () => {
      const metrics = await (await fetch(`${stack.baseUrl.replace(/\/v1$/, '')}/metrics`)).text();
      return Number(/^vigil_ticket_opening_oldest_seconds (\S+)$/m.exec(metrics)?.[1]);
    };
    // The worker takes the opening's registration at once and then cannot finish it, as a worker starved of CPU sits
    // on the tasks it took: another transaction holds the tickets' table against writes. An opening that finds no
    // worker polling within the 2 s the API gives that check (a slow answer on a loaded machine) is answered at once,
    // its registration to come, and no longer waits: the opening is sent again under a new lock until one waits.
    await on.workerSeen();
    let refused: ApiAnswer | undefined;
    for (let attempt = 0; attempt < 10 && !refused; attempt += 1) {
      const holder = await stack.db.connect();
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE tickets IN EXCLUSIVE MODE');
      let settled = false;
      const held = open(`Registered behind a lock ${attempt}`);
      void held.then(
        () => (settled = true),
        () => (settled = true),
      );
      try {
        // Past the worker check's 2 s too: an opening still in flight then waits for its registration.
        await eventually(oldestOpening, (seconds) => seconds > MAX_AGE_SECONDS + 1 || settled, 60_000);
        if (!settled) {
          const answer = await open('While an opening is late');
          if (answer.status === 503) refused = answer;
          else take(answer);
        }
      } finally {
        await holder.query('ROLLBACK');
        holder.release();
      }
      take(await held);
    }
    // Judged after the ticket queue and the notices: a refusal naming the opening says both were within bounds.
    on.expectBusy(
      refused,
      new RegExp(
        `^the workers are busy: a ticket opening has waited \\d+ s for its registration \\(bound: ${MAX_AGE_SECONDS} s\\)`,
      ),
    );
    expect(await eventually(oldestOpening, (seconds) => seconds === 0)).toBe(0);
    take(await on.openUntil('Once the opening is answered', (answer) => answer.status !== 503));
    await on.expectEachAcknowledgedOnce();
  });
});
