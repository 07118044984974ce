import { createHash } from 'node:crypto';
import { simpleParser, type ParsedMail } from 'mailparser';
import { DateTime } from 'luxon';
import type { Pool } from 'pg';
import { actionsUrl, readerOf } from '../../activities/ticket-notices';
import { enqueueNotice } from '../../db/outbox';
import { DESK_ZONE } from '../../messages/desk-zone';
import { DESCRIPTION_MAX_LENGTH, TicketRequestFields } from '../../messages/open-ticket';
import { ACTION_TABLE } from '../../messages/ticket-actions';
import { sameEmailAddress } from '../../domain/text';
import { isTerminal, type TicketStatus } from '../../domain/ticket/status';
import {
  answersSentTo,
  knownContactsOf,
  settleInbound,
  storeInbound,
  ticketForMail,
  ticketOfMessageIds,
  type InboundState,
  type NewInboundMail,
  type Settlement,
  type TicketForMail,
} from '../../db/inbound';
import { mailLanguage } from '../format';
import { emptyMailPlaceholders, renderInboundAnswer, type InboundAnswer, type TriageWhy } from '../render';
import {
  addressOf,
  automaticBecause,
  referencedMessageIds,
  threadRootTicket,
  ticketNumberInSubject,
  type MailFacts,
  type OwnIdentity,
} from './classify';
import { DeskApiError, type DeskApi } from './desk-api';
import { asLine, asText, nameOr } from './fields';

/** One mail as the SMTP listener or the IMAP poller received it. */
export interface Delivery {
  raw: Buffer;
  via: 'smtp' | 'imap';
  /** MAIL FROM: '' for the null sender; absent for a mail read from a mailbox. */
  mailFrom?: string;
  /** The addresses it was accepted for (SMTP RCPT TO), or, from a mailbox, its To and Cc. */
  rcptTo: string[];
}

export interface InboundOutcome {
  id: number;
  state: InboundState;
  /** This Message-ID had been received before: nothing was done again. */
  duplicate: boolean;
  ticketNumber?: string;
  reason?: string;
}

export interface InboundOptions {
  db: Pool;
  api: DeskApi;
  /** The addresses that open a ticket, and those that open an emergency (e-connect's urgence@), lower-cased. */
  supportAddresses: readonly string[];
  emergencyAddresses: readonly string[];
  /** The domain of our Message-IDs (VIGIL_MAIL_FROM's). */
  ownDomain: string;
  now?: () => number;
}

// The longest subject and body the API takes, read from its schemas (a longer text would be refused, not cut).
const TITLE_MAX = TicketRequestFields.title.maxLength;
const DESCRIPTION_MAX = DESCRIPTION_MAX_LENGTH;
const REPLY_MAX = ACTION_TABLE['customer-replied'].command.properties.message.maxLength;
// What the admin list shows of a body; the raw source keeps the whole.
const BODY_KEPT = 100_000;

/** A header as the mail wrote it (unfolded, first occurrence), not as mailparser reinterprets it: the rules read the words. */
function rawHeader(parsed: ParsedMail, name: string): string | undefined {
  const line = parsed.headerLines.find((header) => header.key === name)?.line;
  return line
    ?.slice(line.indexOf(':') + 1)
    .replace(/\r?\n[ \t]+/g, ' ')
    .trim();
}

function factsOf(parsed: ParsedMail, delivery: Delivery): MailFacts {
  const header = (name: string) => rawHeader(parsed, name);
  return {
    messageId: parsed.messageId,
    from: parsed.from?.value[0]?.address ?? header('from'),
    ...(delivery.mailFrom === undefined ? {} : { envelopeFrom: delivery.mailFrom }),
    returnPath: header('return-path'),
    autoSubmitted: header('auto-submitted'),
    precedence: header('precedence'),
    xAutoreply: header('x-autoreply'),
    xAutorespond: header('x-autorespond'),
    xVigilOutboxId: header('x-vigil-outbox-id'),
  };
}

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

/** A Message-ID makes the mail one row whichever way it came; a mail without one is known by its bytes. */
export const dedupeKeyOf = (messageId: string | undefined, raw: Buffer) =>
  messageId ? messageId.trim().toLowerCase().slice(0, 1_000) : `sha256:${sha256(raw)}`;

/**
 * Receives one mail: keeps it (raw source, text, attachments) before anything else, then opens a ticket, threads it
 * onto one, keeps it for triage or ignores it, and queues its answer in the same transaction as that outcome.
 *
 * Safe to run twice on the same mail, at once or after a crash: the row is one per Message-ID, the API calls carry
 * an Idempotency-Key from it (one ticket, one customer-reply), the answer an outbox key from the row, and only a mail
 * still `received` is settled. A DeskApiError marked transient leaves the mail `received` and is thrown: the SMTP
 * listener answers 451 so the sender tries again, the IMAP poller leaves the message unseen.
 */
