import { randomUUID } from 'node:crypto';
import { createActivities } from '../../activities/ticket-activities';
import { startOutboxDispatcher, type OutboxDispatcher } from '../../mail/dispatcher';
import { MailCapture, type CapturedMail } from './mail-support';
import { contractsStartOn, eventually, startStack, ticketForActivities, type Stack } from './support';

jest.setTimeout(90_000);

interface OutboxRecord {
  kind: string;
  recipient: string;
  attempts: number;
  sent_at: Date | null;
  failed_at: Date | null;
  last_error: string | null;
}

// Issue 12, out: notices leave through the outbox, over real SMTP, to a real Mailpit read through its HTTP API. One
// file, one dispatcher at a time: a dispatcher delivers every due row of the shared database, so two would race.
describe('e-mail notices over real SMTP', () => {
  let stack: Stack;
  let mail: MailCapture;
  let dispatcher: OutboxDispatcher | undefined;
  const FROM = 'Support desk <support@desk.test>';

  beforeAll(async () => {
    stack = await startStack('mail');
    // Every address of these tests ends in .test or .lu; the others get a 550, the permanent failure of the last test.
    mail = await MailCapture.start({ allowedRecipients: '\\.(test|lu)$' });
  });

  afterEach(async () => {
    await dispatcher?.stop();
    dispatcher = undefined;
  });

  afterAll(async () => {
    await stack?.stop();
    await mail?.stop();
  });

  // Retries come fast here so the tests wait on events, not on a production backoff.
  const dispatch = () => {
    dispatcher = startOutboxDispatcher({ db: stack.db, smtpUrl: mail.smtpUrl, from: FROM, idlePollMs: 50, lanes: 2, backoff: { firstDelayMs: 100, maxDelayMs: 400, maxAttempts: 1_000 } });
  };
  const arrived = async (match: (message: CapturedMail) => boolean): Promise<CapturedMail[]> =>
    (await eventually(() => mail.messages(), (messages) => messages.some(match))).filter(match);
  const outboxOf = async (ticketNumber: string, kind = 'acknowledgement'): Promise<OutboxRecord | undefined> =>
    (await stack.db.query<OutboxRecord>('SELECT kind, recipient, attempts, sent_at, failed_at, last_error FROM outbox WHERE ticket_number = $1 AND kind = $2', [ticketNumber, kind])).rows[0];
  const registered = (customerId: string, email: string) =>
    ticketForActivities(
      stack.db,
      { customerId, policyId: 'econnect', kind: 'incident', priority: 'P1', title: 'Serveur arrêté', description: 'Plus rien ne répond.', contact: { name: 'Ana Lopes', email } },
      Date.now(),
    );

  it('the acknowledgement arrives with the ticket number in the subject, and the next notice threads onto it', async () => {
    dispatch();
    const opened = await stack.call('POST', '/tickets', {
      customerId: stack.customerId,
      priority: 'P2',
      title: 'Printer down',
      description: 'The office printer prints blank pages.',
      contact: { name: 'Ana Lopes', email: 'ana@acme.lu' },
    });
    expect(opened.status).toBe(201);
    const number = opened.body.ticketNumber as string;

    const [ack, ...more] = await arrived((message) => message.Subject === `[${number}] Your request is registered: Printer down`);
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
      (answer) => answer.body.notices?.length === 2 && answer.body.notices.every((notice: { state: string }) => notice.state === 'sent'),
    );
    expect(notices.body.notices.map((notice: { kind: string; state: string }) => [notice.kind, notice.state])).toEqual([
      ['taken-in-charge', 'sent'],
      ['acknowledgement', 'sent'],
    ]);
  });

  it('SMTP server down, then back, the worker restarted meanwhile: the notice waits and arrives exactly once', async () => {
    await mail.down();
    dispatch();
    const { ticket, env } = await registered(stack.customerId, 'ana@acme.lu');
    await env.run(createActivities({ db: stack.db }).acknowledgeTicket, ticket);

    const tried = await eventually(() => outboxOf(ticket.ticketNumber), (row) => (row?.attempts ?? 0) >= 2);
    expect(tried).toMatchObject({ sent_at: null, failed_at: null, last_error: expect.stringContaining('ECONNREFUSED') });

    // The worker goes away and comes back while the server is still down: the row is still there, still due.
    await dispatcher!.stop();
    dispatch();
    await mail.up();

    const sent = await eventually(() => outboxOf(ticket.ticketNumber), (row) => row?.sent_at !== null);
    expect(sent?.sent_at).not.toBeNull();
    const copies = (await mail.messages()).filter((message) => message.MessageID === `${ticket.ticketNumber}.ticket@desk.test`);
    expect(copies).toHaveLength(1);
  });

  it("a breach reaches the contract's escalation contact, in the customer's language, with the deadline in words", async () => {
    const customerId = `mail-fr-${randomUUID().slice(0, 8)}`;
    await stack.accounts.createCustomer({ id: customerId, name: 'Acme Luxembourg', language: 'fr' });
    await stack.accounts.createContract({
      customerId,
      policyId: 'econnect',
      startsOn: contractsStartOn(),
      escalationContacts: [{ level: 'emergency-escalation', name: 'Chloé Martin', email: 'chloe@acme.lu' }],
    });
    const { ticket, env } = await registered(customerId, 'ana@acme.lu');
    const { acknowledgeTicket, notifyThreshold } = createActivities({ db: stack.db });
    await env.run(acknowledgeTicket, ticket);
    dispatch();
    await env.run(notifyThreshold, {
      ticketNumber: ticket.ticketNumber,
      title: ticket.title,
      customerId,
      priority: 'P1',
      metric: 'response',
      percent: 100,
      // 11:30 in Luxembourg.
      deadline: Date.parse('2026-12-01T10:30:00Z'),
      key: 'response:100:g0',
      notify: ['desk', 'emergency-escalation'],
    });

    const subject = `[${ticket.ticketNumber}] Délai de prise en charge dépassé (mardi 1 décembre 2026 à 11:30): Serveur arrêté`;
    const breaches = await arrived((message) => message.Subject === subject && message.To.some(({ Address }) => Address === 'chloe@acme.lu'));
    expect(breaches).toHaveLength(1);
    // The desk, which no contract names, is told through its own address (the tests' VIGIL_DESK_ROLES catch-all).
    expect(await arrived((message) => message.Subject === subject && message.To.some(({ Address }) => Address === 'desk@vigil.test'))).toHaveLength(1);
    expect(await arrived((message) => message.Subject === `[${ticket.ticketNumber}] Votre demande est enregistrée : Serveur arrêté`)).toHaveLength(1);
  });

  it('a permanent failure (550) is failed at once, listed for admins, on the ticket, and counted on /metrics', async () => {
    dispatch();
    const { ticket, env } = await registered(stack.customerId, 'ana@bounce.invalid');
    await env.run(createActivities({ db: stack.db }).acknowledgeTicket, ticket);

    const failed = await eventually(() => outboxOf(ticket.ticketNumber), (row) => row?.failed_at !== null);
    expect(failed).toMatchObject({ attempts: 1, sent_at: null, last_error: expect.stringMatching(/^550 /) });

    const list = await stack.call('GET', '/admin/outbox?state=failed&limit=500', undefined, 'admin');
    expect(list.status).toBe(200);
    expect(list.body.notices).toContainEqual(
      expect.objectContaining({ ticketNumber: ticket.ticketNumber, kind: 'acknowledgement', state: 'failed', recipient: 'ana@bounce.invalid', attempts: 1, lastError: expect.stringMatching(/^550 /) }),
    );
    expect((await stack.call('GET', '/admin/outbox?state=failed', undefined, 'agent')).status).toBe(403);
    expect((await stack.call('GET', `/tickets/${ticket.ticketNumber}/notifications`)).body.notices).toEqual([expect.objectContaining({ state: 'failed' })]);

    const metrics = await (await fetch(stack.baseUrl.replace(/\/v1$/, '/metrics'))).text();
    expect(Number(/^vigil_outbox_failed (\S+)$/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(1);
    expect(metrics).toMatch(/^vigil_outbox_pending \S+$/m);
  });

  it('refuses a contract that leaves an escalation level with nobody to tell, naming the field', async () => {
    const saved = process.env.VIGIL_DESK_ROLES;
    process.env.VIGIL_DESK_ROLES = 'desk=desk@vigil.test';
    try {
      const answer = await stack.call('POST', `/admin/customers/${stack.customerId}/contracts`, { policyId: 'econnect', startsOn: contractsStartOn() }, 'admin');
      expect(answer.status).toBe(422);
      expect(JSON.stringify(answer.body)).toContain('escalationContacts');
      expect(answer.body.detail).toContain('"emergency-escalation"');
    } finally {
      process.env.VIGIL_DESK_ROLES = saved;
    }
  });
});
