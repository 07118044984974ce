import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createInvoicingActivities, type IssuedInvoice } from '../../activities/invoicing';
import { createActivities } from '../../activities/ticket-activities';
import { acknowledgeTicket } from '../support/e2e/registration';
import { OUTBOX_CHANNEL } from '../../db/outbox';
import { createPool } from '../../db/pool';
import { ticketNumberAllocator } from '../../db/ticket-numbers';
import type { NewCustomer } from '../../messages/accounts';
import type { TicketState } from '../../messages/ticket';
import { startOutboxDispatcher, type OutboxDispatcher } from '../../mail/dispatcher';
import { dateInWords } from '../../mail/format';
import { laneConnections } from '../../mail/lanes';
import { MailCapture, serverDown, type CapturedMail } from '../support/e2e/mail';
import { refusingWrites } from '../support/e2e/refusing-writes';
import { contractsStartOn, e2eEnv, eventually, openTicket, startStack, type Stack } from '../support/e2e/stack';

jest.setTimeout(90_000);

interface OutboxRecord {
  kind: string;
  recipient: string;
  attempts: number;
  sent_at: Date | null;
  failed_at: Date | null;
  last_error: string | null;
}

// Mail out: notices leave through the outbox, over real SMTP, to a real Mailpit read through its HTTP API. One
// file, one dispatcher at a time: a dispatcher delivers every due row of the shared database, so two would race.
describe('e-mail notices over real SMTP', () => {
  let stack: Stack;
  let mail: MailCapture;
  let dispatcher: OutboxDispatcher | undefined;
  // The pool of a dispatcher as the worker runs it (sleepyDispatcher), ended after it.
  let ownPool: Pool | undefined;
  const FROM = 'Support desk <support@desk.test>';

  beforeAll(async () => {
    stack = await startStack('mail');
    // Every address of these tests ends in .test or .lu; the others get a 550, the permanent failure of the last test.
    mail = await MailCapture.start({ allowedRecipients: '\\.(test|lu)$' });
  });

  afterEach(async () => {
    await dispatcher?.stop();
    dispatcher = undefined;
    await ownPool?.end();
    ownPool = undefined;
  });

  afterAll(async () => {
    await stack?.stop();
    await mail?.stop();
  });

  // Retries come fast here so the tests wait on events, not on a production backoff.
  const dispatch = () => {
    dispatcher = startOutboxDispatcher({
      db: stack.db,
      smtpUrl: mail.smtpUrl,
      from: FROM,
      idlePollMs: 50,
      lanes: 2,
      backoff: { firstDelayMs: 100, maxDelayMs: 400, maxAttempts: 1_000 },
    });
  };
  const arrived = async (match: (message: CapturedMail) => boolean): Promise<CapturedMail[]> =>
    (
      await eventually(
        () => mail.messages(),
        (messages) => messages.some(match),
      )
    ).filter(match);
  const outboxOf = async (ticketNumber: string, kind = 'acknowledgement'): Promise<OutboxRecord | undefined> =>
    (
      await stack.db.query<OutboxRecord>(
        'SELECT kind, recipient, attempts, sent_at, failed_at, last_error FROM outbox WHERE ticket_number = $1 AND kind = $2',
        [ticketNumber, kind],
      )
    ).rows[0];
  const registered = (customerId: string, email: string) => serverDown(stack.db, customerId, email);

  it('the acknowledgement arrives with the ticket number in the subject, and the next notice threads onto it', async () => {
    dispatch();
    const number = await openTicket(stack, {
      customerId: stack.customerId,
      priority: 'P2',
      title: 'Printer down',
      description: 'The office printer prints blank pages.',
      contact: { name: 'Ana Lopes', email: 'ana@acme.lu' },
    });

    const [ack, ...more] = await arrived(
      (message) => message.Subject === `[${number}] Your request is registered: Printer down`,
    );
    expect(more).toEqual([]);
    expect(ack!.To.map(({ Address }) => Address)).toEqual(['ana@acme.lu']);
    expect(ack!.MessageID).toBe(`${number}.ticket@desk.test`);

    expect((await stack.call('POST', `/tickets/${number}/take-charge`, { agent: 'marc' })).status).toBe(200);
    const [taken] = await arrived((message) => message.Subject === `[${number}] Taken in charge: Printer down`);
    expect(taken).toBeDefined();
    const headers = await mail.headers(taken!.ID);
    expect(headers['In-Reply-To']).toEqual([`<${number}.ticket@desk.test>`]);
    expect(headers['References']).toEqual([`<${number}.ticket@desk.test>`]);
    expect(headers['Auto-Submitted']).toEqual(['auto-generated']);

    // The desk sees on the ticket what went out.
    const notices = await eventually(
      () => stack.call('GET', `/tickets/${number}/notifications`),
      (answer) =>
        answer.body.notices?.length === 2 &&
        answer.body.notices.every((notice: { state: string }) => notice.state === 'sent'),
    );
    expect(notices.body.notices.map((notice: { kind: string; state: string }) => [notice.kind, notice.state])).toEqual([
      ['taken-in-charge', 'sent'],
      ['acknowledgement', 'sent'],
    ]);
  });

  it('a notice queued wakes the dispatcher: it goes out though the next poll is an hour away', async () => {
    // A poll that never comes within the test: only the NOTIFY of the queuing transaction can send the row.
    dispatcher = startOutboxDispatcher({
      db: stack.db,
      smtpUrl: mail.smtpUrl,
      from: FROM,
      idlePollMs: 3_600_000,
      lanes: 2,
    });
    const { ticket, env } = await registered(stack.customerId, 'ana@acme.lu');
    await env.run(acknowledgeTicket(stack.db), ticket);

    const copies = await arrived((message) => message.MessageID === `${ticket.ticketNumber}.ticket@desk.test`);
    expect(copies).toHaveLength(1);
    expect((await outboxOf(ticket.ticketNumber))?.sent_at).not.toBeNull();
  });

  /**
   * A dispatcher as the worker runs it, on a pool of its own named so that its backends are found in pg_stat_activity,
   * whose safety net's poll never comes within the test: a row goes out on a notification, or when its retry is due
   * (5 s after a failed attempt, so that the test reads it waiting even on a busy machine). Resolves once it LISTENs
   * and its lanes have looked at the table since and sleep.
   */
  async function sleepyDispatcher(): Promise<void> {
    const applicationName = `vigil-outbox-${randomUUID().slice(0, 8)}`;
    ownPool = createPool(
      { connectionString: e2eEnv().databaseUrl, application_name: applicationName, max: laneConnections(2) },
      () => undefined,
    );
    dispatcher = startOutboxDispatcher({
      db: ownPool,
      smtpUrl: mail.smtpUrl,
      from: FROM,
      lanes: 2,
      idlePollMs: 3_600_000,
      backoff: RETRY_IN_5_S,
    });
    const settled = await eventually(
      async () =>
        (
          await stack.db.query<{ looked: number; busy: number }>(
            `SELECT count(*) FILTER (WHERE lane.state = 'idle' AND lane.query = 'COMMIT' AND lane.state_change > listener.state_change)::int AS looked,
                    count(*) FILTER (WHERE lane.state <> 'idle')::int AS busy
             FROM pg_stat_activity listener
             JOIN pg_stat_activity lane ON lane.application_name = listener.application_name AND lane.pid <> listener.pid
             WHERE listener.application_name = $1 AND listener.query = $2 AND listener.state = 'idle'`,
            [applicationName, `LISTEN "${OUTBOX_CHANNEL}"`],
          )
        ).rows[0],
      (row) => (row?.looked ?? 0) >= 1 && row?.busy === 0,
    );
    expect(settled).toEqual({ looked: expect.any(Number), busy: 0 });
  }
  const RETRY_IN_5_S = { firstDelayMs: 5_000, maxDelayMs: 5_000, maxAttempts: 25 };
  const acknowledgementOf = async (ticketNumber: string) =>
    (
      await stack.db.query<{ key: string; attempts: number; due: boolean; sent: boolean }>(
        `SELECT idempotency_key AS key, attempts, next_attempt_at <= now() AS due, sent_at IS NOT NULL AS sent
         FROM outbox WHERE ticket_number = $1 AND kind = 'acknowledgement'`,
        [ticketNumber],
      )
    ).rows[0];
  /** The acknowledgement is sent, once. */
  const sentOnce = async (ticketNumber: string) => {
    const sent = await eventually(
      () => acknowledgementOf(ticketNumber),
      (row) => row?.sent === true,
    );
    expect(sent).toMatchObject({ due: true, sent: true });
    const copies = await arrived((message) => message.MessageID === `${ticketNumber}.ticket@desk.test`);
    expect(copies).toHaveLength(1);
  };

  it("a retry a lane wrote is sent when it is due, though the dispatcher's next poll is an hour away", async () => {
    await sleepyDispatcher();
    await mail.down();
    let ticketNumber: string;
    try {
      // Queued by the activity on a connection of its own: its NOTIFY wakes a lane, whose attempt is refused.
      const { ticket, env } = await registered(stack.customerId, 'ana@acme.lu');
      ticketNumber = ticket.ticketNumber;
      await env.run(acknowledgeTicket(stack.db), ticket);
      const waiting = await eventually(
        () => acknowledgementOf(ticketNumber),
        (row) => (row?.attempts ?? 0) >= 1,
      );
      // Read after the failed attempt's COMMIT and still not due: no lane could have found it due on its next look.
      expect(waiting).toMatchObject({ attempts: 1, due: false, sent: false });
    } finally {
      await mail.up();
    }
    await sentOnce(ticketNumber);
  });

  /**
   * The activity's own delivery (deliverNow, of a dispatcher without lanes) attempts a row while the SMTP server is
   * down, in `attempt`, after a sleepy dispatcher's lanes passed that row by: it was held, as a delivery in flight
   * holds it, while they looked.
   */
  async function attemptedByTheActivity(
    attempt: (deliverNow: () => Promise<void>, ticketNumber: string) => Promise<void>,
  ): Promise<string> {
    const { ticket, env } = await registered(stack.customerId, 'ana@acme.lu');
    await env.run(acknowledgeTicket(stack.db), ticket);
    const { key } = (await acknowledgementOf(ticket.ticketNumber))!;
    await mail.down();
    try {
      const holder = await stack.db.connect();
      try {
        await holder.query('BEGIN');
        await holder.query('SELECT id FROM outbox WHERE idempotency_key = $1 FOR UPDATE', [key]);
        await sleepyDispatcher();
      } finally {
        await holder.query('COMMIT');
        holder.release();
      }
      const activity = startOutboxDispatcher({
        db: stack.db,
        smtpUrl: mail.smtpUrl,
        from: FROM,
        lanes: 0,
        backoff: RETRY_IN_5_S,
      });
      try {
        await attempt(() => activity.deliverNow(stack.db, [key]), ticket.ticketNumber);
      } finally {
        await activity.stop();
      }
    } finally {
      await mail.up();
    }
    return ticket.ticketNumber;
  }

  it("a retry the activity's own delivery wrote wakes the lanes, which send it when it is due", async () => {
    const ticketNumber = await attemptedByTheActivity(async (deliverNow, queued) => {
      await deliverNow();
      // Written by the activity's delivery, after the lanes' last look: only its NOTIFY tells them of it.
      expect(await acknowledgementOf(queued)).toMatchObject({ attempts: 1, due: false, sent: false });
    });
    await sentOnce(ticketNumber);
  });

  it("a row the activity's own delivery let go, PostgreSQL failing its transaction, wakes the lanes, which send it", async () => {
    const ticketNumber = await attemptedByTheActivity((deliverNow, queued) =>
      // Every write of this row refused while the activity delivers it: its transaction fails, and the row is due again.
      refusingWrites(stack.db, 'outbox', 'UPDATE', 'ticket_number', queued, deliverNow),
    );
    await sentOnce(ticketNumber);
  });

  it('SMTP server down, then back, the worker restarted meanwhile: the notice waits and arrives exactly once', async () => {
    await mail.down();
    dispatch();
    const { ticket, env } = await registered(stack.customerId, 'ana@acme.lu');
    await env.run(acknowledgeTicket(stack.db), ticket);

    const tried = await eventually(
      () => outboxOf(ticket.ticketNumber),
      (row) => (row?.attempts ?? 0) >= 2,
    );
    expect(tried).toMatchObject({
      sent_at: null,
      failed_at: null,
      last_error: expect.stringContaining('ECONNREFUSED'),
    });

    // The worker goes away and comes back while the server is still down: the row is still there, still due.
    await dispatcher!.stop();
    dispatch();
    await mail.up();

    const sent = await eventually(
      () => outboxOf(ticket.ticketNumber),
      (row) => row?.sent_at !== null,
    );
    expect(sent?.sent_at).not.toBeNull();
    const copies = (await mail.messages()).filter(
      (message) => message.MessageID === `${ticket.ticketNumber}.ticket@desk.test`,
    );
    expect(copies).toHaveLength(1);
  });

  /**
   * A customer of its own, whose e-connect contract names `escalation` for emergencies; one of its tickets
   * acknowledged, then the breach of its response deadline, due on 1 December 2026 at 10:30 UTC, told to the desk and
   * to that contact while the dispatcher runs.
   */
  async function breachNotified(customer: NewCustomer, escalation: string): Promise<TicketState> {
    await stack.accounts.createCustomer(customer);
    await stack.accounts.createContract({
      customerId: customer.id,
      policyId: 'econnect',
      startsOn: contractsStartOn(),
      escalationContacts: [{ level: 'emergency-escalation', name: 'Chloé Martin', email: escalation }],
    });
    const { ticket, env } = await registered(customer.id, 'ana@acme.lu');
    const { notifyThreshold } = createActivities({ db: stack.db });
    await env.run(acknowledgeTicket(stack.db), ticket);
    dispatch();
    await env.run(notifyThreshold, {
      ticketNumber: ticket.ticketNumber,
      title: ticket.title,
      customerId: customer.id,
      priority: 'P1',
      metric: 'response',
      percent: 100,
      deadline: Date.parse('2026-12-01T10:30:00Z'),
      key: 'response:100:g0',
      notify: ['desk', 'emergency-escalation'],
    });
    return ticket;
  }

  it("a breach reaches the contract's escalation contact, in the customer's language, with the deadline in words", async () => {
    const ticket = await breachNotified(
      { id: `mail-fr-${randomUUID().slice(0, 8)}`, name: 'Acme Luxembourg', language: 'fr' },
      'chloe@acme.lu',
    );

    // 10:30 UTC is 11:30 in Luxembourg.
    const subject = `[${ticket.ticketNumber}] Délai de prise en charge dépassé (mardi 1 décembre 2026 à 11:30) : Serveur arrêté`;
    const breaches = await arrived(
      (message) => message.Subject === subject && message.To.some(({ Address }) => Address === 'chloe@acme.lu'),
    );
    expect(breaches).toHaveLength(1);
    // The desk, which no contract names, is told through its own address (the tests' VIGIL_DESK_ROLES catch-all).
    expect(
      await arrived(
        (message) => message.Subject === subject && message.To.some(({ Address }) => Address === 'desk@vigil.test'),
      ),
    ).toHaveLength(1);
    expect(
      await arrived(
        (message) => message.Subject === `[${ticket.ticketNumber}] Votre demande est enregistrée : Serveur arrêté`,
      ),
    ).toHaveLength(1);
  });

  it("dates a breach in the customer's own zone for the people its contract names, in the desk's for the desk", async () => {
    const contact = `chloe-${randomUUID().slice(0, 8)}@acme.lu`;
    const ticket = await breachNotified(
      { id: `mail-tz-${randomUUID().slice(0, 8)}`, name: 'Acme Québec', language: 'en', timeZone: 'America/Montreal' },
      contact,
    );
    // 10:30 UTC is 05:30 in Montreal, 11:30 in Luxembourg.
    const subjectAt = (time: string) =>
      `[${ticket.ticketNumber}] Response deadline missed (Tuesday, 1 December 2026 at ${time}): Serveur arrêté`;
    const to = (address: string) => (message: CapturedMail) => message.To.some(({ Address }) => Address === address);
    expect((await arrived(to(contact))).map((message) => message.Subject)).toEqual([subjectAt('05:30')]);
    expect(
      (
        await arrived(
          (message) => to('desk@vigil.test')(message) && message.Subject.startsWith(`[${ticket.ticketNumber}]`),
        )
      ).map((message) => message.Subject),
    ).toEqual([subjectAt('11:30')]);
  });

  /**
   * A customer of its own whose contract names an escalation contact, `count` of its tickets, and the breach notice
   * of each as the workflow hands it to notifyThreshold, with the activity environment of its ticket.
   */
  async function breachesToNotify(count: number) {
    const customerId = `mail-now-${randomUUID().slice(0, 8)}`;
    await stack.accounts.createCustomer({ id: customerId, name: 'Acme', language: 'en' });
    await stack.accounts.createContract({
      customerId,
      policyId: 'econnect',
      startsOn: contractsStartOn(),
      escalationContacts: [
        { level: 'emergency-escalation', name: 'Chloé Martin', email: `chloe-${customerId}@acme.lu` },
      ],
    });
    return Promise.all(
      Array.from({ length: count }, async () => {
        const { ticket, env } = await registered(customerId, 'ana@acme.lu');
        await env.run(acknowledgeTicket(stack.db), ticket);
        const notice = {
          ticketNumber: ticket.ticketNumber,
          title: ticket.title,
          customerId,
          priority: 'P1' as const,
          metric: 'response' as const,
          percent: 100,
          deadline: Date.parse('2026-12-01T10:30:00Z'),
          key: 'response:100:g0',
          notify: ['desk', 'emergency-escalation'],
        };
        return { ticket, env, notice };
      }),
    );
  }
  /** The threshold rows of these tickets, as the outbox holds them. */
  const thresholdRows = async (ticketNumbers: readonly string[]) =>
    (
      await stack.db.query<OutboxRecord & { ticket_number: string }>(
        `SELECT ticket_number, kind, recipient, attempts, sent_at, failed_at, last_error FROM outbox
         WHERE ticket_number = ANY($1) AND kind = 'breach' ORDER BY ticket_number, recipient`,
        [ticketNumbers],
      )
    ).rows;
  /** How many copies of each ticket's breach notice each recipient got, keyed `ticket recipient`. */
  const copiesOfBreaches = async (ticketNumbers: readonly string[]) => {
    const copies = new Map<string, number>();
    for (const message of await mail.messages()) {
      const number = ticketNumbers.find((candidate) => message.Subject.startsWith(`[${candidate}] Response deadline`));
      if (!number) continue;
      for (const { Address } of message.To)
        copies.set(`${number} ${Address}`, (copies.get(`${number} ${Address}`) ?? 0) + 1);
    }
    return copies;
  };
  const deliverNowOf = (running: OutboxDispatcher) => (keys: readonly string[]) => running.deliverNow(stack.db, keys);

  it('a breach notice leaves from the activity that queued it, with no dispatcher lane to send it', async () => {
    // No lane and no poll: only the activity's own delivery can send the rows.
    dispatcher = startOutboxDispatcher({ db: stack.db, smtpUrl: mail.smtpUrl, from: FROM, lanes: 0 });
    const [{ ticket, env, notice }] = (await breachesToNotify(1)) as [Awaited<ReturnType<typeof breachesToNotify>>[0]];
    const { notifyThreshold } = createActivities({ db: stack.db, deliverNow: deliverNowOf(dispatcher) });
    await env.run(notifyThreshold, notice);

    // Sent by the time the activity returned: nothing else could have sent them.
    expect(await thresholdRows([ticket.ticketNumber])).toEqual([
      expect.objectContaining({
        recipient: `chloe-${notice.customerId}@acme.lu`,
        attempts: 1,
        sent_at: expect.any(Date),
      }),
      expect.objectContaining({ recipient: 'desk@vigil.test', attempts: 1, sent_at: expect.any(Date) }),
    ]);
    const copies = await eventually(
      () => copiesOfBreaches([ticket.ticketNumber]),
      (found) => found.size === 2,
    );
    expect([...copies.values()]).toEqual([1, 1]);
  });

  it("the activities' own deliveries racing the dispatcher's lanes and each other: every notice arrives exactly once", async () => {
    dispatch();
    const breaches = await breachesToNotify(12);
    const { notifyThreshold } = createActivities({ db: stack.db, deliverNow: deliverNowOf(dispatcher!) });
    // Each notice's activity twice at once (a retry overlapping its first attempt), while the lanes, woken by each
    // commit, claim the same rows.
    await Promise.all(
      breaches.flatMap(({ env, notice }) => [env.run(notifyThreshold, notice), env.run(notifyThreshold, notice)]),
    );
    const numbers = breaches.map(({ ticket }) => ticket.ticketNumber);
    const rows = await eventually(
      () => thresholdRows(numbers),
      (found) => found.length === 24 && found.every((row) => row.sent_at !== null),
    );
    expect(rows.map((row) => [row.attempts, row.failed_at])).toEqual(rows.map(() => [1, null]));
    const copies = await eventually(
      () => copiesOfBreaches(numbers),
      (found) => found.size === 24,
    );
    expect(copies.size).toBe(24);
    expect(new Set(copies.values())).toEqual(new Set([1]));
  });

  it('SMTP server down when the activity sends: the activity still succeeds, and the notice arrives exactly once when it is back', async () => {
    const [{ ticket, env, notice }] = (await breachesToNotify(1)) as [Awaited<ReturnType<typeof breachesToNotify>>[0]];
    await mail.down();
    try {
      // No lane yet: the activity's own delivery is the only attempt while the server is away.
      dispatcher = startOutboxDispatcher({ db: stack.db, smtpUrl: mail.smtpUrl, from: FROM, lanes: 0 });
      const { notifyThreshold } = createActivities({ db: stack.db, deliverNow: deliverNowOf(dispatcher) });
      await env.run(notifyThreshold, notice);
      const refused = await thresholdRows([ticket.ticketNumber]);
      expect(refused).toEqual([
        expect.objectContaining({
          attempts: 1,
          sent_at: null,
          failed_at: null,
          last_error: expect.stringContaining('ECONNREFUSED'),
        }),
        expect.objectContaining({
          attempts: 1,
          sent_at: null,
          failed_at: null,
          last_error: expect.stringContaining('ECONNREFUSED'),
        }),
      ]);

      // The lanes take over, with their backoff; the activity retried meanwhile queues nothing twice.
      await dispatcher.stop();
      dispatch();
      await env.run(createActivities({ db: stack.db, deliverNow: deliverNowOf(dispatcher) }).notifyThreshold, notice);
    } finally {
      await mail.up();
    }
    const rows = await eventually(
      () => thresholdRows([ticket.ticketNumber]),
      (found) => found.every((row) => row.sent_at !== null),
    );
    expect(rows).toHaveLength(2);
    expect(rows.every((row) => row.sent_at !== null)).toBe(true);
    const copies = await eventually(
      () => copiesOfBreaches([ticket.ticketNumber]),
      (found) => found.size === 2,
    );
    expect([...copies.values()]).toEqual([1, 1]);
  });

  /** A closed ticket of the customer with one line of 50 EUR in Q4 2031, after every period another test file invoices. */
  async function billedIn2031(customerId: string): Promise<void> {
    const number = await ticketNumberAllocator(stack.db)();
    await stack.db.query(
      `INSERT INTO tickets (number, workflow_id, customer_id, policy_id, kind, priority, status, title, contact_email, opened_at, revision, snapshot)
       VALUES ($1, $2, $3, 'econnect', 'incident', 'P3', 'closed', 'Drucker', 'ana@acme.lu', '2031-11-04T09:00:00+01:00', 1, '{}')`,
      [number, `ticket-${number}`, customerId],
    );
    await stack.db.query(
      `INSERT INTO billing_lines (idempotency_key, ticket_number, customer_id, description, minutes, rate_cents, multiplier, amount_cents, created_at)
       VALUES ($1, $2, $3, 'remote assistance', 30, 10000, 1, 5000, '2031-11-05T10:00:00+01:00')`,
      [randomUUID(), number, customerId],
    );
  }
  const Q4_2031 = { periodStart: '2031-10-01', periodEnd: '2031-12-31' };
  /** The invoicing activity for one customer, as an invoicing run executes it (the same workflow ID again: a retry). */
  const invoice = (customerId: string, workflowId: string) => {
    const { createInvoice } = createInvoicingActivities({ db: stack.db });
    type Target = Parameters<typeof createInvoice>;
    return new MockActivityEnvironment({ workflowExecution: { workflowId, runId: 'run-1' } }).run<
      Target,
      IssuedInvoice | null,
      typeof createInvoice
    >(createInvoice, { customerId, ...Q4_2031 });
  };
  const invoiceReadyRows = async (number: string) =>
    (
      await stack.db.query<OutboxRecord & { id: string; subject: string }>(
        'SELECT id, kind, recipient, subject, attempts, sent_at, failed_at, last_error FROM outbox WHERE idempotency_key = $1',
        [`invoice-ready:${number}`],
      )
    ).rows;

  it("an invoice issued is announced once, to the customer's invoicing address, in its language, linking its HTML and PDF", async () => {
    const customerId = `mail-inv-${randomUUID().slice(0, 8)}`;
    const billingEmail = `rechnungen-${randomUUID().slice(0, 8)}@acme.lu`;
    await stack.accounts.createCustomer({
      id: customerId,
      name: 'Acme',
      language: 'de',
      billing: {
        legalName: 'Acme Luxemburg AG',
        street: '2 avenue de la Liberté',
        postalCode: 'L-1930',
        city: 'Luxembourg',
        country: 'LU',
        vatNumber: 'LU10000053',
        email: billingEmail,
      },
    });
    await billedIn2031(customerId);
    const savedUrl = process.env.VIGIL_PUBLIC_URL;
    process.env.VIGIL_PUBLIC_URL = 'https://vigil.desk.test/';
    let number: string;
    try {
      // The run's activity, retried (same workflow), then a second run of the same period: one invoice, one notice.
      const workflowId = `invoicing-${randomUUID()}`;
      const issued = await invoice(customerId, workflowId);
      expect(issued).toMatchObject({ created: true });
      expect(await invoice(customerId, workflowId)).toMatchObject({ number: issued!.number, created: false });
      expect(await invoice(customerId, `invoicing-${randomUUID()}`)).toMatchObject({
        number: issued!.number,
        created: false,
      });
      number = issued!.number;
    } finally {
      process.env.VIGIL_PUBLIC_URL = savedUrl;
    }
    expect(await invoiceReadyRows(number)).toEqual([
      expect.objectContaining({ kind: 'invoice-ready', recipient: billingEmail, failed_at: null }),
    ]);

    dispatch();
    const subject = `Ihre Rechnung ${number} liegt vor`;
    const [announced, ...more] = await arrived((message) => message.Subject === subject);
    expect(more).toEqual([]);
    expect(announced!.To.map(({ Address }) => Address)).toEqual([billingEmail]);
    // Tied to no ticket: a Message-ID of its own, answering no thread, and no [VIG-…] in the subject.
    const [row] = await invoiceReadyRows(number);
    expect(announced!.MessageID).toBe(`${row!.id}.outbox@desk.test`);
    const headers = await mail.headers(announced!.ID);
    expect([headers['In-Reply-To'], headers['References'], headers['X-Vigil-Ticket']]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    const { rows } = await stack.db.query<{ due: string }>(
      "SELECT document->>'dueDate' AS due FROM invoices WHERE number = $1",
      [number],
    );
    const text = await mail.text(announced!.ID);
    expect(text).toContain('Guten Tag Acme Luxemburg AG,');
    // 50.00 EUR and Luxembourg's 17 % VAT, as a German reader writes them.
    expect(text).toContain('Zu zahlender Betrag: 58,50\u00a0€ (50,00\u00a0€ netto)');
    expect(text).toContain(`Bitte begleichen Sie sie bis ${dateInWords(rows[0]!.due, { language: 'de' })}.`);
    expect(text).toContain(`https://vigil.desk.test/v1/invoices/${number}/html`);
    expect(text).toContain(`https://vigil.desk.test/v1/invoices/${number}/pdf`);
    const sent = await eventually(
      () => invoiceReadyRows(number),
      ([only]) => only?.sent_at !== null,
    );
    expect(sent).toEqual([expect.objectContaining({ attempts: 1, sent_at: expect.any(Date) })]);
  });

  it('a customer without an invoicing identity gets it at the first authorized contact of its contract; with nobody, it is failed for an admin', async () => {
    const withContact = `mail-inv-${randomUUID().slice(0, 8)}`;
    const contact = `paul-${randomUUID().slice(0, 8)}@acme.lu`;
    await stack.accounts.createCustomer({ id: withContact, name: 'Atelier', language: 'fr' });
    await stack.db.query(
      `INSERT INTO contracts (customer_id, policy_id, starts_on, ends_on, authorized_contacts) VALUES ($1, 'econnect', '2031-10-01', '2031-12-31', $2)`,
      [
        withContact,
        JSON.stringify([
          { name: 'Paul Weber', email: contact },
          { name: 'Ana Lopes', email: 'ana@acme.lu' },
        ]),
      ],
    );
    await billedIn2031(withContact);
    const nobody = `mail-inv-${randomUUID().slice(0, 8)}`;
    await stack.accounts.createCustomer({ id: nobody, name: 'Nobody' });
    await billedIn2031(nobody);
    const toContact = (await invoice(withContact, `invoicing-${randomUUID()}`))!.number;
    const toNobody = (await invoice(nobody, `invoicing-${randomUUID()}`))!.number;

    expect(await invoiceReadyRows(toContact)).toEqual([
      expect.objectContaining({
        recipient: contact,
        subject: `Votre facture ${toContact} est disponible`,
        failed_at: null,
      }),
    ]);
    expect(await invoiceReadyRows(toNobody)).toEqual([
      expect.objectContaining({
        recipient: `customer ${nobody}`,
        failed_at: expect.any(Date),
        last_error: expect.stringContaining('no invoicing e-mail'),
      }),
    ]);
    const failed = await stack.call('GET', '/admin/outbox?state=failed&limit=500', undefined, 'admin');
    expect(failed.body.notices).toContainEqual(
      expect.objectContaining({ kind: 'invoice-ready', state: 'failed', recipient: `customer ${nobody}` }),
    );
  });

  it('a permanent failure (550) is failed at once, listed for admins, on the ticket, and counted on /metrics', async () => {
    dispatch();
    const { ticket, env } = await registered(stack.customerId, 'ana@bounce.invalid');
    await env.run(acknowledgeTicket(stack.db), ticket);

    const failed = await eventually(
      () => outboxOf(ticket.ticketNumber),
      (row) => row?.failed_at !== null,
    );
    expect(failed).toMatchObject({ attempts: 1, sent_at: null, last_error: expect.stringMatching(/^550 /) });

    const list = await stack.call('GET', '/admin/outbox?state=failed&limit=500', undefined, 'admin');
    expect(list.status).toBe(200);
    expect(list.body.notices).toContainEqual(
      expect.objectContaining({
        ticketNumber: ticket.ticketNumber,
        kind: 'acknowledgement',
        state: 'failed',
        recipient: 'ana@bounce.invalid',
        attempts: 1,
        lastError: expect.stringMatching(/^550 /),
      }),
    );
    expect((await stack.call('GET', '/admin/outbox?state=failed', undefined, 'agent')).status).toBe(403);
    expect((await stack.call('GET', `/tickets/${ticket.ticketNumber}/notifications`)).body.notices).toEqual([
      expect.objectContaining({ state: 'failed' }),
    ]);

    const metrics = await (await fetch(stack.baseUrl.replace(/\/v1$/, '/metrics'))).text();
    expect(Number(/^vigil_outbox_failed (\S+)$/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(1);
    expect(metrics).toMatch(/^vigil_outbox_pending \S+$/m);
  });

  it('refuses a contract that leaves an escalation level with nobody to tell, naming the field', async () => {
    const saved = process.env.VIGIL_DESK_ROLES;
    process.env.VIGIL_DESK_ROLES = 'desk=desk@vigil.test';
    try {
      const answer = await stack.call(
        'POST',
        `/admin/customers/${stack.customerId}/contracts`,
        { policyId: 'econnect', startsOn: contractsStartOn() },
        'admin',
      );
      expect(answer.status).toBe(422);
      expect(JSON.stringify(answer.body)).toContain('escalationContacts');
      expect(answer.body.detail).toContain('"emergency-escalation"');
    } finally {
      process.env.VIGIL_DESK_ROLES = saved;
    }
  });
});
