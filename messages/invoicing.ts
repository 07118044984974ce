/**
 * The contract of the invoicing workflow: its names, input, result and the progress Query. Periods are civil
 * dates (YYYY-MM-DD, both ends included) in the issuer's zone.
 */
import { defineQuery } from '@temporalio/workflow';
import type { InvoicingFrequency } from './accounts';
import type { InvoicePeriod } from './invoice-period';

export type { InvoicePeriod } from './invoice-period';

export const INVOICING_WORKFLOW_TYPE = 'invoicingWorkflow';
/** One Schedule per frequency a contract may ask for. */
export const INVOICING_SCHEDULE_IDS: Record<InvoicingFrequency, string> = {
  quarterly: 'vigil-invoicing-quarterly',
  monthly: 'vigil-invoicing-monthly',
};

/**
 * Both dates, or neither: a Schedule starts every run with the same arguments, so a scheduled run passes no
 * dates and the workflow invoices the month or quarter before the one it starts in. A run invoices the customers
 * whose contracts say `frequency` (quarterly, the default, for customers without a contract).
 */
export type InvoicingInput = Partial<InvoicePeriod> & { frequency?: InvoicingFrequency };

export interface InvoicingProgress {
  phase: 'listing' | 'invoicing' | 'done';
  frequency: InvoicingFrequency;
  period: InvoicePeriod;
  customersTotal: number;
  customersDone: number;
  invoiceNumbers: string[];
}

export interface InvoicingTarget extends InvoicePeriod {
  frequency: InvoicingFrequency;
}

export interface InvoicingResult extends InvoicePeriod {
  /** The invoices this run created, in the order they were numbered; empty when the period was invoiced already. */
  invoiceNumbers: string[];
}

export const invoicingProgressQuery = defineQuery<InvoicingProgress>('invoicingProgress');
