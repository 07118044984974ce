import type { Pool } from 'pg';
import { toStorable, toStorableText } from '../domain/text';
import { enqueueNotice, type QueuedNotice } from './outbox';
import { withTransaction } from './transaction';

/** Where a received mail stands (migration 0014 says what each state means). */
export const INBOUND_STATES = ['received', 'opened', 'threaded', 'triage', 'ignored'] as const;
export type InboundState = (typeof INBOUND_STATES)[number];

export interface InboundAttachmentInput {
  filename: string;
  contentType: string;
  content: Buffer;
}

/** A mail as it arrived, with what mailparser read of it. */
export interface NewInboundMail {
  dedupeKey: string;
  messageId?: string;
  via: 'smtp' | 'imap';
  mailFrom?: string;
  rcptTo: string[];
  fromAddress?: string;
  subject: string;
  bodyText: string;
  raw: Buffer;
  attachments: InboundAttachmentInput[];
}

export interface StoredMail {
  id: number;
  state: InboundState;
  /** False when the same Message-ID had been stored before: this delivery is a duplicate. */
  fresh: boolean;
  ticketNumber?: string;
}

/** What became of a mail, written once: only a mail still `received` is settled, so a second settling is a no-op. */
export interface Settlement {
  state: Exclude<InboundState, 'received'>;
  reason: string;
  ticketNumber?: string;
  customerId?: string;
  /** The answer to send, queued in the same transaction as the settlement. */
  answer?: QueuedNotice;
}

export interface InboundRow {
  id: number;
  messageId?: string;
  via: string;
  mailFrom?: string;
  rcptTo: string[];
  fromAddress?: string;
  subject: string;
  bodyText: string;
  state: InboundState;
  reason?: string;
  ticketNumber?: string;
  customerId?: string;
  receivedAt: Date;
  processedAt?: Date;
  attachments: number;
}

export interface AttachmentRow {
  id: number;
  inboundId: number;
  ticketNumber?: string;
  filename: string;
  contentType: string;
  sizeBytes: number;
  receivedAt: Date;
}

/**
 * Keeps the raw mail and its attachments before anything is done with it, in one transaction; the same dedupe key
 * again finds the row stored first (its state says whether it was acted on).
 */
