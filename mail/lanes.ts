import type { Pool, PoolClient } from 'pg';
import type { DispatchQueue } from '../db/dispatch-queue';

export interface LanesOptions<Row> {
  db: Pool;
  /** How many rows are worked on at once, each in its own transaction. */
  lanes: number;
  /**
   * The table whose rows the lanes deliver. A lane LISTENs on its channel, on which the queuing side NOTIFYs in the
   * transaction that adds a row (db/dispatch-queue.ts, announceQueued): a notification ends every lane's pause at once,
   * so a row due now is sent now. A lane that finds nothing due reads, in that transaction, when the next row is due (a
   * retry's backoff) and sleeps until then, so that a retry is tried when due without a lane polling meanwhile. When
   * the listening connection is lost it is made again, LISTENs again and then wakes every lane, which look for what
   * it missed.
   */
  queue: DispatchQueue<Row>;
  /**
   * Delivers a row the lane claimed and writes the outcome, in the claim's transaction. A throw rolls the transaction
   * back: the row is due again.
   */
  deliver: (client: PoolClient, row: Row) => Promise<void>;
  /**
   * How long a lane that found nothing due waits at most before it looks again: a safety net only, for a notification
   * missed or a retry written by another process that died (SAFETY_NET_POLL_MS unless given).
   */
  idlePollMs?: number;
  /** A lane's transaction that failed (PostgreSQL away): logged, and the lane looks again after a pause. */
  onError: (error: unknown) => void;
}

export interface Lanes {
  /** Lets each lane finish the row it holds, then returns. */
  stop(): Promise<void>;
}

/** How long a lane or the listening connection waits before it tries again after PostgreSQL failed it. */
const AFTER_ERROR_MS = 1_000;

/**
 * The idle poll of lanes: every row queued NOTIFYs at its COMMIT and every retry's instant is read before a lane
 * sleeps, so this poll finds something only when a notification was missed (the listening connection lost between a
 * COMMIT and its LISTEN again, which the LISTEN's own look covers too) or when another process that held a row died
 * (its lane, or the outbox activity's own delivery, mail/dispatcher.ts deliverNow). Each idle look costs a lane a
 * transaction; at one a second per lane the webhook dispatcher's two lanes cost an idle worker about 2.5 to 4 ms of
 * CPU a second and the outbox dispatcher's four about 2.5 to 3.5 (docs/benchmarks.md); at this pace a missed row
 * waits 30 s at worst.
 */
export const SAFETY_NET_POLL_MS = 30_000;

/** The PostgreSQL connections lanes hold at most: one per lane and the one that LISTENs. */
export const laneConnections = (lanes: number): number => lanes + 1;

/**
 * The delivery loop of a table of things to send (the outbox's mails, mail/dispatcher.ts; the webhooks' calls,
 * mail/webhooks/dispatcher.ts): each lane claims one due row in a transaction, delivers it and writes the outcome in
 * that transaction, so a row is delivered by one lane of one process at a time and, once marked, never again.
 */
export function runLanes<Row>(options: LanesOptions<Row>): Lanes {
  const { db, lanes, queue, deliver, idlePollMs = SAFETY_NET_POLL_MS, onError } = options;
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

  /** Delivers one row; answers how long to pause, 0 when a row was worked on (the next may be due already). */
  async function once(): Promise<number> {
    const client = await db.connect();
    try {
      await client.query('BEGIN');
      const row = await queue.claimDue(client);
      if (row !== undefined) await deliver(client, row);
      const dueInMs = row !== undefined ? 0 : ((await queue.nextDueInMs(client)) ?? idlePollMs);
      await client.query('COMMIT');
      // At least 1 ms: a row due within the next millisecond is looked for after a timer, not in a busy loop.
      return row !== undefined ? 0 : Math.max(1, Math.ceil(Math.min(dueInMs, idlePollMs)));
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async function lane(): Promise<void> {
    while (!stopping) {
      const pauseMs = await once().catch((error: unknown) => {
        // PostgreSQL away: the row, if one was claimed, is free again; look again after a pause (or sooner, when the
        // listening connection is back: its LISTEN wakes every lane).
        onError(error);
        return Math.min(idlePollMs, AFTER_ERROR_MS);
      });
      if (pauseMs > 0 && !stopping) await pause(pauseMs);
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
          // stop() called while this connection was being made found nothing to end.
          if (stopping) resolve(undefined);
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
        const timer = setTimeout(resolve, AFTER_ERROR_MS);
        stopListening = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  const running = Array.from({ length: lanes }, () => lane());
  const listening = listen(queue.channel);
  return {
    async stop() {
      stopping = true;
      stopListening();
      wakeAll();
      await Promise.all([...running, listening]);
    },
  };
}
