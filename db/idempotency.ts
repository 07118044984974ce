import { createHash } from 'node:crypto';
import type { Pool } from 'pg';

/** Which ticket an Idempotency-Key of one API key stands for, and the hash of the request that first used it. */
export interface IdempotentOpening {
  ticketNumber: string;
  requestHash: string;
}

/**
 * Idempotency keys of POST /v1/tickets, scoped per API key. A key is recorded with its ticket number before the
 * workflow starts, so a crash between the two leaves a record that a retry completes instead of a lost ticket.
 */
export interface IdempotencyStore {
  find(apiKeyId: string, key: string): Promise<IdempotentOpening | undefined>;
  /** Records the opening unless the key is already taken; answers with whichever opening holds the key. */
  claim(apiKeyId: string, key: string, opening: IdempotentOpening): Promise<IdempotentOpening>;
}

/** The same request, whatever the order of its keys: a retry may serialize its body differently. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, field]) => field !== undefined);
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, field]) => `${JSON.stringify(key)}:${canonicalJson(field)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** What tells a retry from a different request under the same key. */
export const requestHashOf = (body: unknown): string => createHash('sha256').update(canonicalJson(body)).digest('hex');

interface Row {
  ticket_number: string;
  request_hash: string;
}

const toOpening = (row: Row): IdempotentOpening => ({ ticketNumber: row.ticket_number, requestHash: row.request_hash });

export function pgIdempotencyStore(db: Pool): IdempotencyStore {
  const find = async (apiKeyId: string, key: string) => {
    const { rows } = await db.query<Row>('SELECT ticket_number, request_hash FROM idempotency_keys WHERE api_key_id = $1 AND key = $2', [apiKeyId, key]);
    return rows[0] && toOpening(rows[0]);
  };
  return {
    find,
    async claim(apiKeyId, key, opening) {
      const { rows } = await db.query<Row>(
        `INSERT INTO idempotency_keys (api_key_id, key, request_hash, ticket_number) VALUES ($1, $2, $3, $4)
         ON CONFLICT (api_key_id, key) DO NOTHING RETURNING ticket_number, request_hash`,
        [apiKeyId, key, opening.requestHash, opening.ticketNumber],
      );
      if (rows[0]) return toOpening(rows[0]);
      // A concurrent request with the same key won the insert: its ticket is the one.
      const winner = await find(apiKeyId, key);
      if (!winner) throw new Error(`idempotency key ${key} of API key ${apiKeyId} vanished while being claimed`);
      return winner;
    },
  };
}
