import { randomUUID } from 'node:crypto';
import { runVigil } from '../../cli/run';
import { type Stack, contractsStartOn, e2eEnv, eventually, startStack } from '../support/e2e/stack';

jest.setTimeout(60_000);

const HOUR = 3_600_000;

// A contract changes the e-connect emergency target: through the admin API and `vigil admin contracts`, validated,
// and carried to the tickets opened under it.
describe("a contract's emergency response target", () => {
  let stack: Stack;
  const customer = `emergency-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    stack = await startStack('emergency-contract');
  });

  afterAll(async () => {
    await stack?.stop();
  });

  async function call(method: 'GET' | 'POST', path: string, body?: unknown) {
    const response = await fetch(`${stack.baseUrl}${path}`, {
      method,
      headers: { ...stack.auth('admin'), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  }

  const contract = () => ({
    policyId: 'econnect',
    startsOn: contractsStartOn(),
    escalationContacts: [{ level: 'emergency-escalation', name: 'Cleo Marx', email: 'cleo@acme.lu' }],
    emergencyResponseTarget: { amount: 3, unit: 'calendarHours' },
  });

  it('is set through the admin API, shown, and runs the emergencies opened under the contract', async () => {
    expect((await call('POST', '/admin/customers', { id: customer, name: 'Acme Emergencies' })).status).toBe(201);
    const created = await call('POST', `/admin/customers/${customer}/contracts`, contract());
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject(contract());
    expect((await call('GET', `/admin/contracts/${created.body.id}`)).body).toEqual(created.body);

    const opened = await call('POST', '/tickets', {
      customerId: customer,
      channel: 'emergency',
      title: 'Site down',
      description: 'The web shop answers 502.',
      contact: { name: 'Ana Lopes', email: 'ana@acme.lu' },
    });
    expect(opened.status).toBe(201);
    const view = await eventually(
      () => call('GET', `/tickets/${opened.body.ticketNumber}`),
      ({ status, body }) => status === 200 && body.status === 'acknowledgement',
    );
    const openedAt = Date.parse(view.body.openedAt as string);
    const response = view.body.clocks[0] as Record<string, any>;
    expect(response).toMatchObject({
      metric: 'response',
      state: 'running',
      deadline: new Date(openedAt + 3 * HOUR).toISOString(),
    });
    expect(response.thresholds.map((threshold: Record<string, unknown>) => [threshold.percent, threshold.at])).toEqual([
      [50, new Date(openedAt + 1.5 * HOUR).toISOString()],
      [75, new Date(openedAt + 2.25 * HOUR).toISOString()],
      [100, new Date(openedAt + 3 * HOUR).toISOString()],
    ]);
    expect(response.elapsedMs + response.remainingMs).toBe(3 * HOUR);
  });

  it.each([
    [{ emergencyResponseTarget: { amount: 2, unit: 'businessHours' } }, 'body.emergencyResponseTarget.unit'],
    [{ emergencyResponseTarget: { amount: 25, unit: 'calendarHours' } }, 'body.emergencyResponseTarget.amount'],
    [{ emergencyResponseTarget: { amount: 1.5, unit: 'calendarHours' } }, 'body.emergencyResponseTarget.amount'],
    [{ policyId: 'esker', escalationContacts: [] }, 'body.emergencyResponseTarget'],
  ])('refuses %j with a 422 naming %s, and adds nothing', async (change, field) => {
    const before = await stack.accounts.listContracts(customer);
    const refused = await call('POST', `/admin/customers/${customer}/contracts`, { ...contract(), ...change });
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    expect(await stack.accounts.listContracts(customer)).toEqual(before);
  });

  it('is set with `vigil admin contracts add --emergency-response-hours`, and refused out of range naming the flag', async () => {
    const vigil = (...argv: string[]) =>
      runVigil(['admin', 'contracts', ...argv], { DATABASE_URL: e2eEnv().databaseUrl });
    const added = await vigil(
      'add',
      '--customer',
      customer,
      '--policy',
      'econnect-maintenance',
      '--starts',
      '2030-01-01',
      '--emergency-response-hours',
      '2',
      '--json',
    );
    expect(added).toMatchObject({ exitCode: 0, stderr: '' });
    expect(JSON.parse(added.stdout)).toMatchObject({
      policyId: 'econnect-maintenance',
      emergencyResponseTarget: { amount: 2, unit: 'calendarHours' },
    });
    expect((await vigil('list', '--customer', customer)).stdout).toMatch(
      /econnect-maintenance .*\temergency response 2 h\n/,
    );

    expect(
      await vigil(
        'add',
        '--customer',
        customer,
        '--policy',
        'econnect',
        '--starts',
        '2030-01-01',
        '--emergency-response-hours',
        '30',
      ),
    ).toEqual({
      exitCode: 2,
      stdout: '',
      stderr: expect.stringMatching(/^vigil: --emergency-response-hours: .*from 1 to 24, got 30/),
    });
    expect(
      await vigil(
        'add',
        '--customer',
        customer,
        '--policy',
        'tm-minimum',
        '--starts',
        '2030-01-01',
        '--emergency-response-hours',
        '2',
      ),
    ).toEqual({
      exitCode: 2,
      stdout: '',
      stderr: expect.stringMatching(
        /^vigil: --emergency-response-hours: policy "tm-minimum" v1 gives the emergency channel no response clock/,
      ),
    });
  });
});
