import { ApplicationFailure, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { InvoicingActivities } from '../activities/invoicing';
import { periodProblem, previousMonth, previousQuarter, type InvoicePeriod } from '../messages/invoice-period';
import {
  invoicingProgressQuery,
  type InvoicingInput,
  type InvoicingProgress,
  type InvoicingResult,
} from '../messages/invoicing';

const retry = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' } as const;

const { listCustomersToInvoice } = proxyActivities<InvoicingActivities>({ startToCloseTimeout: '1 minute', retry });

// One invoice may gather thousands of lines: a long budget, but a silent worker is noticed within the heartbeat timeout.
const { createInvoice } = proxyActivities<InvoicingActivities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '1 minute',
  retry,
});

/**
 * A scheduled run has no dates (a Schedule repeats the same arguments every time): it invoices the month or
 * quarter before the one it started in. Workflow start time is replay-safe; a run delayed by the Schedule's
 * catch-up window still lands in the right period unless it is held back by a whole one.
 */
function periodOf(input: InvoicingInput): InvoicePeriod {
  if (input.periodStart === undefined && input.periodEnd === undefined) {
    const startedAt = workflowInfo().startTime.getTime();
    return input.frequency === 'monthly' ? previousMonth(startedAt) : previousQuarter(startedAt);
  }
  const period = { periodStart: input.periodStart ?? '', periodEnd: input.periodEnd ?? '' };
  const problem = periodProblem(period);
  if (problem) throw ApplicationFailure.nonRetryable(problem, 'INVALID_ARGUMENT');
  return period;
}

/**
 * Invoices every customer of the frequency with unbilled lines or contract fees for the period, one activity
 * each; a re-run invoices nobody twice.
 */
export async function invoicingWorkflow(input: InvoicingInput = {}): Promise<InvoicingResult> {
  const period = periodOf(input);
  const frequency = input.frequency ?? 'quarterly';
  const progress: InvoicingProgress = {
    phase: 'listing',
    frequency,
    period,
    customersTotal: 0,
    customersDone: 0,
    invoiceNumbers: [],
  };
  setHandler(invoicingProgressQuery, () => progress);

  const customers = await listCustomersToInvoice({ ...period, frequency });
  progress.phase = 'invoicing';
  progress.customersTotal = customers.length;
  // One after the other: numbers are handed out in customer order, and the counter row serialises them anyway.
  for (const customerId of customers) {
    const invoice = await createInvoice({ customerId, ...period });
    if (invoice?.created) progress.invoiceNumbers.push(invoice.number);
    progress.customersDone += 1;
  }
  progress.phase = 'done';
  return { ...period, invoiceNumbers: [...progress.invoiceNumbers] };
}
