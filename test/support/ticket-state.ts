import type { OpenTicketInput, TicketState } from '../../messages/ticket';
import { openedTicket } from '../../domain/ticket/evolve';

/** A freshly registered ticket as its workflow holds it (no clocks planned), in the given status. */
export function registeredTicket(
  input: OpenTicketInput,
  openedAt: number,
  status: TicketState['status'] = 'request',
): TicketState {
  const { openedBy: _opener, ...ticket } = input;
  return {
    ...ticket,
    status,
    revision: 1,
    openedAt,
    priorityConfirmed: false,
    clocks: [],
    slaBreached: false,
    thresholdGeneration: 1,
    notifiedThresholds: [],
    timeEntries: [],
    // The `opened` event as the workflow records it: who opened, as authenticated.
    events: openedTicket(input, openedAt).events,
  };
}
