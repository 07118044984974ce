/**
 * The contract of the invoicing workflow: its names, input, result and the progress Query. Periods are civil
 * dates (YYYY-MM-DD, both ends included) in the issuer's zone.
 */
import { defineQuery } from '@temporalio/workflow';
import type { InvoicePeriod } from './invoice-period';

export type { InvoicePeriod } from './invoice-period';

export const INVOICING_WORKFLOW_TYPE = 'invoicingWorkflow';
export const INVOICING_SCHEDULE_ID = 'vigil-invoicing-quarterly';

/** One run per period: starting it again under this ID while it runs is refused by Temporal. */
export function invoicingWorkflowId({ periodStart, periodEnd }: InvoicePeriod): string {
  return `invoicing-${periodStart}-${periodEnd}`;
}

/**
 * Both dates, or neither: a Schedule starts every run with the same arguments, so a scheduled run passes none
 * and the workflow invoices the quarter before the one it starts in.
 */
export type InvoicingInput = Partial<InvoicePeriod>;

export interface InvoicingProgress {
  phase: 'listing' | 'invoicing' | 'done';
  period: InvoicePeriod;
  customersTotal: number;
  customersDone: number;
  invoiceNumbers: string[];
}

export interface InvoicingResult extends InvoicePeriod {
  /** The invoices this run created, in the order they were numbered; empty when the period was invoiced already. */
  invoiceNumbers: string[];
}

export const invoicingProgressQuery = defineQuery<InvoicingProgress>('invoicingProgress');