export async function storeInbound(db: Pool, mail: NewInboundMail): Promise<StoredMail> {
  return withTransaction(db, async (client) => {
    const inserted = await client.query<{ id: string }>(
      `INSERT INTO inbound_mail (dedupe_key, message_id, received_via, mail_from, rcpt_to, from_address, subject, body_text, raw)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
      [
        ...toStorable([
          mail.dedupeKey,
          mail.messageId ?? null,
          mail.via,
          mail.mailFrom ?? null,
          mail.rcptTo,
          mail.fromAddress ?? null,
          mail.subject,
          mail.bodyText,
        ]),
        mail.raw,
      ],
    );
    const id = inserted.rows[0]?.id;
    if (id === undefined) {
      const { rows } = await client.query<{ id: string; state: InboundState; ticket_number: string | null }>(
        'SELECT id, state, ticket_number FROM inbound_mail WHERE dedupe_key = $1',
        [toStorableText(mail.dedupeKey)],
      );
      const row = rows[0]!;
      return {
        id: Number(row.id),
        state: row.state,
        fresh: false,
        ...(row.ticket_number ? { ticketNumber: row.ticket_number } : {}),
      };
    }
    for (const [position, attachment] of mail.attachments.entries()) {
      await client.query(
        'INSERT INTO inbound_attachments (inbound_id, position, filename, content_type, size_bytes, content) VALUES ($1, $2, $3, $4, $5, $6)',
        [
          id,
          position,
          ...toStorable([attachment.filename, attachment.contentType]),
          attachment.content.length,
          attachment.content,
        ],
      );
    }
    return { id: Number(id), state: 'received', fresh: true };
  });
}

/** Writes what became of the mail and queues its answer, together; false when another delivery settled it first. */
export async function settleInbound(db: Pool, id: number, settlement: Settlement): Promise<boolean> {
  return withTransaction(db, async (client) => {
    const { rowCount } = await client.query(
      `UPDATE inbound_mail SET state = $2, reason = $3, ticket_number = $4, customer_id = $5, processed_at = now() WHERE id = $1 AND state = 'received'`,
      [
        id,
        settlement.state,
        toStorableText(settlement.reason).slice(0, 2_000),
        settlement.ticketNumber ?? null,
        settlement.customerId ?? null,
      ],
    );
    if (rowCount === 0) return false;
    if (settlement.answer) await enqueueNotice(client, settlement.answer);
    return true;
  });
}

/**
 * How many answers to mail (outbox kinds `inbound-…`) went to this address since then: a sender that answers every
 * answer without saying it is automatic would otherwise make a loop of us.
 */
export async function answersSentTo(db: Pool, recipient: string, since: Date): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM outbox WHERE recipient = $1 AND kind LIKE 'inbound-%' AND created_at >= $2",
    [toStorableText(recipient), since],
  );
  return rows[0]?.n ?? 0;
}

/** A person a contract in force names as allowed to open tickets, with the contract and the customer's language. */
export interface KnownContact {
  customerId: string;
  contractId: string;
  name: string;
  email: string;
  language: string;
}

/** The contracts in force on `today` (a civil date in the desk's zone) naming this address among their authorized contacts. */
export async function knownContactsOf(db: Pool, address: string, today: string): Promise<KnownContact[]> {
  const { rows } = await db.query<{
    customer_id: string;
    contract_id: string;
    name: string;
    email: string;
    language: string;
  }>(
    `SELECT c.customer_id, c.id::text AS contract_id, contact->>'name' AS name, contact->>'email' AS email, cu.language
     FROM contracts c JOIN customers cu ON cu.id = c.customer_id, jsonb_array_elements(c.authorized_contacts) AS contact
     WHERE lower(contact->>'email') = lower($1) AND c.starts_on <= $2::date AND (c.ends_on IS NULL OR c.ends_on >= $2::date)
     ORDER BY c.id`,
    [toStorableText(address), today],
  );
  return rows.map((row) => ({
    customerId: row.customer_id,
    contractId: row.contract_id,
    name: row.name,
    email: row.email,
    language: row.language,
  }));
}

/**
 * The ticket a reply belongs to, from the Message-IDs it answers (lower-cased, most recent first): one the outbox sent
 * (its `message_id`), or a ticket's thread root `<VIG-000123.ticket@our-domain>` (mail/message.ts), which every mail of
 * the ticket answers and which is known before the acknowledgement is sent, provided the outbox holds mail for it.
 */
export async function ticketOfMessageIds(
  db: Pool,
  messageIds: string[],
  threadRoots: { messageId: string; ticketNumber: string }[],
): Promise<string | undefined> {
  if (messageIds.length === 0) return undefined;
  const { rows } = await db.query<{ ticket_number: string }>(
    `SELECT ticket_number FROM outbox WHERE lower(message_id) = ANY($1::text[]) AND ticket_number IS NOT NULL
     ORDER BY array_position($1::text[], lower(message_id)) LIMIT 1`,
    [messageIds.map(toStorableText)],
  );
  if (rows[0]) return rows[0].ticket_number;
  for (const root of threadRoots) {
    const known = await db.query('SELECT 1 FROM outbox WHERE ticket_number = $1 LIMIT 1', [root.ticketNumber]);
    if (known.rowCount) return root.ticketNumber;
  }
  return undefined;
}

/** The read model's row of a ticket, as much of it as threading a reply needs. */
export interface TicketForMail {
  ticketNumber: string;
  customerId: string;
  contactEmail: string;
  status: string;
  title: string;
}

export async function ticketForMail(db: Pool, ticketNumber: string): Promise<TicketForMail | undefined> {
  const { rows } = await db.query<{
    number: string;
    customer_id: string;
    contact_email: string;
    status: string;
    title: string;
  }>('SELECT number, customer_id, contact_email, status, title FROM tickets WHERE number = $1', [ticketNumber]);
  const row = rows[0];
  return (
    row && {
      ticketNumber: row.number,
      customerId: row.customer_id,
      contactEmail: row.contact_email,
      status: row.status,
      title: row.title,
    }
  );
}

interface Row {
  id: string;
  message_id: string | null;
  received_via: string;
  mail_from: string | null;
  rcpt_to: string[];
  from_address: string | null;
  subject: string;
  body_text: string;
  state: InboundState;
  reason: string | null;
  ticket_number: string | null;
  customer_id: string | null;
  received_at: Date;
  processed_at: Date | null;
  attachments: string;
}

const fromRow = (row: Row): InboundRow => ({
  id: Number(row.id),
  ...(row.message_id ? { messageId: row.message_id } : {}),
  via: row.received_via,
  ...(row.mail_from !== null ? { mailFrom: row.mail_from } : {}),
  rcptTo: row.rcpt_to,
  ...(row.from_address ? { fromAddress: row.from_address } : {}),
  subject: row.subject,
  bodyText: row.body_text,
  state: row.state,
  ...(row.reason ? { reason: row.reason } : {}),
  ...(row.ticket_number ? { ticketNumber: row.ticket_number } : {}),
  ...(row.customer_id ? { customerId: row.customer_id } : {}),
  receivedAt: row.received_at,
  ...(row.processed_at ? { processedAt: row.processed_at } : {}),
  attachments: Number(row.attachments),
});

interface AttachmentRecord {
  id: string;
  inbound_id: string;
  ticket_number: string | null;
  filename: string;
  content_type: string;
  size_bytes: number;
  received_at: Date;
}

const COLUMNS = `m.id, m.message_id, m.received_via, m.mail_from, m.rcpt_to, m.from_address, m.subject, m.body_text, m.state, m.reason,
  m.ticket_number, m.customer_id, m.received_at, m.processed_at, (SELECT count(*) FROM inbound_attachments a WHERE a.inbound_id = m.id) AS attachments`;

/** The reads of the API (api/routes/inbound.ts): the admin's list, and a ticket's messages and attachments. */
export interface InboundStore {
  list(filter: { state?: InboundState; limit: number }): Promise<InboundRow[]>;
  /** The mails that opened or went onto the ticket, oldest first. */
  messages(ticketNumber: string): Promise<InboundRow[]>;
  attachments(ticketNumber: string): Promise<AttachmentRow[]>;
  /** One attachment with its content, if it belongs to that ticket. */
  attachment(ticketNumber: string, id: number): Promise<(AttachmentRow & { content: Buffer }) | undefined>;
}

export function pgInboundStore(db: Pool): InboundStore {
  const attachmentRow = (row: AttachmentRecord): AttachmentRow => ({
    id: Number(row.id),
    inboundId: Number(row.inbound_id),
    ...(row.ticket_number ? { ticketNumber: row.ticket_number } : {}),
    filename: row.filename,
    contentType: row.content_type,
    sizeBytes: row.size_bytes,
    receivedAt: row.received_at,
  });
  const ATTACHMENTS = `SELECT a.id, a.inbound_id, m.ticket_number, a.filename, a.content_type, a.size_bytes, m.received_at
    FROM inbound_attachments a JOIN inbound_mail m ON m.id = a.inbound_id WHERE m.ticket_number = $1 AND m.state IN ('opened', 'threaded')`;
  return {
    async list({ state, limit }) {
      const { rows } = await db.query<Row>(
        `SELECT ${COLUMNS} FROM inbound_mail m WHERE ($2::text IS NULL OR m.state = $2) ORDER BY m.id DESC LIMIT $1`,
        [limit, state ?? null],
      );
      return rows.map(fromRow);
    },
    async messages(ticketNumber) {
      const { rows } = await db.query<Row>(
        `SELECT ${COLUMNS} FROM inbound_mail m WHERE m.ticket_number = $1 AND m.state IN ('opened', 'threaded') ORDER BY m.id`,
        [ticketNumber],
      );
      return rows.map(fromRow);
    },
    async attachments(ticketNumber) {
      const { rows } = await db.query<AttachmentRecord>(`${ATTACHMENTS} ORDER BY a.id`, [ticketNumber]);
      return rows.map(attachmentRow);
    },
    async attachment(ticketNumber, id) {
      const { rows } = await db.query<AttachmentRecord & { content: Buffer }>(
        `SELECT a.content, q.* FROM (${ATTACHMENTS} AND a.id = $2) q JOIN inbound_attachments a ON a.id = q.id`,
        [ticketNumber, id],
      );
      const row = rows[0];
      return row && { ...attachmentRow(row), content: row.content };
    },
  };
}
