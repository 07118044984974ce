import type { PageKey, TicketSummary } from '../../db/ticket-queries';
import type { ClockFacts } from '../../messages/ticket';
import { TICKET_ORDERS, TicketOrder } from '../../messages/ticket-list';
import { pinnedPolicies, timeLeftToNextDeadline } from '../../api/ticket-view';
import { presetRegistry } from '../../policies/registry';
import type { Caller } from '../support/api/harness';
import { apiHarness, expectProblem, NOW } from '../support/api/harness';

const summary: TicketSummary = {
  ticketNumber: 'VIG-000007',
  customerId: 'acme',
  title: 'Printer down',
  kind: 'incident',
  priority: 'P2',
  status: 'support',
  assignee: 'marc',
  openedAt: Date.parse('2026-05-12T08:30:00Z'),
  nextDeadline: Date.parse('2026-05-13T12:00:00Z'),
  slaBreached: false,
};
const lastKey: PageKey = { order: 'arrival', at: '2026-05-12T08:30:00.123456+00:00', number: 'VIG-000007' };
const cursorOf = (key: PageKey) => Buffer.from(JSON.stringify(key)).toString('base64url');

describe('GET /v1/tickets and /v1/queue', () => {
  let harness: Awaited<ReturnType<typeof apiHarness>>;

  beforeAll(async () => (harness = await apiHarness()));
  beforeEach(() => {
    harness.ticketQueries.requests.length = 0;
    harness.ticketQueries.answer = { items: [] };
  });

  const lastRequest = () => harness.ticketQueries.requests.at(-1);

  it('answers a page of summaries, instants in ISO-8601, with a link to each ticket and the cursor of the next page', async () => {
    harness.ticketQueries.answer = {
      items: [
        summary,
        { ...summary, ticketNumber: 'VIG-000008', assignee: undefined, nextDeadline: undefined, slaBreached: true },
      ],
      next: lastKey,
    };
    const response = await harness.call('agent', 'GET', '/v1/tickets');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      items: [
        {
          ...summary,
          openedAt: '2026-05-12T08:30:00.000Z',
          nextDeadline: '2026-05-13T12:00:00.000Z',
          atRiskFrom: null,
          links: { self: '/v1/tickets/VIG-000007' },
        },
        {
          ...summary,
          ticketNumber: 'VIG-000008',
          assignee: undefined,
          openedAt: '2026-05-12T08:30:00.000Z',
          nextDeadline: null,
          slaBreached: true,
          atRiskFrom: null,
          links: { self: '/v1/tickets/VIG-000008' },
        },
      ],
      nextCursor: cursorOf(lastKey),
      previousCursor: null,
    });
    expect(lastRequest()).toEqual({
      filter: {
        statuses: undefined,
        customerId: undefined,
        priorities: undefined,
        kinds: undefined,
        breached: undefined,
        assignee: undefined,
      },
      order: 'arrival',
      limit: 25,
      after: undefined,
    });
  });

  it('says `emergency: true` of a ticket opened through the emergency channel, and leaves the field out of every other', async () => {
    harness.ticketQueries.answer = {
      items: [
        { ...summary, priority: 'P1', emergency: true },
        { ...summary, ticketNumber: 'VIG-000008' },
      ],
    };
    for (const url of ['/v1/tickets', '/v1/queue']) {
      const [emergency, standard] = (await harness.call('agent', 'GET', url)).json().items;
      expect(emergency).toMatchObject({ ticketNumber: 'VIG-000007', priority: 'P1', emergency: true });
      // The keys every ticket had before the field was added, no more: a client comparing them sees no change.
      expect(Object.keys(standard).sort()).toEqual(
        ['ticketNumber', 'customerId', 'title', 'kind', 'priority', 'status', 'assignee', 'openedAt']
          .concat(['nextDeadline', 'slaBreached', 'atRiskFrom', 'links'])
          .sort(),
      );
    }
    const document = (await harness.app.inject({ method: 'GET', url: '/docs/json' })).json();
    const item = document.paths['/v1/tickets'].get.responses['200'].content['application/json'].schema.properties.items;
    expect(item.items.properties.emergency).toMatchObject({ type: 'boolean', enum: [true] });
    expect(item.items.required).not.toContain('emergency');
  });

  it("hands the search and the at-risk filter to the store, at risk as of the API's clock", async () => {
    expect(
      (await harness.call('agent', 'GET', '/v1/tickets?q=%20printer%20&atRisk=true&order=deadline')).statusCode,
    ).toBe(200);
    expect(lastRequest()?.filter).toMatchObject({ search: 'printer', atRiskAt: NOW });
    expect((await harness.call('agent', 'GET', '/v1/queue?q=VIG-000007&atRisk=false')).statusCode).toBe(200);
    expect(lastRequest()?.filter).toMatchObject({ openOnly: true, search: 'VIG-000007' });
    expect(lastRequest()?.filter).not.toHaveProperty('atRiskAt');
  });

  it('answers nextCursor null on the last page, previousCursor null on the first', async () => {
    expect((await harness.call('agent', 'GET', '/v1/tickets')).json()).toEqual({
      items: [],
      nextCursor: null,
      previousCursor: null,
    });
  });

  it('hands every filter to the store, lists given as repeats or with commas', async () => {
    const response = await harness.call(
      'manager',
      'GET',
      '/v1/tickets?status=support,waiting&priority=P1&priority=P2&kind=incident&breached=true&assignee=marc&customer=globex&order=deadline&limit=10',
    );
    expect(response.statusCode).toBe(200);
    expect(lastRequest()).toEqual({
      filter: {
        statuses: ['support', 'waiting'],
        customerId: 'globex',
        priorities: ['P1', 'P2'],
        kinds: ['incident'],
        breached: true,
        assignee: 'marc',
      },
      order: 'deadline',
      limit: 10,
      after: undefined,
    });
  });

  it('continues from a cursor it gave', async () => {
    harness.ticketQueries.answer = { items: [summary], next: lastKey };
    const { nextCursor } = (await harness.call('agent', 'GET', '/v1/tickets?limit=1')).json();
    await harness.call('agent', 'GET', `/v1/tickets?limit=1&cursor=${nextCursor}`);
    expect(lastRequest()?.after).toEqual(lastKey);
  });

  it('documents the orders of messages/ticket-list.ts, each with its meaning, in the OpenAPI document', async () => {
    const document = (await harness.app.inject({ method: 'GET', url: '/docs/json' })).json();
    const order = document.paths['/v1/tickets'].get.parameters.find(
      (parameter: { in: string; name: string }) => parameter.in === 'query' && parameter.name === 'order',
    );
    expect(order).toMatchObject({ description: TicketOrder.description });
    expect(order.schema.anyOf).toEqual(TICKET_ORDERS.map((value) => ({ type: 'string', enum: [value] })));
    expect(TicketOrder.description).toContain('newest: newest first');
  });

  it('newest first: goes back from the cursor of a previous page, in the order it came from', async () => {
    const firstRow: PageKey = { ...lastKey, order: 'newest', back: true };
    harness.ticketQueries.answer = { items: [summary], next: { ...lastKey, order: 'newest' }, previous: firstRow };
    const answer = (await harness.call('acme', 'GET', '/v1/tickets?order=newest&limit=1')).json();
    expect(lastRequest()).toMatchObject({ order: 'newest', filter: { customerId: 'acme' } });
    expect(answer.previousCursor).toBe(cursorOf(firstRow));
    await harness.call('acme', 'GET', `/v1/tickets?order=newest&limit=1&cursor=${answer.previousCursor}`);
    expect(lastRequest()).toMatchObject({ order: 'newest', after: firstRow, filter: { customerId: 'acme' } });
    expectProblem(
      await harness.call('acme', 'GET', `/v1/tickets?order=arrival&cursor=${answer.previousCursor}`),
      422,
      'invalid-cursor',
      'querystring.cursor',
    );
  });

  it('the queue: open tickets only, in arrival order, with the same filters', async () => {
    const response = await harness.call('agent', 'GET', '/v1/queue?priority=P1,P2&assignee=lea');
    expect(response.statusCode).toBe(200);
    expect(lastRequest()).toEqual({
      filter: {
        openOnly: true,
        customerId: undefined,
        priorities: ['P1', 'P2'],
        kinds: undefined,
        breached: undefined,
        assignee: 'lea',
      },
      order: 'arrival',
      limit: 25,
      after: undefined,
    });
  });

  it.each(['/v1/tickets', '/v1/queue'])('%s answers 401 without a key and reads nothing', async (url) => {
    expectProblem(await harness.call(undefined, 'GET', url), 401, 'unauthorized');
    expect(harness.ticketQueries.requests).toEqual([]);
  });

  it.each(
    (['admin', 'agent', 'manager', 'customer'] as Caller[]).flatMap((caller) =>
      ['/v1/tickets', '/v1/queue'].map((url) => [url, caller] as const),
    ),
  )('%s may be read with a %s key', async (url, caller) => {
    expect((await harness.call(caller, 'GET', url)).statusCode).toBe(200);
  });

  it.each(['/v1/tickets', '/v1/queue'])(
    "%s holds a customer's key to its own company, and refuses another's with 403",
    async (url) => {
      await harness.call('acme', 'GET', url);
      await harness.call('acme', 'GET', `${url}?customer=acme`);
      expect(harness.ticketQueries.requests.map(({ filter }) => filter.customerId)).toEqual(['acme', 'acme']);

      const refused = await harness.call('acme', 'GET', `${url}?customer=globex`);
      expectProblem(refused, 403, 'forbidden');
      expect(refused.json().detail).toContain('set it to acme');
      expect(harness.ticketQueries.requests).toHaveLength(2);
    },
  );

  it.each([
    ['/v1/tickets?status=open', 'querystring.status.0'],
    ['/v1/tickets?status=support,nonsense', 'querystring.status.1'],
    ['/v1/tickets?priority=P9', 'querystring.priority.0'],
    ['/v1/tickets?kind=complaint', 'querystring.kind.0'],
    ['/v1/tickets?breached=maybe', 'querystring.breached'],
    ['/v1/tickets?limit=0', 'querystring.limit'],
    ['/v1/tickets?limit=101', 'querystring.limit'],
    ['/v1/tickets?order=latest', 'querystring.order'],
    ['/v1/tickets?sort=number', 'querystring.sort'],
    ['/v1/tickets?order=deadline&status=support,closed', 'querystring.status'],
    ['/v1/queue?status=support', 'querystring.status'],
    ['/v1/queue?order=deadline', 'querystring.order'],
    ['/v1/queue?limit=abc', 'querystring.limit'],
  ])('%s answers 422 naming %s, and reads nothing', async (url, field) => {
    expectProblem(await harness.call('agent', 'GET', url), 422, 'invalid-request', field);
    expect(harness.ticketQueries.requests).toEqual([]);
  });

  it.each([
    ['not base64 JSON', 'bm90IGpzb24'],
    ['a key this API never writes', cursorOf({ ...lastKey, number: 'DROP TABLE' })],
    ['a cursor of the other order', cursorOf({ ...lastKey, order: 'deadline' })],
    ['a cursor whose direction is not one this API writes', cursorOf({ ...lastKey, back: 'yes' as never })],
  ])('answers 422 invalid-cursor to %s, and reads nothing', async (_case, cursor) => {
    expectProblem(
      await harness.call('agent', 'GET', `/v1/tickets?cursor=${cursor}`),
      422,
      'invalid-cursor',
      'querystring.cursor',
    );
    expect(harness.ticketQueries.requests).toEqual([]);
  });
});

