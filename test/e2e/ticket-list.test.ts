import type { TicketState } from '../../messages/ticket';
import { PRIORITIES, TICKET_KINDS } from '../../domain/policy/vocabulary';
import { isTerminal, type TicketStatus } from '../../domain/ticket/lifecycle';
import { readModelHarness, type ReadModelHarness } from '../support/e2e/read-model-fixtures';

jest.setTimeout(60_000);

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const BASE = Date.parse('2026-03-02T09:00:00+01:00');
const STATUSES: TicketStatus[] = ['acknowledgement', 'support', 'waiting', 'validation', 'closed', 'cancelled'];

// Keyset pagination over the real read model, every filter, both orders and the queue, as each role sees them.
describe('GET /v1/tickets and /v1/queue', () => {
  let harness: ReadModelHarness;
  let agent: string;
  let acme: { id: string; token: string };
  let globex: { id: string; token: string };
  let tickets: TicketState[];

  const deadlineOf = (ticket: TicketState) => ticket.clocks.find((clock) => clock.metric === 'response')!.deadline;

  /** 30 tickets of acme whose arrival order is not their creation order, with ties on the arrival instant. */
  function acmeTicket(index: number): Promise<TicketState> {
    const status = STATUSES[index % STATUSES.length]!;
    const open = !isTerminal(status);
    // Every fourth open ticket is best effort: no deadline, so it comes after the dated ones.
    const deadline = open && index % 4 !== 3 ? BASE + (40 - index) * HOUR : null;
    const response = {
      metric: 'response' as const,
      deadline,
      thresholds: [],
      pauses: [],
      ...(open ? {} : { stoppedAt: BASE + HOUR }),
    };
    return harness.ticket(acme.id, {
      status,
      priority: PRIORITIES[index % PRIORITIES.length],
      kind: TICKET_KINDS[index % TICKET_KINDS.length],
      slaBreached: index % 5 === 0,
      assignee: index % 2 === 0 ? 'marc' : index % 3 === 0 ? 'lea' : undefined,
      openedAt: BASE + ((index * 7) % 15) * 10 * MINUTE,
      title: `Ticket ${index}`,
      clocks: [
        response,
        { ...response, metric: 'intervention', deadline: null },
        { ...response, metric: 'resolution', deadline: null },
      ],
    });
  }

  beforeAll(async () => {
    harness = await readModelHarness();
    agent = await harness.staffToken('agent');
    acme = await harness.customer('acme');
    globex = await harness.customer('globex');
    tickets = [];
    for (let index = 0; index < 30; index++) tickets.push(await acmeTicket(index));
    const globexTickets = [await harness.ticket(globex.id), await harness.ticket(globex.id, { status: 'support' })];
    for (const ticket of [...tickets, ...globexTickets]) await harness.record(ticket);
  });

  afterAll(async () => {
    await harness?.close();
  });

  const get = (url: string, token = agent) => harness.get(url, token);

  /** Follows nextCursor to the end; every page but the last is full. */
  async function allPages(url: string, limit: number, token = agent): Promise<{ numbers: string[]; pages: number }> {
    const numbers: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const separator = url.includes('?') ? '&' : '?';
      const response = await get(`${url}${separator}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`, token);
      expect(response.status).toBe(200);
      const body = response.body as { items: Array<{ ticketNumber: string }>; nextCursor: string | null };
      if (body.nextCursor !== null) expect(body.items).toHaveLength(limit);
      numbers.push(...body.items.map((item) => item.ticketNumber));
      cursor = body.nextCursor;
      pages++;
    } while (cursor !== null);
    return { numbers, pages };
  }

  const byArrival = (list: TicketState[]) =>
    [...list]
      .sort((a, b) => a.openedAt - b.openedAt || a.ticketNumber.localeCompare(b.ticketNumber))
      .map((ticket) => ticket.ticketNumber);

  it('pages through a customer in arrival order (opened, then number), each ticket once', async () => {
    const { numbers, pages } = await allPages(`/v1/tickets?customer=${acme.id}`, 7);
    expect(numbers).toEqual(byArrival(tickets));
    expect(pages).toBe(5);
    const byDefault = await get(`/v1/tickets?customer=${acme.id}`);
    expect(byDefault.body.items).toHaveLength(25);
    expect(byDefault.body.nextCursor).toEqual(expect.any(String));
  });

  it('summarises each ticket with a link to it', async () => {
    const first = tickets.find((ticket) => ticket.ticketNumber === byArrival(tickets)[0])!;
    const response = await get(`/v1/tickets?customer=${acme.id}&limit=1`);
    expect(response.body.items).toEqual([
      {
        ticketNumber: first.ticketNumber,
        customerId: acme.id,
        title: first.title,
        kind: first.kind,
        priority: first.priority,
        status: first.status,
        assignee: first.assignee,
        openedAt: new Date(first.openedAt).toISOString(),
        nextDeadline: deadlineOf(first) === null ? null : new Date(deadlineOf(first)!).toISOString(),
        slaBreached: first.slaBreached,
        // No warning planned on its clocks: nothing puts it at risk.
        atRiskFrom: null,
        links: { self: `/v1/tickets/${first.ticketNumber}` },
      },
    ]);
  });

  it.each([
    [
      'status as a comma list',
      'status=support,waiting',
      (ticket: TicketState) => ['support', 'waiting'].includes(ticket.status),
    ],
    [
      'status repeated',
      'status=closed&status=acknowledgement',
      (ticket: TicketState) => ['closed', 'acknowledgement'].includes(ticket.status),
    ],
    ['priority', 'priority=P1,P4', (ticket: TicketState) => ['P1', 'P4'].includes(ticket.priority)],
    ['kind', 'kind=change', (ticket: TicketState) => ticket.kind === 'change'],
    ['breached', 'breached=true', (ticket: TicketState) => ticket.slaBreached],
    ['not breached', 'breached=false', (ticket: TicketState) => !ticket.slaBreached],
    ['assignee', 'assignee=lea', (ticket: TicketState) => ticket.assignee === 'lea'],
    [
      'several filters at once',
      'status=acknowledgement,support,waiting&assignee=marc',
      (ticket: TicketState) =>
        ['acknowledgement', 'support', 'waiting'].includes(ticket.status) && ticket.assignee === 'marc',
    ],
  ])('filters by %s across pages', async (_, filter, keep) => {
    const expected = byArrival(tickets.filter(keep));
    expect(expected.length).toBeGreaterThan(3);
    expect((await allPages(`/v1/tickets?customer=${acme.id}&${filter}`, 3)).numbers).toEqual(expected);
  });

  it('order=deadline: open tickets only, the nearest deadline first, those without one last', async () => {
    const open = tickets.filter((ticket) => !isTerminal(ticket.status));
    const expected = [...open]
      .sort(
        (a, b) =>
          (deadlineOf(a) ?? Infinity) - (deadlineOf(b) ?? Infinity) || a.ticketNumber.localeCompare(b.ticketNumber),
      )
      .map((ticket) => ticket.ticketNumber);
    expect(open.some((ticket) => deadlineOf(ticket) === null)).toBe(true);
    expect((await allPages(`/v1/tickets?customer=${acme.id}&order=deadline`, 4)).numbers).toEqual(expected);
  });

  it('the queue: open tickets in arrival order, first come first served', async () => {
    const expected = byArrival(tickets.filter((ticket) => !isTerminal(ticket.status)));
    expect((await allPages(`/v1/queue?customer=${acme.id}`, 6)).numbers).toEqual(expected);
    expect((await allPages(`/v1/queue?customer=${acme.id}&priority=P2`, 2)).numbers).toEqual(
      byArrival(tickets.filter((ticket) => !isTerminal(ticket.status) && ticket.priority === 'P2')),
    );
  });

  it("a customer's key lists its own company's tickets only, and is refused another's", async () => {
    expect((await allPages('/v1/tickets', 25, acme.token)).numbers).toEqual(byArrival(tickets));
    expect((await allPages(`/v1/tickets?customer=${acme.id}&status=support`, 25, acme.token)).numbers).toEqual(
      byArrival(tickets.filter((ticket) => ticket.status === 'support')),
    );
    expect((await allPages('/v1/queue', 25, globex.token)).numbers).toHaveLength(2);
    const refused = await get(`/v1/tickets?customer=${globex.id}`, acme.token);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ type: 'https://vigil.dev/problems/forbidden' });
    expect(refused.body.detail).toContain(acme.id);
    expect((await get(`/v1/queue?customer=${globex.id}`, acme.token)).status).toBe(403);
  });

  it('asks for an API key', async () => {
    expect((await harness.get('/v1/tickets')).status).toBe(401);
  });

  describe('refuses, naming the field', () => {
    const problemOf = async (url: string) => {
      const response = await get(url);
      expect(response.status).toBe(422);
      expect(response.contentType).toContain('application/problem+json');
      return response.body as { type: string; errors: Array<{ field: string }> };
    };

    it.each([
      ['a cursor that is not base64 JSON', 'cursor=not-a-cursor'],
      [
        'a cursor whose key was tampered with',
        `cursor=${Buffer.from(JSON.stringify({ order: 'arrival', at: "2026-01-01'; --", number: 'VIG-000001' })).toString('base64url')}`,
      ],
      [
        'a cursor of the other order',
        `cursor=${Buffer.from(JSON.stringify({ order: 'deadline', at: 'infinity', number: 'VIG-000001' })).toString('base64url')}`,
      ],
    ])('%s', async (_, query) => {
      const problem = await problemOf(`/v1/tickets?${query}`);
      expect(problem.type).toBe('https://vigil.dev/problems/invalid-cursor');
      expect(problem.errors).toEqual([{ field: 'querystring.cursor', message: expect.any(String) }]);
    });

    it.each([
      ['limit', 'limit=0'],
      ['limit', 'limit=101'],
      ['status', 'status=support,sleeping'],
      ['priority', 'priority=P9'],
      ['breached', 'breached=maybe'],
      ['order', 'order=random'],
      ['status', 'order=deadline&status=closed'],
    ])('%s in %s', async (field, query) => {
      const problem = await problemOf(`/v1/tickets?${query}`);
      expect(problem.errors[0]!.field).toMatch(new RegExp(`^querystring\\.${field}`));
    });
  });
});

