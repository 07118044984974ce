import type { TicketState } from '../contracts/ticket';

export interface Email {
  recipient: string;
  subject: string;
  body: string;
}

/** Tells the contact why the desk may not take the request, under the number it is recorded with. */
function refusalEmail(ticket: TicketState): Email {
  return {
    recipient: ticket.contact.email,
    subject: `[${ticket.ticketNumber}] Your request could not be taken: ${ticket.title}`,
    body: [
      `Dear ${ticket.contact.name},`,
      '',
      `The support desk could not take your request (recorded as ${ticket.ticketNumber}): ${ticket.refusalReason}.`,
      'Please ask one of the contacts named in your contract, or write again during office hours.',
    ].join('\n'),
  };
}

/** The registration notice (DOMAIN.md, Acknowledgement): number, requester and receiver, date and time, summary, priority. */
export function acknowledgementEmail(ticket: TicketState): Email {
  if (ticket.status === 'refused') return refusalEmail(ticket);
  const registeredAt = new Date(ticket.acknowledgedAt ?? ticket.openedAt).toISOString();
  return {
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
  };
}
