/**
 * The contract between the API and the ticket workflow: names, inputs, the state a query returns and the
 * messages. Both sides import this module; the API never imports workflow code.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Priority, TicketKind } from '../domain/policy/vocabulary';
import type { TicketStatus } from '../domain/ticket/lifecycle';

export { PRIORITIES, TICKET_KINDS, type Priority, type TicketKind } from '../domain/policy/vocabulary';

export const TICKET_TASK_QUEUE = 'vigil-tickets';
export const TICKET_WORKFLOW_TYPE = 'ticketWorkflow';

export function ticketWorkflowId(ticketNumber: string): string {
  return `ticket-${ticketNumber}`;
}

export interface Contact {
  name: string;
  email: string;
}

export interface OpenTicketInput {
  ticketNumber: string;
  customerId: string;
  policyId: string;
  kind: TicketKind;
  priority: Priority;
  title: string;
  description: string;
  contact: Contact;
}

export interface TicketEvent {
  /** Epoch milliseconds (workflow time). */
  at: number;
  type: 'opened' | 'acknowledged' | 'taken-in-charge' | 'resolution-proposed' | 'validated' | 'billed';
  by?: string;
  note?: string;
}

export interface BillingSummary {
  minutes: number;
  hourlyRateCents: number;
  amountCents: number;
}

export interface TicketState extends OpenTicketInput {
  status: TicketStatus;
  /** Bumped on every change, so that the read model never goes back to an older state. */
  revision: number;
  openedAt: number;
  acknowledgedAt?: number;
  assignee?: string;
  takenInChargeAt?: number;
  resolution?: string;
  minutesWorked?: number;
  resolutionProposedAt?: number;
  validatedAt?: number;
  validatedBy?: string;
  billing?: BillingSummary;
  events: TicketEvent[];
}

export interface TakeChargeCommand {
  agent: string;
}

export interface ProposeResolutionCommand {
  agent: string;
  resolution: string;
  /** Time worked on the ticket; billed by the started minute. */
  minutesWorked: number;
}

export interface ValidateCommand {
  /** The customer contact who validates. */
  contact: string;
  comment?: string;
}

export const getTicketQuery = defineQuery<TicketState>('getTicket');
export const takeChargeUpdate = defineUpdate<TicketState, [TakeChargeCommand]>('take-charge');
export const proposeResolutionUpdate = defineUpdate<TicketState, [ProposeResolutionCommand]>('propose-resolution');
export const validateUpdate = defineUpdate<TicketState, [ValidateCommand]>('validate');
