import fc from 'fast-check';
import { CSRF_HEADER } from '../../api/sessions';
import { consoleHarness, type Person } from '../support/api/console-harness';
import { expectProblem } from '../support/api/harness';

type Harness = Awaited<ReturnType<typeof consoleHarness>>;

// acme's first contract authorizes Ana Lopes and Bo Weber (test/support/api/harness.ts); Carla, signed in, is on none.
describe('GET /v1/contacts?contractId=', () => {
  let harness: Harness;
  beforeEach(async () => (harness = await consoleHarness()));

  const secondContract = (authorizedContacts = [{ name: 'Dan Roth', email: 'dan@acme.lu' }]) =>
    harness.accounts.createContract({
      customerId: 'acme',
      policyId: 'esker',
      policyVersion: 1,
      startsOn: '2026-01-01',
      authorizedContacts,
    });
  /** The API as the portal calls it: a customer's contact signed in, whom opening holds to the contract's contacts. */
  const asPerson = (person: Person, method: 'GET' | 'POST', url: string, body?: object) =>
    harness.app.inject({
      method,
      url,
      headers: { cookie: person.cookie, ...(method === 'POST' ? { [CSRF_HEADER]: person.csrf } : {}) },
      ...(body ? { payload: body } : {}),
    });
  const emails = (response: { json(): { contacts: { email: string }[] } }) =>
    response.json().contacts.map((contact) => contact.email);

  it('lists only the contacts of the contract named, the person signed in first; without it, every contract in force', async () => {
    const second = await secondContract();
    const { customer } = harness.staff;
    const first = harness.contracts.acme.id;
    expect(emails(await asPerson(customer, 'GET', `/v1/contacts?contractId=${first}`))).toEqual([
      'carla@acme.lu',
      'ana@acme.lu',
      'bo@acme.lu',
    ]);
    expect(emails(await asPerson(customer, 'GET', `/v1/contacts?contractId=${second.id}`))).toEqual([
      'carla@acme.lu',
      'dan@acme.lu',
    ]);
    expect(emails(await asPerson(customer, 'GET', '/v1/contacts'))).toEqual([
      'carla@acme.lu',
      'ana@acme.lu',
      'bo@acme.lu',
      'dan@acme.lu',
    ]);
    expect((await harness.call('acme', 'GET', `/v1/contacts?contractId=${second.id}`)).json()).toEqual({
      contacts: [{ name: 'Dan Roth', email: 'dan@acme.lu' }],
    });
    expect((await harness.call('agent', 'GET', `/v1/contacts?customer=acme&contractId=${second.id}`)).json()).toEqual({
      contacts: [{ name: 'Dan Roth', email: 'dan@acme.lu' }],
    });
  });

  it("answers staff naming a contract its contacts without the customer, the contract's own", async () => {
    const second = await secondContract();
    for (const caller of ['agent', 'admin', 'manager'] as const)
      expect({
        caller,
        answer: (await harness.call(caller, 'GET', `/v1/contacts?contractId=${second.id}`)).json(),
      }).toEqual({ caller, answer: { contacts: [{ name: 'Dan Roth', email: 'dan@acme.lu' }] } });
    expect(
      emails(await harness.call('agent', 'GET', `/v1/contacts?contractId=${harness.contracts.globex.id}`)),
    ).toEqual([]);
    // A contract Vigil does not know, or one no longer in force, is refused naming the field, as a customer's is.
    const ended = await harness.accounts.createContract({
      customerId: 'acme',
      policyId: 'esker',
      policyVersion: 1,
      startsOn: '2025-01-01',
      endsOn: '2025-12-31',
    });
    for (const id of ['999', ended.id])
      expectProblem(
        await harness.call('agent', 'GET', `/v1/contacts?contractId=${id}`),
        422,
        'invalid-request',
        'querystring.contractId',
      );
    expectProblem(await harness.call('agent', 'GET', '/v1/contacts'), 422, 'invalid-request', 'querystring.customer');
  });

  it('refuses a malformed id at the edge, naming the field, where a well-formed one of its own is answered', async () => {
    expect((await harness.call('acme', 'GET', `/v1/contacts?contractId=${harness.contracts.acme.id}`)).statusCode).toBe(
      200,
    );
    for (const id of ['abc', '0', '1;DROP', '1234567890123456789'])
      expectProblem(
        await harness.call('acme', 'GET', `/v1/contacts?contractId=${encodeURIComponent(id)}`),
        422,
        'invalid-request',
        'querystring.contractId',
      );
  });

  it("answers another company's contract exactly as an unknown one, leaking nothing", async () => {
    const foreign = await harness.call('acme', 'GET', `/v1/contacts?contractId=${harness.contracts.globex.id}`);
    const unknown = await harness.call('acme', 'GET', '/v1/contacts?contractId=999');
    expect(
      (await harness.call('globex', 'GET', `/v1/contacts?contractId=${harness.contracts.globex.id}`)).statusCode,
    ).toBe(200);
    expectProblem(foreign, 422, 'invalid-request', 'querystring.contractId');
    expectProblem(unknown, 422, 'invalid-request', 'querystring.contractId');
    // The same problem but for the id it echoes (and the request's own id).
    const shape = (response: typeof foreign, id: string) =>
      JSON.stringify({ ...response.json(), requestId: undefined }).replaceAll(`contract ${id} `, 'contract ? ');
    expect(shape(foreign, harness.contracts.globex.id)).toEqual(shape(unknown, '999'));
    // Staff naming the customer are held to that customer's contracts the same way.
    expectProblem(
      await harness.call('agent', 'GET', `/v1/contacts?customer=acme&contractId=${harness.contracts.globex.id}`),
      422,
      'invalid-request',
      'querystring.contractId',
    );
  });

  it('lists for a contract only whom opening under it accepts: every pair listed opens, for any contacts', async () => {
    const pool = ['ana@acme.lu', 'Ana@Acme.lu', 'bo@acme.lu', 'carla@acme.lu', 'dan@acme.lu', 'eve@acme.lu'];
    const contacts = fc.uniqueArray(
      fc.constantFrom(...pool).map((email) => ({ name: `Person ${email}`, email })),
      { selector: (contact) => contact.email.toLowerCase(), maxLength: 4 },
    );
    let opened = 0;
    await fc.assert(
      fc.asyncProperty(contacts, async (authorized) => {
        const contract = await secondContract(authorized);
        for (const id of [harness.contracts.acme.id, contract.id]) {
          const listed = await asPerson(harness.staff.customer, 'GET', `/v1/contacts?contractId=${id}`);
          expect(listed.statusCode).toBe(200);
          for (const contact of listed.json().contacts as { name: string; email: string }[]) {
            const answer = await asPerson(harness.staff.customer, 'POST', '/v1/tickets', {
              title: 'Printer',
              description: 'Jammed',
              contractId: id,
              contact,
            });
            expect({ contact, status: answer.statusCode }).toEqual({ contact, status: 201 });
            opened++;
          }
        }
      }),
      { numRuns: 12 },
    );
    expect(opened).toBeGreaterThan(0);
  });
});
