import type { Pool } from 'pg';
import type { TicketState } from '../messages/ticket';

/** The read model's last copy of a ticket: what the API shows once its workflow is closed or gone from Temporal. */
export interface TicketSnapshots {
  find(ticketNumber: string): Promise<TicketState | undefined>;
}

export function pgTicketSnapshots(db: Pool): TicketSnapshots {
  return {
    async find(ticketNumber) {
      const { rows } = await db.query<{ snapshot: TicketState }>('SELECT snapshot FROM tickets WHERE number = $1', [
        ticketNumber,
      ]);
      return rows[0]?.snapshot;
    },
  };
}
