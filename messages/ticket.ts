/**
 * The contract between the API and the ticket workflow: names, inputs, the state a query returns and the
 * messages. Both sides import this module; the API never imports workflow code. Instants are epoch milliseconds.
 */
import type { UpdateDefinition } from '@temporalio/common';
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { SlaClock } from '../domain/sla/clock';
import type { TicketStatus } from '../domain/ticket/status';
import type { PolicyTerms } from '../domain/policy/terms';
import type { Metric } from '../domain/policy/vocabulary';
import type { RateCard } from '../domain/pricing/rate-card';
import type { OpenTicketInput } from './open-ticket';
import type { Channel } from './principal';
import { TICKET_ACTION_NAMES, type CommandOf, type TicketActionName, type TicketEventType } from './ticket-actions';

export { PRIORITIES, TICKET_KINDS, type Priority, type TicketKind } from '../domain/policy/vocabulary';

export const TICKET_TASK_QUEUE = 'vigil-tickets';

/**
 * The task queues a ticket's threshold notices and its read-model writes run on, named after the ticket's own queue so
 * that every deployment (and every end-to-end stack, each on a queue of its own) has its pair. Workers of their own
 * serve them (worker/create-worker.ts): a burst of new tickets fills the ticket queue, not these.
 */
export const noticeTaskQueue = (ticketQueue: string): string => `${ticketQueue}-notices`;
export const readModelTaskQueue = (ticketQueue: string): string => `${ticketQueue}-read-model`;
export const TICKET_WORKFLOW_TYPE = 'ticketWorkflow';

export function ticketWorkflowId(ticketNumber: string): string {
  return `ticket-${ticketNumber}`;
}

// The workflow's input and its contact, typed from their one schema (messages/open-ticket.ts); only the types travel here,
// so that the schema stays out of the workflow bundle.
export type { Contact, OpenTicketInput } from './open-ticket';

/** Why work waits for a quote: it is outside the contract, or longer than the contract allows unquoted. */
export const QUOTE_REASONS = ['excluded-work', 'long-intervention'] as const;

export interface Quote {
  status: 'required' | 'submitted' | 'accepted' | 'declined';
  reason: (typeof QUOTE_REASONS)[number];
  estimateMinutes?: number;
  amountCents?: number;
  submittedBy?: string;
  submittedAt?: number;
  decidedBy?: string;
  decidedAt?: number;
  declineReason?: string;
}

export type { TicketEventType } from './ticket-actions';

export interface TicketEvent {
  at: number;
  type: TicketEventType;
  /** Who acted, by name (absent for what the ticket does on its own: a deadline passed, a threshold reached). */
  by?: string;
  /** Who acted for sure and how (messages/principal.ts Acting); absent on events recorded before they were kept. */
  actorId?: string;
  channel?: Channel;
  /** People's own words: a question, a reply, a resolution. What the ticket does on its own carries data instead. */
  note?: string;
  /** sla-threshold, sla-breached: the clock. Worded by each reader in its language (api/web/ticket-history.ts). */
  metric?: Metric;
  /** sla-threshold: the share of the clock's target used. */
  percent?: number;
  /** sla-threshold: whom its notice went to, as the policy's escalation level names them (desk roles, contacts). */
  notified?: string[];
  /**
   * estimate-recorded, quote-submitted: the figures `note` words in English, as data for each reader to word in its
   * language (api/web/ticket-history.ts): the estimate, the quoted amount in cents, why a quote is needed, and the
   * submitter's own words. Absent on events recorded before they were kept, which have their note only.
   */
  estimateMinutes?: number;
  amountCents?: number;
  quoteReason?: Quote['reason'];
  remark?: string;
}

/**
 * Why a ticket was refused at its registration, as data: the refusal mail words it in the customer's language
 * (mail/render.ts), the API in English (api/ticket-view.ts). Out of hours, where the policy says so, only the contacts
 * the contract names may open an incident (the care-solutions preset).
 */
export const REGISTRATION_REFUSAL_REASONS = ['contact-not-authorized-out-of-hours'] as const;
export interface RegistrationRefusal {
  reason: (typeof REGISTRATION_REFUSAL_REASONS)[number];
  /** The address that opened the ticket. */
  contact: string;
}

/**
 * A time entry as the ticket keeps it: the log-time command, by its one schema (messages/ticket-actions.ts), whose actor
 * is the agent who worked the time.
 */
export type TimeEntry = Omit<CommandOf<'log-time'>, 'actor'> & { agent: CommandOf<'log-time'>['actor'] };

export interface BillingLine {
  description: string;
  minutes: number;
  rateCents: number;
  multiplier: number;
  amountCents: number;
}

export interface BillingSummary {
  lines: BillingLine[];
  totalCents: number;
}

export type { RateCard } from '../domain/pricing/rate-card';

export interface TicketState extends OpenTicketInput {
  status: TicketStatus;
  /** Bumped on every change, so that the read model never goes back to an older state. */
  revision: number;
  openedAt: number;
  /** The policy version in force at registration: the ticket keeps it for life. */
  policyVersion?: number;
  /** Whether the desk has validated the priority (the customer's proposal until then). */
  priorityConfirmed: boolean;
  acknowledgedAt?: number;
  assignee?: string;
  takenInChargeAt?: number;
  interventionStartedAt?: number;
  workaroundAt?: number;
  resolution?: string;
  resolutionProposedAt?: number;
  autoValidateAt?: number;
  validatedAt?: number;
  validatedBy?: string;
  cancelledAt?: number;
  cancelReason?: string;
  clocks: SlaClock[];
  slaBreached: boolean;
  /** From the policy: what a time entry must name to be priced (null: the policy bills nothing). */
  rateCard?: RateCard | null;
  /** From the policy version: its gates and clock rules (set at registration). */
  terms?: PolicyTerms;
  refusal?: RegistrationRefusal;
  quote?: Quote;
  releaseAt?: number;
  /** Re-arming the thresholds (a priority change) starts a new generation: each threshold notifies once per generation. */
  thresholdGeneration: number;
  notifiedThresholds: string[];
  timeEntries: TimeEntry[];
  billing?: BillingSummary;
  events: TicketEvent[];
}

/** What a ticket's clocks are measured with: its state without its history (what a list of tickets reads). */
export type ClockFacts = Pick<
  TicketState,
  'openedAt' | 'kind' | 'priority' | 'channel' | 'emergencyResponseTarget' | 'policyId' | 'policyVersion' | 'clocks'
>;

/** A time entry as the workflow takes it (the other commands: CommandOf<name>, messages/ticket-actions.ts). */
export type LogTimeCommand = CommandOf<'log-time'>;

export const getTicketQuery = defineQuery<TicketState>('getTicket');

/**
 * Sent with the start of a ticket's workflow (Update-with-start, api/routes/tickets.ts): answers the ticket once it is
 * registered, acknowledged or refused, its deadlines planned; sent to a running ticket, its state now. The one Update
 * that is no action of the table (messages/ticket-actions.ts): it changes nothing.
 */
export const registeredUpdate = defineUpdate<TicketState, []>('registered');

/** The Update of each action of the table, named after it: the workflow registers one handler per entry. */
export type TicketUpdates = { [Name in TicketActionName]: UpdateDefinition<TicketState, [CommandOf<Name>], Name> };
export const TICKET_UPDATES = Object.fromEntries(
  TICKET_ACTION_NAMES.map((name) => [name, defineUpdate(name)]),
) as TicketUpdates;
