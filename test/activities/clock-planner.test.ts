import { planClocks, presetPolicies, type PlanRequest } from '../../activities/clock-planner';
import type { TicketState } from '../../messages/ticket';
import { decide, type Replan } from '../../domain/ticket/decide';
import { applyChanges, openedTicket } from '../../domain/ticket/evolve';
import { acknowledgement, planQuestion, withPlan } from '../../domain/ticket/steps';
import { Policy, PolicyRegistry } from '../../domain/policy';
import { findPolicy, presetRegistry } from '../../policies/registry';
import { accepted } from '../support/ticket-lifecycle';

const MINUTE = 60_000;
const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

function emergency(registeredAt: string, changes: Partial<PlanRequest> = {}): PlanRequest {
  return {
    policyId: 'econnect',
    kind: 'incident',
    priority: 'P1',
    registeredAt: at(registeredAt),
    pauses: { response: [], intervention: [], resolution: [] },
    channel: 'emergency',
    ...changes,
  };
}

const responseOf = async (request: PlanRequest) =>
  (await planClocks(presetPolicies, request)).clocks.find((clock) => clock.metric === 'response');

describe('an e-connect emergency is answered within an hour of calendar time, whenever it comes', () => {
  // Luxembourg is UTC+1 in winter: the desk opens 08:30-17:30 local, Monday to Friday, closed on public holidays.
  test.each([
    ['in office hours (Tuesday 10:00)', '2026-11-24T09:00:00Z'],
    ['at night (Tuesday 02:00)', '2026-11-24T01:00:00Z'],
    ['on a Sunday (14:00)', '2026-11-22T13:00:00Z'],
    ['on a Saturday at 23:00', '2026-11-21T22:00:00Z'],
    ['on a public holiday (Christmas, 10:00)', '2026-12-25T09:00:00Z'],
  ])(
    '%s: deadline one hour later, warnings at 30 and 45 minutes to the desk and the emergency escalation',
    async (_, registeredAt) => {
      const response = await responseOf(emergency(registeredAt));
      const start = at(registeredAt);
      expect(response).toEqual({
        metric: 'response',
        deadline: start + 60 * MINUTE,
        thresholds: [
          { percent: 50, at: start + 30 * MINUTE, notify: ['desk', 'emergency-escalation'] },
          { percent: 75, at: start + 45 * MINUTE, notify: ['desk', 'emergency-escalation'] },
          { percent: 100, at: start + 60 * MINUTE, notify: ['desk', 'emergency-escalation'] },
        ],
      });
    },
  );

  test('the maintenance contract policy gives its emergencies the same hour', async () => {
    expect(
      iso((await responseOf(emergency('2026-11-22T13:00:00Z', { policyId: 'econnect-maintenance' })))!.deadline),
    ).toBe('2026-11-22T14:00:00.000Z');
  });

  test('only the response clock: intervention and resolution stay best effort', async () => {
    const { clocks } = await planClocks(presetPolicies, emergency('2026-11-24T01:00:00Z'));
    expect(clocks.map((clock) => clock.metric)).toEqual(['response']);
  });

  test('names the levels its registration tells at once; a standard ticket of the same desk tells none', async () => {
    expect((await planClocks(presetPolicies, emergency('2026-11-24T01:00:00Z'))).atOpening).toEqual([
      'desk',
      'emergency-escalation',
    ]);
    const standard = await planClocks(presetPolicies, emergency('2026-11-24T01:00:00Z', { channel: 'standard' }));
    expect(standard).not.toHaveProperty('atOpening');
    const esker = await planClocks(presetPolicies, emergency('2026-11-24T09:00:00Z', { policyId: 'esker' }));
    expect(esker).not.toHaveProperty('atOpening');
  });

  test('a standard ticket of the same desk still has no clock', async () => {
    expect(
      (await planClocks(presetPolicies, emergency('2026-11-24T01:00:00Z', { channel: 'standard' }))).clocks,
    ).toEqual([]);
    expect(
      (await planClocks(presetPolicies, emergency('2026-11-24T01:00:00Z', { channel: undefined }))).clocks,
    ).toEqual([]);
  });

  test("the contract's target replaces the policy's, with the policy's thresholds", async () => {
    const response = (await responseOf(
      emergency('2026-11-21T22:00:00Z', { emergencyResponseTarget: { amount: 4, unit: 'calendarHours' } }),
    ))!;
    expect(iso(response.deadline)).toBe('2026-11-22T02:00:00.000Z');
    expect(response.thresholds.map((threshold) => [threshold.percent, iso(threshold.at)])).toEqual([
      [50, '2026-11-22T00:00:00.000Z'],
      [75, '2026-11-22T01:00:00.000Z'],
      [100, '2026-11-22T02:00:00.000Z'],
    ]);
  });

  test('the emergency target holds whatever priority the desk sets afterwards', async () => {
    expect(iso((await responseOf(emergency('2026-11-24T01:00:00Z', { priority: 'P4' })))!.deadline)).toBe(
      '2026-11-24T02:00:00.000Z',
    );
  });

  test('a pause (waiting for the customer) gives back its calendar time, night included', async () => {
    const response = (await responseOf(
      emergency('2026-11-24T01:00:00Z', {
        pauses: { response: [[at('2026-11-24T01:10:00Z'), at('2026-11-24T01:30:00Z')]] },
      }),
    ))!;
    expect(iso(response.deadline)).toBe('2026-11-24T02:20:00.000Z');
    expect(iso(response.thresholds[0]!.at)).toBe('2026-11-24T01:50:00.000Z');
  });

  test('a stopped response clock is not planned again', async () => {
    expect(
      await responseOf(emergency('2026-11-24T01:00:00Z', { pauses: { intervention: [], resolution: [] } })),
    ).toBeUndefined();
  });

  test('a policy without an emergency clock plans emergencies on their priority, as before', async () => {
    const response = await responseOf(emergency('2026-11-24T09:00:00Z', { policyId: 'esker' }));
    const standard = await responseOf(emergency('2026-11-24T09:00:00Z', { policyId: 'esker', channel: 'standard' }));
    expect(response).toEqual(standard);
  });
});

