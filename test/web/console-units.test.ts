import type { FastifyRequest } from 'fastify';
import { hashPassword, passwordProblem, verifyPassword } from '../../db/password-hash';
import { cookieOf, principalOfSession, sameToken } from '../../api/sessions';
import { formTokenValid, FORM_CSRF_COOKIE } from '../../api/web/forms';
import { localNext } from '../../api/web/sign-in';
import { consoleSettingsFromEnv } from '../../api/web/console-settings';
import { boardBody, boardQuery, customerNames, type BoardFilters } from '../../api/web/board';
import type { Session } from '../../db/sessions';
import { portalBody, portalQuery } from '../../api/web/portal';
import { consoleContext } from '../support/web/page-context';

const requestWith = (cookie: string | undefined, session?: Session) =>
  ({ headers: { cookie }, session }) as unknown as FastifyRequest;
const session: Session = {
  userId: '7',
  email: 'ana@acme.lu',
  name: 'Ana Lopes',
  role: 'customer',
  customerId: 'acme',
  csrfToken: 't'.repeat(43),
};

describe('passwords', () => {
  it('hashes with scrypt and a salt per password, and checks in constant time', async () => {
    const [one, two] = [await hashPassword('correct horse battery'), await hashPassword('correct horse battery')];
    expect(one).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(one).not.toBe(two);
    await expect(verifyPassword('correct horse battery', one)).resolves.toBe(true);
    await expect(verifyPassword('correct horse batterY', one)).resolves.toBe(false);
    // Without a stored hash (unknown account, none set) the check still runs, and fails.
    await expect(verifyPassword('correct horse battery', undefined)).resolves.toBe(false);
    await expect(verifyPassword('x', 'plain-text-in-the-column')).resolves.toBe(false);
  });

  it('wants 12 characters or more, 256 at most', () => {
    expect(passwordProblem('short')).toBe('must have at least 12 characters');
    expect(passwordProblem('x'.repeat(257))).toBe('must have at most 256 characters');
    expect(passwordProblem('twelve chars')).toBeUndefined();
  });
});

describe('cookies and CSRF tokens', () => {
  it('reads one cookie by its exact name', () => {
    expect(cookieOf(requestWith('a=1; vigil_session=abc; vigil_session_x=no'), 'vigil_session')).toBe('abc');
    expect(cookieOf(requestWith('xvigil_session=abc'), 'vigil_session')).toBeUndefined();
    expect(cookieOf(requestWith(undefined), 'vigil_session')).toBeUndefined();
  });

  it("checks a signed-in form against its session's token, a signed-out one against its cookie", () => {
    expect(formTokenValid(requestWith(undefined, session), { _csrf: session.csrfToken })).toBe(true);
    expect(
      formTokenValid(requestWith(`${FORM_CSRF_COOKIE}=${session.csrfToken}`, session), { _csrf: 'u'.repeat(43) }),
    ).toBe(false);
    expect(formTokenValid(requestWith(`${FORM_CSRF_COOKIE}=${'c'.repeat(43)}`), { _csrf: 'c'.repeat(43) })).toBe(true);
    expect(formTokenValid(requestWith(undefined), { _csrf: '' })).toBe(false);
    expect(sameToken(undefined, 'x')).toBe(false);
    expect(sameToken(['x'], 'x')).toBe(false);
  });

  it("gives a person's session the principal an API key of the same role and company would have, plus the person", () => {
    expect(principalOfSession(session)).toEqual({
      keyId: 'user-7',
      role: 'customer',
      customerId: 'acme',
      label: 'Ana Lopes',
      person: { userId: '7', email: 'ana@acme.lu', name: 'Ana Lopes' },
    });
  });
});

describe('where the console sends a browser', () => {
  it.each([
    'https://evil.test/',
    '//evil.test',
    '/console//evil.test',
    '/\\evil.test',
    '/v1/tickets',
    'javascript:alert(1)',
    undefined,
  ])('never off the console: %s', (next) => {
    expect(localNext(next)).toBe('/console/');
  });
  it('back to the console page asked for', () => {
    expect(localNext('/console/tickets/VIG-000001')).toBe('/console/tickets/VIG-000001');
  });
});

