import type { Pool } from 'pg';
import { writeRegistration } from '../../../activities/ticket-activities';
import { readerOf } from '../../../activities/ticket-notices';
import { pgPolicyCatalog } from '../../../db/policy-versions';
import type { TicketState } from '../../../messages/ticket';

/**
 * The ticket's first row and its acknowledgement e-mail, written as the registerTicket activity writes them but for
 * the state the test gives instead of the one registerTicket plans (a ticket closed with its time worked, say). Run in
 * the ticket's activity environment, `env.run(acknowledgeTicket(db), ticket)` (ticketForActivities in ./stack.ts): the
 * row and the e-mail's idempotency key carry its workflow ID.
 */
export const acknowledgeTicket =
  (db: Pool) =>
  async (ticket: TicketState): Promise<void> => {
    await writeRegistration(db, pgPolicyCatalog(db), ticket, await readerOf(db, ticket.customerId));
  };
