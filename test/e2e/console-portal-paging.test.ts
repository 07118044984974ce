import type { Browser, Page } from 'playwright-core';
import type { TicketState } from '../../messages/ticket';
import { expectAccessible, launchChromium, outputDir, screenshot } from '../support/e2e/console';
import { readModelHarness, type ReadModelHarness } from '../support/e2e/read-model-fixtures';

jest.setTimeout(180_000);

const MINUTE = 60_000;
const BASE = Date.parse('2026-11-02T09:00:00+01:00');
const TITLES = ['Printer prints blank pages', 'VPN drops every hour', 'New starter: laptop and mail', 'Invoice PDF'];

// The customer's portal in Chromium over the read model on PostgreSQL: a company with more tickets than a page
// pages newest first, by links a keyboard reaches, and no page fails axe-core's check.
describe("the customer's portal pages in a browser", () => {
  let harness: ReadModelHarness;
  let browser: Browser;
  let page: Page;
  const tickets: TicketState[] = [];
  const dir = outputDir('console-portal-paging');

  beforeAll(async () => {
    harness = await readModelHarness();
    const customer = await harness.customer('paging');
    const other = await harness.customer('paging-other');
    for (let index = 0; index < 120; index++)
      tickets.push(
        await harness.ticket(customer.id, {
          title: `${TITLES[index % TITLES.length]} (${index + 1})`,
          status: index < 110 ? 'closed' : 'support',
          // Two tickets on each instant.
          openedAt: BASE + Math.floor(index / 2) * 17 * MINUTE,
        }),
      );
    for (const ticket of tickets) await harness.record(ticket);
    await harness.record(await harness.ticket(other.id, { title: 'Not yours', openedAt: BASE + 100 * 17 * MINUTE }));
    const [name, value] = (await harness.contactSession(customer.id, 'Ana Lopes')).split('=') as [string, string];
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    await context.addCookies([{ name, value, url: harness.origin }]);
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await harness?.close();
  });

  const newestFirst = () =>
    [...tickets]
      .sort((a, b) => b.openedAt - a.openedAt || b.ticketNumber.localeCompare(a.ticketNumber))
      .map((ticket) => ticket.ticketNumber);
  const shown = () => page.locator('main tbody tr td:first-child a').allTextContents();
  const pageLinks = () => page.getByRole('navigation', { name: 'Pages' }).getByRole('link').allTextContents();

  /** Tabs from the top of the page to the link named `name`, as a keyboard user would, and follows it. */
  async function followByKeyboard(name: string): Promise<void> {
    const link = page.getByRole('link', { name, exact: true });
    expect(await link.count()).toBe(1);
    for (let presses = 0; presses < 200; presses++) {
      if (await link.evaluate((element) => element === element.ownerDocument.activeElement)) {
        const from = page.url();
        await Promise.all([page.waitForURL((url) => url.href !== from), page.keyboard.press('Enter')]);
        return;
      }
      await page.keyboard.press('Tab');
    }
    throw new Error(`${name}: not reached by Tab`);
  }

  it('shows 50 tickets newest first, then the older ones and back, by keyboard, each page accessible', async () => {
    await page.goto(`${harness.origin}/console/`);
    expect(await shown()).toEqual(newestFirst().slice(0, 50));
    expect(await pageLinks()).toEqual(['Older tickets']);
    await expectAccessible(page);

    await followByKeyboard('Older tickets');
    expect(await shown()).toEqual(newestFirst().slice(50, 100));
    expect(await pageLinks()).toEqual(['Newer tickets', 'Older tickets']);
    await expectAccessible(page);
    await screenshot(page, dir, 'portal-paging');

    await followByKeyboard('Older tickets');
    expect(await shown()).toEqual(newestFirst().slice(100));
    await followByKeyboard('Newer tickets');
    expect(await shown()).toEqual(newestFirst().slice(50, 100));
    await followByKeyboard('Newer tickets');
    expect(await shown()).toEqual(newestFirst().slice(0, 50));
    expect(await page.content()).not.toContain('Not yours');
  });
});
