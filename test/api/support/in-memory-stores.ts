import type { TicketState } from '../../../contracts/ticket';
import type { IdempotencyStore, IdempotentOpening } from '../../../db/idempotency';
import type { TicketSnapshots } from '../../../db/ticket-snapshots';

export function inMemoryIdempotency(): IdempotencyStore & { records: Map<string, IdempotentOpening> } {
  const records = new Map<string, IdempotentOpening>();
  const id = (apiKeyId: string, key: string) => `${apiKeyId}\n${key}`;
  return {
    records,
    async find(apiKeyId, key) {
      return records.get(id(apiKeyId, key));
    },
    async claim(apiKeyId, key, opening) {
      const held = records.get(id(apiKeyId, key));
      if (held) return held;
      records.set(id(apiKeyId, key), opening);
      return opening;
    },
  };
}

export function inMemorySnapshots(): TicketSnapshots & { tickets: Map<string, TicketState> } {
  const tickets = new Map<string, TicketState>();
  return {
    tickets,
    async find(ticketNumber) {
      return tickets.get(ticketNumber);
    },
  };
}
