import {
  amount,
  dateInWords,
  instantInWords,
  minutesInWords,
  sizeInWords,
  type MailLanguage,
  type Reader,
} from './format';
import type { TicketKind } from '../domain/policy/vocabulary';
import type { Notice } from './notices';
import { de } from './wording/de';
import { en } from './wording/en';
import { fr } from './wording/fr';
import { nl } from './wording/nl';
import type { Phrases } from './wording/phrases';

const PHRASES: Record<MailLanguage, Phrases> = { en, fr, de, nl };

/** The title and description of a ticket opened by a mail without a subject or text, in the customer's language. */
export function emptyMailPlaceholders(language: MailLanguage): { noSubject: string; noText: string } {
  const { noSubject, noText } = PHRASES[language];
  return { noSubject, noText };
}

export interface RenderedMail {
  subject: string;
  body: string;
}

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * Where a customer decides by itself (validate, reject, accept, decline): the ticket's page in the console, where its
 * contacts sign in, then the API calls, one a line. `url` is the ticket's address on the API
 * (activities/ticket-notices.ts actionsUrl), whose page is under /console at the same public URL. The bodies name no
 * contact: who acts is who is authenticated, and the `contact` the API still accepts is ignored.
 */
const apiCalls = (p: Phrases, url: string, pairs: [string, string, boolean][]) => [
  p.inConsole(url.replace(/\/v1\/tickets\/([^/]+)$/, '/console/tickets/$1')),
  ...pairs.map(
    ([verb, path, needsReason]) =>
      `  ${verb}: POST ${url}/${path}  ${needsReason ? `{"reason": "<${p.reason}>"}` : '{}'}`,
  ),
];

const VALIDATION_CALLS: [string, string, boolean][] = [
  ['validate', 'validate', false],
  ['reject', 'reject', true],
];

/** The lines of a notice in the reader's words; every language is laid out alike. */
function lines(notice: Notice, p: Phrases, reader: Reader): { headline: string; lines: string[] } {
  const at = (epochMs: number) => instantInWords(epochMs, reader);
  const signed = (body: string[]) => [
    p.dear('contactName' in notice ? notice.contactName : ''),
    '',
    ...body,
    '',
    p.signature,
  ];
  const calls = (url: string, pairs: [string, string, boolean][]) => apiCalls(p, url, pairs);
  switch (notice.kind) {
    case 'acknowledgement': {
      const l = p.acknowledgement.labels;
      const table: [string, string][] = [
        [l.ticket, notice.ticketNumber],
        [l.requester, `${notice.contactName} <${notice.contactEmail}> (${l.customer} ${notice.customerId})`],
        [l.registeredOn, at(notice.registeredAt)],
        [l.kind, p.kinds[notice.ticketKind as TicketKind] ?? notice.ticketKind],
        [l.priority, notice.priority],
        [l.summary, notice.title],
      ];
      // Each label with its colon spaced as the language spaces it (p.colon: 'Objet :' in French), then aligned.
      const labelled = table.map(([label, value]) => [p.colon(label, '').trimEnd(), value] as const);
      const width = Math.max(...labelled.map(([label]) => label.length)) + 1;
      return {
        headline: p.acknowledgement.headline(notice.title),
        lines: signed([
          p.acknowledgement.registered(notice.ticketNumber),
          p.acknowledgement.quoteTheNumber,
          '',
          ...labelled.map(([label, value]) => `${label.padEnd(width)}${value}`),
          '',
          notice.description,
        ]),
      };
    }
    case 'refusal':
      return {
        headline: p.refusal.headline(notice.title),
        lines: signed([
          p.refusal.notTaken(notice.ticketNumber, p.refusal.reasons[notice.refusal.reason](notice.refusal.contact)),
          p.refusal.advice,
        ]),
      };
    case 'threshold-warning':
    case 'breach': {
      const metric = p.metric[notice.metric];
      const due = at(notice.deadline);
      const [headline, said] =
        notice.kind === 'breach'
          ? [p.breach.headline(metric, due), p.breach.passed(metric, due)]
          : [p.warning.headline(metric, notice.percent, due), p.warning.used(metric, notice.percent, due)];
      return {
        headline: p.colon(headline, notice.title),
        lines: [
          p.ticketOf(notice.ticketNumber, notice.customerId, notice.title),
          said,
          p.priorityAndAssignee(notice.priority, notice.assignee ?? p.nobody),
        ],
      };
    }
    case 'emergency-opened': {
      const due = at(notice.deadline);
      // Only the desk takes a ticket in charge: the escalation contacts are told by when it must, not asked to.
      const words = notice.audience === 'desk' ? p.emergencyOpened : p.emergencyOpened.informed;
      return {
        headline: p.colon(words.headline(due), notice.title),
        lines: [
          p.ticketOf(notice.ticketNumber, notice.customerId, notice.title),
          words.opened(at(notice.openedAt), due),
          p.priorityAndAssignee(notice.priority, p.nobody),
          '',
          words.inConsole(notice.consoleUrl),
        ],
      };
    }
    case 'taken-in-charge':
      return {
        headline: p.takenInCharge.headline(notice.title),
        lines: signed([p.takenInCharge.by(notice.agent, at(notice.at))]),
      };
    case 'waiting-for-customer':
      return {
        headline: p.waiting.headline(notice.title),
        lines: signed([p.waiting.needsAnswer, '', notice.question, '', p.waiting.paused]),
      };
    case 'resolution-proposed':
      return {
        headline: p.resolution.headline(notice.title),
        lines: signed([
          p.resolution.proposes,
          '',
          notice.resolution,
          '',
          p.resolution.howTo,
          ...calls(notice.actionsUrl, VALIDATION_CALLS),
          p.resolution.byApi,
          ...(notice.autoValidateAt === undefined ? [] : ['', p.resolution.autoValidates(at(notice.autoValidateAt))]),
        ]),
      };
    case 'validated':
      return { headline: p.validated.headline(notice.title), lines: signed([p.validated.closed(at(notice.at))]) };
    case 'quote-submitted':
      return {
        headline: p.quote.headline(notice.title),
        lines: signed([
          p.quote.needsAgreement,
          ...(notice.estimateMinutes === undefined
            ? []
            : [p.colon(p.quote.estimate, minutesInWords(notice.estimateMinutes))]),
          ...(notice.amountCents === undefined ? [] : [p.colon(p.quote.amount, amount(notice.amountCents, reader))]),
          '',
          ...calls(notice.actionsUrl, [
            ['accept', 'quote/accept', false],
            ['decline', 'quote/decline', true],
          ]),
          p.resolution.byApi,
        ]),
      };
    case 'invoice-ready': {
      const money = (cents: number) => amount(cents, reader, notice.currency);
      const { invoiceReady: words } = p;
      return {
        headline: words.headline(notice.invoiceNumber),
        lines: signed([
          words.issued(
            notice.invoiceNumber,
            dateInWords(notice.periodStart, reader, false),
            dateInWords(notice.periodEnd, reader, false),
          ),
          '',
          words.amountDue(money(notice.grossCents), money(notice.netCents)),
          words.dueBy(dateInWords(notice.dueDate, reader)),
          words.reference(notice.paymentReference),
          '',
          words.where,
          words.html(notice.htmlUrl),
          words.pdf(notice.pdfUrl),
          words.access,
        ]),
      };
    }
  }
}

