import type { Pool, PoolClient } from 'pg';
import { toHeaderText, toStorable, toStorableText } from '../domain/text';
import { announceQueued, nextDueInMsOf, type DispatchQueue } from './dispatch-queue';

/** A notice to send, as an activity queues it: once per idempotency key, whatever the retries. */
export interface QueuedNotice {
  idempotencyKey: string;
  kind: string;
  recipient: string;
  subject: string;
  body: string;
  ticketNumber?: string;
  /** Set when the notice cannot be sent at all (nobody to address it to): queued failed, listed for an admin. */
  failedBecause?: string;
}

export const OUTBOX_STATES = ['pending', 'sent', 'failed'] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];

export interface OutboxRow {
  id: number;
  kind: string;
  recipient: string;
  subject: string;
  body: string;
  ticketNumber?: string;
  createdAt: Date;
  attempts: number;
  nextAttemptAt: Date;
  sentAt?: Date;
  failedAt?: Date;
  lastError?: string;
  messageId?: string;
}

export const stateOf = (row: Pick<OutboxRow, 'sentAt' | 'failedAt'>): OutboxState =>
  row.sentAt ? 'sent' : row.failedAt ? 'failed' : 'pending';

const STATE_WHERE: Record<OutboxState, string> = {
  pending: 'sent_at IS NULL AND failed_at IS NULL',
  sent: 'sent_at IS NOT NULL',
  failed: 'failed_at IS NOT NULL',
};

interface Row {
  id: string;
  kind: string;
  recipient: string;
  subject: string;
  body: string;
  ticket_number: string | null;
  created_at: Date;
  attempts: number;
  next_attempt_at: Date;
  sent_at: Date | null;
  failed_at: Date | null;
  last_error: string | null;
  message_id: string | null;
}

const fromRow = (row: Row): OutboxRow => ({
  id: Number(row.id),
  kind: row.kind,
  recipient: row.recipient,
  subject: row.subject,
  body: row.body,
  ...(row.ticket_number ? { ticketNumber: row.ticket_number } : {}),
  createdAt: row.created_at,
  attempts: row.attempts,
  nextAttemptAt: row.next_attempt_at,
  ...(row.sent_at ? { sentAt: row.sent_at } : {}),
  ...(row.failed_at ? { failedAt: row.failed_at } : {}),
  ...(row.last_error ? { lastError: row.last_error } : {}),
  ...(row.message_id ? { messageId: row.message_id } : {}),
});

/** The channel on which a new row is announced, at the COMMIT that makes it visible: the dispatchers LISTEN on it (mail/lanes.ts). */
export const OUTBOX_CHANNEL = 'vigil_outbox';

/**
 * Queues a notice in the caller's transaction (the transactional outbox: the read model and its notices commit
 * together). The header fields go on one line each, so no ticket text can add a header of its own. A row inserted
 * is announced on OUTBOX_CHANNEL in the same statement; PostgreSQL delivers it once the transaction commits.
 */
export async function enqueueNotice(client: Pool | PoolClient, notice: QueuedNotice): Promise<void> {
  await client.query(
    `WITH queued AS (
       INSERT INTO outbox (idempotency_key, channel, kind, recipient, subject, body, ticket_number, failed_at, last_error)
       VALUES ($1, 'email', $2, $3, $4, $5, $6, CASE WHEN $7::text IS NULL THEN NULL ELSE now() END, $7)
       ON CONFLICT (idempotency_key) DO NOTHING
       RETURNING failed_at
     )
     ${announceQueued(OUTBOX_CHANNEL, 'failed_at IS NULL')}`,
    toStorable([
      notice.idempotencyKey,
      notice.kind,
      toHeaderText(notice.recipient),
      toHeaderText(notice.subject),
      notice.body,
      notice.ticketNumber ?? null,
      notice.failedBecause ?? null,
    ]),
  );
}

/** The oldest due row, locked for this transaction (SKIP LOCKED: every worker's dispatcher shares the table). */
async function claimDueNotice(client: PoolClient): Promise<OutboxRow | undefined> {
  const { rows } = await client.query<Row>(
    `SELECT * FROM outbox WHERE ${STATE_WHERE.pending} AND next_attempt_at <= now()
     ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED`,
  );
  return rows[0] && fromRow(rows[0]);
}

/** The outbox as mail/dispatcher.ts's lanes work it. */
export const OUTBOX_QUEUE: DispatchQueue<OutboxRow> = {
  channel: OUTBOX_CHANNEL,
  claimDue: claimDueNotice,
  nextDueInMs: nextDueInMsOf('outbox', STATE_WHERE.pending),
};

/**
 * Wakes the lanes of every dispatcher to look at the outbox again: the activity's own delivery (mail/dispatcher.ts,
 * deliverNow) calls it when its transaction failed after it claimed a row, which is then due again although no lane
 * was told of it (a lane's nextDueInMs passed it by while it was held).
 */
