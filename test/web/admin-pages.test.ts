import type { LightMyRequestResponse } from 'fastify';
import {
  ContractContactsPatchBody,
  CustomerPatchBody,
  NewApiKeyBody,
  NewContractBody,
  NewCustomerBody,
} from '../../api/schemas/admin';
import { NewUserBody, UserPatchBody } from '../../api/schemas/users';
import { ADMIN_FORMS } from '../../api/web/admin-forms';
import { adminTranslator, choiceText } from '../../api/web/admin-i18n';
import { LANGUAGES } from '../../messages/accounts';
import { ROLES } from '../../messages/principal';
import { consoleHarness } from '../support/api/console-harness';

type Harness = Awaited<ReturnType<typeof consoleHarness>>;

const location = (response: LightMyRequestResponse) => String(response.headers.location);
/** HTML text as a browser reads it. */
const text = (markup: string | undefined) =>
  markup
    ?.replace(/<[^>]+>/g, '')
    .replace(
      /&(quot|#39|lt|gt|amp);/g,
      (_entity, name: string) => ({ quot: '"', '#39': "'", lt: '<', gt: '>', amp: '&' })[name]!,
    );
/** The page's alert, and the problem shown beside a field (by the field's id). */
const alertOf = (response: LightMyRequestResponse) =>
  text(/<p class="alert" role="alert">([\s\S]*?)<\/p>/.exec(response.body)?.[1]);
const fieldError = (response: LightMyRequestResponse, id: string) =>
  text(new RegExp(`<span class="field-error" id="${id}-error">([^<]*)</span>`).exec(response.body)?.[1]);

describe('the admin pages', () => {
  let harness: Harness;
  beforeEach(async () => (harness = await consoleHarness()));
  const asAdmin = (method: 'GET' | 'POST', url: string, form?: Record<string, string>) =>
    harness.page(harness.staff.admin, method, url, form);

  describe('who may reach them', () => {
    const PAGES = [
      ['GET', '/console/admin/customers'],
      ['GET', '/console/admin/customers/new'],
      ['POST', '/console/admin/customers/new'],
      ['GET', '/console/admin/customers/acme'],
      ['POST', '/console/admin/customers/acme'],
      ['GET', '/console/admin/customers/acme/contracts/new'],
      ['GET', '/console/admin/contracts/1'],
      ['POST', '/console/admin/contracts/1/contacts'],
      ['GET', '/console/admin/users'],
      ['GET', '/console/admin/users/1'],
      ['POST', '/console/admin/users/1/disable'],
      ['POST', '/console/admin/users/1/password-reset'],
      ['GET', '/console/admin/api-keys'],
      ['POST', '/console/admin/api-keys'],
      ['POST', '/console/admin/api-keys/abc/revoke'],
    ] as const;

    it.each(PAGES)(
      '%s %s answers agents, managers and customers with a 403 page, and changes nothing',
      async (method, url) => {
        const before = {
          customers: await harness.accounts.listCustomers(),
          users: await harness.people.users.list(),
          keys: await harness.accounts.listApiKeys(),
        };
        for (const person of [harness.staff.agent, harness.staff.manager, harness.staff.customer]) {
          const response = await harness.page(
            person,
            method,
            url,
            method === 'POST' ? { id: 'intruder', name: 'Intruder', role: 'admin', label: 'x' } : undefined,
          );
          expect([response.statusCode, alertOf(response)]).toEqual([403, 'This page is for admins.']);
        }
        expect({
          customers: await harness.accounts.listCustomers(),
          users: await harness.people.users.list(),
          keys: await harness.accounts.listApiKeys(),
        }).toEqual(before);
      },
    );

    it('sends a signed-out browser to sign in, and shows the Admin link to admins only', async () => {
      const response = await harness.page(undefined, 'GET', '/console/admin/users');
      expect([response.statusCode, location(response)]).toEqual([
        303,
        '/console/sign-in?next=%2Fconsole%2Fadmin%2Fusers',
      ]);
      expect((await asAdmin('GET', '/console/')).body).toContain('<a href="/console/admin/customers">Admin</a>');
      expect((await harness.page(harness.staff.manager, 'GET', '/console/')).body).not.toContain('/console/admin/');
    });

    it('changes nothing for a form without its token', async () => {
      const response = await harness.page(
        { ...harness.staff.admin, csrf: 'x'.repeat(43) },
        'POST',
        '/console/admin/customers/new',
        { id: 'initech', name: 'Initech' },
      );
      expect([response.statusCode, alertOf(response)]).toEqual([
        403,
        'Refused: This form has expired: it was sent again with a fresh token, please try once more.',
      ]);
      expect(await harness.accounts.getCustomer('initech')).toBeUndefined();
    });
  });

  describe('forms from the API’s schemas', () => {
    it.each([
      ['newCustomer', NewCustomerBody],
      ['customer', CustomerPatchBody],
      ['newContract', NewContractBody],
      ['contractContacts', ContractContactsPatchBody],
      ['newUser', NewUserBody],
      ['user', UserPatchBody],
      ['newApiKey', NewApiKeyBody],
    ] as const)('%s has a field for each property of its body, labelled in English and French', (name, schema) => {
      const fields = ADMIN_FORMS[name].fields;
      const properties = Object.keys(schema.properties);
      expect([...new Set(fields.map((field) => field.group ?? field.name))]).toEqual(properties);
      for (const language of ['en', 'fr'] as const)
        for (const field of fields) expect(adminTranslator(language)(field.label)).toMatch(/\S/);
    });

    it('says every role and language in words, in both languages', () => {
      expect(ROLES.map((role) => choiceText('fr', role))).toEqual([
        'administrateur',
        'agent',
        'manager',
        'contact client',
      ]);
      expect(LANGUAGES.map((language) => [choiceText('en', language), choiceText('fr', language)])).toEqual([
        ['English', 'anglais'],
        ['French', 'français'],
        ['German', 'allemand'],
        ['Dutch', 'néerlandais'],
        ['Luxembourgish', 'luxembourgeois'],
      ]);
    });

    it('reads contacts one per line, as the command line takes them, and names the line at fault', () => {
      const built = ADMIN_FORMS.contractContacts.toBody({
        authorizedContacts: 'Ana Lopes <ana@acme.lu>, out-of-hours\r\n\nBo <bo@acme.lu>',
        escalationContacts: '',
      });
      expect(built).toEqual({
        body: {
          authorizedContacts: [
            { name: 'Ana Lopes', email: 'ana@acme.lu', outOfHours: true },
            { name: 'Bo', email: 'bo@acme.lu' },
          ],
          escalationContacts: [],
        },
      });
      expect(ADMIN_FORMS.contractContacts.toBody({ authorizedContacts: 'Ana <ana@acme.lu>\nbo@acme.lu' })).toEqual({
        field: 'authorizedContacts',
        problem: 'fieldLine',
        values: { line: 2, problem: '"bo@acme.lu" is not "Name <email>"' },
      });
    });

    it('leaves an empty invoicing identity out, sends an emptied time zone as null, and reads numbers and JSON', () => {
      expect(
        ADMIN_FORMS.customer.toBody({ name: 'Acme', language: 'fr', timeZone: '', 'billing.legalName': '' }),
      ).toEqual({ body: { name: 'Acme', language: 'fr', timeZone: null } });
      expect(ADMIN_FORMS.customer.toBody({ 'billing.city': 'Esch' })).toEqual({
        field: 'billing.legalName',
        problem: 'fieldRequired',
      });
      expect(
        ADMIN_FORMS.newContract.toBody({
          policyId: 'econnect',
          startsOn: '2026-06-01',
          'emergencyResponseTarget.unit': 'calendarHours',
          maxPeoplePerTicket: '3',
          rates: '{"hourlyCents": 9000}',
        }),
      ).toEqual({
        body: {
          policyId: 'econnect',
          startsOn: '2026-06-01',
          authorizedContacts: [],
          escalationContacts: [],
          maxPeoplePerTicket: 3,
          rates: { hourlyCents: 9000 },
        },
      });
      expect(
        ADMIN_FORMS.newContract.toBody({ policyId: 'econnect', startsOn: '2026-06-01', policyVersion: 'two' }),
      ).toEqual({ field: 'policyVersion', problem: 'fieldNumber' });
      expect(
        ADMIN_FORMS.newContract.toBody({ policyId: 'econnect', startsOn: '2026-06-01', rates: '{hourly' }),
      ).toMatchObject({ field: 'rates', problem: 'fieldJson' });
    });
  });

  describe('customers', () => {
    it('adds a customer, shows it, and refuses a taken id with the API’s words beside the field', async () => {
      const added = await asAdmin('POST', '/console/admin/customers/new', {
        id: 'initech',
        name: 'Initech',
        language: 'fr',
        timeZone: 'Europe/Paris',
      });
      expect([added.statusCode, location(added)]).toEqual([303, '/console/admin/customers/initech?done=saved']);
      expect(await harness.accounts.getCustomer('initech')).toMatchObject({
        name: 'Initech',
        language: 'fr',
        timeZone: 'Europe/Paris',
      });
      const shown = await asAdmin('GET', location(added));
      expect(shown.body).toContain('<p class="done" role="status">Saved.</p>');
      expect(shown.body).toContain('value="Europe/Paris"');

      const taken = await asAdmin('POST', '/console/admin/customers/new', { id: 'initech', name: 'Initech again' });
      expect(taken.statusCode).toBe(409);
      expect(alertOf(taken)).toBe('Refused: Customer already exists: body.id: a customer "initech" already exists');
      expect(fieldError(taken, 'new-customer-id')).toBe('a customer "initech" already exists');
      expect(taken.body).toMatch(
        /id="new-customer-id" name="id" type="text" value="initech" required aria-describedby="new-customer-id-hint new-customer-id-error" aria-invalid="true"/,
      );
      expect(taken.body).toContain('value="Initech again"');
    });

    it('refuses a zone luxon does not know, naming it, and a missing name before calling the API', async () => {
      const zone = await asAdmin('POST', '/console/admin/customers/new', {
        id: 'mars',
        name: 'Mars',
        timeZone: 'Mars/Olympus',
      });
      expect(zone.statusCode).toBe(422);
      expect(fieldError(zone, 'new-customer-timeZone')).toContain('IANA time zone');
      const unnamed = await asAdmin('POST', '/console/admin/customers/new', { id: 'mars', name: ' ' });
      expect([unnamed.statusCode, alertOf(unnamed)]).toEqual([422, 'Refused: Name is required']);
      expect(await harness.accounts.getCustomer('mars')).toBeUndefined();
    });

    it("edits a customer's name, language, time zone and invoicing identity", async () => {
      const saved = await asAdmin('POST', '/console/admin/customers/acme', {
        name: 'Acme SA',
        language: 'fr',
        timeZone: '',
        'billing.legalName': 'Acme SA',
        'billing.street': '1 rue de la Gare',
        'billing.postalCode': 'L-1611',
        'billing.city': 'Luxembourg',
        'billing.country': 'LU',
        'billing.email': 'invoices@acme.lu',
      });
      expect([saved.statusCode, location(saved)]).toEqual([303, '/console/admin/customers/acme?done=saved']);
      expect(await harness.accounts.getCustomer('acme')).toMatchObject({
        name: 'Acme SA',
        language: 'fr',
        billing: { city: 'Luxembourg', country: 'LU' },
      });
      const wrong = await asAdmin('POST', '/console/admin/customers/acme', {
        'billing.legalName': 'Acme',
        'billing.street': 'x',
        'billing.postalCode': '1',
        'billing.city': 'x',
        'billing.country': 'LU',
        'billing.email': 'nope',
      });
      expect(wrong.statusCode).toBe(422);
      expect(fieldError(wrong, 'customer-billing-email')).toMatch(/email/);
    });
  });

  describe('contracts and their people', () => {
    it('adds a contract whose contacts become accounts, and shows them beside it', async () => {
      const added = await asAdmin('POST', '/console/admin/customers/acme/contracts/new', {
        policyId: 'care-solutions',
        policyVersion: '1',
        tier: 'Gold',
        startsOn: '2026-06-01',
        invoicingFrequency: 'monthly',
        authorizedContacts: 'Dora Diaz <dora@acme.lu>, out-of-hours\nEmil Eck <emil@acme.lu>',
        escalationContacts: 'customer-service-manager: Cleo Marx <cleo@acme.lu>',
        'emergencyResponseTarget.unit': 'calendarHours',
        maxPeoplePerTicket: '2',
        rates: '{"hourlyCentsByService": {"remote-assistance": 9900}}',
      });
      expect(added.statusCode).toBe(303);
      const id = /\/console\/admin\/contracts\/(\d+)\?done=saved$/.exec(location(added))![1]!;
      expect(await harness.accounts.getContract(id)).toMatchObject({
        tier: 'Gold',
        maxPeoplePerTicket: 2,
        rates: { hourlyCentsByService: { 'remote-assistance': 9900 } },
      });
      const dora = (await harness.people.users.findByEmails(['dora@acme.lu']))[0]!;
      expect(dora).toMatchObject({ role: 'customer', customerId: 'acme', hasPassword: false });
      const page = await asAdmin('GET', `/console/admin/contracts/${id}`);
      expect(page.body).toContain(`<a href="/console/admin/users/${dora.id}">Dora Diaz</a>`);
      expect(page.body).toContain('Dora Diaz &lt;dora@acme.lu&gt;, out-of-hours&#10;Emil Eck &lt;emil@acme.lu&gt;');

      // The contact can be sent a sign-in link from the contract's page, which the page then says.
      const sent = await asAdmin('POST', `/console/admin/users/${dora.id}/sign-in-link`, {
        back: `/console/admin/contracts/${id}`,
      });
      expect(location(sent)).toMatch(
        new RegExp(`^/console/admin/contracts/${id}\\?sent=sign-in&to=dora%40acme.lu&until=`),
      );
      expect((await asAdmin('GET', location(sent))).body).toContain(
        'A sign-in link was mailed to dora@acme.lu; it works once, until 13 May 2026, 10:15.',
      );
      expect(harness.people.mails.map(({ kind, recipient }) => [kind, recipient])).toEqual([
        ['console-sign-in-link', 'dora@acme.lu'],
      ]);
    });

    it('shows a contact line at fault by its number, and a contact the desk signs in as by the API’s words', async () => {
      const line = await asAdmin('POST', '/console/admin/customers/acme/contracts/new', {
        policyId: 'econnect',
        startsOn: '2026-06-01',
        authorizedContacts: 'Ana <ana@acme.lu>\nBo',
      });
      expect([line.statusCode, fieldError(line, 'new-contract-authorizedContacts')]).toEqual([
        422,
        'line 2: "Bo" is not "Name <email>"',
      ]);
      // What was typed comes back as typed, after the line feed the HTML parser drops (api/web/html.ts textareaText).
      expect(line.body).toMatch(
        /<textarea id="new-contract-authorizedContacts" [^>]*>\nAna &lt;ana@acme.lu&gt;&#10;Bo<\/textarea>/,
      );
      const taken = await asAdmin('POST', '/console/admin/customers/acme/contracts/new', {
        policyId: 'econnect',
        startsOn: '2026-06-01',
        authorizedContacts: 'Ana <ana@acme.lu>\nInes <ines@desk.test>',
      });
      expect(taken.statusCode).toBe(409);
      expect(fieldError(taken, 'new-contract-authorizedContacts')).toMatch(
        /^line 2: ines@desk.test already signs in as the desk's agent Ines Agent/,
      );
      const rates = await asAdmin('POST', '/console/admin/customers/acme/contracts/new', {
        policyId: 'econnect',
        startsOn: '2026-06-01',
        rates: '{"hourlyCentsByRole": {"plumber": 1}}',
      });
      expect([rates.statusCode, fieldError(rates, 'new-contract-rates')]).toEqual([
        422,
        expect.stringMatching(/plumber|role/),
      ]);
      expect(await harness.accounts.listContracts('acme')).toHaveLength(1);
    });

    it("replaces a contract's contacts, linking the new ones", async () => {
      const { id } = harness.contracts.acme;
      const saved = await asAdmin('POST', `/console/admin/contracts/${id}/contacts`, {
        authorizedContacts: 'Ana Lopes <ana@acme.lu>, out-of-hours\nFay Fox <fay@acme.lu>',
        escalationContacts: '',
      });
      expect([saved.statusCode, location(saved)]).toEqual([303, `/console/admin/contracts/${id}?done=saved`]);
      expect((await harness.accounts.getContract(id))!.authorizedContacts.map(({ email }) => email)).toEqual([
        'ana@acme.lu',
        'fay@acme.lu',
      ]);
      expect(
        (await harness.people.users.findByEmails(['ana@acme.lu', 'fay@acme.lu'])).map(({ email }) => email).sort(),
      ).toEqual(['ana@acme.lu', 'fay@acme.lu']);
    });
  });

  describe('people', () => {
    it('adds a person, changes their role, disables, enables and mails a reset link', async () => {
      const added = await asAdmin('POST', '/console/admin/users/new', {
        email: 'gil@desk.test',
        name: 'Gil Agent',
        role: 'agent',
        customerId: '',
        language: 'fr',
        password: '',
      });
      expect(added.statusCode).toBe(303);
      const id = /\/console\/admin\/users\/(\d+)\?done=saved$/.exec(location(added))![1]!;
      const page = await asAdmin('GET', `/console/admin/users/${id}`);
      expect(page.body).toContain('<option value="acme">Acme (acme)</option>');

      const contact = await asAdmin('POST', `/console/admin/users/${id}`, {
        name: 'Gil',
        role: 'customer',
        customerId: '',
        language: '',
      });
      expect([contact.statusCode, fieldError(contact, 'user-customerId')]).toEqual([
        422,
        "a customer's contact names its customer",
      ]);
      const moved = await asAdmin('POST', `/console/admin/users/${id}`, {
        name: 'Gil',
        role: 'customer',
        customerId: 'globex',
        language: '',
      });
      expect(moved.statusCode).toBe(303);
      expect(await harness.people.users.get(id)).toMatchObject({ name: 'Gil', role: 'customer', customerId: 'globex' });
      expect((await harness.people.users.get(id))!.language).toBeUndefined();

      expect(location(await asAdmin('POST', `/console/admin/users/${id}/disable`, {}))).toBe(
        `/console/admin/users/${id}?done=disabled`,
      );
      expect((await asAdmin('GET', `/console/admin/users/${id}?done=disabled`)).body).toContain(
        'Disabled: every session of theirs has ended.',
      );
      expect((await harness.people.users.get(id))!.disabledAt).toEqual(expect.any(String));
      await asAdmin('POST', `/console/admin/users/${id}/enable`, {});
      expect((await harness.people.users.get(id))!.disabledAt).toBeUndefined();
      const reset = await asAdmin('POST', `/console/admin/users/${id}/password-reset`, {});
      expect(location(reset)).toMatch(/\?sent=reset&to=gil%40desk.test&until=2026-05-13T09%3A00%3A00.000Z$/);
      expect(harness.people.mails.map(({ kind }) => kind)).toEqual(['console-password-reset']);
    });

    it('refuses an address already taken, beside it', async () => {
      const taken = await asAdmin('POST', '/console/admin/users/new', {
        email: 'INES@desk.test',
        name: 'Twin',
        role: 'agent',
      });
      expect([taken.statusCode, fieldError(taken, 'new-user-email')]).toEqual([
        409,
        expect.stringContaining('already exists'),
      ]);
    });
  });

  describe('API keys', () => {
    it('shows a new key’s token once, lists keys without it, and revokes', async () => {
      const created = await asAdmin('POST', '/console/admin/api-keys', {
        role: 'customer',
        label: 'Acme portal',
        customerId: 'acme',
      });
      const key = (await harness.accounts.listApiKeys()).find(({ label }) => label === 'Acme portal')!;
      expect([created.statusCode, location(created)]).toEqual([303, `/console/admin/api-keys?created=${key.id}`]);
      // The token rides to the next page in a cookie of that page's own, never in the URL.
      const cookie = String(created.headers['set-cookie']);
      expect(cookie).toMatch(
        /^vigil_new_key=vgl_[0-9a-f]{12}_[A-Za-z0-9_-]{43}; Path=\/console\/admin\/api-keys; Max-Age=120; SameSite=Lax; HttpOnly$/,
      );
      const token = /^vigil_new_key=([^;]+)/.exec(cookie)![1]!;
      const shown = await harness.page(harness.staff.admin, 'GET', location(created), undefined, {
        cookie: `${harness.staff.admin.cookie}; vigil_new_key=${token}`,
      });
      expect(shown.body).toContain(`id="new-token" type="text" readonly value="${token}"`);
      expect(shown.headers['cache-control']).toBe('no-store');
      expect(String(shown.headers['set-cookie'])).toMatch(
        /^vigil_new_key=; Path=\/console\/admin\/api-keys; Max-Age=0/,
      );
      expect(await harness.accounts.authenticate(token)).toMatchObject({
        role: 'customer',
        customerId: 'acme',
        label: 'Acme portal',
      });
      // Another key's page does not show it, nor does the list without the cookie.
      const elsewhere = await harness.page(
        harness.staff.admin,
        'GET',
        '/console/admin/api-keys?created=000000000000',
        undefined,
        { cookie: `${harness.staff.admin.cookie}; vigil_new_key=${token}` },
      );
      expect(elsewhere.body).not.toContain(token);
      const listed = await asAdmin('GET', location(created));
      expect(listed.body).toContain('Acme portal');
      expect(listed.body).not.toContain(token);

      const revoked = await asAdmin('POST', `/console/admin/api-keys/${key.id}/revoke`, {});
      expect(location(revoked)).toBe(`/console/admin/api-keys?revoked=${key.id}`);
      expect(await harness.accounts.authenticate(token)).toBeUndefined();

      const mismatch = await asAdmin('POST', '/console/admin/api-keys', {
        role: 'agent',
        label: 'Agent for acme',
        customerId: 'acme',
      });
      expect([mismatch.statusCode, fieldError(mismatch, 'new-key-customerId')]).toEqual([
        422,
        expect.stringContaining('only a customer key acts for a customer'),
      ]);
    });
  });

  it('speaks French on French pages', async () => {
    const page = await harness.page(
      harness.staff.admin,
      'GET',
      '/console/admin/customers/acme/contracts/new',
      undefined,
      { cookie: `${harness.staff.admin.cookie}; vigil_lang=fr` },
    );
    expect(page.body).toContain('<html lang="fr">');
    expect(page.body).toContain('<label for="new-contract-authorizedContacts">Contacts autorisés</label>');
    expect(page.body).toContain('<option value="monthly">mensuelle</option>');
  });
});
