import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import type { Role } from '../../messages/principal';
import { StatusKey, TicketNumberKey, CustomerIdKey, PriorityKey } from '../../messages/search-attributes';
import { ticketWorkflowId } from '../../messages/ticket';
import { requestHashOf } from '../../db/idempotency';
import { ticketNumberAllocator } from '../../db/ticket-numbers';
import { type Stack, contractsStartOn, eventually, startStack } from '../support/e2e/stack';

jest.setTimeout(60_000);

// The whole stack on real sockets: Fastify listening on a port, a real Temporal dev server, a real PostgreSQL.
describe('a ticket through the API, end to end', () => {
  let stack: Stack;
  let db: Pool;
  let temporal: Client;
  let baseUrl: string;
  let customerId: string;

  // The labels startStack gives the keys it issues (test/support/e2e/stack.ts).
  const AGENT = 'e2e tickets agent';
  const CUSTOMER = 'e2e tickets customer';

  beforeAll(async () => {
    stack = await startStack('tickets');
    ({ db, temporal, baseUrl, customerId } = stack);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  /** As the desk's agent unless told otherwise; `null` sends no key. */
  async function call(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    as: Role | null = 'agent',
    headers: Record<string, string> = {},
  ) {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(as === null ? {} : stack.auth(as)),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      location: response.headers.get('location'),
      replayed: response.headers.get('idempotent-replayed'),
      body: (await response.json()) as Record<string, any>,
    };
  }

  async function openTicket(title = 'Printer down') {
    const opened = await call('POST', '/tickets', {
      customerId,
      priority: 'P2',
      title,
      description: 'The office printer prints blank pages.',
      contact: { name: 'Ana Lopes', email: 'ana@acme.lu' },
    });
    expect(opened.status).toBe(201);
    return opened;
  }

  it('opens a ticket, walks it to closed, and leaves its row, e-mail and billing line in PostgreSQL', async () => {
    const opened = await openTicket();
    const number = opened.body.ticketNumber as string;
    expect(number).toMatch(/^VIG-\d{6,}$/);
    // One round trip (Update-with-start) answers the ticket registered: acknowledged, its deadlines known.
    expect(opened.body).toMatchObject({
      ticketNumber: number,
      workflowId: `ticket-${number}`,
      status: 'acknowledgement',
      links: { self: `/v1/tickets/${number}` },
    });
    expect(opened.body.acknowledgedAt).toEqual(expect.any(String));
    // e-connect sets no target outside emergencies (test/e2e/emergency-clock.test.ts shows deadlines answered at opening).
    expect((opened.body.clocks as { state: string }[]).map(({ state }) => state)).toEqual([
      'no-target',
      'no-target',
      'no-target',
    ]);
    expect(opened.location).toBe(`/v1/tickets/${number}`);

    // Who acts is who is authenticated: the agent's key (labelled 'e2e tickets agent'), whatever name the body gives.
    const inSupport = await call('POST', `/tickets/${number}/take-charge`, { agent: 'marc' });
    expect(inSupport.status).toBe(200);
    expect(inSupport.body).toMatchObject({ status: 'support', assignee: AGENT, priority: 'P2', policyId: 'econnect' });

    const inValidation = await call('POST', `/tickets/${number}/propose-resolution`, {
      resolution: 'Replaced the toner',
      minutesWorked: 37,
    });
    expect(inValidation.body).toMatchObject({ status: 'validation', resolution: 'Replaced the toner' });
    expect(inValidation.body.timeEntries).toEqual([expect.objectContaining({ agent: AGENT, onSite: false })]);
    const [entry] = inValidation.body.timeEntries;
    expect(Date.parse(entry.end) - Date.parse(entry.start)).toBe(37 * 60_000);

    const closed = await call(
      'POST',
      `/tickets/${number}/validate`,
      { contact: 'someone-else@acme.lu', comment: 'prints again' },
      'customer',
    );
    expect(closed.body).toMatchObject({ status: 'closed', validatedBy: CUSTOMER });
    // The opening too is the authenticated key's act, though the body names the customer's contact.
    expect((closed.body.events as { type: string; by?: string }[]).map(({ type, by }) => [type, by])).toEqual([
      ['opened', AGENT],
      ['acknowledged', undefined],
      ['taken-in-charge', AGENT],
      ['resolution-proposed', AGENT],
      ['validated', CUSTOMER],
    ]);

    const handle = temporal.workflow.getHandle(ticketWorkflowId(number));
    const final = await handle.result();
    expect(final).toMatchObject({ status: 'closed', billing: { totalCents: 6_167 } });

    const view = await call('GET', `/tickets/${number}`);
    expect(view.status).toBe(200);
    expect(view.body.billing).toEqual({
      lines: [{ description: expect.any(String), minutes: 37, rateCents: 10_000, multiplier: 1, amountCents: 6_167 }],
      totalCents: 6_167,
    });
    expect(view.body.openedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect((view.body.events as { type: string }[]).map((event) => event.type)).toEqual([
      'opened',
      'acknowledged',
      'taken-in-charge',
      'resolution-proposed',
      'validated',
      'billed',
    ]);

    const description = await handle.describe();
    expect(description.status.name).toBe('COMPLETED');
    expect(description.typedSearchAttributes.get(StatusKey)).toBe('closed');
    expect(description.typedSearchAttributes.get(TicketNumberKey)).toBe(number);
    expect(description.typedSearchAttributes.get(CustomerIdKey)).toBe(customerId);
    expect(description.typedSearchAttributes.get(PriorityKey)).toBe('P2');
    expect(description.memo).toEqual({ title: 'Printer down' });

    const ticketRow = await db.query('SELECT status, assignee, revision FROM tickets WHERE number = $1', [number]);
    expect(ticketRow.rows).toEqual([{ status: 'closed', assignee: AGENT, revision: final.revision }]);
    const emails = await db.query(
      "SELECT recipient, subject, body FROM outbox WHERE ticket_number = $1 AND kind = 'acknowledgement'",
      [number],
    );
    expect(emails.rows).toHaveLength(1);
    expect(emails.rows[0]).toMatchObject({
      recipient: 'ana@acme.lu',
      subject: `[${number}] Your request is registered: Printer down`,
    });
    expect(emails.rows[0].body).toContain(`ticket number ${number}`);
    const lines = await db.query(
      'SELECT minutes, rate_cents, multiplier, amount_cents FROM billing_lines WHERE ticket_number = $1',
      [number],
    );
    expect(lines.rows).toEqual([{ minutes: 37, rate_cents: '10000', multiplier: '1.0000', amount_cents: '6167' }]);

    // The same line with its label, for a reader to word in its own language (the console's French ticket page), to
    // the desk and to the ticket's own customer.
    const labelled = {
      lines: [
        {
          index: 0,
          label: expect.objectContaining({ kind: 'intervention', intervention: 1 }),
          minutes: 37,
          rateCents: 10_000,
          multiplier: 1,
          amountCents: 6_167,
        },
      ],
    };
    expect((await call('GET', `/tickets/${number}/billing-lines`)).body).toEqual(labelled);
    expect((await call('GET', `/tickets/${number}/billing-lines`, undefined, 'customer')).body).toEqual(labelled);
  });

  it('refuses an invalid transition with 409 and a reason, and changes nothing', async () => {
    const { body } = await openTicket('Refusal');
    const number = body.ticketNumber as string;
    await call('POST', `/tickets/${number}/take-charge`, { agent: 'marc' });
    const before = await call('GET', `/tickets/${number}`);

    const refused = await call('POST', `/tickets/${number}/validate`, { contact: 'ana@acme.lu' }, 'customer');
    expect(refused.status).toBe(409);
    expect(refused.type).toMatch(/^application\/problem\+json/);
    expect(refused.body).toMatchObject({
      type: 'https://vigil.dev/problems/invalid-transition',
      status: 409,
      code: 'INVALID_TRANSITION',
      detail: "cannot validate a ticket in status 'support': only a ticket in validation can",
    });
    const { asOf: _before, ...unchanged } = before.body;
    const { asOf: _after, ...after } = (await call('GET', `/tickets/${number}`)).body;
    expect(after).toEqual(unchanged);
  });

  it('names the field of a bad request (422), and answers 404 for an unknown ticket', async () => {
    const bad = await call('POST', '/tickets', {
      customerId,
      title: 'x',
      description: 'y',
      contact: { name: 'Ana', email: 'not-an-email' },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toEqual([{ field: 'body.contact.email', message: 'must match format "email"' }]);

    const missing = await call('POST', '/tickets/VIG-000001/propose-resolution', { agent: 'marc' });
    expect(missing.status).toBe(422);
    expect(missing.body.errors).toEqual([
      { field: 'body.resolution', message: "must have required property 'resolution'" },
    ]);

    const backwards = await call('POST', '/tickets/VIG-000001/time-entries', {
      agent: 'marc',
      start: '2026-03-02T10:00:00+01:00',
      end: 'yesterday',
    });
    expect(backwards.status).toBe(422);
    expect(backwards.body.errors).toEqual([{ field: 'body.end', message: 'must match format "date-time"' }]);

    const malformed = await call('GET', '/tickets/12');
    expect(malformed.status).toBe(422);
    expect(malformed.body.errors[0].field).toBe('params.number');

    const unknown = await call('GET', '/tickets/VIG-999999999');
    expect(unknown.status).toBe(404);
    expect(unknown.type).toMatch(/^application\/problem\+json/);
  });

  it('shows each clock with its deadline and the business time left, and keeps the read model current', async () => {
    // Globex's contract runs Esker's terms: the ticket takes them from the contract, not from the body.
    const globex = `globex-${randomUUID().slice(0, 8)}`;
    await stack.accounts.createCustomer({ id: globex, name: 'Globex' });
    await stack.accounts.createContract({
      customerId: globex,
      policyId: 'esker',
      policyVersion: 1,
      startsOn: contractsStartOn(),
    });
    const opened = await call('POST', '/tickets', {
      customerId: globex,
      priority: 'P1',
      title: 'Nobody can log in',
      description: 'Every user gets an error page.',
      contact: { name: 'Hank Scorpio', email: 'hank@globex.fr' },
    });
    const number = opened.body.ticketNumber as string;
    const taken = await call('POST', `/tickets/${number}/take-charge`, { agent: 'marc' });
    expect(taken.status).toBe(200);
    expect(taken.body).toMatchObject({ customerId: globex, policyId: 'esker', policyVersion: 1 });
    const resolution = (taken.body.clocks as any[]).find((clock) => clock.metric === 'resolution');
    expect(resolution.state).toBe('running');
    expect(resolution.deadline).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(resolution.thresholds.map((threshold: any) => threshold.percent)).toEqual([50, 75, 100]);
    // Esker P1: 4 business hours. Whatever the hour the test runs, no more than that can be left.
    expect(resolution.remainingMs).toBeLessThanOrEqual(4 * 3_600_000);
    expect(resolution.elapsedMs + resolution.remainingMs).toBe(4 * 3_600_000);
    expect((taken.body.clocks as any[]).map((clock) => [clock.metric, clock.state])).toEqual([
      ['response', 'no-target'],
      ['intervention', 'no-target'],
      ['resolution', 'running'],
    ]);

    const waiting = await call('POST', `/tickets/${number}/wait-for-customer`, {
      agent: 'marc',
      question: 'Which browser?',
    });
    expect(waiting.body.status).toBe('waiting');
    expect((waiting.body.clocks as any[]).find((clock) => clock.metric === 'resolution').state).toBe('paused');

    const handle = temporal.workflow.getHandle(ticketWorkflowId(number));
    const row = await eventually(
      () => db.query('SELECT status, sla_breached, next_deadline FROM tickets WHERE number = $1', [number]),
      ({ rows }) => rows[0]?.status === 'waiting',
    );
    // A paused clock has no deadline ahead of it: the queue does not sort the ticket by one.
    expect(row.rows).toEqual([{ status: 'waiting', sla_breached: false, next_deadline: null }]);
    expect((await handle.describe()).typedSearchAttributes.get(StatusKey)).toBe('waiting');
    await handle.terminate('test over');
  });

  it('answers 409 for an action on a closed ticket', async () => {
    const { body } = await openTicket('Closed already');
    const number = body.ticketNumber as string;
    await call('POST', `/tickets/${number}/take-charge`, { agent: 'marc' });
    await call('POST', `/tickets/${number}/propose-resolution`, {
      agent: 'marc',
      resolution: 'done',
      minutesWorked: 1,
    });
    await call('POST', `/tickets/${number}/validate`, { contact: 'ana@acme.lu' }, 'customer');
    await temporal.workflow.getHandle(ticketWorkflowId(number)).result();

    const late = await call('POST', `/tickets/${number}/take-charge`, { agent: 'julie' });
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({
      type: 'https://vigil.dev/problems/ticket-closed',
      detail: `ticket ${number} is completed: it takes no more actions`,
    });
  });

  it("authenticates every call, keeps customers to their own company's tickets and to their own acts", async () => {
    const { body } = await openTicket('Keys');
    const number = body.ticketNumber as string;
    const anonymous = await call('GET', `/tickets/${number}`, undefined, null);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toMatchObject({ type: 'https://vigil.dev/problems/unauthorized' });

    const own = await call('GET', `/tickets/${number}`, undefined, 'customer');
    expect(own.body).toMatchObject({ ticketNumber: number, customerId, contractId: expect.any(String) });
    expect((await call('POST', `/tickets/${number}/take-charge`, { agent: 'ana' }, 'customer')).status).toBe(403);

    const rival = `rival-${randomUUID().slice(0, 8)}`;
    await stack.accounts.createCustomer({ id: rival, name: 'Rival' });
    const rivalKey = await stack.accounts.createApiKey({ role: 'customer', customerId: rival, label: 'rival portal' });
    const asRival = (method: 'GET' | 'POST', path: string, payload?: unknown) =>
      fetch(`${baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${rivalKey.token}`,
          ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: payload === undefined ? undefined : JSON.stringify(payload),
      });
    expect((await asRival('GET', `/tickets/${number}`)).status).toBe(404);
    expect((await asRival('GET', `/tickets/${number}/billing-lines`)).status).toBe(404);
    expect(await call('GET', `/tickets/${number}/billing-lines`, undefined, 'customer')).toMatchObject({
      status: 200,
      body: { lines: [] },
    });
    expect(
      (await asRival('POST', `/tickets/${number}/cancel`, { by: 'mallory@rival.lu', reason: 'mischief' })).status,
    ).toBe(404);
    expect((await call('GET', `/tickets/${number}`)).body.status).not.toBe('cancelled');
    await temporal.workflow.getHandle(ticketWorkflowId(number)).terminate('test over');
  });

  it('answers a retried POST with the same Idempotency-Key with the same ticket, in PostgreSQL', async () => {
    const key = `e2e-${randomUUID()}`;
    const request = {
      priority: 'P3',
      title: 'Retried',
      description: 'The client timed out.',
      contact: { name: 'Ana Lopes', email: 'ana@acme.lu' },
    };
    const first = await call('POST', '/tickets', request, 'customer', { 'idempotency-key': key });
    const retry = await call('POST', '/tickets', request, 'customer', { 'idempotency-key': key });
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.replayed).toBe('true');
    expect(retry.body.ticketNumber).toBe(first.body.ticketNumber);
    // The retry answers the ticket as it is now: here, as registered.
    expect(retry.body).toMatchObject({ status: 'acknowledgement', revision: first.body.revision });
    const { rows } = await db.query('SELECT ticket_number FROM idempotency_keys WHERE key = $1', [key]);
    expect(rows).toEqual([{ ticket_number: first.body.ticketNumber }]);

    const reused = await call('POST', '/tickets', { ...request, title: 'Another' }, 'customer', {
      'idempotency-key': key,
    });
    expect(reused.status).toBe(422);
    expect(reused.body.errors[0].field).toBe('headers.idempotency-key');
    await temporal.workflow.getHandle(ticketWorkflowId(first.body.ticketNumber)).terminate('test over');
  });

  it('opens, on the retry, a ticket whose key was recorded but whose workflow never started (a crash between the two)', async () => {
    const key = `e2e-crash-${randomUUID()}`;
    const request = {
      customerId,
      title: 'Lost in a crash',
      description: 'The API died mid-request.',
      contact: { name: 'Ana Lopes', email: 'ana@acme.lu' },
    };
    const agentKey = (await stack.accounts.authenticate(stack.tokens.agent))!.keyId;
    const number = await ticketNumberAllocator(db)();
    await db.query(
      'INSERT INTO idempotency_keys (api_key_id, key, request_hash, ticket_number) VALUES ($1, $2, $3, $4)',
      [agentKey, key, requestHashOf(request), number],
    );

    const retry = await call('POST', '/tickets', request, 'agent', { 'idempotency-key': key });
    expect(retry.status).toBe(201);
    expect(retry.body.ticketNumber).toBe(number);
    const handle = temporal.workflow.getHandle(ticketWorkflowId(number));
    const { runId } = await handle.describe();
    expect((await call('GET', `/tickets/${number}`)).body).toMatchObject({ title: 'Lost in a crash', customerId });

    expect((await call('POST', '/tickets', request, 'agent', { 'idempotency-key': key })).body.ticketNumber).toBe(
      number,
    );
    expect((await handle.describe()).runId).toBe(runId);
    await handle.terminate('test over');
  });
});
