/**
 * The phases every ticket walks: request → acknowledgement → support → validation, then closed.
 * `waiting` is support paused on the customer, `scheduled` a change waiting for its release date; `cancelled`
 * ends a ticket without validation, `refused` a request the desk may not take (an unauthorized contact).
 */
export const TICKET_STATUSES = [
  'request',
  'acknowledgement',
  'support',
  'waiting',
  'scheduled',
  'validation',
  'closed',
  'cancelled',
  'refused',
] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const isTerminal = (status: TicketStatus): boolean =>
  status === 'closed' || status === 'cancelled' || status === 'refused';

export const OPEN_STATUSES: readonly TicketStatus[] = [
  'request',
  'acknowledgement',
  'support',
  'waiting',
  'scheduled',
  'validation',
];
/** Where work on a ticket has begun and may be logged. */
export const WORKED_STATUSES: readonly TicketStatus[] = ['support', 'waiting', 'scheduled', 'validation'];
