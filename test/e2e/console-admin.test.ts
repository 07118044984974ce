import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { pgUserStore } from '../../db/users';
import { axeViolations, launchChromium, outputDir, screenshot } from '../support/e2e/console';
import { contractsStartOn, startStack, type Stack } from '../support/e2e/stack';

// A whole stack starts in beforeAll: minutes on a loaded 2-core machine, not Jest's default 5 s.
jest.setTimeout(180_000);

// The admin pages (api/web/admin-pages.ts) in Debian's Chromium, on the real stack (as console-browser.test.ts).
describe("the console's admin pages in a real browser", () => {
  let stack: Stack;
  let browser: Browser;
  let origin: string;
  const unique = randomUUID().slice(0, 8);
  const password = 'a long enough secret';
  const dir = outputDir('console-admin');
  const adminEmail = `ada.${unique}@desk.test`;
  const agentEmail = `ines.${unique}@desk.test`;
  const customerId = `bettembourg-${unique}`;
  const nora = `nora.${unique}@bettembourg.test`;
  const gil = `gil.${unique}@desk.test`;
  const contexts: BrowserContext[] = [];
  let admin: Page;
  let contractUrl: string;

  beforeAll(async () => {
    stack = await startStack('console-admin');
    origin = stack.baseUrl.replace(/\/v1$/, '');
    browser = await launchChromium();
    const users = pgUserStore(stack.db);
    await users.create({ email: adminEmail, name: 'Ada Admin', role: 'admin', language: 'en', password });
    await users.create({ email: agentEmail, name: 'Ines Agent', role: 'agent', language: 'en', password });
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await stack?.stop();
  });

  async function newPage(viewport = { width: 1366, height: 768 }): Promise<Page> {
    const context = await browser.newContext({ viewport });
    contexts.push(context);
    return context.newPage();
  }

  async function signedIn(email: string, viewport?: { width: number; height: number }): Promise<Page> {
    const page = await newPage(viewport);
    await page.goto(`${origin}/console/sign-in`);
    await page.getByLabel('E-mail address').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${origin}/console/`);
    return page;
  }

  async function expectAccessible(page: Page): Promise<void> {
    expect(await axeViolations(page)).toEqual([]);
  }

  const status = (page: Page) => page.getByRole('status').first().textContent();

  it('lets an admin add a customer from the Admin link', async () => {
    admin = await signedIn(adminEmail);
    await admin.getByRole('link', { name: 'Admin', exact: true }).click();
    await admin.waitForURL(`${origin}/console/admin/customers`);
    await expectAccessible(admin);
    await admin.getByRole('link', { name: 'Add a customer' }).click();
    const form = admin.getByRole('form', { name: 'Add a customer' });
    await form.getByLabel('Identifier').fill(customerId);
    await form.getByLabel('Name', { exact: true }).fill('Bettembourg Logistics');
    await form.getByLabel('Language').selectOption('fr');
    await form.getByLabel('Time zone').fill('Europe/Luxembourg');
    await expectAccessible(admin);
    await screenshot(admin, dir, 'admin-new-customer');
    // Keyboard only: the form is sent from its last field with Enter, as a browser does.
    await form.getByLabel('Time zone').press('Enter');
    await admin.waitForURL(`${origin}/console/admin/customers/${customerId}?done=saved`);
    await expect(status(admin)).resolves.toBe('Saved.');
    await expect(stack.accounts.getCustomer(customerId)).resolves.toMatchObject({
      name: 'Bettembourg Logistics',
      language: 'fr',
      timeZone: 'Europe/Luxembourg',
    });
    await expectAccessible(admin);
    await screenshot(admin, dir, 'admin-customer');
  });

  it('adds a contract whose contact becomes an account, and shows a refusal beside the field it names', async () => {
    await admin.getByRole('link', { name: 'Add a contract' }).click();
    const form = admin.getByRole('form', { name: 'Add a contract' });
    await form.getByLabel('Policy', { exact: true }).selectOption('care-solutions');
    await form.getByLabel('Policy version').fill('1');
    await form.getByLabel('Tier').fill('Gold');
    await form.getByLabel('Starts on').fill(contractsStartOn());
    await form.getByLabel('Invoicing').selectOption('monthly');
    // The agent's address is the desk's: the API refuses it as a customer's contact, naming the line.
    await form.getByLabel('Authorized contacts').fill(`Nora Nagel <${nora}>, out-of-hours\nInes <${agentEmail}>`);
    await form.getByLabel('Most people logging time on one ticket').fill('2');
    await form.getByRole('button', { name: 'Create' }).click();
    await expect(admin.getByRole('alert').textContent()).resolves.toContain('body.authorizedContacts.1.email');
    await expect(form.locator('#new-contract-authorizedContacts-error').textContent()).resolves.toMatch(
      /^line 2: .* already signs in as the desk's agent Ines Agent/,
    );
    await expect(form.getByLabel('Authorized contacts').getAttribute('aria-invalid')).resolves.toBe('true');
    await expectAccessible(admin);
    await screenshot(admin, dir, 'admin-contract-refused');

    await form.getByLabel('Authorized contacts').fill(`Nora Nagel <${nora}>, out-of-hours`);
    await form
      .getByLabel('Escalation contacts')
      .fill(`customer-service-manager: Olaf Ott <olaf.${unique}@bettembourg.test>`);
    await form.getByRole('button', { name: 'Create' }).click();
    await admin.waitForURL(/\/console\/admin\/contracts\/\d+\?done=saved$/);
    contractUrl = admin.url().replace(/\?.*$/, '');
    const [contract] = await stack.accounts.listContracts(customerId);
    expect(contract).toMatchObject({
      policyId: 'care-solutions',
      policyVersion: 1,
      tier: 'Gold',
      maxPeoplePerTicket: 2,
      authorizedContacts: [{ name: 'Nora Nagel', email: nora, outOfHours: true }],
    });
    // Nora is now one of the customer's contacts, without a password: she signs in by a link.
    const account = (await pgUserStore(stack.db).findByEmails([nora]))[0];
    expect(account).toMatchObject({ role: 'customer', customerId, hasPassword: false });
    await expect(admin.getByRole('cell', { name: 'active · no password yet' }).count()).resolves.toBe(1);
    await expectAccessible(admin);
    await screenshot(admin, dir, 'admin-contract');

    // Saved again: nobody is added twice.
    await admin.getByRole('button', { name: 'Save the contacts' }).click();
    await admin.waitForURL(`${contractUrl}?done=saved`);
    expect(await pgUserStore(stack.db).findByEmails([nora])).toHaveLength(1);
  });

  it('lets the new contact receive a sign-in link, from the admin and by asking, and sign in with it', async () => {
    await admin.getByRole('button', { name: 'Mail a sign-in link: Nora Nagel' }).click();
    await admin.waitForURL(new RegExp(`^${contractUrl}\\?sent=sign-in`));
    await expect(status(admin)).resolves.toMatch(
      new RegExp(`^A sign-in link was mailed to ${nora.replace(/\./g, '\\.')}; it works once, until `),
    );

    const visitor = await newPage();
    await visitor.goto(`${origin}/console/link`);
    await visitor.getByLabel('E-mail address').fill(nora);
    await visitor.getByRole('button', { name: 'E-mail me a sign-in link' }).click();
    const { rows } = await stack.db.query<{ kind: string; subject: string; body: string }>(
      'SELECT kind, subject, body FROM outbox WHERE recipient = $1 ORDER BY id',
      [nora],
    );
    // The admin's in French, the customer's language, Nora having chosen none; hers in the language of the page she asked on.
    expect(rows.map(({ kind, subject }) => [kind, subject])).toEqual([
      ['console-sign-in-link', 'Votre lien de connexion au support Vigil'],
      ['console-sign-in-link', 'Your sign-in link to the Vigil support desk'],
    ]);
    const link = /https?:\/\/\S+\/console\/link\/[A-Za-z0-9_-]{43}/.exec(rows[1]!.body)![0];
    await visitor.goto(`${origin}${new URL(link).pathname}`);
    await visitor.getByRole('button', { name: 'Continue and sign in' }).click();
    await visitor.waitForURL(`${origin}/console/`);
    await expect(visitor.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Mes tickets');
  });

  it('adds a person and changes their role', async () => {
    await admin.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name: 'People' }).click();
    await admin.getByRole('link', { name: 'Add a person' }).click();
    const form = admin.getByRole('form', { name: 'Add a person' });
    await form.getByLabel('E-mail address').fill(gil);
    await form.getByLabel('Name', { exact: true }).fill('Gil Agent');
    await form.getByLabel('Role').selectOption('agent');
    await form.getByRole('button', { name: 'Create' }).click();
    await admin.waitForURL(/\/console\/admin\/users\/\d+\?done=saved$/);
    const personForm = admin.getByRole('form', { name: `Person ${gil}` });
    await personForm.getByLabel('Role').selectOption('manager');
    await personForm.getByRole('button', { name: 'Save' }).click();
    await admin.waitForURL(/\/console\/admin\/users\/\d+\?done=saved$/);
    await expect(admin.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Gil Agent (manager)');
    await admin.getByRole('button', { name: 'Mail a password reset link' }).click();
    await expect(status(admin)).resolves.toContain(`A link to choose a new password was mailed to ${gil}`);
    await expectAccessible(admin);
    await screenshot(admin, dir, 'admin-user');
    await admin.getByRole('link', { name: 'People' }).click();
    await expect(admin.getByRole('link', { name: 'Gil Agent' }).count()).resolves.toBe(1);
    await expectAccessible(admin);
    await screenshot(admin, dir, 'admin-users');
  });

  it('creates an API key whose token shows once and works, and revokes it', async () => {
    await admin.getByRole('link', { name: 'API keys' }).click();
    const form = admin.getByRole('form', { name: 'Create an API key' });
    await form.getByLabel('Role').selectOption('customer');
    await form.getByLabel('Label').fill(`Bettembourg portal ${unique}`);
    await form.getByLabel('Customer').selectOption(customerId);
    await form.getByRole('button', { name: 'Create' }).click();
    await admin.waitForURL(/\/console\/admin\/api-keys\?created=[0-9a-f]{12}$/);
    const token = await admin.getByLabel(/^Token/).inputValue();
    expect(token).toMatch(/^vgl_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    const contracts = await stack.call('GET', '/contracts', undefined, { token });
    expect([
      contracts.status,
      contracts.body.contracts.map(({ customerId: id }: { customerId: string }) => id),
    ]).toEqual([200, [customerId]]);
    await expectAccessible(admin);
    await screenshot(admin, dir, 'admin-api-keys');

    // Shown once: a reload shows it no more, and creates no second key.
    await admin.reload();
    await expect(admin.content()).resolves.not.toContain(token);
    expect(
      (await stack.accounts.listApiKeys()).filter(({ label }) => label === `Bettembourg portal ${unique}`),
    ).toHaveLength(1);
    await admin.getByRole('button', { name: `Revoke Bettembourg portal ${unique}` }).click();
    await admin.waitForURL(/\/console\/admin\/api-keys\?revoked=/);
    expect((await stack.call('GET', '/contracts', undefined, { token })).status).toBe(401);
  });

  it('speaks French and stays accessible on a phone', async () => {
    const phone = await signedIn(adminEmail, { width: 390, height: 844 });
    await phone.goto(contractUrl);
    await phone.getByRole('link', { name: 'Français' }).click();
    await phone.waitForURL(contractUrl);
    await expect(phone.getByRole('button', { name: 'Enregistrer les contacts' }).count()).resolves.toBe(1);
    await expectAccessible(phone);
    await screenshot(phone, dir, 'admin-contract-phone-fr');
  });

  it('keeps everyone but admins out of the admin pages, by link and by URL', async () => {
    const agent = await signedIn(agentEmail);
    await expect(agent.getByRole('link', { name: 'Admin', exact: true }).count()).resolves.toBe(0);
    for (const path of [
      '/console/admin/customers',
      `/console/admin/customers/${customerId}`,
      contractUrl.slice(origin.length),
      '/console/admin/users',
      '/console/admin/api-keys',
    ]) {
      const response = await agent.goto(`${origin}${path}`);
      expect(response?.status()).toBe(403);
      await expect(agent.getByRole('alert').textContent()).resolves.toBe('This page is for admins.');
      await expect(agent.content()).resolves.not.toContain(nora);
    }
    await expectAccessible(agent);
    // Nor can a person who is not an admin post to one: nothing changes.
    const keys = await stack.accounts.listApiKeys();
    const posted = await agent.request.post(`${origin}/console/admin/api-keys`, {
      form: { role: 'admin', label: 'sneaky' },
    });
    expect(posted.status()).toBe(403);
    expect(await stack.accounts.listApiKeys()).toEqual(keys);
  });
});
