import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { TICKET_UPDATES } from '../../messages/ticket';
import type { ticketWorkflow } from '../../workflows';
import { WORKFLOW_CODE } from '../../worker/workflow-code';
import { TicketHarness } from '../support/ticket-harness';

jest.setTimeout(180_000);

const EventType = temporal.api.enums.v1.EventType;

/** Polls `check` until it holds: conditions, not durations, so that a loaded machine only makes the test slower. */
async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`never happened: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const eventsOfType = async (handle: WorkflowHandle<typeof ticketWorkflow>, type: temporal.api.enums.v1.EventType) =>
  ((await handle.fetchHistory()).events ?? []).filter((event) => event.eventType === type).length;

/** No task of the run failed (a nondeterminism would fail one on this uncached worker), and its history replays. */
async function expectReplays(handle: WorkflowHandle<typeof ticketWorkflow>): Promise<void> {
  expect(await eventsOfType(handle, EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED)).toBe(0);
  const history = await handle.fetchHistory();
  await expect(Worker.runReplayHistory(WORKFLOW_CODE, history, handle.workflowId)).resolves.toBeUndefined();
}

/**
 * A ticket's registration and its plans are local activities (workflows/ticket.ts): each runs inside the workflow
 * task of the change that asks for it, and one slower than that task's timeout keeps the task alive by completing it
 * and taking a new one, in which Updates sent meanwhile arrive. The harness's worker keeps no workflow in its cache,
 * so every task replays the history from the start: an order of events the code would not replay fails the task there,
 * and again in the replay at the end. A short task timeout: the worker renews a task held by a local activity at four
 * fifths of it.
 */
describe('local activities slower than their workflow task, on the time-skipping server', () => {
  let harness: TicketHarness;

  afterEach(async () => {
    await harness?.stop();
  });

  const reassign = (handle: WorkflowHandle<typeof ticketWorkflow>, agent: string) =>
    handle.executeUpdate(TICKET_UPDATES.reassign, { args: [{ actor: 'desk-lead', agent }] });

  it('a registration answers the actions sent meanwhile once it is done, each applied once, and its history replays', async () => {
    harness = await TicketHarness.start();
    const release = harness.gates.registration.hold();
    const handle = await harness.open(
      { ticketNumber: 'VIG-000190', policyId: 'econnect', priority: 'P3' },
      {},
      { workflowTaskTimeout: '2 seconds' },
    );
    await until(() => harness.gates.registration.waiting > 0, 'the registration waits at its gate');

    const actions = Promise.all([
      handle.executeUpdate(TICKET_UPDATES['take-charge'], { args: [{ actor: 'marc' }] }),
      handle.executeUpdate(TICKET_UPDATES['set-priority'], { args: [{ actor: 'desk-lead', priority: 'P2' }] }),
    ]);
    // Both actions admitted to the workflow while the registration still runs, in tasks the held one renewed.
    await until(
      async () => (await eventsOfType(handle, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED)) >= 2,
      'both actions accepted during the registration',
    );
    expect(await eventsOfType(handle, EventType.EVENT_TYPE_MARKER_RECORDED)).toBe(0);
    expect(harness.recorded.acknowledged).toHaveLength(0);
    // More actions around the registration's end, so that some reach the task in which its result arrives.
    const around = [reassign(handle, 'agent-1'), reassign(handle, 'agent-2')];
    release();
    around.push(reassign(handle, 'agent-3'), reassign(handle, 'agent-4'));

    const [takenInCharge, reprioritised] = await actions;
    expect(takenInCharge.status).toBe('support');
    expect(reprioritised.priority).toBe('P2');
    await Promise.all(around);
    const ticket = await harness.settle(handle);
    expect(ticket).toMatchObject({ status: 'support', priority: 'P2' });
    const count = (type: string) => ticket.events.filter((event) => event.type === type).length;
    expect(['acknowledged', 'taken-in-charge', 'priority-set', 'reassigned'].map(count)).toEqual([1, 1, 1, 4]);
    // Registered once, however many tasks it spanned (a task that timed out on a loaded machine runs the activity
    // again, and its write, keyed by the workflow, is the same): the read model followed to the ticket's revision.
    expect(new Set(harness.recorded.acknowledged.map(({ revision }) => revision)).size).toBe(1);
    expect(harness.recorded.revisions).toContain(ticket.revision);
    await expectReplays(handle);
    await harness.keepHistory(handle, 'registration-outlasting-its-task');
  });

  it('a plan lets the actions sent meanwhile commit at once, answers its own once done, and its history replays', async () => {
    harness = await TicketHarness.start();
    const handle = await harness.open(
      { ticketNumber: 'VIG-000191', policyId: 'econnect', priority: 'P3' },
      {},
      { workflowTaskTimeout: '2 seconds' },
    );
    await handle.executeUpdate(TICKET_UPDATES['take-charge'], { args: [{ actor: 'marc' }] });
    await harness.settle(handle);
    const markersBefore = await eventsOfType(handle, EventType.EVENT_TYPE_MARKER_RECORDED);
    const acceptedBefore = await eventsOfType(handle, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED);

    // A new priority moves every deadline: its answer waits for the plan, held here.
    const release = harness.gates.plans.hold();
    const reprioritised = handle.executeUpdate(TICKET_UPDATES['set-priority'], {
      args: [{ actor: 'desk-lead', priority: 'P2' }],
    });
    await until(() => harness.gates.plans.waiting > 0, 'the plan waits at its gate');
    // Reassignments need no plan: each commits in the task that delivers it, search attributes and read-model write
    // scheduled, while the plan still runs.
    const during = ['agent-1', 'agent-2', 'agent-3'].map((agent) => reassign(handle, agent));
    await Promise.all(during);
    expect(await eventsOfType(handle, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED)).toBe(
      acceptedBefore + 4,
    );
    expect(await eventsOfType(handle, EventType.EVENT_TYPE_MARKER_RECORDED)).toBe(markersBefore);
    const around = [reassign(handle, 'agent-4')];
    release();
    around.push(reassign(handle, 'agent-5'), reassign(handle, 'agent-6'));

    expect((await reprioritised).priority).toBe('P2');
    await Promise.all(around);
    const ticket = await harness.settle(handle);
    expect(ticket).toMatchObject({ status: 'support', priority: 'P2' });
    expect(ticket.events.filter((event) => event.type === 'reassigned')).toHaveLength(6);
    expect(ticket.events.filter((event) => event.type === 'priority-set')).toHaveLength(1);
    await expectReplays(handle);
    await harness.keepHistory(handle, 'plan-outlasting-its-task');
  });
});
