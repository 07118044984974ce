import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { ApplicationFailure } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { getTicketQuery, TICKET_UPDATES } from '../../messages/ticket';
import { WORKFLOW_CODE } from '../../worker/workflow-code';
import { eventually } from '../support/eventually';
import { TicketHarness } from '../support/ticket-harness';

jest.setTimeout(180_000);

const EventType = temporal.api.enums.v1.EventType;

/**
 * Registration is a local activity (workflows/ticket.ts): it runs inside the workflow task that opens the ticket, and
 * one slower than that task's timeout keeps the task alive by completing it and taking a new one, in which Updates
 * sent meanwhile arrive. The harness's worker keeps no workflow in its cache, so every task replays the history from
 * the start: an order of events the code would not replay fails the task there, and again in the replay below.
 */
describe('a registration slower than its workflow task, on the time-skipping server', () => {
  let harness: TicketHarness;

  afterEach(async () => {
    await harness?.stop();
  });

  it('answers the actions sent meanwhile once it is done, each applied once, and its history replays', async () => {
    harness = await TicketHarness.start();
    const release = harness.gates.registration.hold();
    // A short task timeout: the worker renews a task held by a local activity at four fifths of it.
    const handle = await harness.open(
      { ticketNumber: 'VIG-000190', policyId: 'econnect', priority: 'P3' },
      {},
      { workflowTaskTimeout: '2 seconds' },
    );
    // The registration waits at its gate.
    expect(
      await eventually(
        async () => harness.gates.registration.waiting,
        (held) => held > 0,
        90_000,
      ),
    ).toBeGreaterThan(0);

    const actions = Promise.all([
      handle.executeUpdate(TICKET_UPDATES['take-charge'], { args: [{ actor: 'marc' }] }),
      handle.executeUpdate(TICKET_UPDATES['set-priority'], { args: [{ actor: 'desk-lead', priority: 'P2' }] }),
    ]);
    const eventsOfType = async (type: temporal.api.enums.v1.EventType) =>
      ((await handle.fetchHistory()).events ?? []).filter((event) => event.eventType === type).length;
    // Both actions admitted to the workflow while the registration still runs, in tasks the held one renewed.
    const accepted = () => eventsOfType(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED);
    expect(await eventually(accepted, (count) => count >= 2, 90_000)).toBeGreaterThanOrEqual(2);
    expect(await eventsOfType(EventType.EVENT_TYPE_MARKER_RECORDED)).toBe(0);
    expect(harness.recorded.acknowledged).toHaveLength(0);
    // More actions around the registration's end, so that some reach the task in which its result arrives. Each is
    // judged on the ticket as it stands when it arrives: a reassignment that comes while the ticket is still a request
    // is refused (a ticket is reassigned once acknowledged), one that comes after is applied.
    const reassign = (agent: string) =>
      handle.executeUpdate(TICKET_UPDATES.reassign, { args: [{ actor: 'desk-lead', agent }] }).then(
        () => 'applied',
        (error: unknown) =>
          (error instanceof WorkflowUpdateFailedError && (error.cause as ApplicationFailure)?.type) || error,
      );
    const around = [reassign('agent-1'), reassign('agent-2')];
    release();
    around.push(reassign('agent-3'), reassign('agent-4'));

    const [takenInCharge, reprioritised] = await actions;
    expect(takenInCharge.status).toBe('support');
    expect(reprioritised.priority).toBe('P2');
    const outcomes = await Promise.all(around);
    expect(outcomes.filter((outcome) => outcome !== 'applied' && outcome !== 'INVALID_TRANSITION')).toEqual([]);
    const ticket = await harness.settle(handle);
    expect(ticket).toMatchObject({ status: 'support', priority: 'P2' });
    const count = (type: string) => ticket.events.filter((event) => event.type === type).length;
    const applied = outcomes.filter((outcome) => outcome === 'applied').length;
    expect(['acknowledged', 'taken-in-charge', 'priority-set', 'reassigned'].map(count)).toEqual([1, 1, 1, applied]);
    // Registered once, however many tasks it spanned (a task that timed out on a loaded machine runs the activity
    // again, and its write, keyed by the workflow, is the same): the read model followed to the ticket's revision.
    expect(new Set(harness.recorded.acknowledged.map(({ revision }) => revision)).size).toBe(1);
    expect(harness.recorded.revisions).toContain(ticket.revision);
    expect(await eventsOfType(EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED)).toBe(0);

    const history = await handle.fetchHistory();
    await expect(Worker.runReplayHistory(WORKFLOW_CODE, history, handle.workflowId)).resolves.toBeUndefined();
    expect((await handle.query(getTicketQuery)).revision).toBe(ticket.revision);
    await harness.keepHistory(handle, 'registration-outlasting-its-task');
  });
});
