import type { Metric, TicketKind } from '../../domain/policy/vocabulary';
import type { RegistrationRefusal } from '../../messages/ticket';

/**
 * One language's words for the notices; mail/render.ts lays them out the same way in every language, so a
 * translation is only this table. Dates and amounts arrive already formatted for the reader.
 */
export interface Phrases {
  metric: Record<Metric, string>;
  /** What a ticket opened by a mail without a subject, or without text, is titled or described as. */
  noSubject: string;
  noText: string;
  /** A ticket's kind, as the acknowledgement names it. */
  kinds: Record<TicketKind, string>;
  dear(name: string): string;
  signature: string;
  /** The assignee when there is none yet. */
  nobody: string;
  ticketOf(ticketNumber: string, customerId: string, title: string): string;
  /** `before`, a colon and `after`, the colon spaced as the language spaces it (French: a space before it too). */
  colon(before: string, after: string): string;
  priorityAndAssignee(priority: string, assignee: string): string;
  acknowledgement: {
    headline(title: string): string;
    registered(ticketNumber: string): string;
    quoteTheNumber: string;
    labels: {
      ticket: string;
      requester: string;
      customer: string;
      registeredOn: string;
      kind: string;
      priority: string;
      summary: string;
    };
  };
  refusal: {
    headline(title: string): string;
    notTaken(ticketNumber: string, reason: string): string;
    /** Why, from the ticket's refusal (messages/ticket.ts RegistrationRefusal), in the words notTaken's reason takes. */
    reasons: Record<RegistrationRefusal['reason'], (contact: string) => string>;
    advice: string;
  };
  warning: {
    headline(metric: string, percent: number, due: string): string;
    used(metric: string, percent: number, due: string): string;
  };
  breach: { headline(metric: string, due: string): string; passed(metric: string, due: string): string };
  /**
   * An emergency just registered, dates formatted: to the desk, asked to take it in charge (headline, opened,
   * inConsole); to the emergency's escalation contacts, told that it opened and by when the desk must take it in charge,
   * asked nothing (`informed`).
   */
  emergencyOpened: {
    headline(due: string): string;
    opened(at: string, due: string): string;
    inConsole(url: string): string;
    informed: {
      headline(due: string): string;
      opened(at: string, due: string): string;
      inConsole(url: string): string;
    };
  };
  takenInCharge: { headline(title: string): string; by(agent: string, at: string): string };
  waiting: { headline(title: string): string; needsAnswer: string; paused: string };
  resolution: {
    headline(title: string): string;
    proposes: string;
    howTo: string;
    byApi: string;
    autoValidates(at: string): string;
  };
  validated: { headline(title: string): string; closed(at: string): string };
  quote: { headline(title: string): string; needsAgreement: string; estimate: string; amount: string };
  /** An invoice issued: what it is for, what to pay by when, and where to read it. Dates and amounts come formatted. */
  invoiceReady: {
    headline(invoiceNumber: string): string;
    issued(invoiceNumber: string, from: string, to: string): string;
    amountDue(gross: string, net: string): string;
    dueBy(date: string): string;
    reference(paymentReference: string): string;
    where: string;
    html(url: string): string;
    pdf(url: string): string;
    access: string;
  };
  /** Answers to mail received (sent by mail/inbound/process.ts): nothing a person wrote is left without a word. */
  inbound: {
    /** To a mail kept for the desk to read, neither opened as a ticket nor added to one, with why (TriageWhy). */
    triage: {
      headline(subject: string): string;
      kept: string;
      why: {
        notAContact: string;
        severalContracts: string;
        notItsContact(ticketNumber: string): string;
        notOpened: string;
        ticketEnded(ticketNumber: string): string;
      };
    };
    /** To a reply on a ticket awaiting validation: the mail is kept on the ticket, never taken as a validation. */
    notAValidation: { headline(title: string): string; kept(ticketNumber: string): string; howTo: string };
    /** To the sender of a mail in the desk's mailbox larger than INBOUND_MAX_BYTES: left there unread, no ticket. */
    tooLarge: { headline(subject: string): string; notRead(size: string, limit: string): string; howTo: string };
  };
  /** The ticket's page in the console, where a customer's contact decides (validate, reject, accept, decline). */
  inConsole(url: string): string;
  /** The placeholder in the API calls the customer is shown. */
  reason: string;
}