describe('the console settings', () => {
  it('reads the public URL and the cookie setting, refusing what they cannot be', () => {
    expect(
      consoleSettingsFromEnv({ VIGIL_PUBLIC_URL: 'https://desk.example/', VIGIL_COOKIE_SECURE: 'true' }),
    ).toMatchObject({ publicUrl: 'https://desk.example', cookie: { secure: true } });
    expect(consoleSettingsFromEnv({ PORT: '8080' })).toMatchObject({
      publicUrl: 'http://localhost:8080',
      cookie: { secure: 'auto' },
    });
    expect(() => consoleSettingsFromEnv({ VIGIL_COOKIE_SECURE: 'yes' })).toThrow(
      'VIGIL_COOKIE_SECURE must be auto, true or false',
    );
    expect(() => consoleSettingsFromEnv({ VIGIL_PUBLIC_URL: 'desk.example' })).toThrow(
      'VIGIL_PUBLIC_URL must be an http(s) URL',
    );
  });
});

describe("the board's query", () => {
  it('lists open tickets nearest deadline first, and closed ones by arrival', () => {
    expect(boardQuery({ priority: 'P1', breached: 'true' })).toBe(
      '/v1/tickets?order=deadline&limit=50&priority=P1&breached=true',
    );
    expect(boardQuery({ status: 'closed' })).toBe('/v1/tickets?order=arrival&limit=50&status=closed');
  });

  it('leaves the search, the at-risk filter and the page to the API, over every ticket: the board filters nothing itself', () => {
    expect(boardQuery({ q: 'VIG-0001', atRisk: 'true', cursor: 'abc' })).toBe(
      '/v1/tickets?order=deadline&limit=50&atRisk=true&q=VIG-0001&cursor=abc',
    );
  });
});

