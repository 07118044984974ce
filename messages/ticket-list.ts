import type { Static } from '@sinclair/typebox';
import { literals } from './schema-parts';

/**
 * The orders a ticket list pages through, each with what it means: the API's `order` parameter, its OpenAPI
 * description and the read model's sort (db/ticket-queries.ts) all come from this one table.
 */
const ORDER_MEANINGS = {
  arrival: 'oldest first (opened, then number)',
  deadline: 'open tickets only, the nearest deadline first, tickets without one last',
  newest: 'newest first (opened, then number, both descending): the latest tickets on the first page',
} as const;

export const TICKET_ORDERS = Object.keys(ORDER_MEANINGS) as ReadonlyArray<keyof typeof ORDER_MEANINGS>;

export const TicketOrder = literals(TICKET_ORDERS, {
  default: 'arrival',
  description: Object.entries(ORDER_MEANINGS)
    .map(([order, meaning]) => `${order}: ${meaning}`)
    .join('; '),
});
export type TicketOrder = Static<typeof TicketOrder>;