export async function receiveMail(options: InboundOptions, delivery: Delivery): Promise<InboundOutcome> {
  const { db } = options;
  const parsed = await simpleParser(delivery.raw, { skipImageLinks: true });
  const facts = factsOf(parsed, delivery);
  const mail: NewInboundMail = {
    dedupeKey: dedupeKeyOf(parsed.messageId, delivery.raw),
    messageId: parsed.messageId,
    via: delivery.via,
    mailFrom: delivery.mailFrom,
    rcptTo: delivery.rcptTo.map((address) => address.slice(0, 320)).slice(0, 100),
    fromAddress: addressOf(facts.from),
    subject: asLine(parsed.subject ?? '', 998, ''),
    bodyText: asText(parsed.text ?? '', BODY_KEPT, ''),
    raw: delivery.raw,
    attachments: parsed.attachments.map((attachment, index) => ({
      filename: asLine(attachment.filename ?? '', 255, `attachment-${index + 1}`),
      contentType: asLine(attachment.contentType, 255, 'application/octet-stream'),
      content: attachment.content,
    })),
  };
  const stored = await storeInbound(db, mail);
  if (stored.state !== 'received')
    return {
      id: stored.id,
      state: stored.state,
      duplicate: true,
      ...(stored.ticketNumber ? { ticketNumber: stored.ticketNumber } : {}),
    };
  const settlement = await decide(options, { id: stored.id, mail, facts, parsed, delivery });
  await settleInbound(db, stored.id, settlement);
  return {
    id: stored.id,
    state: settlement.state,
    duplicate: !stored.fresh,
    reason: settlement.reason,
    ...(settlement.ticketNumber ? { ticketNumber: settlement.ticketNumber } : {}),
  };
}

interface Received {
  id: number;
  mail: NewInboundMail;
  facts: MailFacts;
  parsed: ParsedMail;
  delivery: Delivery;
}

async function decide(options: InboundOptions, received: Received): Promise<Settlement> {
  const { db, now = Date.now } = options;
  const { id, mail, facts, parsed } = received;
  const own: OwnIdentity = {
    domain: options.ownDomain,
    addresses: [...options.supportAddresses, ...options.emergencyAddresses],
  };
  const automatic = automaticBecause(facts, own);
  if (automatic) return { state: 'ignored', reason: `automatic mail, never answered: ${automatic}` };
  const sender = mail.fromAddress;
  if (!sender) return { state: 'triage', reason: 'no sender address to answer' };
  // Answers go where the sender asks them to (Reply-To), else to the sender.
  const answerTo = addressOf(parsed.replyTo?.value[0]?.address) ?? sender;
  // In the customer's language: the ticket's customer's, the contact's, or, for a stranger, the default's.
  const answer: Answer = async (what, language, ticket) => {
    const since = new Date(now() - ANSWER_WINDOW_MS);
    if ((await answersSentTo(db, answerTo, since)) >= MAX_ANSWERS_PER_WINDOW) return undefined;
    const reader = ticket
      ? await readerOf(db, ticket.customerId)
      : { language: mailLanguage(language), zone: DESK_ZONE };
    const ticketNumber = ticket?.ticketNumber;
    const { subject, body } = renderInboundAnswer(what, reader);
    return {
      idempotencyKey: `inbound:${id}:answer`,
      kind: what.kind,
      recipient: answerTo,
      subject,
      body,
      ...(ticketNumber ? { ticketNumber } : {}),
    };
  };
  const senderName = nameOr(parsed.from?.value[0]?.name, sender);
  const triage = (reason: string, why: TriageWhy, language?: string): Promise<Settlement> =>
    answered({ state: 'triage', reason }, answer(triageAnswer(received, senderName, why), language));

  const today = DateTime.fromMillis(now(), { zone: DESK_ZONE }).toISODate()!;
  const contacts = await knownContactsOf(db, sender, today);
  const repliedTo = referencedMessageIds(parsed.inReplyTo, parsed.references);
  const roots = repliedTo.flatMap((messageId) => {
    const ticketNumber = threadRootTicket(messageId, options.ownDomain);
    return ticketNumber ? [{ messageId, ticketNumber }] : [];
  });
  const threadNumber = (await ticketOfMessageIds(db, repliedTo, roots)) ?? ticketNumberInSubject(parsed.subject);
  const ticket = threadNumber === undefined ? undefined : await ticketForMail(db, threadNumber);
  if (ticket) {
    // A ticket number anyone can type: only its own contact, or a contact of its customer, writes onto it.
    if (
      sameEmailAddress(ticket.contactEmail, sender) ||
      contacts.some((contact) => contact.customerId === ticket.customerId)
    )
      return thread(options, received, ticket, sender, senderName, answer);
    return triage(
      `names ticket ${ticket.ticketNumber}, but ${sender} is neither its contact nor a contact of its customer`,
      { reason: 'not-its-contact', ticketNumber: ticket.ticketNumber },
      contacts[0]?.language,
    );
  }
  if (contacts.length === 0)
    return triage(`${sender} is not an authorized contact of a contract in force`, { reason: 'not-a-contact' });
  if (contacts.length > 1) {
    const contracts = contacts.map((contact) => `${contact.customerId} #${contact.contractId}`).join(', ');
    return triage(
      `${sender} is a contact of several contracts in force (${contracts}): the desk chooses`,
      { reason: 'several-contracts' },
      contacts[0]!.language,
    );
  }
  const contact = contacts[0]!;
  const emergency = received.delivery.rcptTo.some((address) =>
    options.emergencyAddresses.includes(address.toLowerCase()),
  );
  // The ticket is the customer's: a mail without a subject or text is titled in its language, as its mails are written.
  const placeholders = emptyMailPlaceholders(mailLanguage(contact.language));
  try {
    const { ticketNumber } = await options.api.openTicket(
      {
        customerId: contact.customerId,
        contractId: contact.contractId,
        title: asLine(mail.subject, TITLE_MAX, placeholders.noSubject),
        description: asText(mail.bodyText, DESCRIPTION_MAX, placeholders.noText),
        contact: { name: nameOr(contact.name, contact.email), email: contact.email },
        channel: emergency ? 'emergency' : 'standard',
      },
      `mail:${sha256(mail.dedupeKey).slice(0, 48)}`,
    );
    return {
      state: 'opened',
      reason: emergency ? 'opened an emergency ticket' : 'opened a ticket',
      ticketNumber,
      customerId: contact.customerId,
    };
  } catch (error) {
    if (!(error instanceof DeskApiError) || error.transient) throw error;
    return triage(`the API refused to open a ticket: ${error.message}`, { reason: 'not-opened' }, contact.language);
  }
}