export async function announceOutbox(db: Pool): Promise<void> {
  await db.query(`SELECT pg_notify($1, '')`, [OUTBOX_CHANNEL]);
}

/**
 * The row queued under `idempotencyKey`, locked for this transaction, if it is still due: the queuing activity's own
 * delivery (mail/dispatcher.ts, deliverNow) claims its rows by key, under the same lock and conditions as the
 * dispatcher's claim above, so whichever of the two locks a row first sends it and the other passes it by.
 */
export async function claimDueNoticeByKey(client: PoolClient, idempotencyKey: string): Promise<OutboxRow | undefined> {
  const { rows } = await client.query<Row>(
    `SELECT * FROM outbox WHERE idempotency_key = $1 AND ${STATE_WHERE.pending} AND next_attempt_at <= now()
     FOR UPDATE SKIP LOCKED`,
    [idempotencyKey],
  );
  return rows[0] && fromRow(rows[0]);
}

/**
 * Which of `ids` are still pending, as committed: mail/taken-unmarked.ts forgets the others, which no claim returns
 * again.
 */
export async function stillPending(client: PoolClient, ids: readonly number[]): Promise<Set<number>> {
  const { rows } = await client.query<{ id: string }>(
    `SELECT id FROM outbox WHERE id = ANY($1::bigint[]) AND ${STATE_WHERE.pending}`,
    [ids],
  );
  return new Set(rows.map((row) => Number(row.id)));
}

export async function markSent(client: PoolClient, id: number, messageId: string): Promise<void> {
  await client.query(
    'UPDATE outbox SET sent_at = now(), attempts = attempts + 1, message_id = $2, last_error = NULL WHERE id = $1',
    [id, messageId],
  );
}

/**
 * One more failed attempt: tried again after `retryInMs`, or, without it, failed for good. A retry is announced on
 * OUTBOX_CHANNEL as a new row is: the activity's own delivery (mail/dispatcher.ts, deliverNow) writes retries outside
 * the lanes, which, woken, read when it is due (OUTBOX_QUEUE's nextDueInMs) and sleep until then.
 */
export async function markAttemptFailed(
  client: PoolClient,
  id: number,
  error: string,
  retryInMs: number | undefined,
): Promise<void> {
  await client.query(
    `WITH queued AS (
       UPDATE outbox SET attempts = attempts + 1, last_error = $2,
         next_attempt_at = CASE WHEN $3::bigint IS NULL THEN next_attempt_at ELSE now() + make_interval(secs => $3::bigint / 1000.0) END,
         failed_at = CASE WHEN $3::bigint IS NULL THEN now() ELSE NULL END
       WHERE id = $1
       RETURNING failed_at
     )
     ${announceQueued(OUTBOX_CHANNEL, 'failed_at IS NULL')}`,
    [id, toStorableText(error).slice(0, 2_000), retryInMs ?? null],
  );
}

export interface OutboxFigures {
  pending: number;
  failed: number;
  /** Age of the oldest row still to send, 0 when none is. */
  oldestPendingSeconds: number;
}

export interface OutboxStore {
  list(filter: { state?: OutboxState; ticketNumber?: string; limit: number }): Promise<OutboxRow[]>;
  figures(): Promise<OutboxFigures>;
}

export function pgOutboxStore(db: Pool): OutboxStore {
  return {
    async list({ state, ticketNumber, limit }) {
      const where = [state ? STATE_WHERE[state] : 'true', ticketNumber ? 'ticket_number = $2' : 'true'].join(' AND ');
      const order = state === 'failed' ? 'failed_at DESC, id DESC' : 'id DESC';
      const { rows } = await db.query<Row>(
        `SELECT * FROM outbox WHERE ${where} ORDER BY ${order} LIMIT $1`,
        ticketNumber ? [limit, ticketNumber] : [limit],
      );
      return rows.map(fromRow);
    },
    async figures() {
      const { rows } = await db.query<{ pending: string; failed: string; oldest: number | null }>(
        `SELECT count(*) FILTER (WHERE sent_at IS NULL AND failed_at IS NULL) AS pending,
                count(*) FILTER (WHERE failed_at IS NOT NULL) AS failed,
                extract(epoch FROM now() - min(created_at) FILTER (WHERE sent_at IS NULL AND failed_at IS NULL))::float8 AS oldest
         FROM outbox WHERE sent_at IS NULL`,
      );
      const row = rows[0];
      return {
        pending: Number(row?.pending ?? 0),
        failed: Number(row?.failed ?? 0),
        oldestPendingSeconds: Math.max(0, row?.oldest ?? 0),
      };
    },
  };
}
