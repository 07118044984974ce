import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { pgUserStore } from '../../db/users';
import { CONSOLE_PASSWORD, consoleInBrowser, screenshot } from '../support/e2e/console';
import { contractsStartOn } from '../support/e2e/stack';

// A whole stack starts in beforeAll: minutes on a loaded 2-core machine, not Jest's default 5 s.
jest.setTimeout(180_000);

// The portal's new-ticket form in Debian's Chromium, on the real stack, for a company with two contracts in force: the
// contract is chosen by a button of the form (formnovalidate, api/web/portal.ts newTicketBody) before its required
// fields are filled, and what was typed comes back as the browser will send it again.
describe("the portal's new-ticket form in a real browser", () => {
  const web = consoleInBrowser('console-new-ticket');
  const unique = randomUUID().slice(0, 8);
  const customerId = `hesper-${unique}`;
  const email = `lea.${unique}@hesper.test`;
  const contractIds: string[] = [];

  beforeAll(async () => {
    const { stack } = web;
    await stack.accounts.createCustomer({ id: customerId, name: 'Hesper Logistics' });
    for (const policyId of ['econnect', 'mixvoip-entreprises'])
      contractIds.push(
        (
          await stack.accounts.createContract({
            customerId,
            policyId,
            startsOn: contractsStartOn(),
            authorizedContacts: [{ name: 'Lea Muller', email, outOfHours: true }],
          })
        ).id,
      );
    await pgUserStore(stack.db).create({
      email,
      name: 'Lea Muller',
      role: 'customer',
      customerId,
      language: 'en',
      password: CONSOLE_PASSWORD,
    });
  });

  // The description starts with a line break, which a form sends as CRLF and the page writes back as &#13;&#10; (the
  // case of a bare line feed, which the HTML parser drops right after <textarea>, is the next test's).
  const typed = '\r\nSteps: "open" <script>alert(1)</script> & \'close\'\r\n</textarea><b>not markup</b>\r\n';
  const title = 'Scanner "B2" <script>alert(2)</script> & \'jammed\'';

  const descriptionBox = (page: Page) => page.getByLabel('Description');
  const titleBox = (page: Page) => page.getByLabel('Title');
  /** The draft's id in the form page's address (db/form-drafts.ts), and whether PostgreSQL still holds it. */
  const draftOf = (url: string) => new URL(url).searchParams.get('draft')!;
  const draftKept = async (id: string) =>
    (await web.stack.db.query('SELECT 1 FROM form_drafts WHERE id = $1', [id])).rowCount === 1;

  it('chooses the contract with the required title still empty, the text typed surviving the step, reload and back', async () => {
    const page = await web.signedIn(email);
    const posts: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST') posts.push(new URL(request.url()).pathname);
    });
    await page.getByRole('link', { name: 'Open a ticket' }).first().click();
    await page.waitForURL(`${web.origin}/console/tickets/new`);
    await descriptionBox(page).fill(typed);
    // The text as the textarea holds it (the DOM gives its line breaks as LF), which every page after a step must hold.
    const description = await descriptionBox(page).inputValue();
    expect(description).toBe(typed.replace(/\r\n/g, '\n'));
    await page.getByLabel('Contract').selectOption(contractIds[1]!);
    // The title is required: the form itself would not be sent, only the contract's button, which skips the checks.
    // (Evaluated in the page; this file's tsconfig knows no DOM, hence the element's shape written out.)
    const titleMissing = (input: unknown) => (input as { validity: { valueMissing: boolean } }).validity.valueMissing;
    await expect(titleBox(page).evaluate(titleMissing)).resolves.toBe(true);
    await page.getByRole('button', { name: 'Choose this contract' }).click();
    // Post/Redirect/Get: the page is the form's, at an address holding the contract and a draft's id, nothing typed.
    await page.waitForURL(new RegExp(`/console/tickets/new\\?contractId=${contractIds[1]}&draft=[\\w-]{22}$`));
    const chosenAt = page.url();
    expect(posts).toEqual(['/console/tickets/new']);
    await expect(descriptionBox(page).inputValue()).resolves.toBe(description);
    await expect(titleBox(page).inputValue()).resolves.toBe('');
    await expect(page.getByLabel('Contact').inputValue()).resolves.toBe(email);

    // A reload asks for the page again, and going back and forth too: the form is never posted again.
    await page.reload();
    expect(page.url()).toBe(chosenAt);
    await expect(descriptionBox(page).inputValue()).resolves.toBe(description);
    await page.goBack();
    expect(page.url()).toBe(`${web.origin}/console/tickets/new`);
    await page.goForward();
    expect(page.url()).toBe(chosenAt);
    await expect(descriptionBox(page).inputValue()).resolves.toBe(description);
    expect(posts).toEqual(['/console/tickets/new']);

    // Choosing anew keeps the title typed since, and the description, through a second step: in the same draft.
    const draft = draftOf(chosenAt);
    await titleBox(page).fill(title);
    await page.getByRole('button', { name: 'Choose another contract' }).click();
    await page.waitForURL(`${web.origin}/console/tickets/new?draft=${draft}`);
    await expect(titleBox(page).inputValue()).resolves.toBe(title);
    await expect(descriptionBox(page).inputValue()).resolves.toBe(description);
    await page.getByLabel('Contract').selectOption(contractIds[0]!);
    await page.getByRole('button', { name: 'Choose this contract' }).click();
    await page.waitForURL(`${web.origin}/console/tickets/new?contractId=${contractIds[0]}&draft=${draft}`);
    await expect(titleBox(page).inputValue()).resolves.toBe(title);
    await expect(descriptionBox(page).inputValue()).resolves.toBe(description);
    await screenshot(page, web.dir, 'portal-contract-chosen');

    // The ticket opens under that contract with exactly the text typed: a form sends its line breaks as CRLF (the HTML
    // standard's form submission), as they were typed.
    await page.getByRole('button', { name: 'Open the ticket' }).click();
    await page.waitForURL(/\/console\/tickets\/VIG-\d+$/);
    const ticketNumber = page.url().split('/').at(-1)!;
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(`${ticketNumber} · ${title}`);
    const ticket = (await web.stack.call('GET', `/tickets/${ticketNumber}`, undefined, 'admin')).body;
    expect({ title: ticket.title, description: ticket.description, contractId: ticket.contractId }).toEqual({
      title,
      description: typed,
      contractId: contractIds[0],
    });
    // The text is the ticket's: the draft is gone, and going back finds the form empty, not the text to open again.
    await expect(draftKept(draft)).resolves.toBe(false);
    await page.goBack();
    expect(page.url()).toBe(`${web.origin}/console/tickets/new?contractId=${contractIds[0]}&draft=${draft}`);
    await expect(descriptionBox(page).inputValue()).resolves.toBe('');
  });

  it('keeps the draft through an opening the API refuses, and deletes it once the ticket opens', async () => {
    const page = await web.signedIn(email);
    await page.goto(`${web.origin}/console/tickets/new`);
    const csrf = (await page.locator('input[name="_csrf"]').first().getAttribute('value'))!;
    const text = 'Kept through a refusal';
    const stepped = await page.request.post(`${web.origin}/console/tickets/new`, {
      form: { _csrf: csrf, _step: 'choose', contractId: contractIds[1]!, description: text },
      maxRedirects: 0,
    });
    const formPage = new URL(stepped.headers().location!, web.origin).href;
    const draft = draftOf(formPage);
    await page.goto(formPage);
    await expect(page.locator('input[name="_draft"]').getAttribute('value')).resolves.toBe(draft);

    // A priority the API does not know: refused naming it, the form shown again naming the draft, which stays.
    const refused = await page.request.post(`${web.origin}/console/tickets/new`, {
      form: {
        _csrf: csrf,
        _draft: draft,
        contractId: contractIds[1]!,
        title: 'Refused',
        description: text,
        priority: 'P9',
      },
      maxRedirects: 0,
    });
    expect(refused.status()).toBe(422);
    expect(await refused.text()).toContain(`<input type="hidden" name="_draft" value="${draft}">`);
    await expect(draftKept(draft)).resolves.toBe(true);

    // The form's page still holds the text; the ticket opened from it takes the draft with it.
    await page.reload();
    await expect(descriptionBox(page).inputValue()).resolves.toBe(text);
    await titleBox(page).fill('Opened after a refusal');
    await page.getByRole('button', { name: 'Open the ticket' }).click();
    await page.waitForURL(/\/console\/tickets\/VIG-\d+$/);
    await expect(draftKept(draft)).resolves.toBe(false);
  });

  // A browser sends CRLF, but a client of the console's forms may send a bare line feed, and a text starting with one is
  // shown again after the line feed the page writes first (api/web/html.ts textareaText): the one Chromium's parser drops.
  it('shows a description starting with a bare line feed with it, as Chromium parses the page', async () => {
    const page = await web.signedIn(email);
    await page.goto(`${web.origin}/console/tickets/new`);
    const csrf = await page.locator('input[name="_csrf"]').first().getAttribute('value');
    const stepped = await page.request.post(`${web.origin}/console/tickets/new`, {
      form: { _csrf: csrf!, _step: 'choose', contractId: contractIds[0]!, description: '\nfirst line after a break' },
      maxRedirects: 0,
    });
    expect(stepped.status()).toBe(303);
    await page.goto(new URL(stepped.headers().location!, web.origin).href);
    await expect(descriptionBox(page).inputValue()).resolves.toBe('\nfirst line after a break');
  });
});
