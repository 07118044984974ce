import { apiHarness } from '../support/api/harness';

/**
 * Whether another company's ticket exists must not show in how the API answers a customer, nor in how long it takes:
 * asked for one, the API makes exactly the calls it makes for a ticket that does not exist. Compared by the calls
 * made, never by timing.
 */
describe("a customer's key and tickets that are not its company's", () => {
  let harness: Awaited<ReturnType<typeof apiHarness>>;
  let snapshotLookups: jest.SpyInstance;

  beforeEach(async () => {
    harness = await apiHarness();
    harness.ticketOf('acme', 'VIG-000001', 'validation');
    harness.ticketOf('globex', 'VIG-000002', 'validation');
    // Closed and gone from Temporal: known to the read model only.
    const gone = harness.ticketOf('globex', 'VIG-000003', 'closed');
    harness.snapshots.tickets.set('VIG-000003', gone);
    harness.temporal.forget('VIG-000003');
    snapshotLookups = jest.spyOn(harness.snapshots, 'find');
  });

  /** What reaching `ticketNumber` asked of Temporal and of the read model, with the number written as "N". */
  async function backendCallsOf(ticketNumber: string, send: (ticketNumber: string) => Promise<unknown>) {
    harness.temporal.calls.length = 0;
    snapshotLookups.mockClear();
    await send(ticketNumber);
    const anonymous = (call: string) => call.replaceAll(ticketNumber, 'N');
    return {
      temporal: harness.temporal.calls.map(anonymous),
      readModel: snapshotLookups.mock.calls.map(([number]) => anonymous(String(number))),
    };
  }

  const read = (ticketNumber: string) => harness.call('acme', 'GET', `/v1/tickets/${ticketNumber}`);
  const validate = (ticketNumber: string) =>
    harness.call('acme', 'POST', `/v1/tickets/${ticketNumber}/validate`, { contact: 'ana@acme.lu' });
  const reply = (ticketNumber: string) =>
    harness.call('acme', 'POST', `/v1/tickets/${ticketNumber}/customer-reply`, {
      contact: 'ana@acme.lu',
      message: 'hello',
    });

  it.each([
    ['reading', read],
    ['validating', validate],
    ['replying', reply],
  ])(
    '%s one makes the same calls as for a missing ticket, and neither queries nor updates a workflow',
    async (_case, send) => {
      const missing = await backendCallsOf('VIG-999999', send);
      expect(missing).toEqual({ temporal: ['describe ticket-N'], readModel: ['N'] });
      expect(await backendCallsOf('VIG-000002', send)).toEqual(missing);
      expect(await backendCallsOf('VIG-000003', send)).toEqual(missing);
      expect(harness.temporal.updates).toEqual([]);
    },
  );

  it('answers each with the same 404 as a missing ticket', async () => {
    for (const send of [read, validate]) {
      const answers = [];
      for (const number of ['VIG-999999', 'VIG-000002', 'VIG-000003']) {
        const response = await send(number);
        const { requestId: _requestId, ...problem } = response.json();
        answers.push({
          status: response.statusCode,
          problem: { ...problem, detail: problem.detail.replace(number, 'N') },
        });
      }
      expect(answers[1]).toEqual(answers[0]);
      expect(answers[2]).toEqual(answers[0]);
      expect(answers[0]).toMatchObject({
        status: 404,
        problem: { type: 'https://vigil.dev/problems/not-found', detail: 'no ticket N' },
      });
    }
  });

  it('reads and acts on its own tickets, one still registering (not yet in the read model) included', async () => {
    expect(await harness.snapshots.find('VIG-000001')).toBeUndefined();
    expect((await read('VIG-000001')).statusCode).toBe(200);
    expect((await validate('VIG-000001')).json()).toMatchObject({ ticketNumber: 'VIG-000001', status: 'closed' });
  });

  it('costs staff no ownership lookup', async () => {
    const calls = await backendCallsOf('VIG-000002', (number) => harness.call('agent', 'GET', `/v1/tickets/${number}`));
    // A GET is one query.
    expect(calls).toEqual({ temporal: ['query ticket-N'], readModel: [] });
  });
});
