import type { PageKey } from '../../db/ticket-queries';
import { apiHarness, expectProblem, openingBody, type Caller } from '../support/api/harness';

const LINE_RULE = 'must be one line of text, without control characters, bidirectional controls or unpaired surrogates';
const TITLE_RULE =
  'must be one line of text other than white space and invisible characters alone, without control characters, bidirectional controls or unpaired surrogates';
// A person's name has a title's rule (messages/text-fields.ts Name).
const NAME_RULE = TITLE_RULE;
const TEXT_RULE =
  'must be text without control characters (tab and line breaks aside), bidirectional controls or unpaired surrogates';

// Poison text is refused at the edge, naming the field, before any workflow or store sees it (domain/text.ts says why).
describe('text the API refuses', () => {
  let harness: Awaited<ReturnType<typeof apiHarness>>;

  beforeEach(async () => {
    harness = await apiHarness();
  });

  /** The body exactly as written: `\u0000` and `\ud800` stay JSON escapes on the wire, as a client would send them. */
  const rawPost = (caller: Caller, url: string, json: string, headers: Record<string, string> = {}) =>
    harness.app.inject({
      method: 'POST',
      url,
      payload: json,
      headers: { authorization: `Bearer ${harness.tokens[caller]}`, 'content-type': 'application/json', ...headers },
    });

  const openingWith = (field: string, escaped: string) =>
    JSON.stringify({ ...openingBody, [field]: 'PLACEHOLDER' }).replace('PLACEHOLDER', escaped);

  it.each([
    ['title', 'Printer \\u0000down', TITLE_RULE],
    ['title', 'Printer \\ud800down', TITLE_RULE],
    ['title', 'Printer down\\r\\nBcc: eve@evil.test', TITLE_RULE],
    ['title', 'Printer\\tdown', TITLE_RULE],
    ['title', '   ', TITLE_RULE],
    ['title', ' \\u00a0\\u3000', TITLE_RULE],
    ['title', 'invoice\\u202efdp.exe', TITLE_RULE],
    // Nothing to read: zero-width characters, joiners, a byte order mark, a word joiner, soft hyphens, a Hangul filler.
    ['title', '\\u200b', TITLE_RULE],
    ['title', '\\u200c\\u200d', TITLE_RULE],
    ['title', ' \\ufeff ', TITLE_RULE],
    ['title', '\\u2060\\u00ad\\u00ad', TITLE_RULE],
    ['title', '\\u3164', TITLE_RULE],
    // A title is one line: the line and paragraph separators and NEL break it as CR and LF do.
    ['title', 'Printer down\\u2028Bcc: eve@evil.test', TITLE_RULE],
    ['title', 'Printer\\u2029down', TITLE_RULE],
    ['title', 'Printer\\u0085down', TITLE_RULE],
    ['title', '\\u2067Printer down', TITLE_RULE],
    ['description', 'blank pages\\u0000', TEXT_RULE],
    ['description', 'see invoice\\u202efdp.exe', TEXT_RULE],
    ['description', 'blank pages \\udfff', TEXT_RULE],
    ['description', 'blank\\rpages', TEXT_RULE],
    ['description', 'bell \\u0007', TEXT_RULE],
  ])('refuses a ticket whose %s is "%s" (422 naming it), and starts nothing', async (field, escaped, message) => {
    const refused = await rawPost('customer', '/v1/tickets', openingWith(field, escaped));
    expectProblem(refused, 422, 'invalid-request');
    expect(refused.json().errors).toEqual([{ field: `body.${field}`, message }]);
    expect(refused.json().detail).toBe(`body.${field} ${message}`);
    expect(harness.temporal.started).toEqual([]);
  });

  it('refuses a contact name with a line break or a bidirectional override, and a NUL in the e-mail address', async () => {
    const name = await rawPost(
      'customer',
      '/v1/tickets',
      JSON.stringify({ ...openingBody, contact: { name: 'Ana\nLopes', email: 'ana@acme.lu' } }),
    );
    expect(name.json().errors).toEqual([{ field: 'body.contact.name', message: NAME_RULE }]);
    const spoofed = await rawPost(
      'customer',
      '/v1/tickets',
      JSON.stringify({ ...openingBody, contact: { name: 'Ana \u202eLopes', email: 'ana@acme.lu' } }),
    );
    expect(spoofed.json().errors).toEqual([{ field: 'body.contact.name', message: NAME_RULE }]);
    const email = await rawPost(
      'customer',
      '/v1/tickets',
      JSON.stringify({ ...openingBody, contact: { name: 'Ana', email: 'ana@acme.lu\u0000' } }),
    );
    expectProblem(email, 422, 'invalid-request', 'body.contact.email');
    expect(harness.temporal.started).toEqual([]);
  });

  it.each(['   ', ' \u00a0\u3000', '\ufeff', '\u200b\u200b', '\u00ad', '\u2800'])(
    'refuses a contact name of white space alone ("%s"), naming it, and starts nothing',
    async (blank) => {
      const refused = await rawPost(
        'customer',
        '/v1/tickets',
        JSON.stringify({ ...openingBody, contact: { name: blank, email: 'ana@acme.lu' } }),
      );
      expectProblem(refused, 422, 'invalid-request');
      expect(refused.json().errors).toEqual([{ field: 'body.contact.name', message: NAME_RULE }]);
      expect(harness.temporal.started).toEqual([]);
    },
  );

  it('takes a contact name with white space around it, as typed', async () => {
    const body = { ...openingBody, contact: { name: ' Ana Lopes ', email: 'ana@acme.lu' } };
    expect((await rawPost('customer', '/v1/tickets', JSON.stringify(body))).statusCode).toBe(201);
    expect(harness.temporal.started).toEqual([expect.objectContaining({ contact: body.contact })]);
  });

  it('takes a title with zero-width characters among visible ones, and line separators in a description', async () => {
    const body = {
      ...openingBody,
      title: '\u200bVPN \u200cdown\u00ad 👩\u200d💻',
      description: 'Steps:\u20281. connect\u20292. nothing',
    };
    expect((await rawPost('customer', '/v1/tickets', JSON.stringify(body))).statusCode).toBe(201);
    expect(harness.temporal.started).toEqual([
      expect.objectContaining({ title: body.title, description: body.description }),
    ]);
  });

  it('takes tabs, LF and CRLF in a description, and characters outside the BMP anywhere', async () => {
    const body = {
      ...openingBody,
      title: 'Imprimante en panne 🖨️',
      description: 'Steps:\r\n\t1. print\n\t2. blank page 😞',
    };
    expect((await rawPost('customer', '/v1/tickets', JSON.stringify(body))).statusCode).toBe(201);
    expect(harness.temporal.started).toEqual([
      expect.objectContaining({ title: body.title, description: body.description }),
    ]);
  });

  it('refuses an idempotency key holding a control character (422 naming the header)', async () => {
    const refused = await rawPost('customer', '/v1/tickets', JSON.stringify(openingBody), {
      'idempotency-key': 'key\u0001',
    });
    expectProblem(refused, 422, 'invalid-request', 'headers.idempotency-key');
    expect(harness.temporal.started).toEqual([]);
  });

  describe('in an action on a ticket', () => {
    beforeEach(() => harness.ticketOf('acme', 'VIG-000042', 'waiting'));

    it.each([
      [
        'customer-reply',
        'customer' as const,
        '{"contact": "ana@acme.lu", "message": "It prints \\u0000 now"}',
        'body.message',
        TEXT_RULE,
      ],
      [
        'customer-reply',
        'customer' as const,
        '{"contact": "ana@acme.lu", "message": "half a smiley \\ud83d"}',
        'body.message',
        TEXT_RULE,
      ],
      [
        'customer-reply',
        'customer' as const,
        '{"contact": "ana@acme.lu\\r\\nBcc: eve@evil.test"}',
        'body.contact',
        LINE_RULE,
      ],
      [
        'time-entries',
        'agent' as const,
        '{"agent": "marc", "start": "2026-05-13T09:00:00+02:00", "end": "2026-05-13T09:30:00+02:00", "role": "engineer\\u0000"}',
        'body.role',
        LINE_RULE,
      ],
      [
        'time-entries',
        'agent' as const,
        '{"agent": "marc", "start": "2026-05-13T09:00:00+02:00", "end": "2026-05-13T09:30:00+02:00", "note": "\\udc00"}',
        'body.note',
        TEXT_RULE,
      ],
      [
        'time-entries',
        'agent' as const,
        '{"agent": "ma\\nrc", "start": "2026-05-13T09:00:00+02:00", "end": "2026-05-13T09:30:00+02:00"}',
        'body.agent',
        LINE_RULE,
      ],
      ['validate', 'customer' as const, '{"contact": "ana@acme.lu", "comment": "\\u0000"}', 'body.comment', TEXT_RULE],
      ['reassign', 'agent' as const, '{"agent": "  "}', 'body.agent', NAME_RULE],
      ['reassign', 'agent' as const, '{"agent": "\\u00a0\\t"}', 'body.agent', NAME_RULE],
      ['reassign', 'agent' as const, '{"agent": "\\u200b\\u2060"}', 'body.agent', NAME_RULE],
      ['reassign', 'agent' as const, '{"agent": "marc\\u2028"}', 'body.agent', NAME_RULE],
      ['customer-reply', 'customer' as const, '{"contact": "ana@acme.lu\\u2029"}', 'body.contact', LINE_RULE],
    ])('%s by %s: refuses %s (422 naming %s), and sends no Update', async (action, caller, json, field, message) => {
      const refused = await rawPost(caller, `/v1/tickets/VIG-000042/${action}`, json);
      expectProblem(refused, 422, 'invalid-request');
      expect(refused.json().errors).toEqual([{ field, message }]);
      expect(harness.temporal.updates).toEqual([]);
    });

    it('takes a multi-line reply', async () => {
      const accepted = await rawPost(
        'customer',
        '/v1/tickets/VIG-000042/customer-reply',
        '{"contact": "ana@acme.lu", "message": "Floor 2.\\r\\nThanks\\t!"}',
      );
      expect(accepted.statusCode).toBe(200);
      expect(harness.temporal.updates).toEqual([
        expect.objectContaining({ command: { ...harness.actingOf('acme'), message: 'Floor 2.\r\nThanks\t!' } }),
      ]);
    });
  });

  it.each([
    ['/v1/tickets?assignee=marc%00', 'querystring.assignee'],
    ['/v1/tickets?assignee=ma%0Arc', 'querystring.assignee'],
    ['/v1/queue?customer=acme%0D%0A', 'querystring.customer'],
    ['/v1/tickets?cursor=abc%00', 'querystring.cursor'],
  ])('%s answers 422 naming %s, and reads nothing', async (url, field) => {
    const refused = await harness.call('agent', 'GET', url);
    expectProblem(refused, 422, 'invalid-request');
    expect(refused.json().errors).toEqual([{ field, message: LINE_RULE }]);
    expect(harness.ticketQueries.requests).toEqual([]);
  });

  it.each([
    ['authorizedContacts', { name: ' \u00a0', email: 'dan@acme.lu' }],
    ['escalationContacts', { level: 'customer-service-manager', name: '\u3000', email: 'dan@acme.lu' }],
  ])("refuses a contract's %s name of white space alone, naming it, and saves no contract", async (list, contact) => {
    const before = await harness.accounts.listContracts('acme');
    const refused = await harness.call('admin', 'POST', '/v1/admin/customers/acme/contracts', {
      policyId: 'care-solutions',
      startsOn: '2026-01-01',
      [list]: [contact],
    });
    expectProblem(refused, 422, 'invalid-request');
    expect(refused.json().errors).toEqual([{ field: `body.${list}.0.name`, message: NAME_RULE }]);
    expect(await harness.accounts.listContracts('acme')).toEqual(before);
  });

  it.each(['Initech\\u0000', '\\u200b\\u200b', 'Initech\\u2028Inc'])(
    'refuses a customer name "%s" on the admin API (a name: something to read, on one line)',
    async (escaped) => {
      const refused = await rawPost('admin', '/v1/admin/customers', `{"id": "initech", "name": "${escaped}"}`);
      expectProblem(refused, 422, 'invalid-request');
      expect(refused.json().errors).toEqual([{ field: 'body.name', message: NAME_RULE }]);
      expect(await harness.accounts.getCustomer('initech')).toBeUndefined();
    },
  );

  // The schema counts characters (code points); so must the store the API and the CLI write through
  // (db/account-input.ts), or a name of 150 emoji passed the schema and was refused as longer than 200 characters.
  it('takes the names and lines of a customer and its contract at their length in characters beyond the BMP', async () => {
    const longest = (length: number) => '\u{1f98a}'.repeat(length);
    const billing = {
      legalName: longest(200),
      street: longest(200),
      postalCode: 'L-1111',
      city: longest(100),
      country: 'LU',
      email: 'billing@initech.lu',
    };
    const customer = await harness.call('admin', 'POST', '/v1/admin/customers', {
      id: 'initech',
      name: longest(200),
      billing,
    });
    expect([customer.statusCode, customer.json().name, customer.json().billing]).toEqual([
      201,
      longest(200),
      expect.objectContaining({ legalName: longest(200), street: longest(200), city: longest(100) }),
    ]);
    const contract = await harness.call('admin', 'POST', '/v1/admin/customers/initech/contracts', {
      policyId: 'care-solutions',
      startsOn: '2026-01-01',
      tier: longest(100),
      authorizedContacts: [{ name: longest(200), email: 'dan@initech.lu' }],
    });
    expect([contract.statusCode, contract.json().authorizedContacts]).toEqual([
      201,
      [expect.objectContaining({ name: longest(200) })],
    ]);
    const key = await harness.call('admin', 'POST', '/v1/admin/api-keys', { role: 'agent', label: longest(200) });
    expect([key.statusCode, key.json().label]).toEqual([201, longest(200)]);
    // One more is the schema's refusal, naming the field.
    const past = await harness.call('admin', 'PATCH', '/v1/admin/customers/initech', { name: longest(201) });
    expectProblem(past, 422, 'invalid-request', 'body.name');
  });

  it("refuses a customer's legal name of invisible characters alone, which its invoices would be addressed to", async () => {
    const billing = {
      legalName: '\u2060\u00ad',
      street: '1 rue Haute',
      postalCode: 'L-1111',
      city: 'Luxembourg',
      country: 'LU',
      email: 'billing@initech.lu',
    };
    const refused = await harness.call('admin', 'POST', '/v1/admin/customers', {
      id: 'initech',
      name: 'Initech',
      billing,
    });
    expectProblem(refused, 422, 'invalid-request');
    expect(refused.json().errors).toEqual([{ field: 'body.billing.legalName', message: NAME_RULE }]);
    expect(await harness.accounts.getCustomer('initech')).toBeUndefined();
  });

  // A credit note's reason has the same rule (test/e2e/invoice-credit-notes.test.ts).
  it('refuses a prepaid purchase whose printed description is zero-width characters alone or holds a line separator', async () => {
    for (const description of ['\u200b\ufeff', 'Gift\u2029hours']) {
      const url = `/v1/contracts/${harness.contracts.acme.id}/prepaid-hours`;
      const refused = await harness.call('admin', 'POST', url, { minutes: 600, description });
      expectProblem(refused, 422, 'invalid-request');
      expect(refused.json().errors).toEqual([{ field: 'body.description', message: TITLE_RULE }]);
    }
    expect(harness.prepaid.purchases).toEqual([]);
  });
});