/** The answer to a mail kept for the desk's triage, saying why. */
const triageAnswer = (received: Received, senderName: string, why: TriageWhy): InboundAnswer => ({
  kind: 'inbound-triage',
  subject: asLine(received.mail.subject, 150, '…'),
  senderName,
  why,
});

/** The answer to queue, or undefined when this address had its share of answers already (a loop guard). */
type Answer = (
  what: InboundAnswer,
  language: string | undefined,
  ticket?: TicketForMail,
) => Promise<Settlement['answer']>;

// At most this many answers to one address a day: a person never needs more, an auto-responder without the headers
// that say so (classify.ts) would otherwise answer each of ours, and we each of its.
const MAX_ANSWERS_PER_WINDOW = 3;
const ANSWER_WINDOW_MS = 24 * 3_600_000;

/** A message the IMAP poller left in the mailbox for its size: its header block and size, as the server told them. */
export interface OversizedMail {
  headers: Buffer;
  bytes: number;
  limitBytes: number;
}

/**
 * Answers the sender of a mail too large to be taken in (mail/inbound/imap-poller.ts leaves it in the mailbox,
 * flagged, unread): the mail opens no ticket, but a person who wrote is told why, once. Only its headers are read.
 * The rules of every answer hold: automatic mail is never answered (classify.ts), three answers a day to one address
 * at most, in the language of the customer whose contact wrote, else English. The outbox key comes from the
 * Message-ID (or the headers' bytes), so the same mail found twice, or a pass that stopped before flagging it, gets
 * one answer. Returns why nothing was queued, or undefined when the answer was.
 */
