import type { TicketState } from '../contracts/ticket';

export interface Email {
  recipient: string;
  subject: string;
  body: string;
}

/** The registration notice (DOMAIN.md, Acknowledgement): number, requester and receiver, date and time, summary, priority. */
export function acknowledgementEmail(ticket: TicketState): Email {
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
