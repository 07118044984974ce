import { createTransport } from 'nodemailer';
import type { Pool, PoolClient } from 'pg';
import {
  announceOutbox,
  claimDueNoticeByKey,
  markAttemptFailed,
  markSent,
  OUTBOX_QUEUE,
  type OutboxRow,
} from '../db/outbox';
import { withTransaction } from '../db/transaction';
import { DEFAULT_BACKOFF, retryDelayMs, type BackoffPolicy } from './backoff';
import { runLanes } from './lanes';
import { messageDomain, messageHeaders } from './message';
import { TakenUnmarked } from './taken-unmarked';

export interface DispatcherOptions {
  db: Pool;
  /** smtp://host:port (smtps:// for TLS from the first byte; user:password@ when the server wants them). */
  smtpUrl: string;
  /** The From of every notice, e.g. `Support desk <support@desk.lu>`; its domain names the Message-IDs. */
  from: string;
  /** How many rows the lanes send at once, each in its own transaction (deliverNow's come on top). */
  lanes?: number;
  /** The safety net's poll (SAFETY_NET_POLL_MS, mail/lanes.ts): a row queued wakes a lane at once, a retry when it is due. */
  idlePollMs?: number;
  backoff?: BackoffPolicy;
  /** One line per attempt that failed, for the process's log. */
  log?: (line: Record<string, unknown>) => void;
}

/** The SMTP connections kept open at least, lanes or not: nodemailer's own default for a pooled transport. */
const SMTP_CONNECTIONS = 5;
/** How many rows a dispatcher sends at once unless told otherwise. */
export const DEFAULT_OUTBOX_LANES = 4;

/** How long the queuing activity waits for its own delivery (deliverNow) before it returns and leaves it running. */
export const DELIVER_NOW_WAIT_MS = 10_000;

export interface OutboxDispatcher {
  /**
   * Sends the rows queued under `keys` now, each claimed in a transaction of its own on `db` as a lane claims one
   * (FOR UPDATE SKIP LOCKED, still due): the activity that committed them calls it, so that a notice leaves without
   * waiting for a lane to be woken. A row a lane holds, or one already sent, is passed by. Never throws: a row not sent
   * here stays due, and the lanes send it, with their backoff. Returns once each row is sent or given up for now, or
   * after DELIVER_NOW_WAIT_MS at most, its sends going on meanwhile (the row stays locked until they end).
   */
  deliverNow(db: Pool, keys: readonly string[]): Promise<void>;
  /** Lets each lane finish the row it is sending, and each deliverNow its rows, then returns. */
  stop(): Promise<void>;
}

