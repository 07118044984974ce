import type { Metric } from '../domain/policy/vocabulary';
import type { RegistrationRefusal } from '../messages/ticket';

/**
 * What a notification says, as data: the activities build these from the ticket, mail/render.ts writes them in the
 * reader's language. Instants are epoch milliseconds; amounts integer cents.
 */
interface About {
  ticketNumber: string;
  title: string;
}

interface ToContact extends About {
  contactName: string;
}

export interface AcknowledgementNotice extends ToContact {
  kind: 'acknowledgement';
  contactEmail: string;
  customerId: string;
  registeredAt: number;
  ticketKind: string;
  priority: string;
  description: string;
}

export interface RefusalNotice extends ToContact {
  kind: 'refusal';
  refusal: RegistrationRefusal;
}

export interface ThresholdNotice extends About {
  kind: 'threshold-warning' | 'breach';
  customerId: string;
  priority: string;
  assignee?: string;
  metric: Metric;
  percent: number;
  deadline: number;
}

/**
 * An emergency just registered, to the desk and the people the policy's emergency `atOpening` names: what it is, whose,
 * by when it must be taken in charge, and `consoleUrl`, the ticket's page in the console where an agent takes it.
 * `audience`: `desk` for the desk's own people, who are asked to take it in charge (only the desk can); `informed`
 * for the contract's escalation contacts, who are told that it opened and by when the desk must take it, nothing more.
 */
export interface EmergencyOpenedNotice extends About {
  kind: 'emergency-opened';
  audience: 'desk' | 'informed';
  customerId: string;
  priority: string;
  openedAt: number;
  deadline: number;
  consoleUrl: string;
}

export interface TakenInChargeNotice extends ToContact {
  kind: 'taken-in-charge';
  agent: string;
  at: number;
}

export interface WaitingForYouNotice extends ToContact {
  kind: 'waiting-for-customer';
  question: string;
  at: number;
}

/** `actionsUrl`: the ticket's address on the API, to which the validate / reject (or accept / decline) calls go. */
export interface ResolutionProposedNotice extends ToContact {
  kind: 'resolution-proposed';
  resolution: string;
  autoValidateAt?: number;
  actionsUrl: string;
}

export interface ValidatedNotice extends ToContact {
  kind: 'validated';
  at: number;
}

export interface QuoteNotice extends ToContact {
  kind: 'quote-submitted';
  estimateMinutes?: number;
  amountCents?: number;
  actionsUrl: string;
}

/** A notice about one ticket: its subject carries the ticket's number, and it threads with the ticket's other mails. */
export type TicketNotice =
  | AcknowledgementNotice
  | RefusalNotice
  | ThresholdNotice
  | EmergencyOpenedNotice
  | TakenInChargeNotice
  | WaitingForYouNotice
  | ResolutionProposedNotice
  | ValidatedNotice
  | QuoteNotice;

/**
 * An invoice issued (activities/invoice-notice.ts), to the customer's invoicing address: tied to no ticket, so its
 * subject names the invoice instead and it is a thread of its own. Dates are civil (YYYY-MM-DD, as on the invoice);
 * `htmlUrl` and `pdfUrl` are the invoice's addresses on the API, at VIGIL_PUBLIC_URL.
 */
export interface InvoiceReadyNotice {
  kind: 'invoice-ready';
  invoiceNumber: string;
  /** Who the mail greets: the invoice's buyer, or the contact it falls back to. */
  contactName: string;
  issueDate: string;
  dueDate: string;
  periodStart: string;
  periodEnd: string;
  netCents: number;
  grossCents: number;
  currency: string;
  paymentReference: string;
  htmlUrl: string;
  pdfUrl: string;
}

export type Notice = TicketNotice | InvoiceReadyNotice;

export type NoticeKind = Notice['kind'];

/** A notice's text as one wording writes it: the subject's words after the ticket number, and the body's lines. */
export interface Written {
  headline: string;
  lines: string[];
}
