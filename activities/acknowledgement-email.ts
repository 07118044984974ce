import type { TicketState } from '../messages/ticket';
import { toHeaderText } from '../domain/text';
import type { Reader } from '../mail/format';
import type { AcknowledgementNotice, RefusalNotice } from '../mail/notices';
import { renderNotice } from '../mail/render';

export interface Email {
  recipient: string;
  subject: string;
  body: string;
}

/**
 * The e-mail with its header fields on one line each: a CR/LF in a title must not start a header of its own (a `Bcc:`
 * line got through once). Every e-mail builder returns through it, and the outbox writer (db/outbox.ts) folds too.
 */
export function headerSafe({ recipient, subject, body }: Email): Email {
  return { recipient: toHeaderText(recipient), subject: toHeaderText(subject), body };
}

/**
 * The registration notice (what the acknowledgement must name: number, requester and receiver, date and time, summary,
 * priority), or, for a ticket the desk may not take, why not, under the number it is recorded with.
 */
export function acknowledgementNotice(ticket: TicketState): AcknowledgementNotice | RefusalNotice {
  const about = { ticketNumber: ticket.ticketNumber, title: ticket.title, contactName: ticket.contact.name };
  if (ticket.status === 'refused') {
    // evolve (domain/ticket/evolve.ts) sets both at once: one without the other is a defect, not a ticket to word.
    if (!ticket.refusal) throw new Error(`ticket ${ticket.ticketNumber} is refused without its refusal`);
    return { ...about, kind: 'refusal', refusal: ticket.refusal };
  }
  return {
    ...about,
    kind: 'acknowledgement',
    contactEmail: ticket.contact.email,
    customerId: ticket.customerId,
    registeredAt: ticket.acknowledgedAt ?? ticket.openedAt,
    ticketKind: ticket.kind,
    priority: ticket.priority,
    description: ticket.description,
  };
}

const ENGLISH_IN_LUXEMBOURG: Reader = { language: 'en', zone: 'Europe/Luxembourg' };

/** The acknowledgement as the contact receives it, in the reader's language (English by default). */
export function acknowledgementEmail(ticket: TicketState, reader: Reader = ENGLISH_IN_LUXEMBOURG): Email {
  return headerSafe({ recipient: ticket.contact.email, ...renderNotice(acknowledgementNotice(ticket), reader) });
}
