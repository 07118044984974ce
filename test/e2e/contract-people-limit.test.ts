import { randomUUID } from 'node:crypto';
import { runVigil } from '../../cli/run';
import { type Stack, contractsStartOn, e2eEnv, startStack } from '../support/e2e/stack';

jest.setTimeout(90_000);

// Care Solutions' "max trois intervenants" (3 people on remote assistance, in the care-solutions preset) is a count a contract may set
// for itself, which the ticket keeps for life, as it keeps its policy version; the services counted stay the policy's.
describe("a contract's own people limit, end to end", () => {
  let stack: Stack;
  const call: Stack['call'] = (...args) => stack.call(...args);
  const contact = { name: 'Ana Lopes', email: 'ana@people-limit.lu' };
  const contractOf = (policyId: string, maxPeoplePerTicket: number) => ({
    policyId,
    startsOn: contractsStartOn(),
    authorizedContacts: [{ ...contact, outOfHours: true }],
    maxPeoplePerTicket,
  });

  /** A person's own agent key: who logs time is who is authenticated. */
  const keyOf = async (label: string) => ({
    token: (await stack.accounts.createApiKey({ role: 'agent', label })).token,
  });
  const entry = (minutes: number, service: string) => {
    const end = Date.now() - 60_000;
    return { start: new Date(end - minutes * 60_000).toISOString(), end: new Date(end).toISOString(), service };
  };

  beforeAll(async () => {
    stack = await startStack('contract-people-limit');
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('limits the people of the ticket opened under it, on the policy’s services, and is refused where the policy has no limit', async () => {
    const customerId = `people-limit-${randomUUID().slice(0, 8)}`;
    await stack.accounts.createCustomer({ id: customerId, name: 'People Limit SA' });
    const noLimit = await call(
      'POST',
      `/admin/customers/${customerId}/contracts`,
      { ...contractOf('esker', 2) },
      'admin',
    );
    expect([noLimit.status, noLimit.body.errors?.[0]?.field]).toEqual([422, 'body.maxPeoplePerTicket']);

    const saved = await call(
      'POST',
      `/admin/customers/${customerId}/contracts`,
      contractOf('care-solutions', 1),
      'admin',
    );
    expect([saved.status, saved.body.maxPeoplePerTicket]).toEqual([201, 1]);

    const opened = await call('POST', '/tickets', {
      customerId,
      priority: 'P3',
      title: 'Outlook profile',
      description: 'Outlook asks for the password.',
      contact,
    });
    expect(opened.status).toBe(201);
    const number = opened.body.ticketNumber as string;
    expect((await call('POST', `/tickets/${number}/take-charge`, {})).status).toBe(200);

    const [marc, julie] = [await keyOf(`marc ${customerId}`), await keyOf(`julie ${customerId}`)];
    expect((await call('POST', `/tickets/${number}/time-entries`, entry(20, 'remote-assistance'), marc)).status).toBe(
      200,
    );
    // One person, not the policy's three: the second is refused on remote assistance...
    const second = await call('POST', `/tickets/${number}/time-entries`, entry(10, 'remote-assistance'), julie);
    expect([second.status, second.body.code]).toEqual([409, 'TOO_MANY_PEOPLE']);
    expect(second.body).toMatchObject({
      maxPeople: 1,
      people: [`marc ${customerId}`],
      services: ['remote-assistance'],
    });
    // ...and not on a service the policy does not count.
    expect((await call('POST', `/tickets/${number}/time-entries`, entry(10, 'settings'), julie)).status).toBe(200);
  });

  it('vigil admin contracts add --max-people saves it and contracts list shows it', async () => {
    const vigil = (...argv: string[]) => runVigil(['admin', ...argv], { DATABASE_URL: e2eEnv().databaseUrl });
    const customer = `people-cli-${randomUUID().slice(0, 8)}`;
    expect((await vigil('customers', 'add', '--id', customer, '--name', 'People CLI')).exitCode).toBe(0);
    const contract = ['contracts', 'add', '--customer', customer, '--starts', contractsStartOn()];
    const refused = await vigil(...contract, '--policy', 'esker', '--max-people', '2');
    expect([refused.exitCode, refused.stderr]).toEqual([2, expect.stringContaining('--max-people')]);
    const added = await vigil(...contract, '--policy', 'care-solutions', '--max-people', '2');
    expect([added.exitCode, added.stderr]).toEqual([0, '']);
    expect((await vigil('contracts', 'list', '--customer', customer)).stdout).toContain('at most 2 people per ticket');
  });
});
