import { onOneLine } from '../domain/text';

/** Who is calling the API, as its API key says: the API's authorization and every route read this. */
export const ROLES = ['admin', 'agent', 'manager', 'customer'] as const;
export type Role = (typeof ROLES)[number];

/** How an act reached Vigil: the console (a signed-in person), the API (a key), an e-mail (relayed by the inbound process). */
export const CHANNELS = ['web', 'api', 'email'] as const;
export type Channel = (typeof CHANNELS)[number];

export interface Principal {
  /** The API key's public id: rate limits, idempotency keys and logs are per key. */
  keyId: string;
  role: Role;
  /** Set for customer keys only: the one company whose tickets the key sees and acts on. */
  customerId?: string;
  label: string;
  /** Set when a person signed in to the console (api/sessions.ts) is calling: the actor their actions record. */
  person?: Person;
  /** The key of the inbound mail process: it may say which mail's sender it acts for (api/auth.ts). */
  mailRelay?: boolean;
  /** The sender of the mail the inbound process relays, as it says: the actor its calls record, by e-mail. */
  mailFrom?: string;
}

/** The header in which the inbound mail process (mail/inbound/desk-api.ts) names the sender of the mail it relays. */
export const MAIL_FROM_HEADER = 'x-vigil-mail-from';

/** A person's account as the console's session knows it (db/users.ts). */
export interface Person {
  userId: string;
  email: string;
  name: string;
}

/**
 * Who acts on a ticket, as recorded on each event the act causes: `actor` is the name the ticket's log shows (the
 * person's name, the key's label, the mail's sender), `actorId` who that is for sure (`user:<id>`, `key:<id>`,
 * `contact:<address>`), `channel` how the act came.
 */
export interface Acting {
  actor: string;
  actorId: string;
  channel: Channel;
}

/** The authenticated caller as the actor of what it does: never a name a request's body gives. */
export function actingOf(principal: Principal): Acting {
  // A name or a label saved while a line separator was still one line's text (domain/text.ts) is the actor on one
  // line: the workflow's command check refuses a line break in it, which no caller could change in its request.
  if (principal.person)
    return { actor: onOneLine(principal.person.name), actorId: `user:${principal.person.userId}`, channel: 'web' };
  if (principal.mailFrom !== undefined)
    return { actor: principal.mailFrom, actorId: `contact:${principal.mailFrom}`, channel: 'email' };
  return { actor: onOneLine(principal.label), actorId: `key:${principal.keyId}`, channel: 'api' };
}
