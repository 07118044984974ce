import { createHash } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { TEMPORAL_DEADLINE_MS } from '../api/busy-bounds';
import { inOneTransaction, inSavepoint, inTransactionOn } from './transaction';

/** Which ticket an Idempotency-Key of one API key stands for, and the hash of the request that first used it. */
export interface IdempotentOpening {
  ticketNumber: string;
  requestHash: string;
}

/** What an action answered: the ticket view, or the refusal as problem+json (without the request's id). */
export interface ActionAnswer {
  status: number;
  body: unknown;
}

/** What an action's Idempotency-Key of one API key stands for (an admin creation's too: api/idempotent-creations.ts). */
export interface IdempotentAction {
  requestHash: string;
  /** What the request acts on: a ticket's number, or the admin route and its parameters a creation was posted to. */
  target: string;
  /** Temporal's Update ID, the same for every attempt under the key. */
  updateId: string;
  /** The workflow run the Update was sent to, once it was: only that run may apply it. */
  runId?: string;
  /** Once there is one: what every later request with the key is answered. */
  answer?: ActionAnswer;
}

/**
 * Idempotency keys scoped per API key. Of POST /v1/tickets: a key is recorded with its ticket number before the
 * workflow starts, so a crash between the two leaves a record that a retry completes instead of a lost ticket.
 * Of the ticket actions: a key is recorded with its Update ID before the Update is sent, and with the run it is
 * sent to, so that a retry reaches the same Update whatever happened to the first attempt.
 */
export interface IdempotencyStore {
  find(apiKeyId: string, key: string): Promise<IdempotentOpening | undefined>;
  /** Records the opening unless the key is already taken; answers with whichever opening holds the key. */
  claim(apiKeyId: string, key: string, opening: IdempotentOpening): Promise<IdempotentOpening>;
  /** Records the action unless the key is already taken; answers with whichever action holds it, and whether it is this one. */
  claimAction(
    apiKeyId: string,
    key: string,
    action: Pick<IdempotentAction, 'requestHash' | 'target' | 'updateId'>,
  ): Promise<{ action: IdempotentAction; claimed: boolean }>;
  /** Pins the action's Update to run `to` unless another attempt moved it from `from` first; answers the run it is pinned to. */
  pinActionRun(apiKeyId: string, key: string, from: string | undefined, to: string): Promise<string>;
  /**
   * Records the answer unless the key has one; answers with the one recorded. An applied action's answer replaces
   * a refusal: Temporal keeps no refused Update, so a concurrent twin may be refused and then applied.
   */
  answerAction(apiKeyId: string, key: string, answer: ActionAnswer): Promise<ActionAnswer>;
  /**
   * Runs `work` while no other request of the caller holds `key`: a twin sent in the same instant waits for it, and
   * finds its answer recorded; after KEY_WAIT_MS of waiting, it throws KeyInFlight instead. For work that cannot be sent twice safely, as an Update can (an admin creation). In
   * PostgreSQL, `work` is one transaction that the stores built on the same joinable pool join (db/transaction.ts):
   * what it creates and the answer it records are committed together, or neither is. `apart` runs a step whose
   * failure undoes its own writes only (a creation refused), so that the refusal can still be recorded. Without a key
   * nothing is held, a request without one being work of its own, but `work` is still one transaction: a creation
   * that fails midway (a contract whose contacts' accounts fail) leaves none of its rows.
   */
  exclusively<T>(
    apiKeyId: string,
    key: string | undefined,
    work: (apart: <U>(step: () => Promise<U>) => Promise<U>) => Promise<T>,
  ): Promise<T>;
}

/**
 * How long a request waits for its twin (the same Idempotency-Key, still being served) to let the key go. Each waiting
 * twin holds one of the API's pool connections: unbounded, a burst of retries of one slow request could take them all
 * and hang every other request. A quarter of the API's deadline on one request, so that the twin is answered (and told
 * to retry) well before its client gives up on it.
 */
export const KEY_WAIT_MS = TEMPORAL_DEADLINE_MS / 4;

/** The key is held by a twin still being served (IdempotencyStore.exclusively waited KEY_WAIT_MS for it): retry later. */
export class KeyInFlight extends Error {
  constructor() {
    super('a request with the same Idempotency-Key is still being processed');
  }
}

/** The advisory lock's name of an API key's Idempotency-Key, as hashtextextended($1, 0) takes it. */
export const keyLockOf = (apiKeyId: string, key: string): string => JSON.stringify([apiKeyId, key]);

// lock_timeout's SQLSTATE: the lock was not granted within it.
const LOCK_NOT_AVAILABLE = '55P03';

/**
 * Takes the session's advisory lock on `lock`, waiting KEY_WAIT_MS at most: lock_timeout is set for the one transaction
 * the lock is taken in (a session lock outlives its commit), so that the work's own statements keep the pool's settings.
 */
