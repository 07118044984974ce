import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { TicketActivities } from '../../activities/ticket-activities';
import {
  getTicketQuery,
  proposeResolutionUpdate,
  takeChargeUpdate,
  validateUpdate,
  type OpenTicketInput,
  type TicketState,
} from '../../contracts/ticket';
import { ticketWorkflow } from '../../workflows';
import { createTimeSkippingEnv } from '../support/time-skipping';

jest.setTimeout(60_000);

const input: OpenTicketInput = {
  ticketNumber: 'VIG-000042',
  customerId: 'acme',
  policyId: 'econnect',
  kind: 'incident',
  priority: 'P2',
  title: 'Mail server rejects logins',
  description: 'Since 08:00 nobody can log in to webmail.',
  contact: { name: 'Ana Lopes', email: 'ana@acme.lu' },
};

interface Recorded {
  acknowledged: TicketState[];
  recorded: number[];
  billed: TicketState[];
}

function mockActivities(recorded: Recorded): TicketActivities {
  return {
    acknowledgeTicket: async (ticket) => {
      recorded.acknowledged.push(ticket);
    },
    recordTicketState: async (ticket) => {
      recorded.recorded.push(ticket.revision);
    },
    billTicket: async (ticket) => {
      recorded.billed.push(ticket);
      return { minutes: ticket.minutesWorked ?? 0, hourlyRateCents: 10_000, amountCents: 4_500 };
    },
  };
}

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function refusal(promise: Promise<unknown>): Promise<ApplicationFailure> {
  const error = await promise.then(
    () => undefined,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
  const cause = (error as WorkflowUpdateFailedError).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  return cause as ApplicationFailure;
}

describe('ticket workflow (time-skipping server, activities mocked)', () => {
  let env: TestWorkflowEnvironment;
  let recorded: Recorded;
  let worker: Worker;
  let workerRun: Promise<void>;
  let taskQueue: string;

  // A server per test: time skipping is global to a server, so one test's workflows must not drive another's clock.
  beforeEach(async () => {
    env = await createTimeSkippingEnv();
    recorded = { acknowledged: [], recorded: [], billed: [] };
    taskQueue = `test-${expect.getState().currentTestName?.replace(/\W+/g, '-')}`;
    worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: require.resolve('../../workflows'),
      activities: mockActivities(recorded),
    });
    workerRun = worker.run();
  });

  afterEach(async () => {
    worker.shutdown();
    await workerRun;
    await env.teardown();
  });

  const start = (ticketNumber = input.ticketNumber) =>
    env.client.workflow.start(ticketWorkflow, { taskQueue, workflowId: `ticket-${ticketNumber}`, args: [{ ...input, ticketNumber }] });

  it('walks request → acknowledgement → support → validation → closed, then bills once', async () => {
    const handle = await start();

    const inSupport = await handle.executeUpdate(takeChargeUpdate, { args: [{ agent: 'marc' }] });
    expect(inSupport).toMatchObject({ status: 'support', assignee: 'marc' });
    expect(recorded.acknowledged).toHaveLength(1);
    expect(recorded.acknowledged[0]).toMatchObject({ ticketNumber: 'VIG-000042', status: 'request' });

    const inValidation = await handle.executeUpdate(proposeResolutionUpdate, {
      args: [{ agent: 'marc', resolution: 'Restarted the IMAP service', minutesWorked: 27 }],
    });
    expect(inValidation).toMatchObject({ status: 'validation', resolution: 'Restarted the IMAP service', minutesWorked: 27 });

    const closed = await handle.executeUpdate(validateUpdate, { args: [{ contact: 'ana@acme.lu', comment: 'works again' }] });
    expect(closed).toMatchObject({ status: 'closed', validatedBy: 'ana@acme.lu' });

    const final = await handle.result();
    expect(final.status).toBe('closed');
    expect(final.billing).toEqual({ minutes: 27, hourlyRateCents: 10_000, amountCents: 4_500 });
    expect(final.events.map((event) => event.type)).toEqual([
      'opened',
      'acknowledged',
      'taken-in-charge',
      'resolution-proposed',
      'validated',
      'billed',
    ]);
    expect(recorded.billed).toHaveLength(1);
    expect(recorded.billed[0]).toMatchObject({ status: 'closed', minutesWorked: 27 });
    // The read model saw the final revision, in order.
    expect(recorded.recorded.at(-1)).toBe(final.revision);
    expect([...recorded.recorded].sort((a, b) => a - b)).toEqual(recorded.recorded);
  });

  it('refuses an action the status does not allow, with a reason, and changes nothing', async () => {
    const handle = await start('VIG-000043');
    await handle.executeUpdate(takeChargeUpdate, { args: [{ agent: 'marc' }] });
    const before = await handle.query(getTicketQuery);

    const failure = await refusal(handle.executeUpdate(validateUpdate, { args: [{ contact: 'ana@acme.lu' }] }));
    expect(failure.type).toBe('INVALID_TRANSITION');
    expect(failure.message).toBe("cannot validate a ticket in status 'support': only a ticket in validation can");

    const again = await refusal(handle.executeUpdate(takeChargeUpdate, { args: [{ agent: 'julie' }] }));
    expect(again.type).toBe('INVALID_TRANSITION');

    expect(await handle.query(getTicketQuery)).toEqual(before);
    await handle.terminate('test over');
  });

  it('refuses a malformed command naming the field', async () => {
    const handle = await start('VIG-000044');
    await handle.executeUpdate(takeChargeUpdate, { args: [{ agent: 'marc' }] });

    const failure = await refusal(
      handle.executeUpdate(proposeResolutionUpdate, { args: [{ agent: 'marc', resolution: 'done', minutesWorked: -5 }] }),
    );
    expect(failure.type).toBe('INVALID_ARGUMENT');
    expect(failure.message).toBe('minutesWorked: expected a non-negative integer');
    expect((await handle.query(getTicketQuery)).status).toBe('support');
    await handle.terminate('test over');
  });

  it('keeps waiting for validation across days of skipped time', async () => {
    const handle = await start('VIG-000045');
    await handle.executeUpdate(takeChargeUpdate, { args: [{ agent: 'marc' }] });
    await handle.executeUpdate(proposeResolutionUpdate, { args: [{ agent: 'marc', resolution: 'done', minutesWorked: 5 }] });

    // Skipping time while an activity is in flight would time it out: let the read model catch up first.
    const { revision } = await handle.query(getTicketQuery);
    await waitFor(() => recorded.recorded.includes(revision));
    await env.sleep('30 days');
    const waiting = await handle.query(getTicketQuery);
    expect(waiting.status).toBe('validation');
    expect(recorded.billed).toHaveLength(0);

    await handle.executeUpdate(validateUpdate, { args: [{ contact: 'ana@acme.lu' }] });
    expect((await handle.result()).status).toBe('closed');
  });
});
