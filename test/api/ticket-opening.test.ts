import { PolicyLookupError } from '../../domain/policy/errors';
import { openedTicket } from '../../domain/ticket/evolve';
import { registeredTicket } from '../../domain/ticket/steps';
import { presetRegistry } from '../../policies/registry';
import type { PolicySource } from '../../policies/catalog';
import { apiHarness, NOW, openingBody } from '../support/api/harness';
import { planAt, terms } from '../support/ticket-lifecycle';

describe("opening a ticket under the customer's contract", () => {
  let harness: Awaited<ReturnType<typeof apiHarness>>;

  beforeEach(async () => {
    harness = await apiHarness();
  });

  const open = (caller: Parameters<typeof harness.call>[0], body: object) =>
    harness.call(caller, 'POST', '/v1/tickets', body);
  const fieldOf = (response: Awaited<ReturnType<typeof open>>) => response.json().errors;

  it("takes a customer key's own company, and the terms from its contract, not from the body", async () => {
    const opened = await open('customer', openingBody);
    expect(opened.statusCode).toBe(201);
    // The ticket as its workflow registered it (Update-with-start), not a promise of one.
    expect(opened.json()).toMatchObject({
      ticketNumber: 'VIG-000001',
      workflowId: 'ticket-VIG-000001',
      status: 'acknowledgement',
      customerId: 'acme',
      links: { self: '/v1/tickets/VIG-000001' },
    });
    expect(harness.temporal.calls).toContain('update-with-start ticket-VIG-000001');
    expect(opened.headers.location).toBe('/v1/tickets/VIG-000001');
    expect(opened.headers['idempotent-replayed']).toBeUndefined();
    expect(harness.temporal.started).toEqual([
      {
        ...openingBody,
        ticketNumber: 'VIG-000001',
        kind: 'incident',
        customerId: 'acme',
        policyId: 'econnect',
        contractId: harness.contracts.acme.id,
        // Only the contacts the contract lets report a disruption out of hours.
        authorizedContacts: ['ana@acme.lu'],
        // Who opens is who is authenticated: its `opened` event names the key, the body's contact is whom it is for.
        openedBy: harness.actingOf('customer'),
      },
    ]);
  });

  it('counts an authorized contact whose address the opening spells in other capitals as authorized out of hours', async () => {
    // The workflow compares the contact with the authorized addresses regardless of case (domain/ticket/steps.ts
    // registrationRefusal): a mail client's Ana@ACME.lu is still the ana@acme.lu the contract names. The ticket keeps
    // both as they were written.
    const opened = await open('customer', { ...openingBody, contact: { name: 'Ana Lopes', email: 'Ana@ACME.lu' } });
    expect(opened.statusCode).toBe(201);
    const [input] = harness.temporal.started;
    expect(input).toEqual(
      expect.objectContaining({
        contact: { name: 'Ana Lopes', email: 'Ana@ACME.lu' },
        authorizedContacts: ['ana@acme.lu'],
      }),
    );
    // Registered as the workflow registers it, out of hours under terms that hold to the contacts the contract names.
    const outOfHours = planAt(NOW, {
      openAtRegistration: false,
      terms: { ...terms, outOfHoursContacts: 'authorized' },
    });
    expect(registeredTicket(openedTicket(input!, NOW), outOfHours, NOW).refused).toBe(false);
  });

  it('pins the policy version the contract names', async () => {
    expect((await open('agent', { ...openingBody, customerId: 'globex' })).statusCode).toBe(201);
    expect(harness.temporal.started[0]).toMatchObject({
      customerId: 'globex',
      policyId: 'esker',
      policyVersion: 1,
      contractId: harness.contracts.globex.id,
      authorizedContacts: [],
    });
  });

  it('refuses 403 a customer key opening for another company', async () => {
    const refused = await open('customer', { ...openingBody, customerId: 'globex' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({
      type: 'https://vigil.dev/problems/forbidden',
      detail: 'this API key opens tickets for customer acme only, not globex',
    });
    expect((await open('customer', { ...openingBody, customerId: 'acme' })).statusCode).toBe(201);
    expect(harness.temporal.started).toHaveLength(1);
  });

  it('needs staff to name the customer, and a known one (422 naming customerId)', async () => {
    expect(fieldOf(await open('agent', openingBody))).toEqual([
      { field: 'body.customerId', message: 'is required when the API key is not a customer key' },
    ]);
    const unknown = await open('manager', { ...openingBody, customerId: 'initech' });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json()).toMatchObject({
      type: 'https://vigil.dev/problems/invalid-request',
      errors: [{ field: 'body.customerId', message: 'names no known customer: initech' }],
    });
    expect(harness.temporal.started).toEqual([]);
  });

  it('refuses a customer without a contract in force today (422 naming customerId)', async () => {
    await harness.accounts.createCustomer({ id: 'umbrella', name: 'Umbrella' });
    await harness.accounts.createContract({
      customerId: 'umbrella',
      policyId: 'econnect',
      startsOn: '2025-01-01',
      endsOn: '2026-05-12',
    });
    await harness.accounts.createContract({ customerId: 'umbrella', policyId: 'econnect', startsOn: '2026-05-14' });
    const refused = await open('admin', { ...openingBody, customerId: 'umbrella' });
    expect(refused.statusCode).toBe(422);
    expect(fieldOf(refused)).toEqual([
      { field: 'body.customerId', message: 'customer umbrella has no contract in force on 2026-05-13' },
    ]);
  });

  it("refuses, on a contract's first day, to open before its policy takes effect that day (422 naming customerId)", async () => {
    // econnect as if its first version took effect at noon on the harness's day (10:00 there), the day the contract
    // starts: a ticket registered before would have no terms to plan under.
    const noon = Date.parse('2026-05-13T12:00:00+02:00');
    const policies: PolicySource = {
      find: (id, version) => presetRegistry.find(id, version),
      inForce: (id, at) => {
        if (at < noon) throw new PolicyLookupError('POLICY_NOT_IN_FORCE', `policy "${id}" was not yet in force`);
        return presetRegistry.inForce(id, at);
      },
    };
    const setUp = async (now: () => number) => {
      const harness = await apiHarness(now, { policies });
      await harness.accounts.createCustomer({ id: 'umbrella', name: 'Umbrella' });
      const contract = await harness.accounts.createContract({
        customerId: 'umbrella',
        policyId: 'econnect',
        startsOn: '2026-05-13',
      });
      return { harness, contract };
    };
    const before = await setUp(() => NOW);
    const refused = await before.harness.call('agent', 'POST', '/v1/tickets', {
      ...openingBody,
      customerId: 'umbrella',
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().errors).toEqual([
      {
        field: 'body.customerId',
        message: `contract ${before.contract.id} runs under policy econnect, which is not in force yet at 2026-05-13T08:00:00.000Z: tickets open under it once it takes effect`,
      },
    ]);
    expect(before.harness.temporal.started).toEqual([]);
    const named = await before.harness.call('agent', 'POST', '/v1/tickets', {
      ...openingBody,
      customerId: 'umbrella',
      contractId: before.contract.id,
    });
    expect(named.json().errors).toEqual([expect.objectContaining({ field: 'body.contractId' })]);

    const after = await setUp(() => noon);
    const opened = await after.harness.call('agent', 'POST', '/v1/tickets', { ...openingBody, customerId: 'umbrella' });
    expect(opened.statusCode).toBe(201);
    // A contract that started before today is not looked up: its policy was in force from its first day.
    expect((await before.harness.call('customer', 'POST', '/v1/tickets', openingBody)).statusCode).toBe(201);
  });

  it('counts the day in Luxembourg: a contract starting tomorrow in UTC terms is in force after local midnight', async () => {
    const late = await apiHarness(() => Date.parse('2026-05-13T22:30:00Z'));
    await late.accounts.createCustomer({ id: 'umbrella', name: 'Umbrella' });
    await late.accounts.createContract({ customerId: 'umbrella', policyId: 'econnect', startsOn: '2026-05-14' });
    expect(
      (await late.call('agent', 'POST', '/v1/tickets', { ...openingBody, customerId: 'umbrella' })).statusCode,
    ).toBe(201);
  });

  it('asks which contract when several are in force, and takes only one in force (422 naming contractId)', async () => {
    const second = await harness.accounts.createContract({
      customerId: 'acme',
      policyId: 'esker',
      policyVersion: 1,
      startsOn: '2026-03-01',
    });
    const ended = await harness.accounts.createContract({
      customerId: 'acme',
      policyId: 'esker',
      startsOn: '2025-01-01',
      endsOn: '2025-12-31',
    });

    const ambiguous = await open('customer', openingBody);
    expect(ambiguous.statusCode).toBe(422);
    expect(fieldOf(ambiguous)).toEqual([
      {
        field: 'body.contractId',
        message: `is required: customer acme has 2 contracts in force (${harness.contracts.acme.id}, ${second.id})`,
      },
    ]);

    const notInForce = await open('customer', { ...openingBody, contractId: ended.id });
    expect(fieldOf(notInForce)).toEqual([
      {
        field: 'body.contractId',
        message: `contract ${ended.id} is not one of customer acme's contracts in force on 2026-05-13`,
      },
    ]);
    expect(fieldOf(await open('customer', { ...openingBody, contractId: harness.contracts.globex.id }))[0].field).toBe(
      'body.contractId',
    );

    expect((await open('customer', { ...openingBody, contractId: second.id })).statusCode).toBe(201);
    expect(harness.temporal.started).toEqual([
      expect.objectContaining({ customerId: 'acme', contractId: second.id, policyId: 'esker', policyVersion: 1 }),
    ]);
  });

  it('never takes the policy from the body: a field the schema does not know is refused, naming it, and nothing starts', async () => {
    const refused = await open('agent', { ...openingBody, customerId: 'acme', policyId: 'esker' });
    expect(refused.statusCode).toBe(422);
    expect(fieldOf(refused)).toEqual([{ field: 'body.policyId', message: 'is not a field of this request' }]);
    expect(harness.temporal.started).toEqual([]);
  });

  it('names the field of a malformed body (422)', async () => {
    const bad = await open('customer', { ...openingBody, contact: { name: 'Ana', email: 'not-an-email' } });
    expect(bad.statusCode).toBe(422);
    expect(fieldOf(bad)).toEqual([{ field: 'body.contact.email', message: 'must match format "email"' }]);
  });

  it('names the values allowed for a choice, once, rather than "must be equal to constant" once per value', async () => {
    const bad = await open('customer', { ...openingBody, priority: 'P9' });
    expect(bad.statusCode).toBe(422);
    expect(fieldOf(bad)).toEqual([{ field: 'body.priority', message: 'must be one of P1, P2, P3, P4' }]);
    expect(bad.json().detail).toBe('body.priority must be one of P1, P2, P3, P4');
    const list = await harness.call('agent', 'GET', '/v1/tickets?status=support,bogus&priority=P1');
    expect(list.statusCode).toBe(422);
    expect(list.json().errors).toEqual([
      {
        field: 'querystring.status.1',
        message:
          'must be one of request, acknowledgement, support, waiting, scheduled, validation, closed, cancelled, refused',
      },
    ]);
  });
  it('opens a ticket without a worker to register it, answering it as requested, its deadlines to come', async () => {
    harness.temporal.worker = 'gone';
    const opened = await open('customer', openingBody);
    expect(opened.statusCode).toBe(201);
    expect(opened.json()).toMatchObject({
      ticketNumber: 'VIG-000001',
      status: 'request',
      clocks: [
        { metric: 'response', deadline: null },
        { metric: 'intervention', deadline: null },
        { metric: 'resolution', deadline: null },
      ],
    });
    expect(harness.temporal.started).toHaveLength(1);
    expect(harness.temporal.calls).not.toContain('update-with-start ticket-VIG-000001');
  });
});
