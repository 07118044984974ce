import { DomainError } from '../errors';

/**
 * The phases every ticket walks (DOMAIN.md): request → acknowledgement → support → validation, then closed.
 * `waiting` is support paused on the customer, `scheduled` a change waiting for its release date; `cancelled`
 * ends a ticket without validation, `refused` a request the desk may not take (an unauthorized contact).
 */
export const TICKET_STATUSES = ['request', 'acknowledgement', 'support', 'waiting', 'scheduled', 'validation', 'closed', 'cancelled', 'refused'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const TICKET_ACTIONS = [
  'acknowledge',
  'take-charge',
  'start-intervention',
  'log-time',
  'set-priority',
  'reassign',
  'wait-for-customer',
  'customer-replied',
  'provide-workaround',
  'propose-resolution',
  'validate',
  'auto-validate',
  'reject',
  'cancel',
  'refuse',
  'submit-quote',
  'accept-quote',
  'decline-quote',
  'schedule-release',
  'release',
] as const;
export type TicketAction = (typeof TICKET_ACTIONS)[number];

const OPEN: readonly TicketStatus[] = ['request', 'acknowledgement', 'support', 'waiting', 'scheduled', 'validation'];
const WORKED: readonly TicketStatus[] = ['support', 'waiting', 'scheduled', 'validation'];

interface Transition {
  readonly from: readonly TicketStatus[];
  /** Where the action leads; absent when the ticket stays where it is. */
  readonly to?: TicketStatus;
}

// Taking charge may arrive while registration is still being written: it then waits for it (the desk owns the ticket from the request on).
const TRANSITIONS: Record<TicketAction, Transition> = {
  acknowledge: { from: ['request'], to: 'acknowledgement' },
  'take-charge': { from: ['request', 'acknowledgement'], to: 'support' },
  'start-intervention': { from: ['support'] },
  'log-time': { from: WORKED },
  'set-priority': { from: OPEN },
  reassign: { from: ['acknowledgement', ...WORKED] },
  'wait-for-customer': { from: ['support'], to: 'waiting' },
  'customer-replied': { from: ['waiting'], to: 'support' },
  'provide-workaround': { from: ['support'] },
  'propose-resolution': { from: ['support'], to: 'validation' },
  validate: { from: ['validation'], to: 'closed' },
  'auto-validate': { from: ['validation'], to: 'closed' },
  reject: { from: ['validation'], to: 'support' },
  cancel: { from: OPEN, to: 'cancelled' },
  refuse: { from: ['request'], to: 'refused' },
  'submit-quote': { from: ['support'] },
  'accept-quote': { from: ['support'] },
  'decline-quote': { from: ['support'], to: 'cancelled' },
  'schedule-release': { from: ['support'], to: 'scheduled' },
  release: { from: ['scheduled'], to: 'support' },
};

export const isTerminal = (status: TicketStatus): boolean => status === 'closed' || status === 'cancelled' || status === 'refused';

export class InvalidTransitionError extends DomainError {
  readonly code = 'INVALID_TRANSITION';

  constructor(
    readonly action: TicketAction,
    readonly status: TicketStatus,
  ) {
    const allowed = TRANSITIONS[action].from.join(', ');
    super(`cannot ${action} a ticket in status '${status}': only a ticket in ${allowed} can`);
  }
}

/** The status an action leads to, or an InvalidTransitionError naming why not. */
export function transition(status: TicketStatus, action: TicketAction): TicketStatus {
  const rule = TRANSITIONS[action];
  if (!rule.from.includes(status)) throw new InvalidTransitionError(action, status);
  return rule.to ?? status;
}

/**
 * A rule of the ticket that the status alone does not express (e.g. an intervention started twice). `details`: figures
 * a client can act on (the minutes left before a quote is needed), handed to the API beside the message.
 */
export class TicketRuleError extends DomainError {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
  }
}
