import { LANGUAGE_COOKIE } from '../../api/web/i18n';
import { consoleHarness } from '../support/api/console-harness';
import { expectProblem } from '../support/api/harness';

type Harness = Awaited<ReturnType<typeof consoleHarness>>;

// acme's contract authorizes Ana Lopes and Bo Weber (test/support/api/harness.ts); Carla, signed in, is on no contract.
describe("the portal's contact choice when opening a ticket", () => {
  let harness: Harness;
  beforeEach(async () => (harness = await consoleHarness()));

  const form = async (language?: 'fr') => {
    const { customer } = harness.staff;
    const cookie = language ? `${customer.cookie}; ${LANGUAGE_COOKIE}=${language}` : customer.cookie;
    return (await harness.page({ ...customer, cookie }, 'GET', '/console/tickets/new')).body;
  };
  const open = (contact: string) =>
    harness.page(harness.staff.customer, 'POST', '/console/tickets/new', {
      title: 'Printer jammed',
      description: 'Second floor.',
      contact,
    });

  it("offers the person signed in, selected, then the contract's authorized contacts, under a label, in English and French", async () => {
    const page = await form();
    expect(page).toContain('<label for="contact">Contact</label><select id="contact" name="contact">');
    const options = [...page.matchAll(/<option value="([^"]+@[^"]+)"( selected)?>/g)].map(([, email, selected]) =>
      selected ? `${email} (selected)` : email,
    );
    expect(options).toEqual(['carla@acme.lu (selected)', 'ana@acme.lu', 'bo@acme.lu']);
    expect(page).toContain('Bo Weber &lt;bo@acme.lu&gt;');
    expect(await form('fr')).toContain('<label for="contact">Contact</label><select id="contact" name="contact">');
  });

  it('opens the ticket for the contact chosen, by the name the contract gives', async () => {
    const answer = await open('bo@acme.lu');
    expect(answer.statusCode).toBe(303);
    expect(harness.temporal.started.at(-1)?.contact).toEqual({ name: 'Bo Weber', email: 'bo@acme.lu' });
    expect((await open('carla@acme.lu')).statusCode).toBe(303);
    expect(harness.temporal.started.at(-1)?.contact).toEqual({ name: 'Carla Contact', email: 'carla@acme.lu' });
  });

  it('shows chosen the priority a ticket opens with when none is picked, and the one picked before in a draft', async () => {
    const chosen = (page: string) => {
      const select = /<select id="priority" name="priority">(.*?)<\/select>/s.exec(page)?.[1] ?? '';
      return {
        offered: [...select.matchAll(/<option value="([^"]*)"/g)].map(([, value]) => value),
        selected: [...select.matchAll(/<option value="([^"]*)" selected>/g)].map(([, value]) => value),
      };
    };
    expect(chosen(await form())).toEqual({ offered: ['P1', 'P2', 'P3', 'P4'], selected: ['P3'] });
    // Left as shown, the form opens the ticket at the priority it showed.
    expect((await open('bo@acme.lu')).statusCode).toBe(303);
    expect(harness.temporal.started.at(-1)?.priority).toBe('P3');
    // A step of the form (choosing a contract) shows again the priority picked, kept in its draft.
    const step = await harness.page(harness.staff.customer, 'POST', '/console/tickets/new', {
      title: 'Printer jammed',
      priority: 'P1',
      _step: 'choose',
    });
    expect(step.statusCode).toBe(303);
    const again = await harness.page(harness.staff.customer, 'GET', String(step.headers.location));
    expect(chosen(again.body)).toEqual({ offered: ['P1', 'P2', 'P3', 'P4'], selected: ['P1'] });
  });

  it("refuses a contact the contract does not authorize with the API's reason beside the field, opening nothing", async () => {
    const answer = await open('eve@elsewhere.test');
    expect(answer.statusCode).toBe(422);
    expect(answer.body).toMatch(
      /<select id="contact" name="contact" aria-invalid="true" aria-describedby="contact-error">/,
    );
    expect(answer.body).toMatch(
      /<span class="field-error" id="contact-error">eve@elsewhere.test is neither you nor a contact contract \S+ authorizes: name one of carla@acme.lu, ana@acme.lu, bo@acme.lu<\/span>/,
    );
    expect(harness.temporal.started).toEqual([]);
  });
});

