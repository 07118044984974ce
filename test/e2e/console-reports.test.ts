import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DateTime } from 'luxon';
import type { Page } from 'playwright-core';
import { createInvoicingActivities, type CustomerPeriod, type IssuedInvoice } from '../../activities/invoicing';
import { createActivities } from '../../activities/ticket-activities';
import { ticketNumberAllocator } from '../../db/ticket-numbers';
import { pgUserStore } from '../../db/users';
import { newClock } from '../../domain/sla/clock';
import { DESK_ZONE } from '../../messages/desk-zone';
import { ticketWorkflowId, type TicketState } from '../../messages/ticket';
import { CONSOLE_PASSWORD, consoleInBrowser, expectAccessible, screenshot } from '../support/e2e/console';
import { contractsStartOn, eventually, type Stack } from '../support/e2e/stack';

// A whole stack starts in beforeAll: minutes on a loaded 2-core machine, not Jest's default 5 s.
jest.setTimeout(180_000);

interface ReportRow {
  month: string;
  priority: string;
  tickets: number;
  timeToRespond: { measured: number };
}

// Invoices, prepaid hours and the manager's report in Debian's Chromium, on the real stack (as console-browser.test.ts).
describe("the console's invoices, prepaid hours and the manager's report in a real browser", () => {
  const web = consoleInBrowser('console-reports');
  const { dir, signedIn } = web;
  let stack: Stack;
  let origin: string;
  const unique = randomUUID().slice(0, 8);
  const password = CONSOLE_PASSWORD;
  const maintenance = `maintenance-${unique}`;
  const slaCustomer = `strassen-${unique}`;
  const ana = `ana.${unique}@maintenance.test`;
  const mia = `mia.${unique}@desk.test`;
  const ines = `ines.${unique}@desk.test`;
  let contractId: string;
  let invoiceNumber: string;
  let breachedNumber: string;
  // The desk's year and month of instants the server recorded (a purchase, an opening), never of one the test read
  // once: a run crossing midnight at a month's or year's end would compare two.
  const deskTime = (iso: string) => DateTime.fromISO(iso, { zone: DESK_ZONE });
  let boughtYear: number;
  /** The SLA customer's opened P2 tickets per month of registration, as the report counts them. */
  const openedPerMonth = new Map<string, number>();

  beforeAll(async () => {
    ({ stack, origin } = web);
    const users = pgUserStore(stack.db);

    // A customer whose contract draws on prepaid hours, 10 h bought today and invoiced for the month they were bought in.
    await stack.accounts.createCustomer({ id: maintenance, name: 'Maintenance SA' });
    contractId = (
      await stack.accounts.createContract({
        customerId: maintenance,
        policyId: 'econnect-maintenance',
        startsOn: contractsStartOn(),
      })
    ).id;
    const bought = await stack.call(
      'POST',
      `/contracts/${contractId}/prepaid-hours`,
      { minutes: 600, description: '10 h for the year' },
      'admin',
    );
    expect(bought.status).toBe(201);
    const boughtAt = deskTime(bought.body.movements[0].at);
    boughtYear = boughtAt.year;
    const period: CustomerPeriod = {
      customerId: maintenance,
      periodStart: boughtAt.startOf('month').toISODate()!,
      periodEnd: boughtAt.endOf('month').toISODate()!,
    };
    const issued: IssuedInvoice | null = await new MockActivityEnvironment({
      workflowExecution: { workflowId: `invoicing-${unique}`, runId: 'run-1' },
    }).run(createInvoicingActivities({ db: stack.db }).createInvoice, period);
    invoiceNumber = issued!.number;
    await users.create({
      email: ana,
      name: 'Ana Lopes',
      role: 'customer',
      customerId: maintenance,
      language: 'en',
      password,
    });

    // An SLA customer with two tickets, one taken in charge, and a breached one in the read model.
    await stack.accounts.createCustomer({ id: slaCustomer, name: 'Strassen Telecom' });
    await stack.accounts.createContract({
      customerId: slaCustomer,
      policyId: 'mixvoip-entreprises',
      startsOn: contractsStartOn(),
    });
    const open = async (title: string) => {
      const answer = await stack.call('POST', '/tickets', {
        customerId: slaCustomer,
        title,
        description: 'x',
        priority: 'P2',
        contact: { name: 'Tom', email: 'tom@strassen.test' },
      });
      expect(answer.status).toBe(201);
      const month = deskTime(answer.body.openedAt).toFormat('yyyy-MM');
      openedPerMonth.set(month, (openedPerMonth.get(month) ?? 0) + 1);
      return answer.body.ticketNumber as string;
    };
    const taken = await open('Trunk down');
    await open('Voicemail full');
    expect((await stack.call('POST', `/tickets/${taken}/take-charge`, {})).status).toBe(200);
    const breached: TicketState = {
      ticketNumber: await ticketNumberAllocator(stack.db)(),
      customerId: slaCustomer,
      policyId: 'mixvoip-entreprises',
      policyVersion: 1,
      kind: 'incident',
      priority: 'P1',
      title: 'Switchboard down',
      description: 'x',
      contact: { name: 'Tom', email: 'tom@strassen.test' },
      status: 'support',
      assignee: 'Ines Agent',
      revision: 2,
      openedAt: Date.now() - 3_600_000,
      priorityConfirmed: true,
      clocks: [newClock('response'), newClock('intervention'), newClock('resolution')],
      slaBreached: true,
      thresholdGeneration: 1,
      notifiedThresholds: [],
      timeEntries: [],
      events: [],
    };
    breachedNumber = breached.ticketNumber;
    await new MockActivityEnvironment({
      workflowExecution: { workflowId: ticketWorkflowId(breachedNumber), runId: 'run-1' },
    }).run(createActivities({ db: stack.db }).recordTicketState, breached);
    // The read model follows the workflows: wait until it holds both opened tickets, in their months, and the one
    // taken in charge.
    await eventually(
      () => stack.call('GET', `/reports/sla?customer=${slaCustomer}`, undefined, 'manager'),
      (answer) => {
        const rows = ((answer.body.rows ?? []) as ReportRow[]).filter((row) => row.priority === 'P2');
        return (
          [...openedPerMonth].every(([month, tickets]) =>
            rows.some((row) => row.month === month && row.tickets === tickets),
          ) && rows.reduce((measured, row) => measured + row.timeToRespond.measured, 0) === 1
        );
      },
    );
    await users.create({ email: mia, name: 'Mia Manager', role: 'manager', language: 'en', password });
    await users.create({ email: ines, name: 'Ines Agent', role: 'agent', language: 'en', password });
  });

  async function download(page: Page, click: () => Promise<void>): Promise<{ name: string; body: Buffer }> {
    const [file] = await Promise.all([page.waitForEvent('download'), click()]);
    return { name: file.suggestedFilename(), body: fs.readFileSync(await file.path()) };
  }

  it('shows a customer its invoice, the document as sent and its PDF', async () => {
    const customer = await signedIn(ana);
    await customer.getByRole('link', { name: 'Invoices', exact: true }).click();
    await customer.waitForURL(`${origin}/console/invoices`);
    await expect(customer.getByRole('link', { name: invoiceNumber, exact: true }).count()).resolves.toBe(1);
    await expectAccessible(customer);
    await screenshot(customer, dir, 'invoices');

    await customer.getByRole('link', { name: invoiceNumber, exact: true }).click();
    await customer.waitForURL(`${origin}/console/invoices/${invoiceNumber}`);
    await expect(customer.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(`Invoice ${invoiceNumber}`);
    await expect(customer.getByRole('cell', { name: /10 h maintenance hours/ }).count()).resolves.toBe(1);
    await expectAccessible(customer);
    await screenshot(customer, dir, 'portal-invoice');

    const pdf = await download(customer, () => customer.getByRole('link', { name: 'Download the PDF' }).click());
    expect(pdf.name).toBe(`${invoiceNumber}.pdf`);
    expect(pdf.body.subarray(0, 5).toString()).toBe('%PDF-');

    // The document as the customer received it: its own page, under the API's policy for documents (no script at all).
    const document = await customer.goto(`${origin}/console/invoices/${invoiceNumber}/document`);
    expect(document?.status()).toBe(200);
    expect(document?.headers()['content-security-policy']).toBe(
      "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    );
    expect(await customer.content()).toContain('10 h maintenance hours');

    // Another company's invoice, or none, by its URL: the API's 404.
    expect((await customer.goto(`${origin}/console/invoices/INV-1999-999999`))?.status()).toBe(404);
    expect((await customer.goto(`${origin}/console/invoices/INV-1999-999999/pdf`))?.status()).toBe(404);
  });

  it('shows a customer its prepaid hours: bought, used, expired, left and each movement', async () => {
    const customer = await signedIn(ana);
    await customer.getByRole('link', { name: 'Prepaid hours' }).click();
    await customer.waitForURL(`${origin}/console/prepaid-hours`);
    await expect(customer.getByRole('heading', { level: 2 }).first().textContent()).resolves.toBe(
      `Contract ${contractId} · econnect-maintenance`,
    );
    const tile = (label: string) =>
      customer
        .locator('.tiles div')
        .filter({ has: customer.getByText(label, { exact: true }) })
        .locator('dd')
        .textContent();
    await expect(tile('Bought')).resolves.toBe('10 h');
    await expect(tile('Used')).resolves.toBe('0 min');
    // The balance is of the year the page was shown in, and hours are valid in the year they were bought only: left,
    // unless a year's end fell between the purchase and the page.
    const balanceYear = Number(
      /^Left for (\d{4})$/.exec((await customer.locator('.tiles .balance dt').textContent())!)![1],
    );
    expect(balanceYear).toBeGreaterThanOrEqual(boughtYear);
    expect(balanceYear).toBeLessThanOrEqual(DateTime.now().setZone(DESK_ZONE).year);
    await expect(tile(`Left for ${balanceYear}`)).resolves.toBe(balanceYear === boughtYear ? '10 h' : '0 min');
    await expect(customer.getByRole('link', { name: invoiceNumber }).count()).resolves.toBe(1);
    await expectAccessible(customer);
    await screenshot(customer, dir, 'portal-prepaid-hours');
    const phone = await signedIn(ana, { width: 390, height: 844 });
    await phone.goto(`${origin}/console/prepaid-hours`);
    await expectAccessible(phone);
  });

  it('shows a manager the report as charts with tables, breaches per agent and customer, and the rows as CSV', async () => {
    const manager = await signedIn(mia);
    await manager.getByRole('link', { name: 'SLA report' }).click();
    await manager.waitForURL(`${origin}/console/reports`);
    await manager.getByLabel('Customer').fill(slaCustomer);
    await manager.getByRole('button', { name: 'Filter' }).click();
    await manager.waitForURL(`${origin}/console/reports?from=&to=&customer=${slaCustomer}&priority=`);
    await expect(manager.locator('svg.chart').count()).resolves.toBe(5);
    await expect(manager.getByRole('figure', { name: 'Share met: response' }).count()).resolves.toBe(1);
    await expect(
      manager.getByRole('figure', { name: 'Time to respond (business minutes)' }).getByRole('row').count(),
    ).resolves.toBeGreaterThan(1);
    const perAgent = manager.getByRole('table', { name: 'Per agent' });
    await expect(perAgent.getByRole('row', { name: /Ines Agent/ }).textContent()).resolves.toMatch(
      /Ines Agent\s*1\s*0/,
    );
    await expect(
      manager
        .getByRole('table', { name: 'Per customer' })
        .getByRole('row', { name: new RegExp(slaCustomer) })
        .count(),
    ).resolves.toBe(1);
    await expect(manager.getByRole('link', { name: breachedNumber }).count()).resolves.toBe(1);
    await expectAccessible(manager);
    await screenshot(manager, dir, 'reports');

    const csv = await download(manager, () => manager.getByRole('link', { name: 'Download the rows as CSV' }).click());
    expect(csv.name).toBe(`vigil-sla-${slaCustomer}.csv`);
    const lines = csv.body
      .toString('utf8')
      .replace(/^\ufeff/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toMatch(/^month,customer_id,priority,tickets,response_with_target,/);
    // A row per month the tickets were registered in: one, unless a month's end fell between the two openings.
    for (const [month, tickets] of openedPerMonth)
      expect(lines.slice(1).some((line) => line.startsWith(`${month},${slaCustomer},P2,${tickets},`))).toBe(true);

    await manager.getByRole('link', { name: 'Français' }).click();
    await expect(manager.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Rapport SLA');
    await expectAccessible(manager);

    const phone = await signedIn(mia, { width: 390, height: 844 });
    await phone.goto(`${origin}/console/reports?customer=${slaCustomer}`);
    await expectAccessible(phone);
    await screenshot(phone, dir, 'reports-phone');
  });

  it('refuses the report to an agent, page and CSV alike, and offers no link to it', async () => {
    const agent = await signedIn(ines);
    await expect(agent.getByRole('link', { name: 'SLA report' }).count()).resolves.toBe(0);
    const page = await agent.goto(`${origin}/console/reports`);
    expect(page?.status()).toBe(403);
    await expect(agent.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Not allowed');
    await expectAccessible(agent);
    expect((await agent.goto(`${origin}/console/reports/sla.csv`))?.status()).toBe(403);
  });
});