async function waitForKey(client: PoolClient, lock: string): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query("SELECT set_config('lock_timeout', $1, true)", [`${KEY_WAIT_MS}ms`]);
    await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [lock]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    if ((error as { code?: unknown }).code === LOCK_NOT_AVAILABLE) throw new KeyInFlight();
    throw error;
  }
}

/** The same request, whatever the order of its keys: a retry may serialize its body differently. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, field]) => field !== undefined);
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([key, field]) => `${JSON.stringify(key)}:${canonicalJson(field)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** What tells a retry from a different request under the same key. */
export const requestHashOf = (body: unknown): string => createHash('sha256').update(canonicalJson(body)).digest('hex');

interface Row {
  ticket_number: string;
  request_hash: string;
}

interface ActionRow {
  request_hash: string;
  target: string;
  update_id: string;
  run_id: string | null;
  answer_status: number | null;
  answer_body: string | null;
}

const toOpening = (row: Row): IdempotentOpening => ({ ticketNumber: row.ticket_number, requestHash: row.request_hash });

const toAnswer = (status: number, body: string): ActionAnswer => ({ status, body: JSON.parse(body) as unknown });

const toAction = (row: ActionRow): IdempotentAction => ({
  requestHash: row.request_hash,
  target: row.target,
  updateId: row.update_id,
  ...(row.run_id === null ? {} : { runId: row.run_id }),
  ...(row.answer_status === null || row.answer_body === null
    ? {}
    : { answer: toAnswer(row.answer_status, row.answer_body) }),
});

const ACTION_COLUMNS = 'request_hash, target, update_id, run_id, answer_status, answer_body';

export function pgIdempotencyStore(db: Pool): IdempotencyStore {
  const find = async (apiKeyId: string, key: string) => {
    const { rows } = await db.query<Row>(
      'SELECT ticket_number, request_hash FROM idempotency_keys WHERE api_key_id = $1 AND key = $2',
      [apiKeyId, key],
    );
    return rows[0] && toOpening(rows[0]);
  };
  const actionRow = async (apiKeyId: string, key: string) => {
    const { rows } = await db.query<ActionRow>(
      `SELECT ${ACTION_COLUMNS} FROM action_idempotency_keys WHERE api_key_id = $1 AND key = $2`,
      [apiKeyId, key],
    );
    if (!rows[0]) throw new Error(`idempotency key ${key} of API key ${apiKeyId} vanished while being claimed`);
    return rows[0];
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
    async claimAction(apiKeyId, key, action) {
      const { rows } = await db.query<ActionRow>(
        `INSERT INTO action_idempotency_keys (api_key_id, key, request_hash, target, update_id) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (api_key_id, key) DO NOTHING RETURNING ${ACTION_COLUMNS}`,
        [apiKeyId, key, action.requestHash, action.target, action.updateId],
      );
      if (rows[0]) return { action: toAction(rows[0]), claimed: true };
      return { action: toAction(await actionRow(apiKeyId, key)), claimed: false };
    },
    async pinActionRun(apiKeyId, key, from, to) {
      await db.query(
        'UPDATE action_idempotency_keys SET run_id = $4 WHERE api_key_id = $1 AND key = $2 AND run_id IS NOT DISTINCT FROM $3',
        [apiKeyId, key, from ?? null, to],
      );
      return (await actionRow(apiKeyId, key)).run_id ?? to;
    },
    async answerAction(apiKeyId, key, answer) {
      await db.query(
        `UPDATE action_idempotency_keys SET answer_status = $3, answer_body = $4, answered_at = now()
         WHERE api_key_id = $1 AND key = $2 AND (answer_status IS NULL OR (answer_status >= 400 AND $3 < 400))`,
        [apiKeyId, key, answer.status, JSON.stringify(answer.body)],
      );
      const { answer_status: status, answer_body: body } = await actionRow(apiKeyId, key);
      if (status === null || body === null)
        throw new Error(`idempotency key ${key} of API key ${apiKeyId} lost its answer while it was recorded`);
      return toAnswer(status, body);
    },
    async exclusively(apiKeyId, key, work) {
      const inIt = (client: PoolClient) => work((step) => inSavepoint(client, step));
      if (key === undefined) return inOneTransaction(db, inIt);
      // A lock of the session, taken before the transaction: a twin waits for the first one's commit, and then finds its
      // answer. A process that dies holding it loses its connection, and PostgreSQL lets the lock go and rolls back.
      const client = await db.connect();
      const lock = keyLockOf(apiKeyId, key);
      try {
        await waitForKey(client, lock);
      } catch (error) {
        // A wait cut short holds nothing; after any other failure the lock's state is unknown: closing the connection unlocks.
        client.release(error instanceof KeyInFlight ? undefined : (error as Error));
        throw error;
      }
      try {
        return await inTransactionOn(db, client, () => inIt(client));
      } finally {
        const broken = await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [lock]).then(
          () => undefined,
          (error: Error) => error,
        );
        // A connection that could not unlock is closed, which unlocks.
        client.release(broken);
      }
    },
  };
}