export async function answerTooLarge(options: InboundOptions, mail: OversizedMail): Promise<string | undefined> {
  const { db, now = Date.now } = options;
  const parsed = await simpleParser(mail.headers, { skipImageLinks: true });
  const facts = factsOf(parsed, { raw: mail.headers, via: 'imap', rcptTo: [] });
  const automatic = automaticBecause(facts, {
    domain: options.ownDomain,
    addresses: [...options.supportAddresses, ...options.emergencyAddresses],
  });
  if (automatic) return `automatic mail, never answered: ${automatic}`;
  const sender = addressOf(facts.from);
  if (!sender) return 'no sender address to answer';
  const answerTo = addressOf(parsed.replyTo?.value[0]?.address) ?? sender;
  if ((await answersSentTo(db, answerTo, new Date(now() - ANSWER_WINDOW_MS))) >= MAX_ANSWERS_PER_WINDOW) {
    return `not answered: ${MAX_ANSWERS_PER_WINDOW} answers went to this address within a day`;
  }
  const [contact] = await knownContactsOf(db, sender, DateTime.fromMillis(now(), { zone: DESK_ZONE }).toISODate()!);
  const reader = contact
    ? await readerOf(db, contact.customerId)
    : { language: mailLanguage(undefined), zone: DESK_ZONE };
  const { subject, body } = renderInboundAnswer(
    {
      kind: 'inbound-too-large',
      subject: asLine(parsed.subject ?? '', 150, '…'),
      senderName: nameOr(parsed.from?.value[0]?.name, sender),
      bytes: mail.bytes,
      limitBytes: mail.limitBytes,
    },
    reader,
  );
  const key = sha256(dedupeKeyOf(parsed.messageId, mail.headers)).slice(0, 48);
  await enqueueNotice(db, {
    idempotencyKey: `inbound:too-large:${key}`,
    kind: 'inbound-too-large',
    recipient: answerTo,
    subject,
    body,
  });
  return undefined;
}

/** The settlement with its answer, or, past the loop guard, saying that it was not answered. */
async function answered(
  settlement: Omit<Settlement, 'answer'>,
  answer: Settlement['answer'] | Promise<Settlement['answer']>,
): Promise<Settlement> {
  const queued = await answer;
  return queued
    ? { ...settlement, answer: queued }
    : {
        ...settlement,
        reason: `${settlement.reason} (not answered: ${MAX_ANSWERS_PER_WINDOW} answers went to this address within a day)`,
      };
}

/**
 * A reply onto its ticket: the `customer-reply` action when the ticket waits on the customer (its clocks resume);
 * otherwise kept as a message of the ticket (GET /v1/tickets/:number/messages), the lifecycle having no action that
 * records a customer's message in other statuses. A reply while the resolution awaits validation is never read as
 * "OK": it is kept, and the answer says how to validate.
 */
async function thread(
  options: InboundOptions,
  received: Received,
  ticket: TicketForMail,
  sender: string,
  senderName: string,
  answer: Answer,
): Promise<Settlement> {
  const about = { ticketNumber: ticket.ticketNumber, customerId: ticket.customerId };
  if (ticket.status === 'waiting') {
    // A reply without text says so in the customer's language, as a ticket opened by such a mail does.
    const { language } = await readerOf(options.db, ticket.customerId);
    try {
      const message = asText(received.mail.bodyText, REPLY_MAX, emptyMailPlaceholders(language).noText);
      await options.api.customerReply(
        ticket.ticketNumber,
        sender,
        { message },
        `mail:${sha256(received.mail.dedupeKey).slice(0, 48)}:reply`,
      );
      return { state: 'threaded', reason: 'customer-reply: the ticket waited on the customer and resumes', ...about };
    } catch (error) {
      // 409: the ticket left `waiting` meanwhile (an agent went on): the mail is kept as a message all the same.
      if (!(error instanceof DeskApiError) || error.transient || error.status !== 409) throw error;
    }
  }
  if (ticket.status === 'validation') {
    const what: InboundAnswer = {
      kind: 'inbound-not-a-validation',
      ticketNumber: ticket.ticketNumber,
      title: ticket.title,
      // Greeted by the name the mail gives, as a stranger's answer is (the address when it gives none).
      contactName: senderName,
      actionsUrl: actionsUrl(ticket.ticketNumber),
    };
    return answered(
      {
        state: 'threaded',
        reason: 'kept as a message: a reply is not taken as a validation; the answer says how to validate',
        ...about,
      },
      answer(what, undefined, ticket),
    );
  }
  // An ended ticket takes no more work, and no one reads its messages: the mail goes to the desk's triage, and its
  // sender is told so, with how to report a new problem (a new subject, not threaded back onto this ticket).
  if (isTerminal(ticket.status as TicketStatus)) {
    const why: TriageWhy = { reason: 'ticket-ended', ticketNumber: ticket.ticketNumber };
    return answered(
      { state: 'triage', reason: `replies to ticket ${ticket.ticketNumber}, which is ${ticket.status}`, ...about },
      answer(triageAnswer(received, senderName, why), undefined, ticket),
    );
  }
  return { state: 'threaded', reason: `kept as a message: the ticket is ${ticket.status}`, ...about };
}
