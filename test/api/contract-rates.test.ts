import { apiHarness, expectProblem } from '../support/api/harness';

type Harness = Awaited<ReturnType<typeof apiHarness>>;

// A contract's own rates through the admin API: the shape checked by the schema, the names and figures against the
// contract's policy by the store (db/account-input.ts), each refusal naming its path; saved, they are shown back.
describe('contract rates through the admin API', () => {
  let harness: Harness;
  beforeAll(async () => (harness = await apiHarness()));

  const contract = (policyId: string, rates: unknown) => ({ policyId, startsOn: '2026-01-01', rates });

  it.each([
    ['tm-minimum', { hourlyCents: 8000 }],
    [
      'mixvoip-standard',
      { hourlyCentsByRole: { technician: 9000 }, travel: { hourlyCents: 9000 }, outOfHoursPercent: 175 },
    ],
    ['care-solutions', { hourlyCentsByService: { database: 7500 } }],
  ])('saves %s with %j and shows it in GET and the list', async (policyId, rates) => {
    const created = await harness.call(
      'admin',
      'POST',
      '/v1/admin/customers/acme/contracts',
      contract(policyId, rates),
    );
    expect(created.statusCode).toBe(201);
    expect(created.json().rates).toEqual(rates);
    const { id } = created.json();
    expect((await harness.call('admin', 'GET', `/v1/admin/contracts/${id}`)).json().rates).toEqual(rates);
    const listed = (await harness.call('admin', 'GET', '/v1/admin/customers/acme/contracts')).json()
      .contracts as Array<{ id: string; rates?: unknown }>;
    expect(listed.find((shown) => shown.id === id)?.rates).toEqual(rates);
  });

  it('shows no rates on a contract without any', async () => {
    const created = await harness.call('admin', 'POST', '/v1/admin/customers/acme/contracts', {
      policyId: 'tm-minimum',
      startsOn: '2026-01-01',
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).not.toHaveProperty('rates');
  });

  it.each([
    ['tm-minimum', { hourlyCentsByRole: { technician: 8000 } }, 'invalid-request', 'body.rates.hourlyCentsByRole'],
    [
      'mixvoip-standard',
      { hourlyCentsByRole: { plumber: 8000 } },
      'invalid-request',
      'body.rates.hourlyCentsByRole.plumber',
    ],
    ['mixvoip-standard', { travel: { perTripCents: 500 } }, 'invalid-request', 'body.rates.travel.perTripCents'],
    ['tm-minimum', { outOfHoursPercent: 300 }, 'invalid-request', 'body.rates.outOfHoursPercent'],
    [
      'care-solutions',
      { hourlyCentsByService: { gardening: 100 } },
      'invalid-request',
      'body.rates.hourlyCentsByService.gardening',
    ],
    ['tm-minimum', { hourlyCents: -5 }, 'invalid-request', 'body.rates.hourlyCents'],
    ['tm-minimum', { hourlyCents: 80.5 }, 'invalid-request', 'body.rates.hourlyCents'],
    ['tm-minimum', { flat: 8000 }, 'invalid-request', 'body.rates.flat'],
    ['tm-minimum', {}, 'invalid-request', 'body.rates'],
  ])('refuses %s with %j: 422 %s naming %s, and saves nothing', async (policyId, rates, slug, field) => {
    const before = await harness.accounts.listContracts('acme');
    const response = await harness.call(
      'admin',
      'POST',
      '/v1/admin/customers/acme/contracts',
      contract(policyId, rates),
    );
    expectProblem(response, 422, slug, field);
    expect(await harness.accounts.listContracts('acme')).toEqual(before);
  });
});
