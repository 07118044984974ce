import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, runVigil } from '../../cli/run';
import { ticketWorkflowId, type TicketState } from '../../messages/ticket';
import { type Stack, contractsStartOn, e2eEnv, startStack } from '../support/e2e/stack';

jest.setTimeout(90_000);

// The tm-minimum preset: the price "est défini par les CIV". A tm-minimum contract saved through the admin API at 80 EUR/h instead
// of the policy's 100: the closed ticket bills at 80 and its line says the rate is the contract's, as vigil price does.
describe("a contract's own rates, end to end (tm-minimum at 80 EUR/h)", () => {
  let stack: Stack;
  let customerId: string;
  let customerToken: string;

  beforeAll(async () => {
    stack = await startStack('contract-rates');
    customerId = `rates-${randomUUID().slice(0, 8)}`;
    await stack.accounts.createCustomer({ id: customerId, name: 'Rates Customer' });
    customerToken = (await stack.accounts.createApiKey({ role: 'customer', customerId, label: 'e2e rates customer' }))
      .token;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const call: Stack['call'] = (...args) => stack.call(...args);

  it('is refused for a figure the policy has none of, saved and shown otherwise, and billed at 80 with the line saying so', async () => {
    const admin = 'admin' as const;
    const contract = {
      policyId: 'tm-minimum',
      startsOn: contractsStartOn(),
      authorizedContacts: [{ name: 'Ana Lopes', email: 'ana@rates.lu' }],
    };
    const refused = await call(
      'POST',
      `/admin/customers/${customerId}/contracts`,
      { ...contract, rates: { hourlyCentsByRole: { technician: 8000 } } },
      admin,
    );
    expect(refused.status).toBe(422);
    expect(JSON.stringify(refused.body)).toContain('rates.hourlyCentsByRole');

    const created = await call(
      'POST',
      `/admin/customers/${customerId}/contracts`,
      { ...contract, rates: { hourlyCents: 8000 } },
      admin,
    );
    expect([created.status, created.body.rates]).toEqual([201, { hourlyCents: 8000 }]);
    expect((await call('GET', `/admin/contracts/${created.body.id as string}`, undefined, admin)).body.rates).toEqual({
      hourlyCents: 8000,
    });

    const opened = await call('POST', '/tickets', {
      customerId,
      priority: 'P3',
      title: 'Mailbox full',
      description: 'The mailbox no longer receives mail.',
      contact: { name: 'Ana Lopes', email: 'ana@rates.lu' },
    });
    expect(opened.status).toBe(201);
    const number = opened.body.ticketNumber as string;
    expect((await call('POST', `/tickets/${number}/take-charge`, { agent: 'marc' })).status).toBe(200);
    const entries = [{ start: '2026-05-13T10:00:00+02:00', end: '2026-05-13T10:30:00+02:00' }];
    expect((await call('POST', `/tickets/${number}/time-entries`, { agent: 'marc', ...entries[0] })).status).toBe(200);
    expect(
      (await call('POST', `/tickets/${number}/propose-resolution`, { agent: 'marc', resolution: 'Archived old mail' }))
        .status,
    ).toBe(200);
    expect(
      (await call('POST', `/tickets/${number}/validate`, { contact: 'ana@rates.lu' }, { token: customerToken })).status,
    ).toBe(200);
    const final = (await stack.temporal.workflow.getHandle(ticketWorkflowId(number)).result()) as TicketState;

    // 30 minutes at 80 EUR/h: 4 000 cents, not the policy's 5 000.
    const line = {
      description: 'Intervention 1, 2026-05-13 10:00–10:30, contract rate',
      minutes: 30,
      rateCents: 8000,
      multiplier: 1,
      amountCents: 4000,
    };
    expect(final.billing).toEqual({ lines: [line], totalCents: 4000 });
    const { rows } = await stack.db.query(
      'SELECT description, rate_cents, amount_cents FROM billing_lines WHERE ticket_number = $1 ORDER BY id',
      [number],
    );
    expect(rows.map((row) => [row.description, Number(row.rate_cents), Number(row.amount_cents)])).toEqual([
      [`${number}: ${line.description}`, 8000, 4000],
    ]);

    // vigil price with the same rates file bills the same line.
    const dir = mkdtempSync(join(tmpdir(), 'vigil-rates-e2e-'));
    writeFileSync(join(dir, 'entries.json'), JSON.stringify({ items: entries }));
    writeFileSync(join(dir, 'rates.json'), JSON.stringify({ hourlyCents: 8000 }));
    const priced = runCli([
      'price',
      '--policy',
      'tm-minimum',
      '--entries',
      join(dir, 'entries.json'),
      '--contract-rates',
      join(dir, 'rates.json'),
      '--json',
    ]);
    expect([priced.exitCode, priced.stderr]).toEqual([0, '']);
    expect(JSON.parse(priced.stdout)).toEqual(final.billing);
  });

  it('vigil admin contracts add --rates saves them, checked against the policy, and contracts list shows them', async () => {
    const vigil = (...argv: string[]) => runVigil(['admin', ...argv], { DATABASE_URL: e2eEnv().databaseUrl });
    const dir = mkdtempSync(join(tmpdir(), 'vigil-rates-cli-'));
    const customer = `rates-cli-${randomUUID().slice(0, 8)}`;
    expect((await vigil('customers', 'add', '--id', customer, '--name', 'Rates CLI')).exitCode).toBe(0);
    const add = (rates: unknown) => {
      const file = join(dir, `${randomUUID()}.json`);
      writeFileSync(file, JSON.stringify(rates));
      return vigil(
        'contracts',
        'add',
        '--customer',
        customer,
        '--policy',
        'mixvoip-standard',
        '--starts',
        contractsStartOn(),
        '--rates',
        file,
        '--json',
      );
    };
    const refused = await add({ hourlyCentsByRole: { plumber: 8000 } });
    expect([refused.exitCode, refused.stdout]).toEqual([2, '']);
    expect(refused.stderr).toMatch(/^vigil: --rates \/hourlyCentsByRole\/plumber: the policy bills no role "plumber"/);

    const rates = { hourlyCentsByRole: { technician: 9000 }, travel: { hourlyCents: 9000 }, outOfHoursPercent: 175 };
    const added = await add(rates);
    expect([added.exitCode, added.stderr]).toEqual([0, '']);
    expect(JSON.parse(added.stdout).rates).toEqual(rates);
    const listed = await vigil('contracts', 'list', '--customer', customer);
    // jsonb keeps its own key order: the figures, not the text, are compared.
    expect(JSON.parse(/\tcontract rates (\{.*\})\n$/.exec(listed.stdout)?.[1] ?? 'null')).toEqual(rates);
    expect(JSON.parse((await vigil('contracts', 'list', '--customer', customer, '--json')).stdout)[0].rates).toEqual(
      rates,
    );
  });
});
