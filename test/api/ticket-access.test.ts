import type { LightMyRequestResponse } from 'fastify';
import { apiHarness } from '../support/api/harness';

/** The answer a client sees, less the request id every answer carries. */
function seen(response: LightMyRequestResponse, body = response.body) {
  const { requestId: _requestId, ...problem } = JSON.parse(body);
  return { status: response.statusCode, contentType: response.headers['content-type'], problem };
}

describe("a customer's key and other companies' tickets", () => {
  let harness: Awaited<ReturnType<typeof apiHarness>>;

  beforeAll(async () => {
    harness = await apiHarness();
    harness.ticketOf('acme', 'VIG-000001', 'validation');
    harness.ticketOf('globex', 'VIG-000002', 'validation');
  });

  /** What a missing ticket answers, with its number swapped for another's. */
  async function missingAs(ticketNumber: string, send: (number: string) => ReturnType<typeof harness.call>) {
    const missing = await send('VIG-999999');
    return seen(missing, missing.body.replaceAll('VIG-999999', ticketNumber));
  }

  it("answers 404 for another company's ticket, exactly as for a missing one", async () => {
    const read = (number: string) => harness.call('acme', 'GET', `/v1/tickets/${number}`);
    const other = await read('VIG-000002');
    expect(seen(other)).toEqual({
      status: 404,
      contentType: expect.stringMatching(/^application\/problem\+json/),
      problem: {
        type: 'https://vigil.dev/problems/not-found',
        title: 'Not found',
        status: 404,
        detail: 'no ticket VIG-000002',
      },
    });
    expect(seen(other)).toEqual(await missingAs('VIG-000002', read));
  });

  it("refuses any action on another company's ticket with the same 404, and sends nothing to its workflow", async () => {
    const validate = (number: string) =>
      harness.call('acme', 'POST', `/v1/tickets/${number}/validate`, { contact: 'ana@acme.lu' });
    const other = await validate('VIG-000002');
    expect(other.statusCode).toBe(404);
    expect(seen(other)).toEqual(await missingAs('VIG-000002', validate));
    expect(harness.temporal.updates).toEqual([]);
    expect((await harness.call('globex', 'GET', '/v1/tickets/VIG-000002')).json().status).toBe('validation');
  });

  it('lets the customer act on its own tickets, and staff on anyone’s', async () => {
    const validated = await harness.call('acme', 'POST', '/v1/tickets/VIG-000001/validate', { contact: 'ana@acme.lu' });
    expect(validated.statusCode).toBe(200);
    expect(validated.json()).toMatchObject({ ticketNumber: 'VIG-000001', customerId: 'acme', status: 'closed' });
    expect((await harness.call('agent', 'GET', '/v1/tickets/VIG-000002')).statusCode).toBe(200);
  });
});

describe('refusals from the workflow', () => {
  let harness: Awaited<ReturnType<typeof apiHarness>>;

  beforeAll(async () => {
    harness = await apiHarness();
  });

  it('answers 409 with the reason when the Update validator refuses the transition', async () => {
    harness.ticketOf('acme', 'VIG-000010', 'support');
    const refused = await harness.call('customer', 'POST', '/v1/tickets/VIG-000010/validate', {
      contact: 'ana@acme.lu',
    });
    expect(seen(refused)).toEqual({
      status: 409,
      contentType: expect.stringMatching(/^application\/problem\+json/),
      problem: {
        type: 'https://vigil.dev/problems/invalid-transition',
        title: 'Action not allowed in the ticket status',
        status: 409,
        code: 'INVALID_TRANSITION',
        detail: "cannot validate a ticket in status 'support': only a ticket in validation can",
      },
    });
  });

  it('answers 409 ticket-closed for an action on a closed ticket, 404 for a missing one', async () => {
    harness.ticketOf('acme', 'VIG-000011', 'closed');
    harness.temporal.close('VIG-000011');
    const late = await harness.call('agent', 'POST', '/v1/tickets/VIG-000011/take-charge', { agent: 'marc' });
    expect(late.statusCode).toBe(409);
    expect(late.json()).toMatchObject({
      type: 'https://vigil.dev/problems/ticket-closed',
      detail: 'ticket VIG-000011 is completed: it takes no more actions',
    });
    expect(
      (await harness.call('agent', 'POST', '/v1/tickets/VIG-999999/take-charge', { agent: 'marc' })).statusCode,
    ).toBe(404);
  });

  it('names the field of a bad action body (422)', async () => {
    const bad = await harness.call('agent', 'POST', '/v1/tickets/VIG-000010/propose-resolution', { agent: 'marc' });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors).toEqual([
      { field: 'body.resolution', message: "must have required property 'resolution'" },
    ]);
    const malformed = await harness.call('agent', 'GET', '/v1/tickets/12');
    expect(malformed.statusCode).toBe(422);
    expect(malformed.json().errors[0].field).toBe('params.number');
  });
});

describe('reading a ticket', () => {
  let harness: Awaited<ReturnType<typeof apiHarness>>;

  beforeAll(async () => {
    harness = await apiHarness();
  });

  it('reads a running ticket live from its workflow', async () => {
    const live = harness.ticketOf('acme', 'VIG-000020', 'support');
    harness.snapshots.tickets.set('VIG-000020', { ...live, status: 'acknowledgement', revision: 0 });
    const view = await harness.call('customer', 'GET', '/v1/tickets/VIG-000020');
    expect(view.json()).toMatchObject({ status: 'support', revision: 1 });
  });

  it("reads a closed ticket from its workflow while Temporal keeps it, then from the read model's snapshot", async () => {
    const closed = harness.ticketOf('acme', 'VIG-000021', 'closed');
    harness.temporal.close('VIG-000021');
    harness.snapshots.tickets.set('VIG-000021', { ...closed, revision: 9, validatedBy: 'ana@acme.lu' });
    // One query, running or closed: the workflow's own state (the fake's is at revision 1).
    const view = await harness.call('agent', 'GET', '/v1/tickets/VIG-000021');
    expect(view.statusCode).toBe(200);
    expect(view.json()).toMatchObject({ status: 'closed', revision: 1, asOf: '2026-05-13T08:00:00.000Z' });
    expect(harness.temporal.calls.filter((call) => call.endsWith('VIG-000021'))).toEqual(['query ticket-VIG-000021']);

    harness.temporal.forget('VIG-000021');
    expect((await harness.call('customer', 'GET', '/v1/tickets/VIG-000021')).json()).toMatchObject({ revision: 9 });
    expect((await harness.call('globex', 'GET', '/v1/tickets/VIG-000021')).statusCode).toBe(404);
  });

  it('answers 404 for a ticket neither Temporal nor the read model knows', async () => {
    const missing = await harness.call('agent', 'GET', '/v1/tickets/VIG-000029');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({
      type: 'https://vigil.dev/problems/not-found',
      detail: 'no ticket VIG-000029',
    });
  });
});