describe('a proposal asks for a new plan only where the policy validates it itself', () => {
  // domain/ticket/decide.ts skips the replan of a proposal when the ticket's terms say nothing validates it after a
  // delay: this checks, on every preset's real calendar, that the plan it skips would have changed nothing.
  const HOUR = 60 * MINUTE;
  const openedAt = at('2026-11-24T09:00:00Z'); // a Tuesday morning, inside every preset's office hours
  const contact = { name: 'Ana Lopes', email: 'ana@acme.lu' };
  // No preset validates a proposal itself: one that does, beside them.
  const autoClosing = Policy.parse(
    {
      ...findPolicy('esker').document,
      id: 'esker-auto-close',
      autoValidationAfter: { amount: 2, unit: 'businessDays' },
    },
    'esker with auto-validation',
  );
  const policies = new PolicyRegistry([...presetRegistry.list().map(({ id }) => findPolicy(id)), autoClosing]);

  async function planned(ticket: TicketState, replan: Replan, now: number): Promise<TicketState> {
    return withPlan(ticket, await planClocks(policies, planQuestion(ticket, replan)), replan, now);
  }

  test.each(policies.list().map((policy) => policy.id))('%s', async (policyId) => {
    const opened = openedTicket(
      {
        customerId: 'acme',
        ticketNumber: 'VIG-000001',
        policyId,
        kind: 'incident',
        priority: 'P2',
        title: 'Printer down',
        description: 'Blank pages',
        contact,
      },
      openedAt,
    );
    const registered = await planned(opened, {}, openedAt);
    let ticket = applyChanges(registered, [acknowledgement(openedAt)]);
    ticket = accepted(ticket, { action: 'take-charge', command: { actor: 'marc' } }, openedAt + HOUR);
    ticket = accepted(
      ticket,
      { action: 'wait-for-customer', command: { actor: 'marc', question: 'Which printer?' } },
      openedAt + 2 * HOUR,
    );
    // A closed pause, so that the plan after the proposal has one to count.
    ticket = await planned(
      accepted(ticket, { action: 'customer-replied', command: { actor: 'ana@acme.lu' } }, openedAt + 3 * HOUR),
      {},
      openedAt + 3 * HOUR,
    );
    const proposedAt = openedAt + 4 * HOUR;
    const decision = decide(
      ticket,
      { action: 'propose-resolution', command: { actor: 'marc', resolution: 'Toner replaced' } },
      proposedAt,
    );
    if (!decision.accepted) throw new Error(decision.refusal.message);
    const proposed = applyChanges(ticket, decision.changes);
    const replan = { autoValidationFrom: proposedAt };
    const replanned = await planned(proposed, replan, proposedAt);
    if (proposed.terms!.autoValidates) {
      expect(decision.replan).toEqual(replan);
      expect(replanned.autoValidateAt).toBeGreaterThan(proposedAt);
    } else {
      expect(decision.replan).toBeUndefined();
      expect(replanned).toEqual(proposed);
    }
  });
});
