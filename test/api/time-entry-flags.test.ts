import { ActionBodies } from '../../api/schemas/ticket';
import { apiHarness, expectProblem } from '../support/api/harness';

// The tm-minimum preset's priced facts travel on a real ticket's time entries under the names `vigil price` reads.
const TICKET = 'VIG-000001';
const entry = { start: '2026-05-13T09:00:00+02:00', end: '2026-05-13T09:05:00+02:00' };
// The time is the actor's, the key's holder (test/support/api/harness.ts labels the agent's key 'agent key').
const actor = 'agent key';

describe('time entries carry remoteToolMissing, outOfHoursRequested and urgent', () => {
  let harness: Awaited<ReturnType<typeof apiHarness>>;

  beforeEach(async () => {
    harness = await apiHarness();
    harness.ticketOf('acme', TICKET);
  });

  const log = (body: object) => harness.call('agent', 'POST', `/v1/tickets/${TICKET}/time-entries`, body);
  const sent = () =>
    harness.temporal.updates.filter(({ update }) => update === 'log-time').map(({ command }) => command);

  it('accepts each flag and hands it to the workflow as it came, instants as epoch ms', async () => {
    const flags = { remoteToolMissing: true, outOfHoursRequested: false, urgent: true };
    expect((await log({ ...entry, ...flags })).statusCode).toBe(200);
    expect(sent()).toEqual([
      {
        ...entry,
        ...flags,
        ...harness.actingOf('agent'),
        onSite: false,
        start: Date.parse(entry.start),
        end: Date.parse(entry.end),
      },
    ]);
  });

  it('sends no flag that was not given: an entry without them is the command it always was', async () => {
    expect((await log(entry)).statusCode).toBe(200);
    expect(sent()).toEqual([
      {
        ...entry,
        ...harness.actingOf('agent'),
        onSite: false,
        start: Date.parse(entry.start),
        end: Date.parse(entry.end),
      },
    ]);
  });

  it.each(['remoteToolMissing', 'outOfHoursRequested', 'urgent'])(
    'refuses %s that is not a boolean (422 naming it), sending nothing',
    async (flag) => {
      expectProblem(await log({ ...entry, [flag]: { yes: 1 } }), 422, 'invalid-request', `body.${flag}`);
      expect(sent()).toEqual([]);
    },
  );

  it('still refuses a flag it does not know, naming it', async () => {
    expectProblem(await log({ ...entry, afterHours: true }), 422, 'invalid-request', 'body.afterHours');
    expect(sent()).toEqual([]);
  });

  it("shows the flags on the ticket's time entries", async () => {
    const state = harness.ticketOf('acme', 'VIG-000002');
    state.timeEntries.push({
      agent: actor,
      start: Date.parse(entry.start),
      end: Date.parse(entry.end),
      onSite: false,
      remoteToolMissing: true,
      urgent: true,
    });
    const view = await harness.call('agent', 'GET', `/v1/tickets/${state.ticketNumber}`);
    expect(view.json().timeEntries).toEqual([
      {
        ...entry,
        agent: actor,
        start: '2026-05-13T07:00:00.000Z',
        end: '2026-05-13T07:05:00.000Z',
        onSite: false,
        remoteToolMissing: true,
        urgent: true,
      },
    ]);
  });

  it("accepts the same flags on propose-resolution's minutesWorked, by the same schema, and hands them on", async () => {
    const proposal = {
      resolution: 'Reinstalled the VPN client',
      minutesWorked: 20,
      remoteToolMissing: true,
      urgent: true,
    };
    expect((await harness.call('agent', 'POST', `/v1/tickets/${TICKET}/propose-resolution`, proposal)).statusCode).toBe(
      200,
    );
    expect(
      harness.temporal.updates.filter(({ update }) => update === 'propose-resolution').map(({ command }) => command),
    ).toEqual([{ ...proposal, ...harness.actingOf('agent') }]);
    expectProblem(
      await harness.call('agent', 'POST', `/v1/tickets/${TICKET}/propose-resolution`, { ...proposal, urgent: 'yes' }),
      422,
      'invalid-request',
      'body.urgent',
    );
    const [logTime, propose] = [ActionBodies['time-entries'].properties, ActionBodies['propose-resolution'].properties];
    for (const flag of ['remoteToolMissing', 'outOfHoursRequested', 'urgent'] as const)
      expect(propose[flag]).toBe(logTime[flag]);
  });

  it('one definition: the schema documents each flag', () => {
    const properties = ActionBodies['time-entries'].properties;
    expect(Object.keys(properties)).toEqual(
      expect.arrayContaining(['onSite', 'remoteToolMissing', 'outOfHoursRequested', 'urgent']),
    );
    expect(properties.remoteToolMissing?.description).toMatch(/60 min/);
  });
});
