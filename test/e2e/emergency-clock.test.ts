import type { Role } from '../../messages/principal';
import { type Stack, startStack } from '../support/e2e/stack';

jest.setTimeout(60_000);

const HOUR = 3_600_000;

// e-connect's emergency channel (urgence@e-connect.lu) through the real API, worker, Temporal and PostgreSQL.
describe('an e-connect emergency has a response clock in calendar time', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack('emergency');
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const call: Stack['call'] = (...args) => stack.call(...args);

  const emergency = {
    channel: 'emergency',
    title: 'Site down',
    description: 'The web shop answers 502.',
    contact: { name: 'Ana Lopes', email: 'ana@acme.lu' },
  };

  async function openedView(body: Record<string, unknown>, as: Role) {
    const opened = await call('POST', '/tickets', body, as);
    expect(opened.status).toBe(201);
    const number = opened.body.ticketNumber as string;
    // The opening answers the ticket registered (Update-with-start): its deadlines are those a GET shows.
    expect(opened.body.status).toBe('acknowledgement');
    const view = await call('GET', `/tickets/${number}`);
    expect(view.status).toBe(200);
    expect(
      opened.body.clocks.map(({ deadline, thresholds }: Record<string, unknown>) => ({ deadline, thresholds })),
    ).toEqual(view.body.clocks.map(({ deadline, thresholds }: Record<string, unknown>) => ({ deadline, thresholds })));
    return { number, ticket: view.body };
  }

  it("shows the preset's one hour, warnings at 50% and 75% to the desk and the emergency escalation, whatever the hour", async () => {
    const { number, ticket } = await openedView({ ...emergency, priority: 'P3' }, 'customer');
    expect(ticket).toMatchObject({ priority: 'P1', channel: 'emergency', policyId: 'econnect' });
    const openedAt = Date.parse(ticket.openedAt as string);
    const [response, intervention, resolution] = ticket.clocks as Array<Record<string, any>>;
    expect(response).toMatchObject({
      metric: 'response',
      state: 'running',
      deadline: new Date(openedAt + HOUR).toISOString(),
    });
    expect(response!.thresholds).toEqual(
      [50, 75, 100].map((percent) => ({
        percent,
        at: new Date(openedAt + (HOUR * percent) / 100).toISOString(),
        notify: ['desk', 'emergency-escalation'],
        notified: false,
      })),
    );
    // Calendar time: the figures of the moment count every hour, the desk's office hours or not.
    expect(response!.elapsedMs + response!.remainingMs).toBe(HOUR);
    // Said so, for the ticket page not to call them business time (api/web/ticket-page.ts clocksSection).
    expect(response!.unit).toBe('calendarHours');
    expect(intervention).toMatchObject({ metric: 'intervention', state: 'no-target', deadline: null });
    expect(resolution).toMatchObject({ metric: 'resolution', state: 'no-target', deadline: null });

    const taken = await call('POST', `/tickets/${number}/take-charge`, { agent: 'marc' });
    expect(taken.status).toBe(200);
    expect(taken.body.clocks[0]).toMatchObject({ metric: 'response', state: 'stopped', met: true });
  });

  it('a standard ticket of the same contract keeps no clock', async () => {
    const { ticket } = await openedView({ ...emergency, channel: 'standard', priority: 'P1' }, 'customer');
    expect((ticket.clocks as Array<Record<string, any>>).map((clock) => [clock.metric, clock.state])).toEqual([
      ['response', 'no-target'],
      ['intervention', 'no-target'],
      ['resolution', 'no-target'],
    ]);
  });
});
