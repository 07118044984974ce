import type { LineLabel } from '../../domain/pricing/line-labels';
import { lineText } from '../../domain/invoicing/line-texts';
import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import type { Page } from 'playwright-core';
import { DESK_ZONE } from '../../messages/desk-zone';
import { settleInbound, storeInbound } from '../../db/inbound';
import { pgUserStore } from '../../db/users';
import {
  axeViolations,
  CONSOLE_PASSWORD,
  consoleInBrowser,
  expectAccessible,
  screenshot,
} from '../support/e2e/console';
import { contractsStartOn, eventually, type Stack } from '../support/e2e/stack';

// A whole stack starts in beforeAll: minutes on a loaded 2-core machine, not Jest's default 5 s.
jest.setTimeout(180_000);

// The web console in Debian's Chromium, on the real stack: Temporal, the worker, PostgreSQL, the API's own socket.
describe('the web console in a real browser', () => {
  const web = consoleInBrowser('console-browser');
  const { dir, signedIn } = web;
  let stack: Stack;
  let origin: string;
  const unique = randomUUID().slice(0, 8);
  const password = CONSOLE_PASSWORD;
  const slaCustomer = `kirchberg-${unique}`;
  const anaEmail = `ana.${unique}@kirchberg.test`;
  const quoteCustomer = `esch-${unique}`;
  const marcEmail = `marc.${unique}@esch.test`;
  // The people's ids, which the audit trail records as `user:<id>` for what they do in the console.
  const userIds: Record<'ana' | 'ines', string> = { ana: '', ines: '' };

  beforeAll(async () => {
    ({ stack, origin } = web);
    // Ana's company is on an SLA desk (deadlines in business hours); the stack's own customer is best-effort (econnect).
    await stack.accounts.createCustomer({ id: slaCustomer, name: 'Kirchberg Telecom' });
    await stack.accounts.createContract({
      customerId: slaCustomer,
      policyId: 'mixvoip-entreprises',
      startsOn: contractsStartOn(),
      authorizedContacts: [{ name: 'Ana Lopes', email: anaEmail, outOfHours: true }],
    });
    const users = pgUserStore(stack.db);
    userIds.ana = (
      await users.create({
        email: anaEmail,
        name: 'Ana Lopes',
        role: 'customer',
        customerId: slaCustomer,
        language: 'en',
        password,
      })
    ).id;
    userIds.ines = (
      await users.create({ email: `ines.${unique}@desk.test`, name: 'Ines Agent', role: 'agent', password })
    ).id;
    // Marc's company is on econnect: work estimated above 480 min waits for the customer's yes to a quote.
    await stack.accounts.createCustomer({ id: quoteCustomer, name: 'Esch Logistics' });
    await stack.accounts.createContract({
      customerId: quoteCustomer,
      policyId: 'econnect',
      startsOn: contractsStartOn(),
      authorizedContacts: [{ name: 'Marc Weber', email: marcEmail, outOfHours: false }],
    });
    await users.create({
      email: marcEmail,
      name: 'Marc Weber',
      role: 'customer',
      customerId: quoteCustomer,
      language: 'en',
      password,
    });
  });

  let ticketNumber: string;
  let customerPage: Page;
  let agentPage: Page;

  it('signs a customer in and opens a ticket from the portal', async () => {
    const signIn = await web.newPage();
    await signIn.goto(`${origin}/console/sign-in`);
    await expectAccessible(signIn);
    await screenshot(signIn, dir, 'sign-in');

    customerPage = await signedIn(anaEmail);
    await expectAccessible(customerPage);
    await customerPage.getByRole('link', { name: 'Open a ticket' }).first().click();
    await customerPage.getByLabel('Title').fill('Phones down <script>alert(1)</script>');
    await customerPage
      .getByLabel('Description')
      .fill('Every desk phone in the Kirchberg office is dead since 9:00.\nSecond line.');
    // The priority the ticket opens with unless another is picked, shown chosen.
    await expect(customerPage.getByLabel('Priority').inputValue()).resolves.toBe('P3');
    // The icon the page names is one the browser draws (an SVG the API serves, api/web/icon.ts).
    await expect(
      customerPage.evaluate(`new Promise((resolve) => {
        const image = new Image();
        image.onload = () => resolve(image.naturalWidth);
        image.onerror = () => resolve(0);
        image.src = document.querySelector('link[rel=icon]').href;
      })`),
    ).resolves.toBeGreaterThan(0);
    await customerPage.getByLabel('Priority').selectOption('P2');
    await customerPage.getByLabel('Kind').selectOption('incident');
    // The contact: the person signed in unless another contact of the contract is chosen.
    await expect(customerPage.getByLabel('Contact').inputValue()).resolves.toBe(anaEmail);
    await expectAccessible(customerPage);
    await screenshot(customerPage, dir, 'portal-new-ticket');
    await customerPage.getByRole('button', { name: 'Open the ticket' }).click();
    await customerPage.waitForURL(/\/console\/tickets\/VIG-\d+$/);
    ticketNumber = customerPage.url().split('/').at(-1)!;
    // The title is text, never markup.
    await expect(customerPage.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      `${ticketNumber} · Phones down <script>alert(1)</script>`,
    );
    await expectAccessible(customerPage);
    await screenshot(customerPage, dir, 'portal-ticket');
  });

  it('shows an agent the ticket on the board with its deadline; the agent takes it in charge and logs time', async () => {
    const agent = (agentPage = await signedIn(`ines.${unique}@desk.test`));
    const row = () => agent.getByRole('row').filter({ has: agent.getByRole('link', { name: ticketNumber }) });
    // The board reads the read model, which follows the workflow.
    await eventually(
      async () => {
        await agent.reload();
        return row().locator('time').count();
      },
      (count) => count === 1,
    );
    await expect(row().locator('time').getAttribute('datetime')).resolves.toMatch(/^\d{4}-\d{2}-\d{2}T/);
    // With the business time left to it, as the API measured it on the calendar of the ticket's policy version.
    await expect(row().locator('td').last().textContent()).resolves.toMatch(/\d+ (h|min)\b/);
    // The customer by its name, not its id (GET /v1/customers); a ticket of the standard channel has no emergency mark.
    await expect(row().getByRole('cell', { name: 'Kirchberg Telecom', exact: true }).count()).resolves.toBe(1);
    await expect(row().getByText('Emergency').count()).resolves.toBe(0);
    await expectAccessible(agent);
    await screenshot(agent, dir, 'board');

    await agent.getByRole('link', { name: ticketNumber }).click();
    await agent.getByRole('button', { name: 'Take charge' }).click();
    await agent.waitForURL(`${origin}/console/tickets/${ticketNumber}`);
    await expect(agent.locator('dd.status').textContent()).resolves.toBe('support');
    await expect(agent.locator('dd.customer').textContent()).resolves.toBe('Kirchberg Telecom');
    // The audit trail records the signed-in people, by their accounts, and the channel web: on the page, and in the
    // ticket's JSON as an API key reads it.
    await expect(agent.locator('ol.history li').filter({ hasText: 'taken in charge' }).textContent()).resolves.toMatch(
      /taken in charge · Ines Agent \(via web\)$/,
    );
    const acts = (
      (await stack.call('GET', `/tickets/${ticketNumber}`, undefined, 'admin')).body.events as { type: string }[]
    ).filter((event) => ['opened', 'taken-in-charge'].includes(event.type));
    expect(acts).toEqual([
      { at: expect.any(String), type: 'opened', by: 'Ana Lopes', actorId: `user:${userIds.ana}`, channel: 'web' },
      {
        at: expect.any(String),
        type: 'taken-in-charge',
        by: 'Ines Agent',
        actorId: `user:${userIds.ines}`,
        channel: 'web',
      },
    ]);

    const minutesAgo = (minutes: number) =>
      DateTime.now().setZone(DESK_ZONE).minus({ minutes }).toFormat("yyyy-MM-dd'T'HH:mm");
    // Logging time, what support most likely asks for, stands open; each field is looked for within its own form.
    const logTime = agent.getByRole('form', { name: 'Log time' });
    await logTime.getByLabel('Start', { exact: true }).fill(minutesAgo(40));
    await logTime.getByLabel('End', { exact: true }).fill(minutesAgo(10));
    await logTime.getByLabel('Role').selectOption('engineer');
    await logTime.getByLabel('Travel (minutes)').fill('15');
    await logTime.getByLabel('Urgent').check();
    await logTime.getByLabel('Note').fill('Rebooted the PBX');
    await agent.getByRole('button', { name: 'Log time' }).click();
    await agent.waitForURL(`${origin}/console/tickets/${ticketNumber}`);
    await expect(
      agent.getByRole('cell', { name: 'engineer · Travel: 15 min · Urgent · Rebooted the PBX' }).count(),
    ).resolves.toBe(1);
    // The entry's half hour as a desk reads it ("30 min"), not a bare count of minutes.
    await expect(agent.getByRole('cell', { name: /^\d+ min$/ }).count()).resolves.toBeGreaterThan(0);
    await expectAccessible(agent);
    await screenshot(agent, dir, 'ticket');

    // Time not yet worked: the workflow refuses it, and the page says why beside the form.
    await logTime.getByLabel('Start', { exact: true }).fill(minutesAgo(5));
    await logTime.getByLabel('End', { exact: true }).fill(minutesAgo(-60));
    await agent.getByRole('button', { name: 'Log time' }).click();
    const alert = agent.getByRole('alert');
    await expect(alert.textContent()).resolves.toMatch(/^Refused: /);
    expect(await alert.textContent()).toMatch(/future|not yet/i);
    await expectAccessible(agent);
    await screenshot(agent, dir, 'ticket-refused');

    const phone = await signedIn(`ines.${unique}@desk.test`, { width: 390, height: 844 });
    await expectAccessible(phone);
    await screenshot(phone, dir, 'board-phone');
  });

  it('lets the agent propose a resolution and the customer validate it; the bill shows on both sides', async () => {
    await agentPage.goto(`${origin}/console/tickets/${ticketNumber}`);
    // Folded under its name until the agent opens it, so that it does not push the clocks and messages down.
    const propose = agentPage.getByRole('form', { name: 'Propose a resolution' });
    await expect(propose.isVisible()).resolves.toBe(false);
    await agentPage.locator('details.action-more > summary', { hasText: 'Propose a resolution' }).click();
    await propose.getByLabel('Proposed resolution').fill('PBX rebooted; phones back at 10:15.');
    await agentPage.getByRole('button', { name: 'Propose a resolution' }).click();
    await agentPage.waitForURL(`${origin}/console/tickets/${ticketNumber}`);
    await expect(agentPage.locator('dd.status').textContent()).resolves.toBe('validation');

    await customerPage.goto(`${origin}/console/tickets/${ticketNumber}`);
    await expectAccessible(customerPage);
    await customerPage.getByRole('button', { name: 'Validate the resolution' }).click();
    await customerPage.waitForURL(`${origin}/console/tickets/${ticketNumber}`);
    await expect(customerPage.locator('dd.status').textContent()).resolves.toBe('closed');
    // Billing follows the close in the workflow: the page shows it once written.
    const billTotal = async (page: Page) => {
      await page.reload();
      return page
        .locator('h2:has-text("Bill so far") + div tfoot td')
        .textContent({ timeout: 1000 })
        .catch(() => null);
    };
    const customerTotal = await eventually(
      () => billTotal(customerPage),
      (total) => total !== null && /^€/.test(total),
    );
    expect(customerTotal).toMatch(/^€[\d,]+\.\d{2}$/);
    await expectAccessible(customerPage);
    await screenshot(customerPage, dir, 'portal-ticket-billed');
    expect(await billTotal(agentPage)).toBe(customerTotal);
  });

  it("keeps a customer out of another company's ticket, reached by its URL", async () => {
    const opened = await stack.call('POST', '/tickets', {
      customerId: stack.customerId,
      title: 'Acme secret',
      description: 'x',
      contact: { name: 'Ana Lopes', email: 'ana@acme.lu' },
    });
    expect(opened.status).toBe(201);
    const response = await customerPage.goto(`${origin}/console/tickets/${opened.body.ticketNumber as string}`);
    expect(response?.status()).toBe(404);
    expect(await customerPage.content()).not.toContain('Acme secret');
    await expectAccessible(customerPage);
  });

  it('speaks French after the switch, as accessibly', async () => {
    await customerPage.goto(`${origin}/console/`);
    await customerPage.getByRole('link', { name: 'Français' }).click();
    await customerPage.waitForURL(`${origin}/console/`);
    await expect(customerPage.locator('html').getAttribute('lang')).resolves.toBe('fr');
    await expect(customerPage.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Mes tickets');
    // The API's words too: Ana's validated ticket is closed.
    await expect(customerPage.getByRole('cell', { name: 'clôturé', exact: true }).count()).resolves.toBe(1);
    await expectAccessible(customerPage);
    await screenshot(customerPage, dir, 'portal-fr');
  });

  it("words the bill's lines in French on a French page, as the customer's invoices do", async () => {
    const { body } = await stack.call('GET', `/tickets/${ticketNumber}/billing-lines`, undefined, 'admin');
    const labels = (body.lines as { label: LineLabel }[]).map((line) => line.label);
    expect(labels.length).toBeGreaterThan(0);
    await customerPage.goto(`${origin}/console/tickets/${ticketNumber}`);
    await expect(customerPage.locator('html').getAttribute('lang')).resolves.toBe('fr');
    const cells = await customerPage
      .locator('h2:has-text("Facture à ce jour") + div tbody tr td:first-child')
      .allTextContents();
    expect(cells).toEqual(labels.map((label) => lineText(label, 'fr')));
    expect(cells[0]).not.toMatch(/weekday rate/);
  });

  describe('the forms of the whole lifecycle', () => {
    let number: string;
    let marc: Page;
    let ines: Page;
    const status = (page: Page) => page.locator('dd.status').textContent();

    it('lets an agent ask the customer and wait, and the customer reply from the portal', async () => {
      marc = await signedIn(marcEmail);
      await marc.getByRole('link', { name: 'Open a ticket' }).first().click();
      await marc.getByLabel('Title').fill('New warehouse wing');
      await marc.getByLabel('Description').fill('Twelve phones and a switch for the new wing.');
      await marc.getByLabel('Kind').selectOption('change');
      await marc.getByRole('button', { name: 'Open the ticket' }).click();
      await marc.waitForURL(/\/console\/tickets\/VIG-\d+$/);
      number = marc.url().split('/').at(-1)!;

      ines = await signedIn(`ines.${unique}@desk.test`);
      await ines.goto(`${origin}/console/tickets/${number}`);
      await ines.getByRole('button', { name: 'Take charge' }).click();
      await ines.waitForURL(`${origin}/console/tickets/${number}`);
      await expect(status(ines)).resolves.toBe('support');
      // The forms support allows at the desk, each from the action table: logging time open first, the others folded.
      const forms = await ines
        .locator('section.actions form')
        .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('aria-label')));
      expect(forms).toEqual([
        'Log time',
        'Start the intervention',
        'Set the priority',
        'Reassign',
        'Ask the customer and wait',
        'Record a workaround',
        'Propose a resolution',
        'Cancel the ticket',
        'Submit a quote',
        'Set the release date',
      ]);
      await ines.locator('details.action-more > summary', { hasText: 'Ask the customer and wait' }).click();
      await ines
        .getByRole('form', { name: 'Ask the customer and wait' })
        .getByLabel('Question for the customer')
        .fill('Which floor is the new wing on?');
      await ines.getByRole('button', { name: 'Ask the customer and wait' }).click();
      await ines.waitForURL(`${origin}/console/tickets/${number}`);
      await expect(status(ines)).resolves.toBe('waiting');

      await marc.goto(`${origin}/console/tickets/${number}`);
      await expect(marc.locator('ol.messages').textContent()).resolves.toContain('Which floor is the new wing on?');
      await expectAccessible(marc);
      await marc
        .getByRole('form', { name: 'Reply' })
        .getByLabel('Message')
        .fill('Second floor, above the loading bay.');
      await marc.getByRole('button', { name: 'Reply' }).click();
      await marc.waitForURL(`${origin}/console/tickets/${number}`);
      await expect(status(marc)).resolves.toBe('support');
      await expect(marc.locator('ol.messages li').allTextContents()).resolves.toEqual([
        expect.stringContaining('Which floor is the new wing on?'),
        expect.stringContaining('Second floor, above the loading bay.'),
      ]);
    });

    it('lets the agent submit a quote in euros and the customer accept it', async () => {
      await ines.reload();
      await expect(ines.locator('ol.messages').textContent()).resolves.toContain(
        'Second floor, above the loading bay.',
      );
      await ines.locator('details.action-more > summary', { hasText: 'Submit a quote' }).click();
      const quote = ines.getByRole('form', { name: 'Submit a quote' });
      // A figure that is not an amount is refused beside the form, before the API.
      await quote.getByLabel('Estimate (minutes)').fill('600');
      await quote.getByLabel('Amount (€, excl. VAT)').fill('twelve');
      await ines.getByRole('button', { name: 'Submit a quote' }).click();
      await expect(ines.getByRole('alert').textContent()).resolves.toBe(
        'Refused: Amount (€, excl. VAT) must be an amount in euros, such as 120.50',
      );
      // The refused form comes back open, first among the forms, without a click.
      await expect(quote.isVisible()).resolves.toBe(true);
      await expect(ines.locator('section.actions form').first().getAttribute('aria-label')).resolves.toBe(
        'Submit a quote',
      );
      await expectAccessible(ines);
      await quote.getByLabel('Amount (€, excl. VAT)').fill('1 200,50');
      await quote.getByLabel('Note').fill('Cabling and twelve handsets');
      await ines.getByRole('button', { name: 'Submit a quote' }).click();
      await ines.waitForURL(`${origin}/console/tickets/${number}`);
      await expect(ines.locator('dd.quote').textContent()).resolves.toBe(
        'submitted · 10 h · €1,200.50 · long intervention',
      );
      await expectAccessible(ines);
      await screenshot(ines, dir, 'ticket-quote');

      await marc.reload();
      await expect(marc.locator('dd.quote').textContent()).resolves.toBe(
        'submitted · 10 h · €1,200.50 · long intervention',
      );
      await expect(marc.getByRole('button', { name: 'Decline the quote' }).count()).resolves.toBe(1);
      await marc.getByRole('button', { name: 'Accept the quote' }).click();
      await marc.waitForURL(`${origin}/console/tickets/${number}`);
      await expect(marc.locator('dd.quote').textContent()).resolves.toBe(
        'accepted · 10 h · €1,200.50 · long intervention',
      );
      await expect(marc.getByRole('button', { name: 'Accept the quote' }).count()).resolves.toBe(0);
      await screenshot(marc, dir, 'portal-ticket-quote');
    });

    it("shows the desk the mails sent for the ticket, and refreshes the clocks' part alone", async () => {
      // The outbox is written by the worker's activities: the acknowledgement arrives after the ticket opens.
      const kinds = await eventually(
        async () => {
          await ines.reload();
          return ines.locator('h2:has-text("Mails sent") + div tbody td:nth-child(2)').allTextContents();
        },
        (found) => found.includes('acknowledgement'),
      );
      expect(kinds).toContain('acknowledgement');
      await expect(marc.locator('h2:has-text("Mails sent")').count()).resolves.toBe(0);
      const clocks = await ines.request.get(`${origin}/console/tickets/${number}/clocks`);
      expect(clocks.status()).toBe(200);
      expect(await clocks.text()).toMatch(
        /^<div id="clocks" hx-get="\/console\/tickets\/VIG-\d+\/clocks" hx-trigger="every 30s"/,
      );
    });

    it('logs time by service on a contract whose rate card prices by service, with the service picked from its list', async () => {
      const careCustomer = `care-${unique}`;
      await stack.accounts.createCustomer({ id: careCustomer, name: 'Namur Care' });
      await stack.accounts.createContract({
        customerId: careCustomer,
        policyId: 'care-solutions',
        startsOn: contractsStartOn(),
        authorizedContacts: [{ name: 'Lea Dubois', email: `lea.${unique}@care.test`, outOfHours: true }],
      });
      const opened = await stack.call('POST', '/tickets', {
        customerId: careCustomer,
        title: 'Printer settings',
        description: 'The ward printers print blank pages.',
        contact: { name: 'Lea Dubois', email: `lea.${unique}@care.test` },
      });
      expect(opened.status).toBe(201);
      const care = opened.body.ticketNumber as string;
      const desk = await signedIn(`ines.${unique}@desk.test`);
      await desk.goto(`${origin}/console/tickets/${care}`);
      expect(await desk.locator('main').innerText()).toMatch(/Status\s+(request|acknowledgement)\n/);
      await desk.getByRole('button', { name: 'Take charge' }).click();
      await desk.waitForURL(`${origin}/console/tickets/${care}`);
      const logTime = desk.getByRole('form', { name: 'Log time' });
      await expect(logTime.getByLabel('Role').count()).resolves.toBe(0);
      const services = await logTime
        .getByLabel('Service')
        .locator('option')
        .evaluateAll((options) => options.map((option) => option.getAttribute('value')));
      // In the rate card's order as PostgreSQL keeps it (jsonb orders keys its own way).
      expect([...services].sort()).toEqual(['', 'database', 'development', 'remote-assistance', 'settings']);
      const minutesAgo = (minutes: number) =>
        DateTime.now().setZone(DESK_ZONE).minus({ minutes }).toFormat("yyyy-MM-dd'T'HH:mm");
      // A duration with both a start and an end: refused before the API, naming the field.
      await logTime.getByLabel('Start', { exact: true }).fill(minutesAgo(30));
      await logTime.getByLabel('End', { exact: true }).fill(minutesAgo(10));
      await logTime.getByLabel('Duration (minutes)').fill('20');
      await desk.getByRole('button', { name: 'Log time' }).click();
      await expect(desk.getByRole('alert').textContent()).resolves.toBe(
        'Refused: Duration (minutes) goes with a start or an end, not both',
      );
      await expect(logTime.getByLabel('Duration (minutes)').getAttribute('aria-invalid')).resolves.toBe('true');
      // The duration alone ends now, as a desk logs what it has just done: the API gets a start and an end.
      await logTime.getByLabel('Start', { exact: true }).fill('');
      await logTime.getByLabel('End', { exact: true }).fill('');
      await logTime.getByLabel('Service').selectOption('settings');
      await logTime.getByLabel('Note').fill('Reset the printer profiles');
      const before = Date.now();
      await desk.getByRole('button', { name: 'Log time' }).click();
      await desk.waitForURL(`${origin}/console/tickets/${care}`);
      await expect(desk.getByRole('cell', { name: 'settings · Reset the printer profiles' }).count()).resolves.toBe(1);
      const [entry] = (await stack.call('GET', `/tickets/${care}`, undefined, 'admin')).body.timeEntries as {
        start: string;
        end: string;
      }[];
      expect(Date.parse(entry!.end) - Date.parse(entry!.start)).toBe(20 * 60_000);
      // To the minute the form was sent in, never after it.
      expect(Date.parse(entry!.end)).toBeGreaterThan(before - 60_000);
      expect(Date.parse(entry!.end)).toBeLessThanOrEqual(Date.now());
    });

    it('shows a mail that went onto the ticket and lets its attachment be downloaded, never rendered', async () => {
      // Stored as mail/inbound/ stores and settles a threaded mail: this test is about the page, not the mail pipeline.
      const page = '<html><body><script>document.title = "ran"</script>Floor plan</body></html>';
      const stored = await storeInbound(stack.db, {
        dedupeKey: `console-${unique}`,
        via: 'smtp',
        rcptTo: ['support@vigil.test'],
        fromAddress: marcEmail,
        subject: `Re: [${number}] floor plan`,
        bodyText: 'The plan of the second floor is attached.',
        raw: Buffer.from('raw'),
        attachments: [{ filename: 'étage 2 "plan".html', contentType: 'text/html', content: Buffer.from(page) }],
      });
      await settleInbound(stack.db, stored.id, {
        state: 'threaded',
        reason: 'a reply on the ticket',
        ticketNumber: number,
        customerId: quoteCustomer,
      });

      await marc.reload();
      await expect(marc.locator('ol.messages').textContent()).resolves.toContain(
        'The plan of the second floor is attached.',
      );
      const link = marc.getByRole('link', { name: 'étage 2 "plan".html' });
      const href = await link.getAttribute('href');
      expect(href).toMatch(new RegExp(`^/console/tickets/${number}/attachments/\\d+$`));
      await expectAccessible(marc);
      const download = await marc.request.get(`${origin}${href!}`);
      expect(download.status()).toBe(200);
      expect(download.headers()['content-type']).toBe('text/html');
      expect(download.headers()['content-disposition']).toBe(
        `attachment; filename="_tage 2 _plan_.html"; filename*=UTF-8''${encodeURIComponent('étage 2 "plan".html')}`,
      );
      expect(download.headers()['x-content-type-options']).toBe('nosniff');
      expect((await download.body()).toString()).toBe(page);
      // Another company's person gets the same 404 as for the ticket itself.
      const other = await customerPage.request.get(`${origin}${href!}`);
      expect(other.status()).toBe(404);
    });

    it('is accessible in English and French, on a desktop and on a phone, for the desk and the customer', async () => {
      for (const email of [`ines.${unique}@desk.test`, marcEmail]) {
        for (const viewport of [
          { width: 1366, height: 768 },
          { width: 390, height: 844 },
        ]) {
          const page = await signedIn(email, viewport);
          for (const language of ['en', 'fr']) {
            await page.context().addCookies([{ name: 'vigil_lang', value: language, url: origin }]);
            await page.goto(`${origin}/console/tickets/${number}`);
            await expect(page.locator('html').getAttribute('lang')).resolves.toBe(language);
            expect({ email, viewport, language, violations: await axeViolations(page) }).toEqual({
              email,
              viewport,
              language,
              violations: [],
            });
          }
          // The footer keeps the content's distance from the screen's edges, on a phone too.
          const padding = (selector: string) =>
            page.evaluate(`getComputedStyle(document.querySelector('${selector}')).paddingLeft`);
          await expect(padding('footer')).resolves.toBe(viewport.width === 390 ? '8px' : '16px');
          await expect(padding('footer')).resolves.toBe(await padding('main'));
          if (email === marcEmail && viewport.width === 390) await screenshot(page, dir, 'portal-ticket-phone-fr');
        }
      }
      // French pages say the API's words in French.
      const french = await signedIn(`ines.${unique}@desk.test`);
      await french.context().addCookies([{ name: 'vigil_lang', value: 'fr', url: origin }]);
      await french.goto(`${origin}/console/tickets/${number}`);
      await expect(status(french)).resolves.toBe('en traitement');
      await expect(french.locator('dd.quote').textContent()).resolves.toBe(
        'accepté · 10 h · 1\u202f200,50\u00a0€ · intervention longue',
      );
      await expect(french.locator('ol.history').textContent()).resolves.toContain('devis accepté');
      await screenshot(french, dir, 'ticket-fr');
    });
  });
});
