import { randomUUID } from 'node:crypto';
import { runVigil } from '../../cli/run';
import { type Stack, contractsStartOn, e2eEnv, startStack } from '../support/e2e/stack';

jest.setTimeout(90_000);

// e-connect's "cadre d'une journée" is a reading (480 logged minutes in e-connect's presets): a contract may set its
// own, which the ticket keeps for life, as it keeps its policy version.
describe("a contract's own quote limit, end to end", () => {
  let stack: Stack;
  const call: Stack['call'] = (...args) => stack.call(...args);
  const admin = 'admin' as const;
  const contact = { name: 'Ana Lopes', email: 'ana@quote-limit.lu' };
  const contractOf = (policyId: string, quoteRequiredAboveMinutes: number) => ({
    policyId,
    startsOn: contractsStartOn(),
    authorizedContacts: [{ ...contact, outOfHours: true }],
    escalationContacts: [
      { level: 'desk', name: 'Desk', email: 'desk@e-connect.lu' },
      { level: 'emergency-escalation', name: 'Paul Weber', email: 'paul@quote-limit.lu' },
    ],
    quoteRequiredAboveMinutes,
  });

  beforeAll(async () => {
    stack = await startStack('contract-quote-limit');
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('moves the quote gate of the ticket opened under it, and is refused where the policy has no gate', async () => {
    const customerId = `quote-limit-${randomUUID().slice(0, 8)}`;
    await stack.accounts.createCustomer({ id: customerId, name: 'Quote Limit SA' });
    const noGate = await call(
      'POST',
      `/admin/customers/${customerId}/contracts`,
      { ...contractOf('esker', 120), escalationContacts: [] },
      admin,
    );
    expect([noGate.status, noGate.body.errors?.[0]?.field]).toEqual([422, 'body.quoteRequiredAboveMinutes']);

    const saved = await call('POST', `/admin/customers/${customerId}/contracts`, contractOf('econnect', 120), admin);
    expect([saved.status, saved.body.quoteRequiredAboveMinutes]).toEqual([201, 120]);

    const opened = await call('POST', '/tickets', {
      customerId,
      priority: 'P3',
      title: 'Server migration',
      description: 'Move the mail server.',
      contact,
    });
    expect(opened.status).toBe(201);
    const number = opened.body.ticketNumber as string;
    expect((await call('POST', `/tickets/${number}/take-charge`, {})).status).toBe(200);
    const hours = (from: string, to: string) => ({
      start: `2026-11-02T${from}:00+01:00`,
      end: `2026-11-02T${to}:00+01:00`,
    });
    expect((await call('POST', `/tickets/${number}/time-entries`, hours('09:00', '10:30'))).status).toBe(200);
    const beyond = await call('POST', `/tickets/${number}/time-entries`, hours('11:00', '12:00'));
    expect([beyond.status, beyond.body.code]).toEqual([409, 'QUOTE_REQUIRED']);
    expect(beyond.body).toMatchObject({ allowedMinutes: 120, loggedMinutes: 90, minutesLeft: 30 });
  });

  it('vigil admin contracts add --quote-above-minutes saves it and contracts list shows it', async () => {
    const vigil = (...argv: string[]) => runVigil(['admin', ...argv], { DATABASE_URL: e2eEnv().databaseUrl });
    const customer = `quote-cli-${randomUUID().slice(0, 8)}`;
    expect((await vigil('customers', 'add', '--id', customer, '--name', 'Quote CLI')).exitCode).toBe(0);
    const contract = [
      'contracts',
      'add',
      '--customer',
      customer,
      '--policy',
      'econnect',
      '--starts',
      contractsStartOn(),
    ];
    const escalation = [
      '--escalation-contact',
      'desk:Desk <desk@e-connect.lu>',
      '--escalation-contact',
      'emergency-escalation:Paul <paul@quote-cli.lu>',
    ];
    const refused = await vigil(...contract, ...escalation, '--quote-above-minutes', '0');
    expect([refused.exitCode, refused.stderr]).toEqual([
      2,
      'vigil: --quote-above-minutes: "0" is not a whole number of at least 1\n',
    ]);
    const added = await vigil(...contract, ...escalation, '--quote-above-minutes', '240');
    expect([added.exitCode, added.stderr]).toEqual([0, '']);
    expect((await vigil('contracts', 'list', '--customer', customer)).stdout).toContain('quote above 240 min');
  });
});
