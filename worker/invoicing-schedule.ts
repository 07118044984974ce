import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import { INVOICING_FREQUENCIES, type InvoicingFrequency } from '../messages/accounts';
import { DESK_ZONE } from '../messages/desk-zone';
import { INVOICING_SCHEDULE_IDS, INVOICING_WORKFLOW_TYPE, type InvoicingInput } from '../messages/invoicing';

const FIRST_MONTHS: Record<InvoicingFrequency, ScheduleMonths> = {
  quarterly: ['JANUARY', 'APRIL', 'JULY', 'OCTOBER'],
  monthly: '*',
};
type ScheduleMonths = '*' | Array<'JANUARY' | 'APRIL' | 'JULY' | 'OCTOBER'>;

function invoicingSchedule(frequency: InvoicingFrequency, taskQueue: string): ScheduleOptions {
  const scheduleId = INVOICING_SCHEDULE_IDS[frequency];
  // No dates: the workflow invoices the period before its start (a Schedule cannot compute them per run).
  const args: [InvoicingInput] = [{ frequency }];
  return {
    scheduleId,
    spec: { calendars: [{ month: FIRST_MONTHS[frequency], dayOfMonth: 1, hour: 2, minute: 0 }], timezone: DESK_ZONE },
    action: { type: 'startWorkflow', workflowType: INVOICING_WORKFLOW_TYPE, workflowId: scheduleId, taskQueue, args },
    // A missed run (worker or server down over the 1st) still has to happen: invoices are not optional.
    policies: { overlap: ScheduleOverlapPolicy.BUFFER_ONE, catchupWindow: '7 days' },
  };
}

/** Creates the monthly and quarterly invoicing Schedules, or brings existing ones to this definition; safe on every start. */
export async function ensureInvoicingSchedules(client: Client, taskQueue: string): Promise<void> {
  for (const frequency of INVOICING_FREQUENCIES) {
    const options = invoicingSchedule(frequency, taskQueue);
    try {
      await client.schedule.create(options);
    } catch (error) {
      if (!(error instanceof ScheduleAlreadyRunning)) throw error;
      await client.schedule.getHandle(options.scheduleId).update((previous) => ({
        ...previous,
        spec: options.spec,
        action: options.action,
        policies: { ...previous.policies, ...options.policies },
      }));
    }
  }
}
