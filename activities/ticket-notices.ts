import type { Pool, PoolClient } from 'pg';
import { DESK_ZONE } from '../messages/desk-zone';
import type { TicketEvent, TicketState } from '../messages/ticket';
import { enqueueNotice } from '../db/outbox';
import { enqueueWebhookEvents } from '../db/webhooks';
import { deskRolesFromEnv, type DeskRoles } from '../mail/desk-roles';
import { mailLanguage, type Reader } from '../mail/format';
import type { EmergencyOpenedNotice, TicketNotice } from '../mail/notices';
import type { OpeningNotice } from '../domain/ticket/steps';
import { renderNotice } from '../mail/render';
import { statusWebhook, thresholdWebhook } from '../mail/webhooks/events';
import { acknowledgementNotice } from './acknowledgement-email';
import { escalationAddresses, resolveRecipients } from './escalation-contacts';
import { thresholdNoticeOf, type ThresholdNotice } from './threshold-email';

type Db = Pool | PoolClient;
type KeyOf = (step: string) => string;

/**
 * How the customer's contacts read their mails: in its `language`, dates in its own `timeZone` (migration 0024), or,
 * without one, the desk's (messages/desk-zone.ts), the same clock as every preset's calendars (Luxembourg, Brussels, Paris).
 */
export async function readerOf(db: Db, customerId: string): Promise<Reader> {
  const { rows } = await db.query<{ language: string; time_zone: string | null }>(
    'SELECT language, time_zone FROM customers WHERE id = $1',
    [customerId],
  );
  return { language: mailLanguage(rows[0]?.language), zone: rows[0]?.time_zone ?? DESK_ZONE };
}

/** Whose side a recipient of a notice about the customer's ticket reads it from: the desk's own, or the customer's. */
export type RecipientSide = 'desk' | 'customer';

/**
 * Who a recipient of a notice about the customer's ticket is, the one rule that both its wording and its clock follow:
 * the desk's own people are asked to act (an emergency's `desk` audience, mail/notices.ts) and read the desk's clock,
 * whichever the customer; the people the customer's contracts name are told, and read the customer's zone.
 *
 * The desk's: one of the desk's addresses (VIGIL_DESK_ROLES, any role), or anybody the customer's contracts do not
 * name (an assignee). The customer's: an escalation contact of its contracts, such as the customer's own manager,
 * whom the desk never lists as its own.
 *
 * An address that is both, the desk's by VIGIL_DESK_ROLES and a contract's escalation contact, is the desk's, for
 * the wording and the zone alike. VIGIL_DESK_ROLES is what the desk says of its own staff, and only the desk can list
 * an address there; a contract naming the same address (the desk's account manager for that customer, or an in-house
 * desk whose people are also its customer's contacts) says only that the desk wants to hear of that level too. The
 * customer's own manager is never a tie: the desk does not list the customer's people as its own. Told as a
 * bystander, the desk would read an emergency as somebody else's to take when nobody else can take it (only the desk
 * takes a ticket in charge): the mail meant to start the work would not. Worded to as the desk, somebody of the
 * customer's would only read a request meant for others. And the desk's people read every ticket's deadline on one
 * clock, the desk's, whichever customer's it is. So the tie goes to the desk, never one way for the words and the
 * other for the clock.
 */
export function recipientSide(
  recipient: string,
  customerAddresses: ReadonlySet<string>,
  deskRoles: DeskRoles,
): RecipientSide {
  const address = recipient.toLowerCase();
  if (!customerAddresses.has(address)) return 'desk';
  const deskNamesIt = [...deskRoles.values()].some((addresses) =>
    addresses.some((desk) => desk.toLowerCase() === address),
  );
  return deskNamesIt ? 'desk' : 'customer';
}

/**
 * How one side reads a notice about the customer's ticket (recipientSide): the customer's language for both, as
 * before customers had zones; the customer's zone for its own people, the desk's (messages/desk-zone.ts) for the desk.
 */
