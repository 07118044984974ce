import { randomUUID } from 'node:crypto';
import { SESSION_COOKIE } from '../../api/sessions';
import { FORM_BODY_LIMIT } from '../../api/web/forms';
import { runVigil } from '../../cli/run';
import { pgAccountStore } from '../../db/accounts';
import { pgSessionStore } from '../../db/sessions';
import { pgUserStore } from '../../db/users';
import { readModelHarness, type ReadModelHarness } from '../support/e2e/read-model-fixtures';
import { e2eEnv } from '../support/e2e/stack';

jest.setTimeout(60_000);

const LONG = 'x'.repeat(10_000);
// What a query string can carry (a lone surrogate cannot be percent-encoded: UTF-8 has no code for it).
const QUERY_POISON: [string, string][] = [
  ['a NUL', 'a\u0000b'],
  ['a line break', 'a\r\nb'],
  ['a very long string', LONG],
];
// What a JSON body can carry besides.
const BODY_POISON: [string, string][] = [...QUERY_POISON, ['a lone surrogate', 'a\ud800b']];

const cursorOf = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');

// The inputs added lately, on the real API and PostgreSQL: each poison is a 4xx naming its field, never a 500.
describe('poison on the inputs of the lists, the contacts and the openings', () => {
  let harness: ReadModelHarness;
  let agent: string;
  let acme: { id: string; token: string };
  let acmeContract: string;
  let acmeTicket: string;

  const send = async (method: string, path: string, token: string, body?: unknown) => {
    const response = await fetch(`${harness.origin}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as any };
  };
  // Each field at fault once (a choice among literals is refused once per literal).
  const fields = (body: any) => [...new Set(((body.errors ?? []) as { field: string }[]).map(({ field }) => field))];

  beforeAll(async () => {
    harness = await readModelHarness();
    agent = await harness.staffToken('agent');
    acme = await harness.customer('acme');
    const contract = await pgAccountStore(harness.db).createContract({
      customerId: acme.id,
      policyId: 'econnect',
      startsOn: '2026-01-01',
      authorizedContacts: [{ name: 'Bo Berg', email: `bo.${acme.id}@example.lu` }],
    });
    acmeContract = contract.id;
    const ticket = await harness.ticket(acme.id, { title: 'Printer 100% down_now \\ again' });
    acmeTicket = ticket.ticketNumber;
    await harness.record(ticket);
  });

  afterAll(async () => {
    await harness?.close();
  });

  describe.each(['/v1/tickets', '/v1/queue'])('GET %s', (path) => {
    it.each(QUERY_POISON)('refuses q holding %s naming querystring.q', async (_what, q) => {
      const answer = await send('GET', `${path}?${new URLSearchParams({ q }).toString()}`, agent);
      expect({ status: answer.status, fields: fields(answer.body) }).toEqual({
        status: 422,
        fields: ['querystring.q'],
      });
    });

    it.each([
      ...QUERY_POISON,
      ['base64 of no JSON', Buffer.from('not json').toString('base64url')],
      [
        'a key whose number holds a NUL',
        cursorOf({ order: 'arrival', at: '2026-03-02T08:00:00Z', number: 'VIG-000001\u0000' }),
      ],
      [
        'a key whose number holds a lone surrogate',
        cursorOf({ order: 'arrival', at: '2026-03-02T08:00:00Z', number: 'VIG-000001\ud800' }),
      ],
      [
        'a key whose instant holds a line break',
        cursorOf({ order: 'arrival', at: '2026-03-02T08:00:00Z\n', number: 'VIG-000001' }),
      ],
      [
        'a key going back any other way than true',
        cursorOf({ order: 'arrival', at: '2026-03-02T08:00:00Z', number: 'VIG-000001', back: 'yes' }),
      ],
    ])('refuses a cursor holding %s naming querystring.cursor', async (_what, cursor) => {
      const answer = await send('GET', `${path}?${new URLSearchParams({ cursor }).toString()}`, agent);
      expect({ status: answer.status, fields: fields(answer.body) }).toEqual({
        status: 422,
        fields: ['querystring.cursor'],
      });
    });

    it("finds %, _ and \\ as the characters they are, and a customer's key only its own tickets", async () => {
      for (const q of ['100%', 'down_now', '\\ again']) {
        const answer = await send('GET', `${path}?${new URLSearchParams({ q }).toString()}`, acme.token);
        expect({ status: answer.status, count: answer.body.items?.length }).toEqual({ status: 200, count: 1 });
      }
      const other = await send(
        'GET',
        `${path}?${new URLSearchParams({ q: '%' }).toString()}`,
        (await harness.customer('globex')).token,
      );
      expect({ status: other.status, items: other.body.items }).toEqual({ status: 200, items: [] });
    });
  });

  it.each([...QUERY_POISON, ['an order of its own', 'newest\u0000']])(
    'refuses an order holding %s naming querystring.order',
    async (_what, order) => {
      const answer = await send('GET', `/v1/tickets?${new URLSearchParams({ order }).toString()}`, agent);
      expect({ status: answer.status, fields: fields(answer.body) }).toEqual({
        status: 422,
        fields: ['querystring.order'],
      });
    },
  );

  it.each(QUERY_POISON)(
    'GET /v1/contacts refuses a customer holding %s naming querystring.customer',
    async (_what, customer) => {
      const answer = await send('GET', `/v1/contacts?${new URLSearchParams({ customer }).toString()}`, agent);
      expect({ status: answer.status, fields: fields(answer.body) }).toEqual({
        status: 422,
        fields: ['querystring.customer'],
      });
    },
  );

  it.each(QUERY_POISON)(
    'GET /v1/contacts refuses a contractId holding %s naming querystring.contractId',
    async (_what, contractId) => {
      const answer = await send('GET', `/v1/contacts?${new URLSearchParams({ contractId }).toString()}`, acme.token);
      expect({ status: answer.status, fields: fields(answer.body) }).toEqual({
        status: 422,
        fields: ['querystring.contractId'],
      });
    },
  );

  // Ajv turns the text "1e309" into Infinity for an integer and then tests no minimum nor maximum on it: each of these
  // reached PostgreSQL, which refused 'Infinity', and answered 500.
  describe('a number past every bound, written as text', () => {
    it.each([
      ['GET', '/v1/tickets?limit=1e309', 'agent', 'querystring.limit'],
      ['GET', '/v1/queue?limit=-1e309', 'agent', 'querystring.limit'],
      ['GET', '/v1/admin/inbound?limit=1e309', 'admin', 'querystring.limit'],
      ['GET', '/v1/admin/outbox?limit=Infinity', 'admin', 'querystring.limit'],
      ['GET', '/v1/admin/webhooks/deliveries?endpoint=1e309', 'admin', 'querystring.endpoint'],
      ['POST', '/v1/admin/webhooks/1e309/disable', 'admin', 'params.id'],
      ['GET', '/v1/tickets/{ticket}/attachments/1e309', 'acme', 'params.id'],
    ] as const)('%s %s is refused, 422 naming %s', async (method, path, who, field) => {
      const token = who === 'acme' ? acme.token : who === 'agent' ? agent : await harness.staffToken('admin');
      const answer = await send(method, path.replace('{ticket}', acmeTicket), token);
      expect({ status: answer.status, fields: fields(answer.body) }).toEqual({ status: 422, fields: [field] });
    });

    it("refuses prepaid minutes of '1e309', naming body.minutes, and records no purchase", async () => {
      const admin = await harness.staffToken('admin');
      const answer = await send('POST', `/v1/contracts/${acmeContract}/prepaid-hours`, admin, {
        minutes: '1e309',
        description: 'ten hours',
      });
      expect({ status: answer.status, fields: fields(answer.body) }).toEqual({ status: 422, fields: ['body.minutes'] });
      const { rows } = await harness.db.query('SELECT 1 FROM prepaid_movements WHERE contract_id = $1', [acmeContract]);
      expect(rows).toEqual([]);
    });
  });

  describe('POST /v1/tickets', () => {
    const opening = (fields: Record<string, unknown> = {}) => ({
      title: 'Printer down',
      description: 'Blank pages.',
      contact: { name: 'Ana Lopes', email: 'ana@example.lu' },
      ...fields,
    });

    it.each(BODY_POISON)('refuses a contractId holding %s naming body.contractId', async (_what, contractId) => {
      const answer = await send('POST', '/v1/tickets', acme.token, opening({ contractId }));
      expect({ status: answer.status, fields: fields(answer.body) }).toEqual({
        status: 422,
        fields: ['body.contractId'],
      });
    });

    it.each(BODY_POISON)("refuses a contact's address holding %s naming body.contact.email", async (_what, text) => {
      const answer = await send(
        'POST',
        '/v1/tickets',
        acme.token,
        opening({ contact: { name: 'Ana', email: `ana${text}@example.lu` } }),
      );
      expect({ status: answer.status, fields: fields(answer.body) }).toEqual({
        status: 422,
        fields: ['body.contact.email'],
      });
    });

    it.each(BODY_POISON)("refuses a contact's name holding %s naming body.contact.name", async (_what, name) => {
      const answer = await send(
        'POST',
        '/v1/tickets',
        acme.token,
        opening({ contact: { name, email: 'ana@example.lu' } }),
      );
      expect({ status: answer.status, fields: fields(answer.body) }).toEqual({
        status: 422,
        fields: ['body.contact.name'],
      });
    });

    // A title is one visible line: nothing but invisible characters is as blank as nothing, and every line break breaks it.
    it.each([
      ['zero-width characters alone', '\u200b\u200c\u200d\ufeff'],
      ['a soft hyphen, a word joiner and a space alone', '\u00ad\u2060 '],
      ['a line separator', 'Printer down\u2028Bcc: eve@evil.test'],
      ['a paragraph separator', 'Printer\u2029down'],
      ['NEL', 'Printer\u0085down'],
    ])('refuses a title of %s naming body.title', async (_what, title) => {
      const answer = await send('POST', '/v1/tickets', acme.token, opening({ title }));
      expect({ status: answer.status, fields: fields(answer.body) }).toEqual({ status: 422, fields: ['body.title'] });
    });

    it('refuses a contactId: the contact is named by its address', async () => {
      const answer = await send('POST', '/v1/tickets', acme.token, opening({ contactId: '1' }));
      expect(answer.status).toBe(422);
    });
  });

  describe("the portal's new-ticket form", () => {
    const post = async (cookie: string, form: Record<string, string>) => {
      const shown = await harness.page('/console/tickets/new', cookie);
      const csrf = /name="_csrf" value="([^"]+)"/.exec(shown.text)![1]!;
      const response = await fetch(`${harness.origin}/console/tickets/new`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: csrf, title: 'Printer down', description: 'Blank pages.', ...form }),
        redirect: 'manual',
      });
      return { status: response.status, text: await response.text(), location: response.headers.get('location') };
    };

    // An address that passes the schema reaches the opening's Temporal checks, which this harness has not: the contract's
    // refusal of a stranger is test/web/portal-contact.test.ts's.
    it.each(QUERY_POISON)('refuses a contact holding %s beside the field, opening nothing', async (_what, contact) => {
      const answer = await post(await harness.contactSession(acme.id), { contact });
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(answer.status).toBeLessThan(500);
      expect(answer.text).toMatch(/<span class="field-error" id="contact-error">[^<]+<\/span>/);
      expect(answer.text).not.toContain('\u0000');
    });

    it.each([
      ['zero-width characters alone', '\u200b\u200b'],
      ['a line separator', 'Printer\u2028down'],
    ])('refuses a title of %s beside the field, opening nothing', async (_what, title) => {
      const answer = await post(await harness.contactSession(acme.id), { title });
      expect(answer.status).toBe(422);
      expect(answer.text).toMatch(/<span class="field-error" id="title-error">[^<]+<\/span>/);
    });

    it("answers a form past the console's limit with a 413 page leading back, not JSON", async () => {
      const cookie = await harness.contactSession(acme.id);
      const response = await fetch(`${harness.origin}/console/tickets/new`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'fr' },
        body: new URLSearchParams({ title: 'Printer down', description: 'x'.repeat(FORM_BODY_LIMIT) }),
      });
      expect([response.status, response.headers.get('content-type')]).toEqual([
        413,
        expect.stringMatching(/^text\/html/),
      ]);
      expect(await response.text()).toContain('<a class="button" href="/console/">');
    });

    it.each(QUERY_POISON)('refuses a contract holding %s, opening nothing', async (_what, contractId) => {
      const answer = await post(await harness.contactSession(acme.id), { contractId });
      expect(answer.status).toBe(422);
      expect(answer.text).not.toContain('\u0000');
    });

    // Choosing among several contracts shows the form again with what was typed (api/web/portal.ts newTicketBody), by a
    // redirect to a page that reads it back from PostgreSQL (db/form-drafts.ts).
    it.each(QUERY_POISON)(
      'shows a title and a description holding %s again harmless, at most their length, on choosing the contract',
      async (_what, text) => {
        const several = await harness.customer('several');
        const contracts = pgAccountStore(harness.db);
        const chosen = await contracts.createContract({
          customerId: several.id,
          policyId: 'econnect',
          startsOn: '2026-01-01',
        });
        await contracts.createContract({
          customerId: several.id,
          policyId: 'esker',
          policyVersion: 1,
          startsOn: '2026-01-01',
        });
        const cookie = await harness.contactSession(several.id);
        const stepped = await post(cookie, { _step: 'choose', contractId: chosen.id, title: text, description: text });
        expect(stepped.status).toBe(303);
        const answer = await harness.page(stepped.location!, cookie);
        // As the page writes text (api/web/html.ts): NUL as U+FFFD, CR and LF as entities.
        const harmless = (typed: string) => typed.replace('\u0000', '\ufffd').replace('\r\n', '&#13;&#10;');
        expect(answer.status).toBe(200);
        expect(answer.text).not.toContain('\u0000');
        expect({
          title: /<input id="title" name="title" required maxlength="200" value="([^"]*)">/.exec(answer.text)?.[1],
          description: /<textarea id="description" name="description" rows="6" required>\n([^<]*)<\/textarea>/.exec(
            answer.text,
          )?.[1],
        }).toEqual({ title: harmless(text.slice(0, 200)), description: harmless(text) });
        expect(answer.text).toMatch(
          new RegExp(
            `<input type="hidden" name="contractId" value="${chosen.id}">[^]*<button type="submit">[^<]+</button>`,
          ),
        );
      },
    );
  });

  // The address typed on a signed-out page went to PostgreSQL as it came: a NUL in it, which PostgreSQL refuses, was a 500.
  describe('the signed-out forms', () => {
    const post = async (path: string, form: Record<string, string>) => {
      const shown = await fetch(`${harness.origin}${path}`);
      const cookie = shown.headers
        .getSetCookie()
        .map((line) => line.split(';')[0])
        .join('; ');
      const csrf = /name="_csrf" value="([^"]+)"/.exec(await shown.text())![1]!;
      const response = await fetch(`${harness.origin}${path}`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: csrf, ...form }),
        redirect: 'manual',
      });
      return { status: response.status, text: await response.text() };
    };

    it.each(QUERY_POISON)('refuses a sign-in whose address holds %s as wrong credentials', async (_what, text) => {
      const answer = await post('/console/sign-in', {
        email: `ana${text}@example.lu`,
        password: 'a long enough secret',
      });
      expect(answer.status).toBe(401);
      expect(answer.text).not.toContain('\u0000');
    });

    it.each(['/console/link', '/console/reset'])(
      'answers %s for an address holding a NUL as for any address without an account',
      async (path) => {
        const answer = await post(path, { email: 'ana\u0000@example.lu' });
        expect(answer.status).toBe(200);
      },
    );
  });

  describe("the manager's at-risk CSV", () => {
    let manager: string;
    let customer: string;
    const titles = [
      '=HYPERLINK("http://evil.test")',
      '+1+1',
      '-1-1',
      '@SUM(A1)',
      '\tTabbed',
      'Two\r\nlines, "quoted"',
      'NUL\u0000here',
    ];

    beforeAll(async () => {
      const users = pgUserStore(harness.db);
      const person = await users.create({
        email: `manager.${randomUUID().slice(0, 8)}@vigil.test`,
        name: 'Mia Manager',
        role: 'manager',
      });
      manager = `${SESSION_COOKIE}=${(await pgSessionStore(harness.db).create(person.id, Date.now())).id}`;
      customer = (await harness.customer('csv')).id;
      for (const title of titles)
        await harness.record(await harness.ticket(customer, { title, status: 'support', slaBreached: true }));
    });

    const download = async (query: string) => {
      const response = await fetch(`${harness.origin}/console/reports/at-risk.csv?${query}`, {
        headers: { cookie: manager },
      });
      return {
        status: response.status,
        disposition: response.headers.get('content-disposition'),
        text: await response.text(),
      };
    };

    it('writes every title as text: formulas neutralised, quotes doubled, line breaks inside their cell', async () => {
      const answer = await download(new URLSearchParams({ customer }).toString());
      expect(answer.status).toBe(200);
      const lines = answer.text.replace(/^\ufeff/, '');
      expect(lines).toContain(`,"'=HYPERLINK(""http://evil.test"")"\r\n`);
      for (const cell of ["'+1+1", "'-1-1", "'@SUM(A1)", "'\tTabbed", '"Two\r\nlines, ""quoted"""', 'NUL\ufffdhere'])
        expect(lines).toContain(`,${cell}\r\n`);
      expect(lines).not.toContain('\u0000');
    });

    it.each([
      ['a line break', 'from', '2026-01\r\nSet-Cookie: x=1'],
      ['a quote', 'from', '2026-01"; filename="evil.exe'],
      ['a character beyond Latin-1', 'to', '2026-01€'],
      ['a very long string', 'from', LONG],
    ])('is named safely whatever the query holds (%s in %s)', async (_what, name, value) => {
      const answer = await download(new URLSearchParams({ customer, [name]: value }).toString());
      expect(answer.status).toBe(200);
      expect(answer.disposition).toBe(`attachment; filename="vigil-at-risk-${customer}.csv"`);
    });
  });

  // Within one process the command line can carry what a shell cannot (a NUL, a lone surrogate): the same checks hold.
  describe('vigil admin users update and contracts contacts', () => {
    const vigil = (...argv: string[]) => runVigil(['admin', ...argv], { DATABASE_URL: e2eEnv().databaseUrl });
    let person: string;
    let contract: string;

    beforeAll(async () => {
      person = (
        await pgUserStore(harness.db).create({
          email: `poison.${randomUUID().slice(0, 8)}@${acme.id}.test`,
          name: 'Pat Poison',
          role: 'customer',
          customerId: acme.id,
        })
      ).id;
      contract = (await pgAccountStore(harness.db).listContracts(acme.id))[0]!.id;
    });

    // The person, the contract and the customer are made in beforeAll: each case names them through `ids`.
    type Ids = { person: string; contract: string; customer: string };
    it.each(
      BODY_POISON.flatMap(([what, text]): [string, string, (ids: Ids) => string[], RegExp][] => [
        [what, '--name', ({ person }) => ['users', 'update', person, '--name', `Pat${text}`], /^vigil: --name: /],
        [
          what,
          '--customer',
          ({ person, customer }) => ['users', 'update', person, '--customer', `${customer}${text}`],
          /^vigil: --customer: /,
        ],
        [
          what,
          '--language',
          ({ person }) => ['users', 'update', person, '--language', `fr${text}`],
          /^vigil: --language: /,
        ],
        [
          what,
          '--authorized-contact',
          ({ contract }) => ['contracts', 'contacts', contract, '--authorized-contact', `Bo${text} <bo@acme.lu>`],
          /^vigil: --authorized-contact( #1)?: /,
        ],
        [
          what,
          '--escalation-contact',
          ({ contract }) => ['contracts', 'contacts', contract, '--escalation-contact', `desk:Bo${text} <bo@acme.lu>`],
          /^vigil: --escalation-contact( #1)?: /,
        ],
      ]),
    )('refuses %s in %s in one line, changing nothing', async (_what, _flag, argvOf, stderr) => {
      const argv = argvOf({ person, contract, customer: acme.id });
      const before = {
        user: await pgUserStore(harness.db).get(person),
        contract: await pgAccountStore(harness.db).getContract(contract),
      };
      expect(await vigil(...argv)).toEqual({ exitCode: 2, stdout: '', stderr: expect.stringMatching(stderr) });
      expect({
        user: await pgUserStore(harness.db).get(person),
        contract: await pgAccountStore(harness.db).getContract(contract),
      }).toEqual(before);
    });

    // A name of zero-width characters passes the command line's one-line check; the stores refuse it as the API does.
    it.each([
      ['a person', ({ person }: { person: string }) => ['users', 'update', person, '--name', '\u200b\u200d'], /name/],
      [
        "a contract's contact",
        ({ contract }: { contract: string }) => [
          'contracts',
          'contacts',
          contract,
          '--authorized-contact',
          '\u2060\u00ad <bo@acme.lu>',
        ],
        /authorized-contact|authorizedContacts/,
      ],
    ])('refuses a name of invisible characters alone for %s, changing nothing', async (_who, argvOf, stderr) => {
      const before = {
        user: await pgUserStore(harness.db).get(person),
        contract: await pgAccountStore(harness.db).getContract(contract),
      };
      const answer = await vigil(...argvOf({ person, contract }));
      expect(answer.exitCode).not.toBe(0);
      expect(answer.stderr).toMatch(stderr);
      expect(answer.stderr).toMatch(/empty|invisible/);
      // One line saying why, not a stack.
      expect(answer.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^vigil: /)]);
      expect(answer.stdout).toBe('');
      expect({
        user: await pgUserStore(harness.db).get(person),
        contract: await pgAccountStore(harness.db).getContract(contract),
      }).toEqual(before);
    });

    it('refuses an address the API refuses, so that a contact it saves can open their tickets', async () => {
      const address = `jos\u00e9.${randomUUID().slice(0, 8)}@acme.lu`;
      // What that contact would meet in the portal: the opening names them by their address.
      const opened = await send('POST', '/v1/tickets', acme.token, {
        title: 'Printer down',
        description: 'Blank pages.',
        contact: { name: 'Jos\u00e9', email: address },
      });
      expect({ status: opened.status, fields: fields(opened.body) }).toEqual({
        status: 422,
        fields: ['body.contact.email'],
      });
      const before = await pgAccountStore(harness.db).getContract(contract);
      for (const flag of ['--authorized-contact', '--escalation-contact'])
        expect(
          await vigil(
            'contracts',
            'contacts',
            contract,
            flag,
            `${flag === '--escalation-contact' ? 'desk:' : ''}Jos\u00e9 <${address}>`,
          ),
        ).toEqual({ exitCode: 2, stdout: '', stderr: `vigil: ${flag} #1: "${address}" is not an e-mail address\n` });
      expect(
        await vigil(
          'users',
          'add',
          '--email',
          address,
          '--name',
          'Jos\u00e9',
          '--role',
          'customer',
          '--customer',
          acme.id,
        ),
      ).toEqual({ exitCode: 2, stdout: '', stderr: `vigil: --email: "${address}" is not an e-mail address\n` });
      expect(await pgAccountStore(harness.db).getContract(contract)).toEqual(before);
      expect(await pgUserStore(harness.db).findByEmails([address])).toEqual([]);
    });
  });
});
