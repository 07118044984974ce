import type { TicketState } from '../contracts/ticket';
import { toHeaderText } from '../domain/text';

export interface Email {
  recipient: string;
  subject: string;
  body: string;
}

/**
 * The e-mail with its header fields on one line each: a CR/LF in a title must not start a header of its own (a `Bcc:`
 * line got through once). Every e-mail builder returns through it, and the outbox writer passes what it gets through it.
 */
export function headerSafe({ recipient, subject, body }: Email): Email {
  return { recipient: toHeaderText(recipient), subject: toHeaderText(subject), body };
}

/** Tells the contact why the desk may not take the request, under the number it is recorded with. */
function refusalEmail(ticket: TicketState): Email {
  return headerSafe({
    recipient: ticket.contact.email,
    subject: `[${ticket.ticketNumber}] Your request could not be taken: ${ticket.title}`,
    body: [
      `Dear ${ticket.contact.name},`,
      '',
      `The support desk could not take your request (recorded as ${ticket.ticketNumber}): ${ticket.refusalReason}.`,
      'Please ask one of the contacts named in your contract, or write again during office hours.',
    ].join('\n'),
  });
}

/** The registration notice (DOMAIN.md, Acknowledgement): number, requester and receiver, date and time, summary, priority. */
export function acknowledgementEmail(ticket: TicketState): Email {
  if (ticket.status === 'refused') return refusalEmail(ticket);
  const registeredAt = new Date(ticket.acknowledgedAt ?? ticket.openedAt).toISOString();
  return headerSafe({
    recipient: ticket.contact.email,
    subject: `[${ticket.ticketNumber}] Your request is registered: ${ticket.title}`,
    body: [
      `Dear ${ticket.contact.name},`,
      '',
      `The support desk has registered your request under ticket number ${ticket.ticketNumber}.`,
      'Please quote this number in any message about it.',
      '',
      `Ticket:        ${ticket.ticketNumber}`,
      `Requester:     ${ticket.contact.name} <${ticket.contact.email}> (customer ${ticket.customerId})`,
      `Receiver:      support desk (${ticket.policyId})`,
      `Registered at: ${registeredAt}`,
      `Kind:          ${ticket.kind}`,
      `Priority:      ${ticket.priority}`,
      `Summary:       ${ticket.title}`,
      '',
      ticket.description,
    ].join('\n'),
  });
}
