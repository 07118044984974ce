import type { PoolClient } from 'pg';

/**
 * A table of things to send whose rows a dispatcher's lanes deliver (mail/lanes.ts): the outbox's mails (db/outbox.ts)
 * and the webhooks' calls (db/webhooks.ts). A row is pending until it is delivered or failed for good, and due from
 * its next_attempt_at, which a failed attempt moves by the backoff.
 */
export interface DispatchQueue<Row> {
  /** The channel on which a row queued is announced at its COMMIT (announceQueued): the lanes LISTEN on it. */
  channel: string;
  /**
   * The oldest due row, locked for the caller's transaction (FOR UPDATE SKIP LOCKED, so that several dispatchers, one
   * per worker, share the table without ever taking the same row); undefined when none is due.
   */
  claimDue(client: PoolClient): Promise<Row | undefined>;
  /** How long until the earliest pending row no lane holds is due (nextDueInMsOf); undefined when there is none. */
  nextDueInMs(client: PoolClient): Promise<number | undefined>;
}

/**
 * The end of a statement whose CTE `queued` inserts rows of a dispatch queue, or queues one again (a retry), RETURNING
 * what `where` reads: it NOTIFYs `channel` when at least one row was written that `where` keeps, and nothing otherwise
 * (a retried activity inserting nothing wakes nobody). PostgreSQL delivers a notification at the COMMIT of its
 * transaction, once the rows are visible, and folds a transaction's identical ones into one.
 */
export const announceQueued = (channel: string, where = 'true'): string =>
  `SELECT pg_notify('${channel}', '') FROM queued WHERE ${where} LIMIT 1`;

/**
 * The nextDueInMs of the dispatch queue in `table` whose pending rows `pending` selects: how long until the earliest of
 * them is due (a retry's backoff), in milliseconds, 0 when it is due already. Read by a lane that found nothing due,
 * in that transaction, before it sleeps (mail/lanes.ts). A row another lane holds is passed by (SKIP LOCKED), or a lane
 * would look for it again and again while it is being sent; its own lane reads what comes after it. Locked until the
 * caller's COMMIT, at once.
 */
export const nextDueInMsOf =
  (table: string, pending: string) =>
  async (client: PoolClient): Promise<number | undefined> => {
    const { rows } = await client.query<{ ms: number }>(
      `SELECT (extract(epoch FROM next_attempt_at - now()) * 1000)::float8 AS ms FROM ${table}
       WHERE ${pending} ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED`,
    );
    return rows[0] && Math.max(0, rows[0].ms);
  };
