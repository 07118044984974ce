import { Type, type Static } from '@sinclair/typebox';
import { DurationSchema } from '../domain/policy/schema';
import { PRIORITIES, TICKET_KINDS, type Priority } from '../domain/policy/vocabulary';
import { TICKET_NUMBER_PATTERN } from '../domain/ticket/ticket-number';
import { CHANNELS } from './principal';
import { literals, strictObject } from './schema-parts';
import { Email, Name, Text, Title } from './text-fields';

/**
 * What opening a ticket takes, once: the request as its contact makes it, whose fields the API's body is built from
 * (api/schemas/ticket.ts OpenTicketBody), and the input the ticket's workflow starts with. Their types are the
 * schemas' (Static<>). The workflow imports only the types (messages/ticket.ts re-exports them), so this module and the
 * policy schema it reuses stay out of the workflow bundle.
 */

export const Contact = strictObject({ name: Name(200), email: Email });
export type Contact = Static<typeof Contact>;

/**
 * The priority a request proposes when it names none: the API's body takes it as optional, and the console's new-ticket
 * form shows it chosen (api/web/portal.ts), so that the priority a customer sees chosen is the one the ticket opens with.
 */
export const DEFAULT_PRIORITY: Priority = 'P3';

/** The longest description a ticket takes, in characters as the schema counts them (code points). */
export const DESCRIPTION_MAX_LENGTH = 20_000;

/** The request's own fields; the API's body takes kind and priority as optional (it fills in incident and DEFAULT_PRIORITY). */
export const TicketRequestFields = {
  kind: literals(TICKET_KINDS),
  /** The priority the customer proposes; the desk validates or changes it (set-priority). */
  priority: literals(PRIORITIES),
  title: Title(200),
  description: Text(DESCRIPTION_MAX_LENGTH),
  contact: Contact,
  /** Opened through the emergency channel: P1, handled at once, the policy's emergency fee billed. */
  channel: Type.Optional(literals(['standard', 'emergency'] as const)),
  /** Work outside the contract's scope: a quote must be accepted before work starts, and it is billed apart. */
  scope: Type.Optional(literals(['contract', 'excluded'] as const)),
};

/**
 * The ticket's workflow input: its number, the request, and the terms of the contract it opens under
 * (api/opening-terms.ts), which the ticket keeps for its life as it keeps its policy version. The terms come from a
 * contract the admin API checked: they are described here, not limited again.
 */
export const OpenTicketInput = Type.Object({
  ticketNumber: Type.String({ pattern: TICKET_NUMBER_PATTERN }),
  customerId: Type.String(),
  policyId: Type.String(),
  kind: TicketRequestFields.kind,
  priority: TicketRequestFields.priority,
  title: TicketRequestFields.title,
  description: TicketRequestFields.description,
  contact: TicketRequestFields.contact,
  channel: TicketRequestFields.channel,
  scope: TicketRequestFields.scope,
  authorizedContacts: Type.Optional(
    Type.Array(Type.String(), {
      description:
        "The contacts the customer's contract authorizes (out-of-hours disruptions, where the policy says so)",
    }),
  ),
  contractId: Type.Optional(
    Type.String({
      description: 'The contract the ticket runs under (absent on tickets opened before contracts existed)',
    }),
  ),
  policyVersion: Type.Optional(
    Type.Integer({ description: 'The policy version the contract pins; absent: the version in force at registration' }),
  ),
  emergencyResponseTarget: Type.Optional({
    ...DurationSchema,
    description: "The contract's emergency response target (calendar hours), replacing the policy's",
  }),
  quoteRequiredAboveMinutes: Type.Optional(
    Type.Integer({ description: "The contract's quote limit (logged minutes), replacing the policy's" }),
  ),
  maxPeoplePerTicket: Type.Optional(
    Type.Integer({ description: "The contract's people count, replacing the policy's limit's" }),
  ),
  // Who opened it, as the API authenticated them (messages/principal.ts Acting), recorded on the `opened` event. Absent
  // on tickets opened before it was: their `opened` event names the contact.
  openedBy: Type.Optional(Type.Object({ actor: Type.String(), actorId: Type.String(), channel: literals(CHANNELS) })),
});
export type OpenTicketInput = Static<typeof OpenTicketInput>;
