import { DomainError } from '../errors';

/** The phases every ticket walks (DOMAIN.md): request → acknowledgement → support → validation, then closed. */
export const TICKET_STATUSES = ['request', 'acknowledgement', 'support', 'validation', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const TICKET_ACTIONS = ['acknowledge', 'take-charge', 'propose-resolution', 'validate'] as const;
export type TicketAction = (typeof TICKET_ACTIONS)[number];

interface Transition {
  readonly from: readonly TicketStatus[];
  readonly to: TicketStatus;
}

// Taking charge may arrive while registration is still being written: it then waits for it (the desk owns the ticket from the request on).
const TRANSITIONS: Record<TicketAction, Transition> = {
  acknowledge: { from: ['request'], to: 'acknowledgement' },
  'take-charge': { from: ['request', 'acknowledgement'], to: 'support' },
  'propose-resolution': { from: ['support'], to: 'validation' },
  validate: { from: ['validation'], to: 'closed' },
};

export class InvalidTransitionError extends DomainError {
  readonly code = 'INVALID_TRANSITION';

  constructor(
    readonly action: TicketAction,
    readonly status: TicketStatus,
  ) {
    const allowed = TRANSITIONS[action].from.join(' or ');
    super(`cannot ${action} a ticket in status '${status}': only a ticket in ${allowed} can`);
  }
}

/** The status an action leads to, or an InvalidTransitionError naming why not. */
export function transition(status: TicketStatus, action: TicketAction): TicketStatus {
  const rule = TRANSITIONS[action];
  if (!rule.from.includes(status)) throw new InvalidTransitionError(action, status);
  return rule.to;
}