describe("the board's page", () => {
  const NOW = Date.parse('2026-05-13T10:00:00Z');
  const listed = (
    ticketNumber: string,
    nextDeadline: number | null,
    atRiskFrom: number | null,
    slaBreached = false,
  ) => ({
    ticketNumber,
    customerId: 'acme',
    title: `Ticket ${ticketNumber}`,
    priority: 'P2',
    status: 'support',
    openedAt: new Date(NOW - 3_600_000).toISOString(),
    nextDeadline: nextDeadline === null ? null : new Date(nextDeadline).toISOString(),
    atRiskFrom: atRiskFrom === null ? null : new Date(atRiskFrom).toISOString(),
    slaBreached,
  });
  const context = consoleContext('en');
  const body = (items: object[], nextCursor: string | null, filters: BoardFilters = {}) =>
    boardBody(context, filters, { status: 200, body: { items, nextCursor }, headers: {} }, NOW).text;
  const rowOf = (text: string, ticketNumber: string) =>
    text.split('<tr').find((row) => row.includes(`>${ticketNumber}</a>`)) ?? '';

  it("marks a ticket at risk from its policy's first warning, not by a fixed share of its time: the same rule as the at-risk report", () => {
    // Two days to its deadline but past its first warning (a long target); five minutes to its deadline and no warning yet.
    const text = body(
      [
        listed('VIG-000001', NOW + 2 * 86_400_000, NOW - 60_000),
        listed('VIG-000002', NOW + 300_000, NOW + 60_000),
        listed('VIG-000003', NOW - 1, null),
        listed('VIG-000004', NOW + 3_600_000, null, true),
      ],
      null,
    );
    expect(rowOf(text, 'VIG-000001')).toContain('class="at-risk"');
    expect(rowOf(text, 'VIG-000002')).not.toContain('at-risk');
    expect(rowOf(text, 'VIG-000003')).toContain('class="breached"');
    expect(rowOf(text, 'VIG-000004')).toContain('class="breached"');
  });

  it('shows the business time left to the deadline, not the clock time: across a weekend it is far less', () => {
    // Due Monday 10:30, read on Friday 16:00: some 66 hours away, 5 business hours left (GET /v1/tickets measured it).
    const friday = Date.parse('2026-05-15T16:00:00+02:00');
    const deadline = Date.parse('2026-05-18T10:30:00+02:00');
    const row = (extra: object) =>
      rowOf(
        boardBody(
          context,
          {},
          {
            status: 200,
            body: { items: [{ ...listed('VIG-000001', deadline, null), ...extra }], nextCursor: null },
            headers: {},
          },
          friday,
        ).text,
        'VIG-000001',
      );
    expect(row({ businessTimeLeftMs: 5 * 3_600_000 })).toContain('<br>5 h (business time)</td>');
    expect(row({ businessTimeLeftMs: 5 * 3_600_000 })).not.toContain('66 h');
    // Without a figure from the API (no policy version pinned yet), the deadline alone, never the clock time.
    expect(row({})).not.toContain(' h ');
    expect(row({ businessTimeLeftMs: -120_000, slaBreached: true })).toMatch(/2 min late.*Breached/s);
  });

  it("does not call an emergency's time left business time: its response clock counts every hour", () => {
    // An emergency opened on Friday at 19:30, its response due within the hour, read at 19:45 (out of office hours):
    // GET /v1/tickets measures the 45 minutes on the response clock's own counting, day and night.
    const evening = Date.parse('2026-05-15T19:45:00+02:00');
    const cell = (language: 'en' | 'fr', left: number, deadline: number) =>
      rowOf(
        boardBody(
          consoleContext(language),
          {},
          {
            status: 200,
            body: { items: [{ ...listed('VIG-000007', deadline, null), businessTimeLeftMs: left }], nextCursor: null },
            headers: {},
          },
          evening,
        ).text,
        'VIG-000007',
      );
    const due = evening + 45 * 60_000;
    expect(cell('en', 45 * 60_000, due)).toContain('<br>45 min</td>');
    expect(cell('en', 45 * 60_000, due)).not.toContain('business');
    expect(cell('fr', 45 * 60_000, due)).toContain('<br>45 min</td>');
    expect(cell('fr', 45 * 60_000, due)).not.toContain('temps ouvré');
    // Late, by the clock's hours too.
    const passed = evening - 10 * 60_000;
    expect(cell('en', -10 * 60_000, passed)).toContain('<br>10 min late <strong');
    // A business clock's figure read in the evening falls short of the hours to its deadline: that one says so.
    expect(cell('fr', 2 * 3_600_000, evening + 15.25 * 3_600_000)).toContain('<br>2 h (temps ouvré)</td>');
  });

  it('marks an emergency beside its priority, in words in either language, and no other ticket', () => {
    const items = [
      { ...listed('VIG-000001', NOW + 3_600_000, null), priority: 'P1', emergency: true },
      { ...listed('VIG-000002', NOW + 3_600_000, null), priority: 'P1' },
      { ...listed('VIG-000003', null, null), priority: 'P3', emergency: true },
    ];
    const page = (language: 'en' | 'fr') =>
      boardBody(consoleContext(language), {}, { status: 200, body: { items, nextCursor: null }, headers: {} }, NOW)
        .text;
    expect(rowOf(page('en'), 'VIG-000001')).toContain('<td>P1 <strong class="badge emergency">Emergency</strong></td>');
    expect(rowOf(page('fr'), 'VIG-000001')).toContain('<td>P1 <strong class="badge emergency">Urgence</strong></td>');
    // A best-effort ticket too: the mark is the channel's, whatever the queue.
    expect(rowOf(page('en'), 'VIG-000003')).toContain('<strong class="badge emergency">Emergency</strong>');
    expect(rowOf(page('en'), 'VIG-000002')).toContain('<td>P1</td>');
    expect(rowOf(page('en'), 'VIG-000002')).not.toContain('Emergency');
  });

  it('names each customer where the API gave its name, escaped, and by its id where not; the filter still takes the id', () => {
    const names = customerNames({
      status: 200,
      body: {
        customers: [
          { id: 'acme', name: "O'Brien <Acme> & Co" },
          { id: 'globex', name: 'Globex' },
        ],
      },
      headers: {},
    });
    const items = [
      listed('VIG-000001', NOW + 3_600_000, null),
      { ...listed('VIG-000002', NOW + 3_600_000, null), customerId: 'initech' },
    ];
    const text = boardBody(
      context,
      { customer: 'acme' },
      { status: 200, body: { items, nextCursor: null }, headers: {} },
      NOW,
      names,
    ).text;
    expect(rowOf(text, 'VIG-000001')).toContain('<td>O&#39;Brien &lt;Acme&gt; &amp; Co</td>');
    expect(rowOf(text, 'VIG-000001')).not.toContain('<td>acme</td>');
    // A customer the names do not know (added since, or the names refused) shows by its id.
    expect(rowOf(text, 'VIG-000002')).toContain('<td>initech</td>');
    // The filter is by id, as ever, its suggestions each an id offered under its name.
    expect(text).toContain('<input id="customer" name="customer" list="customer-names" value="acme">');
    expect(text).toContain('<option value="acme">O&#39;Brien &lt;Acme&gt; &amp; Co</option>');
    expect(text).toContain('<option value="globex">Globex</option>');
  });

  it('shows ids, and no suggestions, when the names did not come', () => {
    const refused = customerNames({ status: 503, body: { title: 'Busy' }, headers: {} });
    expect(refused.size).toBe(0);
    expect(customerNames({ status: 200, body: {}, headers: {} }).size).toBe(0);
    const text = boardBody(
      context,
      {},
      { status: 200, body: { items: [listed('VIG-000001', null, null)], nextCursor: null }, headers: {} },
      NOW,
      refused,
    ).text;
    expect(rowOf(text, 'VIG-000001')).toContain('<td>acme</td>');
    expect(text).toContain('<input id="customer" name="customer" value="">');
    expect(text).not.toContain('<datalist');
  });

  it('links the next page by its cursor with the same filters, and back to the first', () => {
    const text = body([listed('VIG-000001', NOW + 86_400_000, null)], 'next-page', { q: 'printer', atRisk: 'true' });
    expect(text).toContain(
      '<a rel="next" href="/console/?q=printer&amp;atRisk=true&amp;cursor=next-page">More tickets</a>',
    );
    // No "no tickets" under a queue whose tickets come on later pages: best-effort ones follow the dated ones.
    expect(text).not.toContain('No tickets.');
    const later = body([listed('VIG-000009', null, null)], null, { q: 'printer', cursor: 'next-page' });
    expect(later).toContain('<a href="/console/?q=printer">First page</a>');
    expect(later).not.toContain('rel="next"');
    expect(later).toContain('id="atRisk" name="atRisk" value="true">');
  });
});

