import type { Principal, Role } from '../contracts/principal';
import { notFound, type HttpProblem } from './problems';
import type { ActionBodies } from './schemas/ticket';

const STAFF = ['agent', 'manager', 'admin'] as const satisfies readonly Role[];
const ANYONE = [...STAFF, 'customer'] as const satisfies readonly Role[];
// The customer's own acts: nobody at the desk may validate, reject or decide a quote in the customer's place.
const CUSTOMER = ['customer'] as const satisfies readonly Role[];

export type TicketOperation = 'open' | 'read' | keyof typeof ActionBodies;

/** Who may do what to a ticket: the API's whole role matrix (a customer's key is also bound to its own company). */
export const TICKET_ROLES: Record<TicketOperation, readonly Role[]> = {
  open: ANYONE,
  read: ANYONE,
  'take-charge': STAFF,
  'start-intervention': STAFF,
  'time-entries': STAFF,
  priority: STAFF,
  reassign: STAFF,
  'wait-for-customer': STAFF,
  // Staff may record a reply the customer gave by phone.
  'customer-reply': ANYONE,
  workaround: STAFF,
  'propose-resolution': STAFF,
  validate: CUSTOMER,
  reject: CUSTOMER,
  cancel: ANYONE,
  quote: STAFF,
  'quote/accept': CUSTOMER,
  'quote/decline': CUSTOMER,
  'release-date': STAFF,
};

/** The answer for a ticket that does not exist, or that the caller may not know exists. */
export function noSuchTicket(ticketNumber: string): HttpProblem {
  return notFound(`no ticket ${ticketNumber}`);
}

/** A customer's key sees only its company's tickets; any other answers exactly as a missing ticket does. */
export function assertVisible(principal: Principal, ticket: { ticketNumber: string; customerId: string }): void {
  if (principal.role === 'customer' && principal.customerId !== ticket.customerId) throw noSuchTicket(ticket.ticketNumber);
}
