import { randomUUID } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createInvoicingActivities, type IssuedInvoice } from '../../activities/invoicing';
import { ticketNumberAllocator } from '../../db/ticket-numbers';
import { brokenRules, validateEInvoices } from '../support/invoicing/mustang';
import { type Stack, startStack } from '../support/e2e/stack';

jest.setTimeout(240_000);

const POISON = `<b onmouseover=alert(1)>wrong</b> & "rate"`;

// Credit notes through the real API and PostgreSQL, against an invoice the invoicing activity issued.
describe('credit notes', () => {
  let stack: Stack;
  let invoice: IssuedInvoice;
  const customerId = `credit-${randomUUID().slice(0, 8)}`;

  const api = (path: string, init: RequestInit & { role?: 'admin' | 'agent' | 'manager' } = {}) =>
    fetch(`${stack.baseUrl}${path}`, {
      ...init,
      headers: { ...stack.auth(init.role ?? 'admin'), 'content-type': 'application/json' },
    });
  const credit = (body: unknown, role: 'admin' | 'agent' | 'manager' = 'manager') =>
    api(`/invoices/${invoice.number}/credit-notes`, { method: 'POST', body: JSON.stringify(body), role });

  beforeAll(async () => {
    stack = await startStack('credit-notes');
    const created = await api('/admin/customers', {
      method: 'POST',
      body: JSON.stringify({
        id: customerId,
        name: 'Brasserie',
        language: 'nl',
        billing: {
          legalName: 'Brasserie NV',
          street: 'Grote Markt 1',
          postalCode: '1000',
          city: 'Brussel',
          country: 'BE',
          vatNumber: 'BE0403170701',
          email: 'facturen@brasserie.be',
        },
      }),
    });
    expect(created.status).toBe(201);
    const number = await ticketNumberAllocator(stack.db)();
    await stack.db.query(
      `INSERT INTO tickets (number, workflow_id, customer_id, policy_id, kind, priority, status, title, contact_email, opened_at, revision, snapshot)
       VALUES ($1, $2, $3, 'econnect', 'incident', 'P3', 'closed', 'Printer down', 'ana@example.be', '2031-11-04T09:00:00+01:00', 1, '{}')`,
      [number, `ticket-${number}`, customerId],
    );
    for (let line = 1; line <= 8; line += 1) {
      await stack.db.query(
        `INSERT INTO billing_lines (idempotency_key, ticket_number, customer_id, description, minutes, rate_cents, multiplier, amount_cents, created_at)
         VALUES ($1, $2, $3, $4, 15, 10000, 1, $5, '2031-11-05T10:00:00+01:00')`,
        [randomUUID(), number, customerId, `${number}: intervention ${line}`, 2500 + line],
      );
    }
    const issued = await new MockActivityEnvironment({
      workflowExecution: { workflowId: `invoicing-${randomUUID()}`, runId: 'run-1' },
    }).run(
      createInvoicingActivities({ db: stack.db }).createInvoice,
      // A quarter after every period other test files invoice (the e2e database is shared: see invoice-countries).
      { customerId, periodStart: '2031-10-01', periodEnd: '2031-12-31' },
    );
    invoice = issued as IssuedInvoice;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('refuses a reason it would print that is zero-width characters alone or more than one line, naming it', async () => {
    for (const reason of ['\u200b\u200d\ufeff', 'wrong rate\u2028Bcc: x@evil.test']) {
      const refused = await credit({ reason, lines: [1] });
      expect([
        refused.status,
        ((await refused.json()) as { errors: Array<{ field: string }> }).errors.map((error) => error.field),
      ]).toEqual([422, ['body.reason']]);
    }
  });

  it('cancels chosen lines, once each, in a gap-free sequence of its own even when issued concurrently', async () => {
    const first = await credit({ reason: POISON, lines: [2] });
    expect(first.status).toBe(201);
    const note = (await first.json()) as {
      number: string;
      positions: number[];
      netCents: number;
      vatCents: number;
      grossCents: number;
      links: Record<string, string>;
    };
    expect(note).toMatchObject({
      number: expect.stringMatching(/^CN-\d{4}-\d{6}$/),
      positions: [2],
      netCents: 2502,
      vatCents: 0,
      grossCents: 2502,
    });
    expect(first.headers.get('location')).toBe(`/v1/credit-notes/${note.number}`);

    const again = await credit({ reason: 'twice', lines: [2] });
    expect([again.status, ((await again.json()) as { type: string }).type]).toEqual([
      409,
      'https://vigil.dev/problems/already-credited',
    ]);
    const outOfRange = await credit({ reason: 'no such line', lines: [9] });
    expect([
      outOfRange.status,
      ((await outOfRange.json()) as { errors: Array<{ field: string }> }).errors[0]!.field,
    ]).toEqual([422, 'body.lines.0']);
    expect((await credit({ reason: 'agents do not credit', lines: [1] }, 'agent')).status).toBe(403);

    // Five lines credited at once, one request each: five notes, numbered one after the other.
    const concurrent = await Promise.all(
      [1, 3, 4, 5, 6].map((line) => credit({ reason: `line ${line}`, lines: [line] })),
    );
    expect(concurrent.map((response) => response.status)).toEqual([201, 201, 201, 201, 201]);
    const numbers = (
      await Promise.all(concurrent.map(async (response) => ((await response.json()) as { number: string }).number))
    )
      .map((n) => Number(n.slice(-6)))
      .sort((a, b) => a - b);
    const firstNumber = Number(note.number.slice(-6));
    expect(numbers).toEqual([1, 2, 3, 4, 5].map((offset) => firstNumber + offset));

    // The rest in full, twice at once: one credits lines 7 and 8, the other finds nothing left.
    const rest = await Promise.all([credit({ reason: 'the rest' }), credit({ reason: 'the rest' })]);
    expect(rest.map((response) => response.status).sort()).toEqual([201, 409]);
    const { rows } = await stack.db.query<{ positions: number[] }>(
      'SELECT positions FROM credit_notes JOIN invoices ON invoices.id = invoice_id WHERE invoices.number = $1',
      [invoice.number],
    );
    expect(rows.flatMap((row) => row.positions).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('reads as a credit note in the customer language, and its UBL and Factur-X pass the validators', async () => {
    const [{ number }] = (
      await stack.db.query<{ number: string }>(
        'SELECT credit_notes.number FROM credit_notes JOIN invoices ON invoices.id = invoice_id WHERE invoices.number = $1 ORDER BY credit_notes.number LIMIT 1',
        [invoice.number],
      )
    ).rows as [{ number: string }];
    const html = await (await api(`/credit-notes/${number}/html`)).text();
    for (const mention of [
      `Creditnota ${number}`,
      `Gecrediteerde factuur</dt><dd>${invoice.number}`,
      '&lt;b onmouseover=alert(1)&gt;wrong&lt;/b&gt; &amp; &quot;rate&quot;',
      'Btw verlegd',
      'Brasserie NV',
    ])
      expect(html).toContain(mention);
    expect(html).not.toContain('<b onmouseover');
    const ubl = Buffer.from(await (await api(`/credit-notes/${number}/ubl`)).arrayBuffer());
    expect(ubl.toString('utf8')).toContain(`<cac:InvoiceDocumentReference>`);
    const facturx = Buffer.from(await (await api(`/credit-notes/${number}/facturx`)).arrayBuffer());
    const pdf = await api(`/credit-notes/${number}/pdf`);
    expect([pdf.status, pdf.headers.get('content-type')]).toEqual([200, 'application/pdf']);
    const verdicts = await validateEInvoices([
      { name: 'CN.xml', body: ubl },
      { name: 'CN.pdf', body: facturx },
    ]);
    expect(
      verdicts.map(({ name, valid, report }) => ({ name, valid, broken: valid ? [] : brokenRules(report) })),
    ).toEqual([
      { name: 'CN.xml', valid: true, broken: [] },
      { name: 'CN.pdf', valid: true, broken: [] },
    ]);
  });
});
