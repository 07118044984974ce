import type { Role } from '../../messages/principal';
import { TICKET_ROLES } from '../../api/ticket-access';
import { apiHarness } from '../support/api/harness';

// The role matrix written out by hand, rather than read from the code it checks (messages/ticket-actions.ts).
const STAFF: Role[] = ['agent', 'manager', 'admin'];
const EXPECTED: Record<string, Role[]> = {
  'take-charge': STAFF,
  'start-intervention': STAFF,
  'time-entries': STAFF,
  priority: STAFF,
  reassign: STAFF,
  'wait-for-customer': STAFF,
  workaround: STAFF,
  'propose-resolution': STAFF,
  quote: STAFF,
  'release-date': STAFF,
  'customer-reply': [...STAFF, 'customer'],
  cancel: [...STAFF, 'customer'],
  validate: ['customer'],
  reject: ['customer'],
  'quote/accept': ['customer'],
  'quote/decline': ['customer'],
};

const BODIES: Record<string, object> = {
  'take-charge': { agent: 'marc' },
  'start-intervention': { agent: 'marc' },
  'time-entries': { agent: 'marc', start: '2026-05-13T09:00:00+02:00', end: '2026-05-13T09:30:00+02:00' },
  priority: { priority: 'P1', by: 'marc' },
  reassign: { agent: 'julie', by: 'marc' },
  'wait-for-customer': { agent: 'marc', question: 'Which printer?' },
  workaround: { agent: 'marc', description: 'Print from the other floor' },
  'propose-resolution': { agent: 'marc', resolution: 'Replaced the toner' },
  quote: { agent: 'marc', estimateMinutes: 600 },
  'release-date': { agent: 'marc', releaseAt: '2026-06-01T08:00:00+02:00' },
  'customer-reply': { contact: 'ana@acme.lu', message: 'The one on floor 2' },
  cancel: { by: 'ana@acme.lu', reason: 'Works again' },
  validate: { contact: 'ana@acme.lu' },
  reject: { contact: 'ana@acme.lu', reason: 'Still blank pages' },
  'quote/accept': { contact: 'ana@acme.lu' },
  'quote/decline': { contact: 'ana@acme.lu' },
};

const ROLES: Role[] = ['agent', 'manager', 'admin', 'customer'];
const cases = Object.entries(EXPECTED).flatMap(([action, allowed]) =>
  ROLES.map((role) => [action, role, allowed.includes(role)] as const),
);

describe('who may act on a ticket', () => {
  let harness: Awaited<ReturnType<typeof apiHarness>>;
  let sequence = 0;

  beforeAll(async () => {
    harness = await apiHarness();
    await harness.app.ready();
  });

  it('has one row of the matrix per action route', () => {
    const actions = Object.keys(TICKET_ROLES).filter((operation) => operation !== 'open' && operation !== 'read');
    expect(actions.sort()).toEqual(Object.keys(EXPECTED).sort());
    for (const action of actions)
      expect(harness.app.hasRoute({ method: 'POST', url: `/v1/tickets/:number/${action}` })).toBe(true);
  });

  it.each(cases)('%s by %s: allowed %s', async (action, role, allowed) => {
    const number = `VIG-1${String(++sequence).padStart(5, '0')}`;
    harness.ticketOf('acme', number);
    const response = await harness.call(role, 'POST', `/v1/tickets/${number}/${action}`, BODIES[action]);
    const sent = harness.temporal.updates.filter((update) => update.ticketNumber === number);
    if (allowed) {
      // Past authorization the workflow decides: it accepts, or refuses for the ticket's state.
      expect([200, 409]).toContain(response.statusCode);
      expect(sent.length + (response.statusCode === 409 ? 1 : 0)).toBe(1);
    } else {
      expect(response.statusCode).toBe(403);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.json()).toMatchObject({
        type: 'https://vigil.dev/problems/forbidden',
        status: 403,
        detail: `this needs the role ${EXPECTED[action]!.join(' or ')}; the API key has the role ${role}`,
      });
      expect(sent).toEqual([]);
    }
  });

  it('refuses a role before reading the body: a caller who may not act learns nothing of what it should hold', async () => {
    harness.ticketOf('acme', 'VIG-300001');
    expect(
      (await harness.call('customer', 'POST', '/v1/tickets/VIG-300001/take-charge', { nonsense: 1 })).statusCode,
    ).toBe(403);
    expect((await harness.call('agent', 'POST', '/v1/tickets/VIG-300001/validate', {})).statusCode).toBe(403);
    expect(
      (await harness.call('agent', 'POST', '/v1/tickets/VIG-300001/take-charge', { nonsense: 1 })).statusCode,
    ).toBe(422);
  });

  it('lets every role read a ticket its key may see', async () => {
    harness.ticketOf('acme', 'VIG-200001');
    for (const role of ROLES) expect((await harness.call(role, 'GET', '/v1/tickets/VIG-200001')).statusCode).toBe(200);
  });
});
