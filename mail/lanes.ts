import type { Pool, PoolClient } from 'pg';

export interface LanesOptions {
  db: Pool;
  /** How many rows are worked on at once, each in its own transaction. */
  lanes: number;
  /** How long a lane that found nothing due waits before it looks again. */
  idlePollMs: number;
  /**
   * Claims one due row in the transaction it is given (FOR UPDATE SKIP LOCKED), delivers it and writes the outcome;
   * false when none was due. A throw rolls the transaction back: the row is due again.
   */
  deliverOne: (client: PoolClient) => Promise<boolean>;
  /** A lane's transaction that failed (PostgreSQL away): logged, and the lane looks again after a pause. */
  onError: (error: unknown) => void;
  /**
   * A PostgreSQL channel on which the queuing side NOTIFYs in the transaction that adds a row (db/outbox.ts): a
   * notification ends every lane's pause at once, so a row due now is sent now rather than at the next poll. The poll
   * stays, for rows due later (a retry's backoff) and for when the listening connection is lost.
   */
  wakeOn?: string;
}

export interface Lanes {
  /** Lets each lane finish the row it holds, then returns. */
  stop(): Promise<void>;
}

/** How long the listening connection waits before it tries again after PostgreSQL went away. */
const RELISTEN_MS = 1_000;

/**
 * The delivery loop of a table of things to send (the outbox's mails, mail/dispatcher.ts; the webhooks' calls,
 * mail/webhooks/dispatcher.ts): each lane claims one due row in a transaction, delivers it and writes the outcome in
 * that transaction, so a row is delivered by one lane of one process at a time and, once marked, never again.
 */
export function runLanes(options: LanesOptions): Lanes {
  const { db, lanes, idlePollMs, deliverOne, onError, wakeOn } = options;
  let stopping = false;
  // The lanes' pauses, ended at once by stop() and by a notification.
  const sleepers = new Set<() => void>();
  const wakeAll = () => {
    for (const wake of [...sleepers]) wake();
  };
  // A notification that comes while every lane is busy is not lost: the next lane to pause looks again first.
  let woken = false;
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      if (woken) {
        woken = false;
        return resolve();
      }
      const done = () => {
        clearTimeout(timer);
        sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      sleepers.add(done);
    });
  const notified = () => {
    if (sleepers.size === 0) woken = true;
    wakeAll();
  };

  async function once(): Promise<boolean> {
    const client = await db.connect();
    try {
      await client.query('BEGIN');
      const worked = await deliverOne(client);
      await client.query('COMMIT');
      return worked;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async function lane(): Promise<void> {
    while (!stopping) {
      const worked = await once().catch((error: unknown) => {
        // PostgreSQL away: the row, if one was claimed, is free again; look again after a pause.
        onError(error);
        return false;
      });
      if (!worked && !stopping) await pause(idlePollMs);
    }
  }

  // Ends the listener's wait, for stop().
  let stopListening = () => undefined as void;

  /** Holds one connection LISTENing on `channel` for as long as the lanes run, connecting again when it is lost. */
  async function listen(channel: string): Promise<void> {
    while (!stopping) {
      let client: PoolClient | undefined;
      try {
        client = await db.connect();
        const lost = new Promise<unknown>((resolve) => {
          client!.on('error', resolve);
          client!.on('end', () => resolve(new Error('the listening connection ended')));
          stopListening = () => resolve(undefined);
        });
        client.on('notification', notified);
        await client.query(`LISTEN ${client.escapeIdentifier(channel)}`);
        // Rows queued while nobody listened are looked for now.
        notified();
        const error = await lost;
        if (error) onError(error);
      } catch (error) {
        onError(error);
      } finally {
        // Closed, not handed back to the pool: a pooled connection must not stay LISTENing under another user.
        client?.release(true);
      }
      if (stopping) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, RELISTEN_MS);
        stopListening = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  const running = Array.from({ length: lanes }, () => lane());
  const listening = wakeOn ? listen(wakeOn) : Promise.resolve();
  return {
    async stop() {
      stopping = true;
      stopListening();
      wakeAll();
      await Promise.all([...running, listening]);
    },
  };
}
