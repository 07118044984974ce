import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DESK_ZONE } from '../../messages/desk-zone';
import { pgUserStore } from '../../db/users';
import { axeViolations, launchChromium, outputDir, screenshot } from './console-support';
import { contractsStartOn, eventually, startStack, type Stack } from './support';

// A whole stack starts in beforeAll: minutes on a loaded 2-core machine, not Jest's default 5 s.
jest.setTimeout(180_000);

// The web console in Debian's Chromium, on the real stack: Temporal, the worker, PostgreSQL, the API's own socket.
describe('the web console in a real browser', () => {
  let stack: Stack;
  let browser: Browser;
  let origin: string;
  const unique = randomUUID().slice(0, 8);
  const password = 'a long enough secret';
  const dir = outputDir('console-browser');
  const slaCustomer = `kirchberg-${unique}`;
  const anaEmail = `ana.${unique}@kirchberg.test`;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    stack = await startStack('console-browser');
    origin = stack.baseUrl.replace(/\/v1$/, '');
    browser = await launchChromium();
    // Ana's company is on an SLA desk (deadlines in business hours); the stack's own customer is best-effort (econnect).
    await stack.accounts.createCustomer({ id: slaCustomer, name: 'Kirchberg Telecom' });
    await stack.accounts.createContract({
      customerId: slaCustomer,
      policyId: 'mixvoip-entreprises',
      startsOn: contractsStartOn(),
      authorizedContacts: [{ name: 'Ana Lopes', email: anaEmail, outOfHours: true }],
    });
    const users = pgUserStore(stack.db);
    await users.create({ email: anaEmail, name: 'Ana Lopes', role: 'customer', customerId: slaCustomer, language: 'en', password });
    await users.create({ email: `ines.${unique}@desk.test`, name: 'Ines Agent', role: 'agent', password });
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await stack?.stop();
  });

  async function signedIn(email: string, viewport = { width: 1366, height: 768 }): Promise<Page> {
    const context = await browser.newContext({ viewport });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${origin}/console/`);
    await page.waitForURL(/\/console\/sign-in/);
    await page.getByLabel('E-mail address').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${origin}/console/`);
    return page;
  }

  async function expectAccessible(page: Page): Promise<void> {
    expect(await axeViolations(page)).toEqual([]);
  }

  let ticketNumber: string;
  let customerPage: Page;
  let agentPage: Page;

  it('signs a customer in and opens a ticket from the portal', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    contexts.push(context);
    const signIn = await context.newPage();
    await signIn.goto(`${origin}/console/sign-in`);
    await expectAccessible(signIn);
    await screenshot(signIn, dir, 'sign-in');

    customerPage = await signedIn(anaEmail);
    await expectAccessible(customerPage);
    await customerPage.getByRole('link', { name: 'Open a ticket' }).first().click();
    await customerPage.getByLabel('Title').fill('Phones down <script>alert(1)</script>');
    await customerPage.getByLabel('Description').fill('Every desk phone in the Kirchberg office is dead since 9:00.\nSecond line.');
    await customerPage.getByLabel('Priority').selectOption('P2');
    await customerPage.getByLabel('Kind').selectOption('incident');
    await expectAccessible(customerPage);
    await screenshot(customerPage, dir, 'portal-new-ticket');
    await customerPage.getByRole('button', { name: 'Open the ticket' }).click();
    await customerPage.waitForURL(/\/console\/tickets\/VIG-\d+$/);
    ticketNumber = customerPage.url().split('/').at(-1)!;
    // The title is text, never markup.
    await expect(customerPage.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(`${ticketNumber} · Phones down <script>alert(1)</script>`);
    await expectAccessible(customerPage);
    await screenshot(customerPage, dir, 'portal-ticket');
  });

  it("shows an agent the ticket on the board with its deadline; the agent takes it in charge and logs time", async () => {
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
    await expectAccessible(agent);
    await screenshot(agent, dir, 'board');

    await agent.getByRole('link', { name: ticketNumber }).click();
    await agent.getByRole('button', { name: 'Take charge' }).click();
    await agent.waitForURL(`${origin}/console/tickets/${ticketNumber}`);
    await expect(agent.locator('dd.status').textContent()).resolves.toBe('support');

    const minutesAgo = (minutes: number) => DateTime.now().setZone(DESK_ZONE).minus({ minutes }).toFormat("yyyy-MM-dd'T'HH:mm");
    await agent.getByLabel('Start').fill(minutesAgo(40));
    await agent.getByLabel('End').fill(minutesAgo(10));
    await agent.getByLabel('Role').selectOption('engineer');
    await agent.getByLabel('Note').fill('Rebooted the PBX');
    await agent.getByRole('button', { name: 'Log time' }).click();
    await agent.waitForURL(`${origin}/console/tickets/${ticketNumber}`);
    await expect(agent.getByRole('cell', { name: 'Rebooted the PBX' }).count()).resolves.toBe(1);
    await expectAccessible(agent);
    await screenshot(agent, dir, 'ticket');

    // Time not yet worked: the workflow refuses it, and the page says why beside the form.
    await agent.getByLabel('Start').fill(minutesAgo(5));
    await agent.getByLabel('End').fill(minutesAgo(-60));
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
    await agentPage.getByLabel('Proposed resolution').fill('PBX rebooted; phones back at 10:15.');
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
      return page.locator('h2:has-text("Bill so far") + div tfoot td').textContent({ timeout: 1000 }).catch(() => null);
    };
    const customerTotal = await eventually(() => billTotal(customerPage), (total) => total !== null && / €$/.test(total));
    expect(customerTotal).toMatch(/^\d+\.\d{2} €$/);
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
    await expectAccessible(customerPage);
    await screenshot(customerPage, dir, 'portal-fr');
  });
});