describe("the customer's portal", () => {
  const context = consoleContext('fr', session);
  const ticket = (ticketNumber: string) => ({
    ticketNumber,
    title: `Ticket ${ticketNumber}`,
    status: 'support',
    priority: 'P2',
    openedAt: '2026-12-01T10:30:00Z',
    nextDeadline: null,
  });
  const portal = (numbers: string[], nextCursor: string | null, previousCursor: string | null) =>
    portalBody(context, { status: 200, body: { items: numbers.map(ticket), nextCursor, previousCursor }, headers: {} })
      .text;

  it('asks the API for 50 tickets newest first, from the cursor of the link followed', () => {
    expect(portalQuery()).toBe('/v1/tickets?order=newest&limit=50');
    expect(portalQuery('eyJvcmRlciI6Im5ld2VzdCJ9')).toBe(
      '/v1/tickets?order=newest&limit=50&cursor=eyJvcmRlciI6Im5ld2VzdCJ9',
    );
  });

  it('lists the tickets in the order the API gave, with labelled links to newer and older ones', () => {
    const text = portal(['VIG-000009', 'VIG-000008'], 'older-page', 'newer-page');
    expect(text.indexOf('>VIG-000009<')).toBeLessThan(text.indexOf('>VIG-000008<'));
    expect(text).toContain(
      '<nav class="pages" aria-label="Pages"><a rel="prev" href="/console/?cursor=newer-page">Tickets plus récents</a> <a rel="next" href="/console/?cursor=older-page">Tickets plus anciens</a></nav>',
    );
    expect(portal(['VIG-000009'], null, null)).not.toContain('<nav class="pages"');
    expect(portal(['VIG-000009'], 'older-page', null)).not.toContain('rel="prev"');
  });
});

describe("the reader's zone", () => {
  const contact = (timeZone?: string): Session => ({
    userId: '7',
    email: 'chloe@acme.test',
    name: 'Chloé',
    role: 'customer',
    customerId: 'acme-qc',
    csrfToken: 't'.repeat(43),
    ...(timeZone ? { timeZone } : {}),
  });
  const ticket = {
    ticketNumber: 'VIG-000001',
    title: 'Serveur arrêté',
    status: 'support',
    priority: 'P1',
    openedAt: '2026-12-01T10:30:00Z',
    nextDeadline: '2026-12-01T14:30:00Z',
  };
  const portal = (session: Session) =>
    portalBody(consoleContext('en', session), { status: 200, body: { items: [ticket] }, headers: {} }).text;

  it("dates a customer contact's tickets in their company's zone, and in the desk's when it has none", () => {
    // 10:30 and 14:30 UTC: 05:30 and 09:30 in Montreal, 11:30 and 15:30 in Luxembourg.
    expect(portal(contact('America/Montreal'))).toMatch(/1 Dec 2026, 05:30<\/td><td>1 Dec 2026, 09:30/);
    expect(portal(contact())).toMatch(/1 Dec 2026, 11:30<\/td><td>1 Dec 2026, 15:30/);
  });

  it('falls back to the desk zone for a zone the runtime does not know, rather than failing the page', () => {
    expect(consoleContext('en', contact('Mars/Olympus_Mons')).zone).toBe('Europe/Luxembourg');
  });
});