// Item 8: a cursor is the client's to alter; whatever comes back is a 422 invalid-cursor, never a 500 from PostgreSQL.
describe('a tampered cursor', () => {
  let harness: Awaited<ReturnType<typeof apiHarness>>;

  beforeAll(async () => (harness = await apiHarness()));

  const cursorOf = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');
  const key = (at: string): PageKey => ({ order: 'arrival', at, number: 'VIG-000007' });

  it.each([
    ['February 31st', cursorOf(key('2026-02-31T00:00:00Z'))],
    ['year 0000', cursorOf(key('0000-01-01T00:00:00Z'))],
    ['February 29th of a common year', cursorOf(key('2026-02-29T10:00:00+00:00'))],
    ['month 13', cursorOf(key('2026-13-01T00:00:00Z'))],
    ['hour 24', cursorOf(key('2026-05-12T24:00:00Z'))],
    ['minute 60', cursorOf(key('2026-05-12T10:60:00Z'))],
    ['an offset of 16 hours', cursorOf(key('2026-05-12T10:00:00+16:00'))],
    ['an instant without offset', cursorOf(key('2026-05-12T10:00:00'))],
    ['garbage base64', '!!!~~~'],
    ['base64 of garbage', Buffer.from('{"order":').toString('base64url')],
    ['JSON null', cursorOf(null)],
    ['a JSON array', cursorOf(['arrival', '2026-05-12T08:30:00Z', 'VIG-000007'])],
    ['an instant that is a number', cursorOf({ ...key(''), at: 1 })],
  ])('%s: 422 invalid-cursor on /v1/tickets and /v1/queue, and nothing read', async (_case, cursor) => {
    for (const url of [`/v1/tickets?cursor=${cursor}`, `/v1/queue?cursor=${cursor}`]) {
      expectProblem(await harness.call('agent', 'GET', url), 422, 'invalid-cursor', 'querystring.cursor');
    }
    expect(harness.ticketQueries.requests).toEqual([]);
  });

  it.each([
    ['a leap day', '2024-02-29T23:59:59.999999+01:00'],
    ['no deadline', 'infinity'],
    ['an offset in seconds, as PostgreSQL writes an old local mean time', '1900-01-01T00:00:00+00:09:21'],
  ])('takes a genuine key: %s', async (_case, at) => {
    expect((await harness.call('agent', 'GET', `/v1/tickets?cursor=${cursorOf(key(at))}`)).statusCode).toBe(200);
    expect(harness.ticketQueries.requests.at(-1)?.after).toEqual(key(at));
  });
});
