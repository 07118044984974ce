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

// The board's figure (api/web/board.ts): the clocks and the policy version come out of the real snapshot column.
describe('the business time left, from the read model on PostgreSQL', () => {
  // Friday 16:00 in Luxembourg; the intervention (6 business hours from Friday 15:00) is due on Monday 10:30.
  const friday = Date.parse('2026-05-15T16:00:00+02:00');
  let harness: ReadModelHarness;

  beforeAll(async () => (harness = await readModelHarness(() => friday)));
  afterAll(async () => {
    await harness?.close();
  });

  it("measures it on the calendar of the ticket's policy version: 5 business hours, not the 66 hours to Monday", async () => {
    const customer = await harness.customer('weekend');
    const deadline = Date.parse('2026-05-18T10:30:00+02:00');
    const ticket = await harness.ticket(customer.id, {
      policyId: 'mixvoip-entreprises',
      kind: 'request',
      priority: 'P2',
      status: 'support',
      openedAt: Date.parse('2026-05-15T15:00:00+02:00'),
      // A clock without a target beside it keeps its deadline null: none of its own to measure.
      clocks: [
        { metric: 'intervention', deadline, thresholds: [], pauses: [] },
        { metric: 'resolution', deadline: null, thresholds: [], pauses: [] },
      ],
    });
    await harness.record(ticket);
    const response = await harness.get(
      `/v1/tickets?customer=${customer.id}&order=deadline`,
      await harness.staffToken('agent'),
    );
    expect(response.body.items).toEqual([
      expect.objectContaining({
        ticketNumber: ticket.ticketNumber,
        nextDeadline: new Date(deadline).toISOString(),
        businessTimeLeftMs: 5 * HOUR,
      }),
    ]);
  });

  // Rows written by hand with an empty copy of the ticket (as the invoicing tests write theirs) once failed every
  // listing they were on with a 500, in a fresh-clone CI run where those tests share the database.
  it('lists a row whose copy of the ticket holds no clocks, without the figure, beside the others', async () => {
    const customer = await harness.customer('bare-row');
    const measured = await harness.ticket(customer.id, { policyId: 'mixvoip-entreprises', status: 'support' });
    await harness.record(measured);
    const { rows } = await harness.db.query<{ number: string }>(
      `INSERT INTO tickets (number, workflow_id, customer_id, policy_id, kind, priority, status, title, contact_email, opened_at, revision, snapshot)
       VALUES ('VIG-B' || nextval('ticket_number_seq'), 'bare-' || gen_random_uuid(), $1, 'econnect', 'incident', 'P3', 'closed', 'Imported',
               'ana@example.lu', now(), 1, '{}') RETURNING number`,
      [customer.id],
    );
    const response = await harness.get(`/v1/tickets?customer=${customer.id}`, await harness.staffToken('agent'));
    expect(response.status).toBe(200);
    const items = response.body.items as { ticketNumber: string; businessTimeLeftMs?: number }[];
    expect(items.map((item) => item.ticketNumber).sort()).toEqual([measured.ticketNumber, rows[0]!.number].sort());
    expect(items.find((item) => item.ticketNumber === rows[0]!.number)).not.toHaveProperty('businessTimeLeftMs');
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

// Newest first, as the customer's portal (api/web/portal.ts) pages through a company's tickets: more of them than
// any page, several opened at one instant, and another company's tickets, newer still, that no contact of the first
// may see.
describe('order=newest and the portal on PostgreSQL', () => {
  let harness: ReadModelHarness;
  let agent: string;
  let customer: { id: string; token: string };
  let other: { id: string; token: string };
  let cookie: string;
  const tickets: TicketState[] = [];
  const MANY = 130;

  /** Opened at one of 45 instants, not in the order of their numbers: about three tickets on each instant. */
  const openedAt = (index: number) => BASE + ((index * 7) % 45) * MINUTE;

  beforeAll(async () => {
    harness = await readModelHarness();
    agent = await harness.staffToken('agent');
    customer = await harness.customer('portal');
    other = await harness.customer('portal-other');
    for (let index = 0; index < MANY; index++)
      tickets.push(await harness.ticket(customer.id, { title: `Request ${index}`, openedAt: openedAt(index) }));
    for (const ticket of tickets) await harness.record(ticket);
    for (let index = 0; index < 3; index++)
      await harness.record(await harness.ticket(other.id, { title: `Theirs ${index}`, openedAt: BASE + HOUR }));
    cookie = await harness.contactSession(customer.id);
  });

  afterAll(async () => {
    await harness?.close();
  });

  const newestFirst = (list: TicketState[]) =>
    [...list]
      .sort((a, b) => b.openedAt - a.openedAt || b.ticketNumber.localeCompare(a.ticketNumber))
      .map((ticket) => ticket.ticketNumber);

  interface Page {
    numbers: string[];
    nextCursor: string | null;
    previousCursor: string | null;
  }
  const listed = async (query: string, token = customer.token): Promise<Page> => {
    const { status, body } = await harness.get(`/v1/tickets?order=newest&${query}`, token);
    expect(status).toBe(200);
    return {
      numbers: body.items.map(({ ticketNumber }: { ticketNumber: string }) => ticketNumber),
      nextCursor: body.nextCursor,
      previousCursor: body.previousCursor,
    };
  };

  it('pages newest first, ties on one instant by number, and back again page by page', async () => {
    const expected = newestFirst(tickets);
    expect(new Set(tickets.map((ticket) => ticket.openedAt)).size).toBeLessThan(MANY / 2);
    const forwards: Page[] = [await listed('limit=50')];
    while (forwards.at(-1)!.nextCursor) forwards.push(await listed(`limit=50&cursor=${forwards.at(-1)!.nextCursor}`));
    expect(forwards.map((page) => page.numbers.length)).toEqual([50, 50, 30]);
    expect(forwards.flatMap((page) => page.numbers)).toEqual(expected);
    expect(forwards[0]!.previousCursor).toBeNull();
    // From the last page back to the first by previousCursor: the same pages, the first one saying it is the first.
    const backwards: Page[] = [forwards[2]!];
    while (backwards.at(-1)!.previousCursor)
      backwards.push(await listed(`limit=50&cursor=${backwards.at(-1)!.previousCursor}`));
    expect(backwards.map((page) => page.numbers)).toEqual([...forwards].reverse().map((page) => page.numbers));
    expect(backwards.at(-1)!.previousCursor).toBeNull();
    expect(backwards.at(-1)!.nextCursor).toEqual(expect.any(String));
  });

  it("holds a contact's key to its own company, whatever cursor it is given", async () => {
    const theirs = await listed('limit=1', other.token);
    expect(theirs.numbers).toHaveLength(1);
    // A cursor read from the other company's listing is a place in the order, not a way into its tickets.
    const fromTheirCursor = await listed(`limit=50&cursor=${theirs.nextCursor}`);
    expect(fromTheirCursor.numbers).toEqual(newestFirst(tickets).slice(0, 50));
    const all = await listed(`limit=100&customer=${customer.id}`, agent);
    expect(all.numbers).toEqual(newestFirst(tickets).slice(0, 100));
  });

  /** The portal's rows (links to tickets) and its page links, unescaped as a browser reads them. */
  const portalPage = async (path: string) => {
    const { status, text } = await harness.page(path, cookie);
    expect(status).toBe(200);
    const links = Object.fromEntries(
      [...text.matchAll(/<a rel="(prev|next)" href="([^"]+)">/g)].map(([, rel, href]) => [
        rel === 'prev' ? 'newer' : 'older',
        href!.replaceAll('&amp;', '&'),
      ]),
    ) as { newer?: string; older?: string };
    return {
      text,
      numbers: [...text.matchAll(/<a href="\/console\/tickets\/([A-Z]+-\d+)">/g)].map(([, number]) => number!),
      ...links,
    };
  };

  it('shows the contact its own tickets newest first, 50 a page, with links to older and newer ones', async () => {
    const expected = newestFirst(tickets);
    const first = await portalPage('/console/');
    expect(first.numbers).toEqual(expected.slice(0, 50));
    expect(first.newer).toBeUndefined();
    expect(first.text).toMatch(
      /<nav class="pages" aria-label="[^"]+"><a rel="next" href="[^"]+">Older tickets<\/a><\/nav>/,
    );
    const second = await portalPage(first.older!);
    expect(second.numbers).toEqual(expected.slice(50, 100));
    const third = await portalPage(second.older!);
    expect(third.numbers).toEqual(expected.slice(100));
    expect(third.older).toBeUndefined();
    expect(third.text).toContain('>Newer tickets</a>');
    expect((await portalPage(third.newer!)).numbers).toEqual(second.numbers);
    expect((await portalPage((await portalPage(second.newer!)).older!)).numbers).toEqual(second.numbers);
  });

  it('keeps its place while tickets are opened: the next page goes on where the last one stopped', async () => {
    const before = newestFirst(tickets);
    const first = await portalPage('/console/');
    const added: TicketState[] = [];
    for (let index = 0; index < 5; index++)
      added.push(await harness.ticket(customer.id, { title: `Later ${index}`, openedAt: BASE + HOUR }));
    for (const ticket of added) await harness.record(ticket);
    tickets.push(...added);
    const second = await portalPage(first.older!);
    expect(second.numbers).toEqual(before.slice(50, 100));
    // Back from there: the page that was the first, and newer than it the tickets opened since.
    const back = await portalPage(second.newer!);
    expect(back.numbers).toEqual(before.slice(0, 50));
    const newest = await portalPage(back.newer!);
    expect(newest.numbers).toEqual(newestFirst(added));
    expect(newest.newer).toBeUndefined();
    expect((await portalPage('/console/')).numbers).toEqual(newestFirst(tickets).slice(0, 50));
  });
});