/**
 * The notice as an e-mail in the reader's language and zone. A ticket's subject starts with its number, `[VIG-000123]`,
 * which a reply keeps and the inbound half reads; a notice of no ticket (an invoice) carries no such tag.
 */
export function renderNotice(notice: Notice, reader: Reader): RenderedMail {
  const { headline, lines: body } = lines(notice, PHRASES[reader.language], reader);
  const tag = notice.kind === 'invoice-ready' ? '' : `[${notice.ticketNumber}] `;
  return { subject: `${tag}${capitalised(headline)}`, body: body.join('\n') };
}

/**
 * An answer to a mail received (mail/inbound/): to a sender kept for triage, or to a reply on a ticket awaiting
 * validation, which says how to validate rather than guessing that "OK" meant it.
 */
/** Why a mail was kept for the desk to read instead of being opened as a ticket or added to one. */
export type TriageWhy =
  | { reason: 'not-a-contact' | 'several-contracts' | 'not-opened' }
  | { reason: 'not-its-contact' | 'ticket-ended'; ticketNumber: string };

export type InboundAnswer =
  | { kind: 'inbound-triage'; subject: string; senderName: string; why: TriageWhy }
  | { kind: 'inbound-not-a-validation'; ticketNumber: string; title: string; contactName: string; actionsUrl: string }
  | { kind: 'inbound-too-large'; subject: string; senderName: string; bytes: number; limitBytes: number };

function triageWhy(why: Phrases['inbound']['triage']['why'], of: TriageWhy): string {
  switch (of.reason) {
    case 'not-a-contact':
      return why.notAContact;
    case 'several-contracts':
      return why.severalContracts;
    case 'not-opened':
      return why.notOpened;
    case 'not-its-contact':
      return why.notItsContact(of.ticketNumber);
    case 'ticket-ended':
      return why.ticketEnded(of.ticketNumber);
  }
}

export function renderInboundAnswer(answer: InboundAnswer, reader: Reader): RenderedMail {
  const p = PHRASES[reader.language];
  const signed = (name: string, body: string[]) => [p.dear(name), '', ...body, '', p.signature].join('\n');
  if (answer.kind === 'inbound-triage') {
    return {
      subject: capitalised(p.inbound.triage.headline(answer.subject)),
      body: signed(answer.senderName, [p.inbound.triage.kept, triageWhy(p.inbound.triage.why, answer.why)]),
    };
  }
  if (answer.kind === 'inbound-too-large') {
    const { tooLarge } = p.inbound;
    return {
      subject: capitalised(tooLarge.headline(answer.subject)),
      body: signed(answer.senderName, [
        tooLarge.notRead(sizeInWords(answer.bytes, reader), sizeInWords(answer.limitBytes, reader)),
        '',
        tooLarge.howTo,
      ]),
    };
  }
  const { notAValidation } = p.inbound;
  return {
    subject: `[${answer.ticketNumber}] ${capitalised(notAValidation.headline(answer.title))}`,
    body: signed(answer.contactName, [
      notAValidation.kept(answer.ticketNumber),
      '',
      notAValidation.howTo,
      ...apiCalls(p, answer.actionsUrl, VALIDATION_CALLS),
      p.resolution.byApi,
    ]),
  };
}
