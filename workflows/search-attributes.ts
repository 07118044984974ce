import { upsertSearchAttributes } from '@temporalio/workflow';
import { NextDeadlineKey, PriorityKey, SlaBreachedKey, StatusKey } from '../contracts/search-attributes';
import type { TicketState } from '../contracts/ticket';
import { nextDeadline } from '../domain/sla/clock';

/** Keeps what ops filter on in the Temporal UI in step with the ticket. */
export function syncSearchAttributes(ticket: TicketState): void {
  const deadline = nextDeadline(ticket.clocks);
  upsertSearchAttributes([
    { key: StatusKey, value: ticket.status },
    { key: PriorityKey, value: ticket.priority },
    { key: SlaBreachedKey, value: ticket.slaBreached },
    { key: NextDeadlineKey, value: deadline === undefined ? null : new Date(deadline) },
  ]);
}
