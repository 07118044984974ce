import { ApplicationFailure, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { InvoicingActivities } from '../activities/invoicing';
import { periodProblem, previousQuarter, type InvoicePeriod } from '../contracts/invoice-period';
import { invoicingProgressQuery, type InvoicingInput, type InvoicingProgress, type InvoicingResult } from '../contracts/invoicing';

const retry = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' } as const;

const { listCustomersToInvoice } = proxyActivities<InvoicingActivities>({ startToCloseTimeout: '1 minute', retry });

// One invoice may gather thousands of lines: a long budget, but a silent worker is noticed within the heartbeat timeout.
const { createInvoice } = proxyActivities<InvoicingActivities>({ startToCloseTimeout: '30 minutes', heartbeatTimeout: '1 minute', retry });

/**
 * A scheduled run has no arguments (a Schedule repeats the same ones every time): it invoices the quarter
 * before the one it started in. Workflow start time is replay-safe; a run delayed by the Schedule's catch-up
 * window still lands in the right quarter unless it is held back by a whole quarter.
 */
function periodOf(input: InvoicingInput): InvoicePeriod {
  if (input.periodStart === undefined && input.periodEnd === undefined) return previousQuarter(workflowInfo().startTime.getTime());
  const period = { periodStart: input.periodStart ?? '', periodEnd: input.periodEnd ?? '' };
  const problem = periodProblem(period);
  if (problem) throw ApplicationFailure.nonRetryable(problem, 'INVALID_ARGUMENT');
  return period;
}

/** Invoices every customer with unbilled lines for the period, one activity each; a re-run invoices nobody twice. */
export async function invoicingWorkflow(input: InvoicingInput = {}): Promise<InvoicingResult> {
  const period = periodOf(input);
  const progress: InvoicingProgress = { phase: 'listing', period, customersTotal: 0, customersDone: 0, invoiceNumbers: [] };
  setHandler(invoicingProgressQuery, () => progress);

  const customers = await listCustomersToInvoice(period);
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