// The board's search (api/web/board.ts passes q on): over every ticket of the read model, not a page of them.
describe('GET /v1/tickets?q= on PostgreSQL', () => {
  let harness: ReadModelHarness;
  let agent: string;
  let customer: { id: string; token: string };
  let needle: TicketState;
  const MANY = 120;

  const dated = (deadline: number) => {
    const response = { metric: 'response' as const, deadline, thresholds: [], pauses: [] };
    return [
      response,
      { ...response, metric: 'intervention' as const, deadline: null },
      { ...response, metric: 'resolution' as const, deadline: null },
    ];
  };

  beforeAll(async () => {
    harness = await readModelHarness();
    agent = await harness.staffToken('agent');
    customer = await harness.customer('haystack');
    // More tickets than any page, all due before the one looked for, which the board's first pages never show.
    for (let index = 0; index < MANY; index++)
      await harness.record(
        await harness.ticket(customer.id, {
          status: 'support',
          title: `Printer ${index}`,
          clocks: dated(BASE + index * MINUTE),
        }),
      );
    needle = await harness.ticket(customer.id, {
      status: 'support',
      title: 'VPN 100% down (50_50)',
      clocks: dated(BASE + 10 * 24 * HOUR),
    });
    await harness.record(needle);
  });

  afterAll(async () => {
    await harness?.close();
  });

  const numbersOf = async (query: string) => {
    const { status, body } = await harness.get(
      `/v1/tickets?order=deadline&limit=50&customer=${customer.id}&${query}`,
      agent,
    );
    expect(status).toBe(200);
    return {
      numbers: body.items.map(({ ticketNumber }: { ticketNumber: string }) => ticketNumber),
      nextCursor: body.nextCursor,
    };
  };

  it('finds a ticket by its title, whatever the case, beyond the first pages of the board', async () => {
    expect((await numbersOf('')).numbers).not.toContain(needle.ticketNumber);
    expect(await numbersOf('q=vpn')).toEqual({ numbers: [needle.ticketNumber], nextCursor: null });
  });

  it('finds it by its number, and by its customer', async () => {
    expect((await numbersOf(`q=${needle.ticketNumber.toLowerCase()}`)).numbers).toEqual([needle.ticketNumber]);
    const byCustomer = await numbersOf(`q=${customer.id.toUpperCase()}`);
    expect(byCustomer.numbers).toHaveLength(50);
    expect(byCustomer.nextCursor).not.toBeNull();
  });

  it('takes % and _ as the characters they are, not as wildcards', async () => {
    expect((await numbersOf(`q=${encodeURIComponent('100%')}`)).numbers).toEqual([needle.ticketNumber]);
    expect((await numbersOf(`q=${encodeURIComponent('50_50')}`)).numbers).toEqual([needle.ticketNumber]);
    expect((await numbersOf(`q=${encodeURIComponent('r_1')}`)).numbers).toEqual([]);
  });
});
