import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import { INVOICING_ZONE } from '../contracts/invoice-period';
import { INVOICING_SCHEDULE_ID, INVOICING_WORKFLOW_TYPE } from '../contracts/invoicing';

// TODO(issue 6): customers whose contract says monthly, or invoices on request, need a schedule (or a start)
// of their own; until contracts exist every customer is invoiced quarterly.
function quarterlyInvoicing(taskQueue: string): ScheduleOptions {
  return {
    scheduleId: INVOICING_SCHEDULE_ID,
    spec: {
      calendars: [{ month: ['JANUARY', 'APRIL', 'JULY', 'OCTOBER'], dayOfMonth: 1, hour: 2, minute: 0 }],
      timezone: INVOICING_ZONE,
    },
    // No arguments: the workflow invoices the quarter before its start (a Schedule cannot compute them per run).
    action: { type: 'startWorkflow', workflowType: INVOICING_WORKFLOW_TYPE, workflowId: INVOICING_SCHEDULE_ID, taskQueue, args: [] },
    // A missed run (worker or server down over the 1st) still has to happen: invoices are not optional.
    policies: { overlap: ScheduleOverlapPolicy.BUFFER_ONE, catchupWindow: '7 days' },
  };
}

/** Creates the quarterly invoicing Schedule, or brings an existing one to this definition; safe on every start. */
export async function ensureInvoicingSchedule(client: Client, taskQueue: string): Promise<void> {
  const options = quarterlyInvoicing(taskQueue);
  try {
    await client.schedule.create(options);
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    await client.schedule.getHandle(options.scheduleId).update((previous) => ({ ...previous, spec: options.spec, action: options.action, policies: { ...previous.policies, ...options.policies } }));
  }
}