export const readerOfSide = (side: RecipientSide, customer: Reader): Reader =>
  side === 'customer' ? customer : { ...customer, zone: DESK_ZONE };

async function queue(
  db: Db,
  key: string,
  notice: TicketNotice,
  recipient: string,
  reader: Reader,
  failedBecause?: string,
): Promise<void> {
  const { subject, body } = renderNotice(notice, reader);
  await enqueueNotice(db, {
    idempotencyKey: key,
    kind: notice.kind,
    recipient,
    subject,
    body,
    ticketNumber: notice.ticketNumber,
    failedBecause,
  });
}

/** The registration notice (or the refusal) to the contact who wrote, as the customer reads (readerOf). */
export async function queueAcknowledgement(db: Db, key: string, ticket: TicketState, reader: Reader): Promise<void> {
  await queue(db, key, acknowledgementNotice(ticket), ticket.contact.email, reader);
}

/**
 * A notice to everybody the escalation levels `to.notify` name: the contract's escalation contacts, else the desk's
 * addresses (VIGIL_DESK_ROLES), each under the key of `step` and the recipient; a `notice` given as a function is
 * worded for each recipient, as the desk's own or not, and read on that side's clock (recipientSide). A level nobody answers for (a contract
 * saved before that was checked) is queued failed, naming the level, so that an admin sees it in the failed list
 * rather than never hearing of it. Answers the keys of the rows to send, for the activity to send them once committed.
 */
async function queueToLevels(
  db: Db,
  keyOf: KeyOf,
  step: string,
  to: { customerId: string; notify: string[]; assignee?: string },
  notice: TicketNotice | ((toDesk: boolean) => TicketNotice),
  customer?: Reader,
): Promise<string[]> {
  const reader = customer ?? (await readerOf(db, to.customerId));
  const byLevel = await escalationAddresses(db, to.customerId);
  const customerAddresses = new Set([...byLevel.values()].flat().map((address) => address.toLowerCase()));
  const deskRoles = deskRolesFromEnv();
  const { addresses, unresolved } = resolveRecipients(to, byLevel, deskRoles);
  const noticeTo = (toDesk: boolean) => (typeof notice === 'function' ? notice(toDesk) : notice);
  const keys = addresses.map((recipient) => keyOf(`${step}:${recipient}`));
  for (const [index, recipient] of addresses.entries()) {
    const side = recipientSide(recipient, customerAddresses, deskRoles);
    await queue(db, keys[index]!, noticeTo(side === 'desk'), recipient, readerOfSide(side, reader));
  }
  for (const level of unresolved) {
    const why = `nobody is named for the escalation level "${level}": neither the customer's contract nor VIGIL_DESK_ROLES`;
    await queue(db, keyOf(`${step}:${level}`), noticeTo(false), level, reader, why);
  }
  return keys;
}

/** A warning or breach to everybody its levels name (queueToLevels), and to the webhooks. */
export async function queueThresholdNotices(db: Db, keyOf: KeyOf, given: ThresholdNotice): Promise<string[]> {
  const keys = await queueToLevels(db, keyOf, `threshold:${given.key}`, given, thresholdNoticeOf(given));
  // The same warning or breach to the customer's and the desk's webhooks, in the same transaction.
  await enqueueWebhookEvents(db, [thresholdWebhook(keyOf(`webhook:${given.key}`), given)]);
  return keys;
}

/**
 * An emergency just registered, to everybody the policy's emergency `atOpening` levels name (queueToLevels), once per
 * ticket and recipient: the key names the step and the recipient, and the registration queues it in the transaction
 * of the ticket's first row (activities/ticket-activities.ts writeRegistration). `reader`: the customer's, which the
 * registration has already. No webhook of its own: the ticket's `opened` and `acknowledged` status events tell them.
 */
