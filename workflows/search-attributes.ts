import type { SearchAttributePair, TypedSearchAttributes } from '@temporalio/common';
import { upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { NextDeadlineKey, PriorityKey, SlaBreachedKey, StatusKey } from '../messages/search-attributes';
import type { TicketState } from '../messages/ticket';
import { nextDeadline } from '../domain/sla/clock';

/** What ops filter on in the Temporal UI, as the ticket says it should be now. */
function searchAttributesOf(ticket: TicketState): SearchAttributePair[] {
  const deadline = nextDeadline(ticket.clocks);
  return [
    { key: StatusKey, value: ticket.status },
    { key: PriorityKey, value: ticket.priority },
    { key: SlaBreachedKey, value: ticket.slaBreached },
    { key: NextDeadlineKey, value: deadline === undefined ? null : new Date(deadline) },
  ] as SearchAttributePair[];
}

const comparable = (value: unknown): unknown => (value instanceof Date ? value.getTime() : (value ?? null));

function unchanged(current: TypedSearchAttributes, { key, value }: SearchAttributePair): boolean {
  return comparable(current.get(key)) === comparable(value);
}

/**
 * Upserts only the attributes whose value differs from what the run already holds (workflowInfo() follows every
 * upsert, and a continued run starts with its predecessor's): one event per real change instead of one per step.
 */
export function syncChangedSearchAttributes(ticket: TicketState): void {
  const current = workflowInfo().typedSearchAttributes;
  const changed = searchAttributesOf(ticket).filter((pair) => !unchanged(current, pair));
  if (changed.length > 0) upsertSearchAttributes(changed);
}
