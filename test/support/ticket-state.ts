import type { OpenTicketInput, TicketState } from '../../messages/ticket';

/** A freshly registered ticket as its workflow holds it (no clocks planned), in the given status. */
export function registeredTicket(input: OpenTicketInput, openedAt: number, status: TicketState['status'] = 'request'): TicketState {
  return {
    ...input,
    status,
    revision: 1,
    openedAt,
    priorityConfirmed: false,
    clocks: [],
    slaBreached: false,
    thresholdGeneration: 1,
    notifiedThresholds: [],
    timeEntries: [],
    events: [{ at: openedAt, type: 'opened', by: input.contact.email }],
  };
}
