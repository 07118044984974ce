import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import type { preHandlerAsyncHookHandler } from 'fastify';
import { ROLES, type Principal, type Role } from '../messages/principal';
import { ACTION_TABLE, TICKET_ACTION_NAMES } from '../messages/ticket-actions';
import { CustomerIdKey } from '../messages/search-attributes';
import { ticketWorkflowId } from '../messages/ticket';
import type { TicketSnapshots } from '../db/ticket-snapshots';
import { mayRead } from './customer-scope';
import { notFound, type HttpProblem } from './problems';
import { principalOf } from './request-principal';
import type { ActionBodies } from './schemas/ticket';

const ANYONE = ROLES;

export type TicketOperation = 'open' | 'read' | keyof typeof ActionBodies;

/** Who may do what to a ticket: the API's whole role matrix, by path, from the action table (a customer's key is also bound to its own company). */
export const TICKET_ROLES = {
  open: ANYONE,
  read: ANYONE,
  ...(Object.fromEntries(
    TICKET_ACTION_NAMES.map((name) => [ACTION_TABLE[name].path, ACTION_TABLE[name].roles]),
  ) as Record<keyof typeof ActionBodies, readonly Role[]>),
} satisfies Record<TicketOperation, readonly Role[]>;

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
function ticketOwners(
  temporal: Client,
  snapshots: TicketSnapshots,
): (ticketNumber: string) => Promise<string | undefined> {
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