export async function queueOpeningNotices(
  db: Db,
  keyOf: KeyOf,
  given: OpeningNotice,
  reader?: Reader,
): Promise<string[]> {
  const { ticketNumber, title, customerId, priority, openedAt, deadline } = given;
  const notice = (toDesk: boolean): EmergencyOpenedNotice => ({
    kind: 'emergency-opened',
    audience: toDesk ? 'desk' : 'informed',
    ticketNumber,
    title,
    customerId,
    priority,
    openedAt,
    deadline,
    consoleUrl: consoleUrl(ticketNumber),
  });
  return queueToLevels(db, keyOf, 'emergency-opened', given, notice, reader);
}

/** VIGIL_PUBLIC_URL, the API as the customer reaches it, without a trailing slash: the links in the mails start with it. */
export const publicUrl = () => (process.env.VIGIL_PUBLIC_URL || 'http://localhost:3000').replace(/\/+$/, '');

/** Where the customer's calls about a ticket go. */
export const actionsUrl = (ticketNumber: string) => `${publicUrl()}/v1/tickets/${ticketNumber}`;

/** The ticket's page in the console, where an agent signs in and takes it in charge. */
export const consoleUrl = (ticketNumber: string) => `${publicUrl()}/console/tickets/${ticketNumber}`;

/** The notice the contact gets for one event of the ticket's history, if that event is one the contact is told of. */
function lifecycleNotice(ticket: TicketState, event: TicketEvent): TicketNotice | undefined {
  const about = { ticketNumber: ticket.ticketNumber, title: ticket.title, contactName: ticket.contact.name };
  switch (event.type) {
    case 'taken-in-charge':
      return { ...about, kind: 'taken-in-charge', agent: event.by ?? ticket.assignee ?? '', at: event.at };
    case 'waiting-for-customer':
      return { ...about, kind: 'waiting-for-customer', question: event.note ?? '', at: event.at };
    case 'resolution-proposed':
      return {
        ...about,
        kind: 'resolution-proposed',
        resolution: event.note ?? ticket.resolution ?? '',
        autoValidateAt: ticket.autoValidateAt,
        actionsUrl: actionsUrl(ticket.ticketNumber),
      };
    case 'validated':
    case 'auto-validated':
      return { ...about, kind: 'validated', at: event.at };
    case 'quote-submitted':
      return {
        ...about,
        kind: 'quote-submitted',
        estimateMinutes: ticket.quote?.estimateMinutes,
        amountCents: ticket.quote?.amountCents,
        actionsUrl: actionsUrl(ticket.ticketNumber),
      };
    default:
      return undefined;
  }
}

/**
 * The contact's notices for the events of the ticket's history from `fromEvent` on (taken in charge, waiting for you,
 * resolution proposed, validated, quote to accept), and a status webhook for each, each once. The events before
 * `fromEvent` are those the ticket's row already held: the caller reads their count in the transaction that writes the
 * row (recordedEventCount in activities/ticket-activities.ts), so that each write tells only what is new, rather than
 * rendering and queueing again the notice of every step so far (a ticket's history grows with each write). The key
 * still names each event by its type and instant, so that two writers of one step queue it once. `reader`: the
 * customer's, when the caller has it already.
 */
export async function queueLifecycleNotices(
  db: Db,
  keyOf: KeyOf,
  ticket: TicketState,
  fromEvent: number,
  reader?: Reader,
): Promise<void> {
  const fresh = ticket.events.slice(fromEvent);
  if (fresh.length === 0) return;
  // Each step also to the webhooks (a status event), once per step as the notices are.
  await enqueueWebhookEvents(
    db,
    fresh.flatMap((event) => statusWebhook(keyOf(`webhook:${event.type}:${event.at}`), ticket, event) ?? []),
  );
  const due = fresh.flatMap((event) => {
    const notice = lifecycleNotice(ticket, event);
    return notice ? [{ event, notice }] : [];
  });
  if (due.length === 0) return;
  const customer = reader ?? (await readerOf(db, ticket.customerId));
  for (const { event, notice } of due)
    await queue(db, keyOf(`notice:${event.type}:${event.at}`), notice, ticket.contact.email, customer);
}