describe('the business time left on a listed ticket', () => {
  // A request under Mixvoip Entreprises (support hours Monday to Friday 07:30–18:00, Luxembourg) opened on Friday
  // 15:00, its intervention due in 6 business hours: on Friday 16:00, 5 business hours are left, but its deadline is
  // on Monday 10:30, some 66 hours away.
  const friday = Date.parse('2026-05-15T16:00:00+02:00');
  const deadline = Date.parse('2026-05-18T10:30:00+02:00');
  const facts: ClockFacts = {
    openedAt: Date.parse('2026-05-15T15:00:00+02:00'),
    kind: 'request',
    priority: 'P2',
    policyId: 'mixvoip-entreprises',
    policyVersion: 1,
    clocks: [{ metric: 'intervention', deadline, thresholds: [], pauses: [] }],
  };
  const dated = { ...summary, kind: 'request' as const, nextDeadline: deadline };

  it("answers it from the calendar of the ticket's policy version, not the clock time to the deadline", async () => {
    const harness = await apiHarness(() => friday);
    harness.ticketQueries.answer = {
      items: [
        { ...dated, clockFacts: facts },
        { ...dated, ticketNumber: 'VIG-000008', clockFacts: { ...facts, policyVersion: undefined } },
      ],
    };
    const [measured, unpinned] = (await harness.call('agent', 'GET', '/v1/tickets?order=deadline')).json().items;
    expect(measured.businessTimeLeftMs).toBe(5 * 3_600_000);
    expect(deadline - friday).toBeGreaterThan(66 * 3_600_000);
    expect(measured).not.toHaveProperty('clockFacts');
    // Before its policy version is pinned, a ticket has nothing to measure with: the field is left out.
    expect(unpinned).not.toHaveProperty('businessTimeLeftMs');
  });

  it('looks each policy version up once for a page, however many of its tickets the page holds', async () => {
    const asked: string[] = [];
    const policyOf = pinnedPolicies({
      inForce: (id) => presetRegistry.find(id),
      find: (id, version) => {
        asked.push(`${id}@${version}`);
        return presetRegistry.find(id, version);
      },
    });
    const policies = await Promise.all([facts, facts, { ...facts, policyId: 'esker' }, facts].map(policyOf));
    expect(asked).toEqual(['mixvoip-entreprises@1', 'esker@1']);
    expect(timeLeftToNextDeadline(facts, policies[0], friday)).toBe(5 * 3_600_000);
  });
});
