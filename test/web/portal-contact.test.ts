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

  it("offers, once a contract is chosen by a plain GET, only that contract's contacts, and every pair offered opens", async () => {
    const second = await secondContract();
    const first = harness.contracts.acme.id;
    const formAt = async (url: string) => (await harness.page(harness.staff.customer, 'GET', url)).body;
    const offered = (page: string) => [...page.matchAll(/<option value="([^"]+@[^"]+)"/g)].map(([, email]) => email);

    // No contract chosen: the choice is a form of its own sent by GET, and no contact is offered until then.
    const bare = await formAt('/console/tickets/new');
    expect(bare).toContain('<form method="get" action="/console/tickets/new" class="stack"><label for="contractId">');
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
