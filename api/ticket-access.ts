import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import type { preHandlerAsyncHookHandler } from 'fastify';
import type { Principal, Role } from '../contracts/principal';
import { CustomerIdKey } from '../contracts/search-attributes';
import { ticketWorkflowId } from '../contracts/ticket';
import type { TicketSnapshots } from '../db/ticket-snapshots';
import { mayRead } from './customer-scope';
import { notFound, type HttpProblem } from './problems';
import { principalOf } from './request-principal';
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
  if (!mayRead(principal, ticket.customerId)) throw noSuchTicket(ticket.ticketNumber);
}

/**
 * Whose a ticket is, asked of both places that know it, always both, at once: Temporal's description of the workflow
 * (the CustomerId search attribute, set when it starts, so known while the ticket is still registering; no worker is
 * involved) and the read model's row (which outlives Temporal's retention). Undefined for a ticket neither knows.
 * Either may be away: the other's answer is enough when it names an owner.
 */
function ticketOwners(temporal: Client, snapshots: TicketSnapshots): (ticketNumber: string) => Promise<string | undefined> {
  return async (ticketNumber) => {
    const [live, recorded] = await Promise.allSettled([
      temporal.workflow
        .getHandle(ticketWorkflowId(ticketNumber))
        .describe()
        .then(
          (description) => description.typedSearchAttributes.get(CustomerIdKey),
          (error: unknown) => {
            if (error instanceof WorkflowNotFoundError) return undefined;
            throw error;
          },
        ),
      snapshots.find(ticketNumber).then((snapshot) => snapshot?.customerId),
    ]);
    if (live.status === 'fulfilled' && live.value !== undefined) return live.value;
    if (recorded.status === 'fulfilled' && recorded.value !== undefined) return recorded.value;
    if (live.status === 'rejected') throw live.reason;
    if (recorded.status === 'rejected') throw recorded.reason;
    return undefined;
  };
}

/**
 * The preHandler hook of the ticket routes holding a customer's key to its company's tickets (those naming one by
 * `:number`), before the route reads or acts on the ticket. A missing ticket and another company's make the same
 * lookups (`ticketOwners`) and get the same 404: what the answer says and how long it takes tell nothing of whether
 * another company's ticket exists. Reading the live state first would cost a worker round trip for an existing
 * ticket only. Staff pass without a lookup.
 */
export function ownTicketsOnly(temporal: Client, snapshots: TicketSnapshots): preHandlerAsyncHookHandler {
  const ownerOf = ticketOwners(temporal, snapshots);
  return async (request) => {
    const ticketNumber = (request.params as { number?: string }).number;
    const principal = principalOf(request);
    if (ticketNumber === undefined || principal.role !== 'customer') return;
    const owner = await ownerOf(ticketNumber);
    if (owner === undefined || !mayRead(principal, owner)) throw noSuchTicket(ticketNumber);
  };
}
