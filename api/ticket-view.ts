import type { TicketState } from '../contracts/ticket';
import type { TicketView } from './schemas/ticket';

const iso = (epochMs: number | undefined) => (epochMs === undefined ? undefined : new Date(epochMs).toISOString());

/** The workflow keeps epoch milliseconds; the API speaks ISO-8601. */
export function toTicketView(ticket: TicketState): TicketView {
  return {
    ...ticket,
    openedAt: iso(ticket.openedAt)!,
    acknowledgedAt: iso(ticket.acknowledgedAt),
    takenInChargeAt: iso(ticket.takenInChargeAt),
    resolutionProposedAt: iso(ticket.resolutionProposedAt),
    validatedAt: iso(ticket.validatedAt),
    events: ticket.events.map((event) => ({ ...event, at: iso(event.at)! })),
  };
}
