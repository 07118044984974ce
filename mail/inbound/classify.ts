/**
 * What a received mail is, from its headers alone: an automatic message never to act on nor answer (an auto-reply, a
 * bounce, a list, a mail of ours come back), and which ticket it names. Pure: mail/inbound/process.ts hands it the
 * facts mailparser read and looks the named ticket up in the outbox and the read model.
 *
 * Header values come from anyone: each is cut to a bounded length and read without trusting its characters, so a
 * NUL, a lone surrogate, a CR/LF or a megabyte of header makes no rule throw and no reason carry them on.
 */

/** The headers and envelope the rules read; absent when the mail has none. */
export interface MailFacts {
  messageId?: string;
  /** The From address. */
  from?: string;
  /** MAIL FROM of the SMTP envelope: '' for the null sender `<>` (bounces); absent when unknown (a mailbox polled). */
  envelopeFrom?: string;
  /** The Return-Path header as written: `<>` for the null sender. */
  returnPath?: string;
  autoSubmitted?: string;
  precedence?: string;
  xAutoreply?: string;
  xAutorespond?: string;
  /** Set on every notice Vigil sends (mail/dispatcher.ts). */
  xVigilOutboxId?: string;
}

const MAX_HEADER = 998;
// What a reason may say of a header: printable ASCII, the rest shown as '?', so it is safe in a list, a log or a mail.
const shown = (value: string) => value.slice(0, 80).replace(/[^\x20-\x7e]/g, '?');
const bounded = (value: string | undefined) => (value === undefined ? undefined : value.slice(0, MAX_HEADER));
const lowerTrim = (value: string | undefined) => bounded(value)?.trim().toLowerCase();

// RFC 3834's senders of bounces and notifications: they never read what is sent back.
const DAEMONS = /^(mailer-daemon|postmaster|mail-daemon|mailerdaemon)$/;
const localPart = (address: string | undefined) => lowerTrim(address)?.replace(/^<|>$/g, '').split('@')[0] ?? '';

/** The Message-IDs Vigil gives its own mails (mail/message.ts): a ticket's root, and an outbox row's. */
const OWN_MESSAGE_ID = /^<(?:VIG-[0-9]{6,}\.ticket|[0-9]+(?:\.VIG-[0-9]{6,})?\.outbox)@([^<>@\s]+)>$/i;

const THREAD_ROOT = /^<(VIG-[0-9]{6,12})\.ticket@([^<>@\s]+)>$/i;

/** The ticket whose thread root (mail/message.ts's `ticketThreadId`) this Message-ID is, when it is one of ours. */
export function threadRootTicket(messageId: string, ownDomain: string): string | undefined {
  const match = THREAD_ROOT.exec(messageId.slice(0, MAX_HEADER).trim());
  return match && match[2]!.toLowerCase() === ownDomain.toLowerCase() ? match[1]!.toUpperCase() : undefined;
}

export function isOwnMessageId(messageId: string | undefined, ownDomain: string): boolean {
  const match = OWN_MESSAGE_ID.exec(bounded(messageId)?.trim() ?? '');
  return match !== null && match[1]!.toLowerCase() === ownDomain.toLowerCase();
}

/** Who we are: the domain of our Message-IDs (VIGIL_MAIL_FROM's) and the addresses we take and send mail as, lower-cased. */
export interface OwnIdentity {
  domain: string;
  addresses: readonly string[];
}

/**
 * Why the mail is automatic and must neither open a ticket nor be answered (RFC 3834, and the de-facto headers of
 * Exchange and list servers); undefined for a mail a person wrote.
 */
export function automaticBecause(facts: MailFacts, own: OwnIdentity): string | undefined {
  const ownDomain = own.domain;
  const autoSubmitted = lowerTrim(facts.autoSubmitted);
  if (
    autoSubmitted !== undefined &&
    autoSubmitted !== 'no' &&
    !autoSubmitted.startsWith('no;') &&
    !autoSubmitted.startsWith('no ')
  ) {
    return `Auto-Submitted: ${shown(autoSubmitted)}`;
  }
  const precedence = lowerTrim(facts.precedence);
  if (precedence === 'bulk' || precedence === 'junk' || precedence === 'list') return `Precedence: ${precedence}`;
  if (facts.xAutoreply !== undefined) return 'X-Autoreply';
  if (facts.xAutorespond !== undefined) return 'X-Autorespond';
  if (facts.xVigilOutboxId !== undefined || isOwnMessageId(facts.messageId, ownDomain))
    return 'one of our own mails came back (a loop)';
  const from = addressOf(facts.from);
  if (from !== undefined && own.addresses.includes(from)) return `sent from our own address ${shown(from)} (a loop)`;
  if (facts.envelopeFrom === '') return 'null envelope sender <> (a bounce)';
  const returnPath = lowerTrim(facts.returnPath);
  if (returnPath === '<>' || returnPath === '') return 'empty Return-Path (a bounce)';
  for (const sender of [facts.envelopeFrom, facts.from]) {
    const local = localPart(sender);
    if (DAEMONS.test(local)) return `sent by ${local} (a bounce or a server's report)`;
  }
  return undefined;
}

const TICKET_IN_SUBJECT = /\[(VIG-[0-9]{6,12})\]/;

/** The ticket number a subject carries as Vigil writes it, `[VIG-000123]`; the first one when several. */
export function ticketNumberInSubject(subject: string | undefined): string | undefined {
  return TICKET_IN_SUBJECT.exec(bounded(subject) ?? '')?.[1];
}

// A thread of a few hundred mails is already long; more ids than this are not a reply's.
const MAX_REFERENCES = 100;

/**
 * The Message-IDs a mail answers (In-Reply-To, then References, the most recent first), each `<...>` as written,
 * lower-cased for comparing with the outbox's. Tokens that are not `<id>` (comments, garbage) are skipped.
 */
export function referencedMessageIds(
  inReplyTo: string | undefined,
  references: string | string[] | undefined,
): string[] {
  const tokens = (value: string) => value.slice(0, 20 * MAX_HEADER).match(/<[^<>\s]{1,900}>/g) ?? [];
  const referenced = [references ?? []].flat().flatMap(tokens).reverse();
  const ids = [...tokens(inReplyTo ?? ''), ...referenced].map((id) => id.toLowerCase());
  return [...new Set(ids)].slice(0, MAX_REFERENCES);
}

/** The address of a header like `Ana Lopes <ana@acme.lu>`, or the bare address, lower-cased; undefined when it holds none. */
export function addressOf(value: string | undefined): string | undefined {
  const text = bounded(value)?.trim() ?? '';
  const address = (/<([^<>\s]+@[^<>\s]+)>/.exec(text)?.[1] ?? text).toLowerCase();
  return /^[^\s@<>,;"]+@[^\s@<>,;"]+$/.test(address) ? address : undefined;
}
