import type { Caller } from '../support/api/harness';
import { apiHarness, expectProblem } from '../support/api/harness';

describe('GET /v1/contracts: the contracts in force today', () => {
  let harness: Awaited<ReturnType<typeof apiHarness>>;
  let acme: string;
  let globex: string;

  beforeAll(async () => {
    harness = await apiHarness();
    ({
      acme: { id: acme },
      globex: { id: globex },
    } = harness.contracts);
    // Ended before today (13 May 2026) and starting after it: neither is in force.
    await harness.accounts.createContract({
      customerId: 'acme',
      policyId: 'econnect',
      startsOn: '2025-01-01',
      endsOn: '2025-12-31',
    });
    await harness.accounts.createContract({ customerId: 'acme', policyId: 'econnect', startsOn: '2026-06-01' });
  });

  const acmeView = () => ({
    id: acme,
    customerId: 'acme',
    policyId: 'econnect',
    startsOn: '2026-01-01',
    invoicingFrequency: expect.any(String),
    links: { prepaidHours: `/v1/contracts/${acme}/prepaid-hours` },
  });

  it("shows a customer its own company's contract in force, with the id its prepaid hours are kept under, and nothing of the admin's record", async () => {
    const response = await harness.call('acme', 'GET', '/v1/contracts');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ on: '2026-05-13', contracts: [acmeView()] });
    expect(response.body).not.toContain('ana@acme.lu');
    expect((await harness.call('acme', 'GET', '/v1/contracts?customer=acme')).json()).toEqual(response.json());
    expect(
      (await harness.call('globex', 'GET', '/v1/contracts')).json().contracts.map(({ id }: { id: string }) => id),
    ).toEqual([globex]);
  });

  it("answers 403 to a customer asking for another company's contracts, as every list does", async () => {
    const response = await harness.call('acme', 'GET', '/v1/contracts?customer=globex');
    expectProblem(response, 403, 'forbidden');
    expect(response.body).not.toContain('esker');
  });

  it.each(['admin', 'agent', 'manager'] as Caller[])('shows a %s every customer, or the one named', async (caller) => {
    const all = await harness.call(caller, 'GET', '/v1/contracts');
    expect(all.json().contracts).toEqual([
      acmeView(),
      expect.objectContaining({ id: globex, customerId: 'globex', policyId: 'esker', policyVersion: 1 }),
    ]);
    expect(
      (await harness.call(caller, 'GET', '/v1/contracts?customer=globex'))
        .json()
        .contracts.map(({ id }: { id: string }) => id),
    ).toEqual([globex]);
    expect((await harness.call(caller, 'GET', '/v1/contracts?customer=nobody')).json().contracts).toEqual([]);
  });

  it('answers 401 without a key and 422 naming a parameter it does not know', async () => {
    expectProblem(await harness.call(undefined, 'GET', '/v1/contracts'), 401, 'unauthorized');
    expectProblem(
      await harness.call('manager', 'GET', '/v1/contracts?policy=econnect'),
      422,
      'invalid-request',
      'querystring.policy',
    );
  });

  it("still answers 404 to a customer reaching another company's prepaid hours by the id it cannot list", async () => {
    expectProblem(await harness.call('acme', 'GET', `/v1/contracts/${globex}/prepaid-hours`), 404, 'not-found');
    expect((await harness.call('acme', 'GET', `/v1/contracts/${acme}/prepaid-hours`)).statusCode).toBe(200);
  });
});

describe("GET /v1/customers: customers' names", () => {
  let harness: Awaited<ReturnType<typeof apiHarness>>;

  beforeAll(async () => (harness = await apiHarness()));

  it.each(['admin', 'agent', 'manager'] as Caller[])(
    'gives a %s every customer by id with its name and nothing else, or the one named',
    async (caller) => {
      const all = await harness.call(caller, 'GET', '/v1/customers');
      expect(all.statusCode).toBe(200);
      expect(all.json()).toEqual({
        customers: [
          { id: 'acme', name: 'Acme' },
          { id: 'globex', name: 'Globex' },
        ],
      });
      expect((await harness.call(caller, 'GET', '/v1/customers?customer=globex')).json()).toEqual({
        customers: [{ id: 'globex', name: 'Globex' }],
      });
      expect((await harness.call(caller, 'GET', '/v1/customers?customer=nobody')).json()).toEqual({ customers: [] });
    },
  );

  it("gives a customer its own company's name only; another's is 403, as every list", async () => {
    expect((await harness.call('acme', 'GET', '/v1/customers')).json()).toEqual({
      customers: [{ id: 'acme', name: 'Acme' }],
    });
    expectProblem(await harness.call('acme', 'GET', '/v1/customers?customer=globex'), 403, 'forbidden');
  });

  it('answers 401 without a key and 422 naming a parameter it does not know', async () => {
    expectProblem(await harness.call(undefined, 'GET', '/v1/customers'), 401, 'unauthorized');
    expectProblem(
      await harness.call('agent', 'GET', '/v1/customers?name=Acme'),
      422,
      'invalid-request',
      'querystring.name',
    );
  });
});