// A recipient the desk's configuration or a contract should have turned into an address (db/account-input.ts).
const ADDRESS = /^[^\s@<>,;"]+@[^\s@<>,;"]+\.[^\s@<>,;"]+$/;

interface SmtpError {
  message?: string;
  code?: string;
  responseCode?: number;
}

/** A 5xx answer is the server's final word on this message: sending it again would get the same. */
const isPermanent = (error: SmtpError) =>
  error.responseCode !== undefined && error.responseCode >= 500 && error.responseCode < 600;
const describe = (error: SmtpError) =>
  [error.responseCode, error.code, error.message].filter((part) => part !== undefined).join(' ');

/**
 * Delivers the outbox: each lane claims one due row (FOR UPDATE SKIP LOCKED), hands it to the SMTP server and marks
 * it sent in the same transaction, so a row is sent by one dispatcher only and, once marked, never again. The
 * activity that queued a row sends it itself at once (deliverNow), claiming it the same way: whichever claims first
 * sends it, the other passes it by, and the lanes remain the retry path, with the backoff, for a row it could not send.
 *
 * The row's lock is held while the server is talking: a worker killed mid-send leaves no claim behind (PostgreSQL
 * ends the transaction with the connection) and the row is due again at once. Never a lost mail: the row is marked
 * only after the server took it. So a second copy is possible, always under the row's one Message-ID (mail/message.ts),
 * which a receiver that de-duplicates by it keeps once: a worker that dies once the server has the whole mail (the end
 * of DATA, its 250 not yet heard) and before the COMMIT that marks the row, a COMMIT lost with its connection after
 * the row was marked, and a 250 that never comes (the socket timing out after the server took the mail: a failed
 * attempt, tried again). A PostgreSQL connection lost earlier in the send takes the claim with it while the mail
 * goes on: the process keeps the row as taken (takenUnmarked) and, claiming it again once the server is back, marks it
 * without sending it; only another worker claiming it first sends it again. Marking before sending would turn each
 * of these into a warning or breach never sent: at least once is the choice. test/e2e/notice-faults.test.ts shows both
 * faults.
 *
 * One row per transaction, not a batch, though a backlog caught up after an outage then costs four statements per row
 * (BEGIN, the claim, the mark, COMMIT; test/e2e/outbox-catch-up.test.ts counts them): a batch's marks would commit
 * after its last send, so a worker dying in the middle of a batch would leave every mail the batch had sent so far to
 * be sent again, and a PostgreSQL connection lost there would free the rows still to send while the lane went on
 * sending them, for another worker to claim and send too. One row per transaction exposes the mail in flight alone.
 *
 * Idle, it does not poll: a row queued NOTIFYs OUTBOX_CHANNEL at its COMMIT (db/outbox.ts), and so does a retry,
 * whichever wrote it (a lane or deliverNow), which wakes the lanes; a lane that finds nothing due sleeps until the next
 * retry is due, or SAFETY_NET_POLL_MS at most (mail/lanes.ts).
 *
 * Started by the worker process (worker/main.ts): it already holds the pool, is supervised and restarted by
 * `npm run dev`, and scales with the workers, which share the table safely through SKIP LOCKED.
 */
export function startOutboxDispatcher(options: DispatcherOptions): OutboxDispatcher {
  const {
    db,
    smtpUrl,
    from,
    lanes = DEFAULT_OUTBOX_LANES,
    idlePollMs,
    backoff = DEFAULT_BACKOFF,
    log = () => undefined,
  } = options;
  const domain = messageDomain(from);
  // Bounded timeouts: a row stays locked while its server talks. maxRequeues 0: the outbox retries, with its own count.
  // The lanes and the activities' deliverNow share the pool's connections: no TCP connection nor EHLO per mail.
  const transport = createTransport({
    url: smtpUrl,
    pool: true,
    maxConnections: Math.max(lanes, SMTP_CONNECTIONS),
    maxRequeues: 0,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });

  // Rows whose mail the SMTP server took and whose mark was lost with their PostgreSQL connection: claimed again (once
  // the server is back), they are marked, not sent again. Only a failed mark adds one: a handful per outage, each
  // forgotten once its mark committed, at a lane's look for the next due row when it finds none (the catch-up is over)
  // or at one claim in CLAIMS_PER_LOOK (mail/taken-unmarked.ts), so that a backlog costs no query per row for them.
  const takenUnmarked = new TakenUnmarked();

  async function send(client: PoolClient, row: OutboxRow): Promise<void> {
    await takenUnmarked.claimed(client);
    const taken = takenUnmarked.messageIdOf(row.id);
    if (taken !== undefined) return markSent(client, row.id, taken);
    if (!ADDRESS.test(row.recipient)) {
      await markAttemptFailed(
        client,
        row.id,
        `"${row.recipient}" is not an e-mail address: no configuration names one for it`,
        undefined,
      );
      log({ msg: 'outbox row failed for good', id: row.id, recipient: row.recipient, reason: 'not an address' });
      return;
    }
    const headers = messageHeaders(row, domain);
    try {
      await transport.sendMail({
        from,
        to: row.recipient,
        subject: row.subject,
        text: row.body,
        messageId: headers.messageId,
        ...(headers.inReplyTo ? { inReplyTo: headers.inReplyTo, references: headers.references } : {}),
        // RFC 3834: an automatic message, so that auto-responders do not answer it.
        headers: {
          'Auto-Submitted': 'auto-generated',
          'X-Vigil-Outbox-Id': String(row.id),
          ...(row.ticketNumber ? { 'X-Vigil-Ticket': row.ticketNumber } : {}),
        },
      });
    } catch (error) {
      const smtp = error as SmtpError;
      const retryInMs = isPermanent(smtp) ? undefined : retryDelayMs(row.attempts + 1, backoff);
      await markAttemptFailed(client, row.id, describe(smtp), retryInMs);
      log({
        msg: retryInMs === undefined ? 'outbox row failed for good' : 'outbox row will be tried again',
        id: row.id,
        attempts: row.attempts + 1,
        retryInMs,
        error: describe(smtp),
      });
      return;
    }
    try {
      await markSent(client, row.id, headers.messageId);
    } catch (error) {
      takenUnmarked.remember(row.id, headers.messageId);
      throw error;
    }
  }

  const lanesRunning = runLanes({
    db,
    lanes,
    idlePollMs,
    queue: {
      ...OUTBOX_QUEUE,
      nextDueInMs: async (client) => {
        await takenUnmarked.forgetMarked(client);
        return OUTBOX_QUEUE.nextDueInMs(client);
      },
    },
    deliver: send,
    onError: (error) =>
      log({ msg: 'outbox dispatch failed', error: error instanceof Error ? error.message : String(error) }),
  });
  // The deliveries deliverNow started, awaited by stop() even when their activity stopped waiting for them.
  const delivering = new Set<Promise<void>>();
  const deliverKey = async (db: Pool, key: string): Promise<void> => {
    let claimed = false;
    try {
      await withTransaction(db, async (client) => {
        const row = await claimDueNoticeByKey(client, key);
        claimed = row !== undefined;
        if (row) await send(client, row);
      });
    } catch (error) {
      // PostgreSQL failed the transaction: the row, if claimed, is free again and due, and a lane sends it. No lane knows
      // of it (a lane passes by a row held here when it reads what is due next): wake them, if PostgreSQL answers; if it
      // does not, the lanes fail too and look again after their pause.
      if (claimed) await announceOutbox(db).catch(() => undefined);
      log({
        msg: 'outbox row left to the dispatcher',
        key,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  };
  return {
    async deliverNow(db, keys) {
      const all = Promise.all(keys.map((key) => deliverKey(db, key))).then(() => undefined);
      delivering.add(all);
      void all.finally(() => delivering.delete(all));
      let timer: NodeJS.Timeout | undefined;
      const waited = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, DELIVER_NOW_WAIT_MS);
      });
      await Promise.race([all, waited]);
      clearTimeout(timer);
    },
    async stop() {
      await lanesRunning.stop();
      await Promise.all(delivering);
      transport.close();
    },
  };
}
