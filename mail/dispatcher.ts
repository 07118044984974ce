import { createTransport } from 'nodemailer';
import type { Pool, PoolClient } from 'pg';
import { claimDueNotice, markAttemptFailed, markSent, OUTBOX_CHANNEL, type OutboxRow } from '../db/outbox';
import { DEFAULT_BACKOFF, retryDelayMs, type BackoffPolicy } from './backoff';
import { runLanes } from './lanes';
import { messageDomain, messageHeaders } from './message';

export interface DispatcherOptions {
  db: Pool;
  /** smtp://host:port (smtps:// for TLS from the first byte; user:password@ when the server wants them). */
  smtpUrl: string;
  /** The From of every notice, e.g. `Support desk <support@desk.lu>`; its domain names the Message-IDs. */
  from: string;
  /** How many rows are sent at once, each in its own transaction and SMTP connection. */
  lanes?: number;
  /** How long a lane that found nothing due waits before it looks again; a row queued wakes it at once (mail/lanes.ts). */
  idlePollMs?: number;
  backoff?: BackoffPolicy;
  /** One line per attempt that failed, for the process's log. */
  log?: (line: Record<string, unknown>) => void;
}

/** How many rows a dispatcher sends at once unless told otherwise. */
export const DEFAULT_OUTBOX_LANES = 4;
/** The PostgreSQL connections a dispatcher holds at most: one per lane and the one that LISTENs (mail/lanes.ts). */
export const outboxConnections = (lanes: number): number => lanes + 1;

export interface OutboxDispatcher {
  /** Lets each lane finish the row it is sending, then returns. */
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
 * it sent in the same transaction, so a row is sent by one dispatcher only and, once marked, never again.
 *
 * The row's lock is held while the server is talking: a worker killed mid-send leaves no claim behind (PostgreSQL
 * ends the transaction with the connection) and the row is due again at once. The one window for a second delivery
 * is between the server's 250 after DATA and the COMMIT that marks the row (one round trip to PostgreSQL, or a crash
 * or a lost database connection exactly then): the mail then goes out again with the same Message-ID, which mail
 * clients and the inbound half recognise. Never a lost one: the row is marked only after the server took the mail.
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
    idlePollMs = 1_000,
    backoff = DEFAULT_BACKOFF,
    log = () => undefined,
  } = options;
  const domain = messageDomain(from);
  // Bounded timeouts: a row stays locked while its server talks. maxRequeues 0: the outbox retries, with its own count.
  const transport = createTransport({
    url: smtpUrl,
    pool: true,
    maxConnections: lanes,
    maxRequeues: 0,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });

  async function send(client: PoolClient, row: OutboxRow): Promise<void> {
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
    await markSent(client, row.id, headers.messageId);
  }

  const lanesRunning = runLanes({
    db,
    lanes,
    idlePollMs,
    wakeOn: OUTBOX_CHANNEL,
    async deliverOne(client) {
      const row = await claimDueNotice(client);
      if (row) await send(client, row);
      return row !== undefined;
    },
    onError: (error) =>
      log({ msg: 'outbox dispatch failed', error: error instanceof Error ? error.message : String(error) }),
  });
  return {
    async stop() {
      await lanesRunning.stop();
      transport.close();
    },
  };
}
