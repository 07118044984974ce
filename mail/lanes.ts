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
}

export interface Lanes {
  /** Lets each lane finish the row it holds, then returns. */
  stop(): Promise<void>;
}

/**
 * The delivery loop of a table of things to send (the outbox's mails, mail/dispatcher.ts; the webhooks' calls,
 * mail/webhooks/dispatcher.ts): each lane claims one due row in a transaction, delivers it and writes the outcome in
 * that transaction, so a row is delivered by one lane of one process at a time and, once marked, never again.
 */
export function runLanes(options: LanesOptions): Lanes {
  const { db, lanes, idlePollMs, deliverOne, onError } = options;
  let stopping = false;
  // The lanes' pauses, ended at once by stop().
  const sleepers = new Set<() => void>();
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      sleepers.add(done);
    });

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

  const running = Array.from({ length: lanes }, () => lane());
  return {
    async stop() {
      stopping = true;
      for (const wake of [...sleepers]) wake();
      await Promise.all(running);
    },
  };
}