describe('GET /v1/contacts', () => {
  let harness: Harness;
  beforeAll(async () => (harness = await consoleHarness()));

  it("answers a customer's key its contract's contacts, and staff a customer's when they name it", async () => {
    const expected = {
      contacts: [
        { name: 'Ana Lopes', email: 'ana@acme.lu' },
        { name: 'Bo Weber', email: 'bo@acme.lu' },
      ],
    };
    expect((await harness.call('acme', 'GET', '/v1/contacts')).json()).toEqual(expected);
    expect((await harness.call('agent', 'GET', '/v1/contacts?customer=acme')).json()).toEqual(expected);
    expectProblem(await harness.call('agent', 'GET', '/v1/contacts'), 422, 'invalid-request', 'querystring.customer');
    expectProblem(await harness.call('acme', 'GET', '/v1/contacts?customer=globex'), 403, 'forbidden');
  });

  it('leaves a key free to name any contact: integrations relay the contacts they are given', async () => {
    const body = { title: 'Printer', description: 'Jammed', contact: { name: 'Eve', email: 'eve@elsewhere.test' } };
    expect((await harness.call('acme', 'POST', '/v1/tickets', body)).statusCode).toBe(201);
  });
});

// A company with two contracts in force must name one (api/opening-terms.ts): the form offers them only then.
describe("the portal's contract choice when the company has several contracts in force", () => {
  let harness: Harness;
  beforeEach(async () => (harness = await consoleHarness()));

  const open = (form: Record<string, string>) =>
    harness.page(harness.staff.customer, 'POST', '/console/tickets/new', {
      title: 'Printer jammed',
      description: 'Second floor.',
      ...form,
    });
  const secondContract = () =>
    harness.accounts.createContract({
      customerId: 'acme',
      policyId: 'esker',
      policyVersion: 1,
      startsOn: '2026-01-01',
      authorizedContacts: [{ name: 'Dan Roth', email: 'dan@acme.lu' }],
    });

  it('offers no contract choice to a company with one contract, and opens under it', async () => {
    const page = (await harness.page(harness.staff.customer, 'GET', '/console/tickets/new')).body;
    expect(page).not.toContain('name="contractId"');
    expect((await open({})).statusCode).toBe(303);
  });

  it('offers every contract in force under a label, and opens under the one chosen', async () => {
    const second = await secondContract();
    const page = (await harness.page(harness.staff.customer, 'GET', '/console/tickets/new')).body;
    expect(page).toContain(
      '<label for="contractId">Contract</label><select id="contractId" name="contractId" required>',
    );
    const offered = [...page.matchAll(/<option value="([^"]+)">(econnect|esker)/g)].map(([, id]) => id);
    expect(offered.sort()).toEqual([harness.contracts.acme.id, second.id].sort());
    expect((await open({ contractId: second.id })).statusCode).toBe(303);
    expect(harness.temporal.started.at(-1)).toMatchObject({ contractId: second.id, policyId: 'esker' });
  });

  it("offers, once a contract is chosen, only that contract's contacts, and every pair offered opens", async () => {
    const second = await secondContract();
    const first = harness.contracts.acme.id;
    const formAt = async (url: string) => (await harness.page(harness.staff.customer, 'GET', url)).body;
    const offered = (page: string) => [...page.matchAll(/<option value="([^"]+@[^"]+)"/g)].map(([, email]) => email);

    // No contract chosen: no contact is offered until then, the choice being a step of the form (the next test).
    const bare = await formAt('/console/tickets/new');
    expect(bare).toContain(
      '<button type="submit" name="_step" value="choose" formnovalidate>Choose this contract</button>',
    );
    expect(bare).not.toContain('name="contact"');

    const pairs: [string, string[]][] = [
      [first, ['carla@acme.lu', 'ana@acme.lu', 'bo@acme.lu']],
      [second.id, ['carla@acme.lu', 'dan@acme.lu']],
    ];
    for (const [contractId, contacts] of pairs) {
      const page = await formAt(`/console/tickets/new?contractId=${contractId}`);
      expect(offered(page)).toEqual(contacts);
      expect(page).toContain(`<input type="hidden" name="contractId" value="${contractId}">`);
      expect(page).not.toContain('<select id="contractId"');
      for (const contact of contacts) {
        const answer = await open({ contractId, contact });
        expect({ contractId, contact, status: answer.statusCode }).toEqual({ contractId, contact, status: 303 });
        expect(harness.temporal.started.at(-1)).toMatchObject({ contractId, contact: { email: contact } });
      }
    }
  });

  it('keeps what was typed before the contract was chosen, and again when another is chosen, opening nothing', async () => {
    const second = await secondContract();
    const typed = {
      title: 'Printer "jammed" <again>',
      // Its first line break too, which the HTML parser would drop right after <textarea> (api/web/html.ts textareaText).
      description: '\r\nSecond floor.\r\nBlank pages & smears.',
      priority: 'P2',
      kind: 'incident',
    };
    const post = (form: Record<string, string>) =>
      harness.page(harness.staff.customer, 'POST', '/console/tickets/new', { ...typed, ...form });
    // A step is answered by a redirect to the form's page (Post/Redirect/Get), which shows what was typed.
    const step = async (form: Record<string, string>) => {
      const answer = await post(form);
      expect(answer.statusCode).toBe(303);
      return harness.page(harness.staff.customer, 'GET', String(answer.headers.location));
    };
    const shown = (page: string) => ({
      title: /<input id="title" name="title" required maxlength="200" value="([^"]*)">/.exec(page)?.[1],
      description: /<textarea id="description" name="description" rows="6" required>\n([^<]*)<\/textarea>/.exec(
        page,
      )?.[1],
      priority: /<option value="(P\d)" selected>/.exec(page)?.[1],
      kind: /<option value="([a-z-]+)" selected>/.exec(page)?.[1],
      contract: /<input type="hidden" name="contractId" value="(\d+)">/.exec(page)?.[1],
      contacts: [...page.matchAll(/<option value="([^"]+@[^"]+)"/g)].map(([, email]) => email),
    });
    const kept = {
      title: 'Printer &quot;jammed&quot; &lt;again&gt;',
      description: '&#13;&#10;Second floor.&#13;&#10;Blank pages &amp; smears.',
      priority: 'P2',
      kind: 'incident',
    };

    const chosen = await step({ _step: 'choose', contractId: second.id });
    expect(chosen.statusCode).toBe(200);
    expect(shown(chosen.body)).toEqual({ ...kept, contract: second.id, contacts: ['carla@acme.lu', 'dan@acme.lu'] });
    expect(chosen.body).toContain('<button type="submit" name="_step" value="change" formnovalidate>');

    // Choosing anew shows the choice again, what was typed still there; then the other contract's contacts.
    const anew = await step({ _step: 'change', contractId: second.id, contact: 'dan@acme.lu' });
    expect(shown(anew.body)).toEqual({ ...kept, contract: undefined, contacts: [] });
    expect(anew.body).toContain('<select id="contractId" name="contractId" required>');
    const first = harness.contracts.acme.id;
    expect(shown((await step({ _step: 'choose', contractId: first })).body)).toEqual({
      ...kept,
      contract: first,
      contacts: ['carla@acme.lu', 'ana@acme.lu', 'bo@acme.lu'],
    });
    expect(harness.temporal.started).toEqual([]);

    // Without a step the same form opens the ticket, as typed.
    expect((await post({ contractId: first, contact: 'bo@acme.lu' })).statusCode).toBe(303);
    expect(harness.temporal.started.at(-1)).toMatchObject({
      title: typed.title,
      description: typed.description,
      contractId: first,
    });
  });

  it('answers a step by the address of the form, which holds the contract and a draft of its author only', async () => {
    const second = await secondContract();
    const description = `Second floor.\r\n${'Blank pages. '.repeat(1500)}`;
    const answer = await harness.page(harness.staff.customer, 'POST', '/console/tickets/new', {
      _step: 'choose',
      contractId: second.id,
      title: 'Printer jammed',
      description,
    });
    expect(answer.statusCode).toBe(303);
    // Nothing typed travels in the address: the contract and the draft's id, whatever the description's length.
    const location = String(answer.headers.location);
    expect(location).toMatch(new RegExp(`^/console/tickets/new\\?contractId=${second.id}&draft=[\\w-]{22}$`));
    // The page reads the same each time it is asked for (a reload, the back button), and opens nothing.
    const shown = await harness.page(harness.staff.customer, 'GET', location);
    expect(shown.statusCode).toBe(200);
    expect(shown.body).toContain('value="Printer jammed"');
    expect(shown.body).toContain(`<input type="hidden" name="contractId" value="${second.id}">`);
    const again = await harness.page(harness.staff.customer, 'GET', location);
    expect(again.body.replace(/name="_key" value="[^"]+"/, '')).toBe(
      shown.body.replace(/name="_key" value="[^"]+"/, ''),
    );
    expect(harness.temporal.started).toEqual([]);
    // Another person at that address gets the form for the contract, and nothing of the draft.
    const other = await harness.signedIn({
      email: 'eve@acme.lu',
      name: 'Eve Other',
      role: 'customer',
      customerId: 'acme',
    });
    const theirs = await harness.page(other, 'GET', location);
    expect(theirs.statusCode).toBe(200);
    expect(theirs.body).not.toContain('Printer jammed');
    expect(theirs.body).not.toContain('Blank pages');
  });

  it('shows a choice posted without its token as expired, what was typed kept, choosing nothing', async () => {
    const second = await secondContract();
    const answer = await harness.page({ ...harness.staff.customer, csrf: 'stale' }, 'POST', '/console/tickets/new', {
      title: 'Printer jammed',
      _step: 'choose',
      contractId: second.id,
    });
    expect(answer.statusCode).toBe(403);
    expect(answer.body).toContain('value="Printer jammed"');
  });

  it('shows again at most what the API takes of a title and a description, NUL and line breaks made harmless', async () => {
    const second = await secondContract();
    const stepped = await harness.page(harness.staff.customer, 'POST', '/console/tickets/new', {
      _step: 'choose',
      contractId: second.id,
      title: `a\u0000b\r\nc${'t'.repeat(300)}`,
      description: `d\u0000\ud800${'d'.repeat(30_000)}`,
    });
    expect(stepped.statusCode).toBe(303);
    const answer = await harness.page(harness.staff.customer, 'GET', String(stepped.headers.location));
    expect(answer.statusCode).toBe(200);
    expect(answer.body).not.toContain('\u0000');
    const title = /<input id="title" name="title" required maxlength="200" value="([^"]*)">/.exec(answer.body)?.[1];
    expect(title).toBe(`a\ufffdb&#13;&#10;c${'t'.repeat(194)}`);
    const description = /<textarea id="description" [^>]*>\n([^<]*)<\/textarea>/.exec(answer.body)?.[1];
    expect(description).toBe(`d\ufffd\ufffd${'d'.repeat(19_997)}`);
    expect(answer.body).toContain(`<input type="hidden" name="contractId" value="${second.id}">`);
  });

  it("shows the API's reason beside the choice when none is made, opening nothing", async () => {
    await secondContract();
    const answer = await open({});
    expect(answer.statusCode).toBe(422);
    expect(answer.body).toMatch(
      /<select id="contractId" name="contractId" required aria-invalid="true" aria-describedby="contractId-error">/,
    );
    expect(answer.body).toMatch(/<span class="field-error" id="contractId-error">is required: customer acme has 2/);
    expect(harness.temporal.started).toEqual([]);
  });
});
