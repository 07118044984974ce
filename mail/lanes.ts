import type { Pool, PoolClient } from 'pg';

export interface LanesOptions {
  db: Pool;
  /** How many rows are worked on at once, each in its own transaction. */
  lanes: number;
  /**
   * How long a lane that found nothing due waits at most before it looks again: with `wakeOn` and `nextDueInMs`, a
   * safety net only (SAFETY_NET_POLL_MS), for a notification missed or a retry written by another process.
   */
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
   * stays, for rows due later (a retry's backoff, unless nextDueInMs says when) and for when the listening connection
   * is lost; the connection is made again, LISTENs again and then wakes every lane, which look for what it missed.
   */
  wakeOn?: string;
  /**
   * How long until the earliest row not yet due is due (a retry's backoff), read in the transaction that found none
   * due; undefined when none waits. A lane that found nothing sleeps until then rather than the whole idlePollMs, so a
   * retry is tried when due without a lane polling meanwhile.
   */
  nextDueInMs?: (client: PoolClient) => Promise<number | undefined>;
}

export interface Lanes {
  /** Lets each lane finish the row it holds, then returns. */
  stop(): Promise<void>;
}

/** How long a lane or the listening connection waits before it tries again after PostgreSQL failed it. */
const AFTER_ERROR_MS = 1_000;

/**
 * The idle poll of lanes that LISTEN and know when their next row is due: every row queued NOTIFYs at its COMMIT and
 * every retry's instant is read before a lane sleeps, so this poll finds something only when a notification was
 * missed (the listening connection lost between a COMMIT and its LISTEN again, which the LISTEN's own look covers
 * too) or when another process's lane wrote a retry and died. Each idle look costs a lane a transaction; at one a
 * second per lane the webhook dispatcher's cost an idle worker about 2.5 to 4 ms of CPU a second (docs/benchmarks.md);
 * at this pace a missed row waits 30 s at worst.
 */
export const SAFETY_NET_POLL_MS = 30_000;

/** The PostgreSQL connections lanes hold at most: one per lane and the one that LISTENs. */
export const laneConnections = (lanes: number): number => lanes + 1;

/**
 * The delivery loop of a table of things to send (the outbox's mails, mail/dispatcher.ts; the webhooks' calls,
 * mail/webhooks/dispatcher.ts): each lane claims one due row in a transaction, delivers it and writes the outcome in
 * that transaction, so a row is delivered by one lane of one process at a time and, once marked, never again.
 */
export function runLanes(options: LanesOptions): Lanes {
  const { db, lanes, idlePollMs, deliverOne, onError, wakeOn, nextDueInMs } = options;
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
      const worked = await deliverOne(client);
      const dueInMs = worked ? 0 : ((await nextDueInMs?.(client)) ?? idlePollMs);
      await client.query('COMMIT');
      // At least 1 ms: a row due within the next millisecond is looked for after a timer, not in a busy loop.
      return worked ? 0 : Math.max(1, Math.ceil(Math.min(dueInMs, idlePollMs)));
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
