import type { TicketEvent, TicketState } from '../../messages/ticket';
import type { ThresholdNotice } from '../../activities/threshold-email';
import type { QueuedWebhookEvent } from '../../db/webhooks';

/** What the workflow tells of a threshold reached, less whom to tell: a webhook goes to the endpoints, not to levels. */
export type ThresholdFacts = Omit<ThresholdNotice, 'key' | 'notify'>;

const iso = (epochMs: number) => new Date(epochMs).toISOString();

/**
 * The JSON bodies of the webhooks, built once when the event is queued and sent the same at every attempt. `id` is
 * the event's idempotency key (a receiver's dedupe key); instants are ISO-8601 in UTC.
 */
export function thresholdWebhook(idempotencyKey: string, facts: ThresholdFacts): QueuedWebhookEvent {
  const event = facts.percent >= 100 ? 'breach' : 'warning';
  const body = {
    id: idempotencyKey,
    type: event,
    ticket: {
      number: facts.ticketNumber,
      customerId: facts.customerId,
      title: facts.title,
      priority: facts.priority,
      ...(facts.assignee ? { assignee: facts.assignee } : {}),
    },
    threshold: { metric: facts.metric, percent: facts.percent, deadline: iso(facts.deadline) },
  };
  return {
    idempotencyKey,
    event,
    customerId: facts.customerId,
    ticketNumber: facts.ticketNumber,
    body: JSON.stringify(body),
  };
}

// Thresholds and breaches are their own webhooks (above); time entries change no status.
const NOT_STATUS = new Set<string>(['sla-threshold', 'sla-breached', 'time-logged']);

/** A step of the ticket's history (taken in charge, waiting for the customer, validated...), with the status it is in now. */
export function statusWebhook(
  idempotencyKey: string,
  ticket: TicketState,
  change: TicketEvent,
): QueuedWebhookEvent | undefined {
  if (NOT_STATUS.has(change.type)) return undefined;
  const body = {
    id: idempotencyKey,
    type: 'status',
    ticket: {
      number: ticket.ticketNumber,
      customerId: ticket.customerId,
      title: ticket.title,
      priority: ticket.priority,
      status: ticket.status,
    },
    change: { type: change.type, at: iso(change.at), ...(change.by ? { by: change.by } : {}) },
  };
  return {
    idempotencyKey,
    event: 'status',
    customerId: ticket.customerId,
    ticketNumber: ticket.ticketNumber,
    body: JSON.stringify(body),
  };
}
