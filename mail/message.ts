import type { OutboxRow } from '../db/outbox';

/**
 * The headers that make a row one recognisable message and thread a ticket's mails. The Message-ID comes from the
 * row's id, so a row sent twice (the one window where that can happen: see mail/dispatcher.ts) carries the same
 * one, and the receiving client shows it once. A ticket's acknowledgement is the thread's root, under a Message-ID
 * made from the ticket number; every other mail of the ticket answers it (In-Reply-To, References), so a mail
 * client groups them, and a reply to any of them names the ticket (the inbound half will read it).
 */
export interface MessageHeaders {
  messageId: string;
  inReplyTo?: string;
  references?: string;
}

// What starts a thread: the registration notice, or the refusal sent in its place (activities/ticket-activities.ts).
const THREAD_ROOTS = new Set(['acknowledgement', 'refusal']);

/** The part after the @ of the sender's address: Message-IDs are unique within the sending domain. */
export function messageDomain(from: string): string {
  const address = /<([^>]+)>/.exec(from)?.[1] ?? from;
  return address.split('@')[1]?.trim() || 'vigil.localhost';
}

export const ticketThreadId = (ticketNumber: string, domain: string) => `<${ticketNumber}.ticket@${domain}>`;

export function messageHeaders(row: Pick<OutboxRow, 'id' | 'kind' | 'ticketNumber'>, domain: string): MessageHeaders {
  if (!row.ticketNumber) return { messageId: `<${row.id}.outbox@${domain}>` };
  const root = ticketThreadId(row.ticketNumber, domain);
  if (THREAD_ROOTS.has(row.kind)) return { messageId: root };
  return { messageId: `<${row.id}.${row.ticketNumber}.outbox@${domain}>`, inReplyTo: root, references: root };
}
