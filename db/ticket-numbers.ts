import type { Pool } from 'pg';
import { formatTicketNumber } from '../domain/ticket/ticket-number';

export type TicketNumberAllocator = () => Promise<string>;

export function ticketNumberAllocator(pool: Pool): TicketNumberAllocator {
  return async () => {
    const { rows } = await pool.query<{ sequence: string }>("SELECT nextval('ticket_number_seq') AS sequence");
    return formatTicketNumber(Number(rows[0]!.sequence));
  };
}
