import { Type, type Static, type TObject, type TSchema } from '@sinclair/typebox';
import { PRIORITIES } from '../domain/policy/vocabulary';
import { InterventionFactProperties, InterventionFlagProperties } from '../domain/pricing/entry-schema';
import { OPEN_STATUSES, WORKED_STATUSES, type TicketStatus } from '../domain/ticket/status';
import { CHANNELS, type Acting, type Role } from './principal';
import { literals, strictObject } from './schema-parts';
import { Line, Name, Text } from './text-fields';

/**
 * Every action on a ticket, once: its name (the workflow Update's name), its command schema, who may send it, the
 * statuses it is allowed from and the one it leads to, the events it records and its HTTP path. The API's routes
 * and role matrix, the lifecycle's transitions, the Update validators, the OpenAPI document and the README's action
 * table all derive from this table (test/messages/ticket-actions.test.ts fails on one outside it). Adding an action is one
 * entry here and one pure rule in domain/ticket/decide.ts.
 *
 * A command's instants are epoch milliseconds; where the HTTP body speaks ISO-8601, `body` and `toCommand` say how.
 */

const STAFF = ['agent', 'manager', 'admin'] as const satisfies readonly Role[];
const ANYONE = [...STAFF, 'customer'] as const satisfies readonly Role[];
// The customer's own acts: nobody at the desk may validate, reject or decide a quote in the customer's place.
const CUSTOMER = ['customer'] as const satisfies readonly Role[];

const Person = Name(320);
const LongText = Text(20_000);
const EpochMs = Type.Integer({ minimum: 0, maximum: 8_640_000_000_000_000, description: 'epoch milliseconds' });
const Instant = Type.String({ format: 'date-time', description: 'ISO-8601 instant with offset' });
const Minutes = (maximum: number) => Type.Integer({ minimum: 0, maximum });

/** The event types a ticket records (TicketEvent.type); those of actions are named in the table below. */
export const TICKET_EVENT_TYPES = [
  'opened',
  'acknowledged',
  'taken-in-charge',
  'intervention-started',
  'time-logged',
  'priority-set',
  'reassigned',
  'waiting-for-customer',
  'customer-replied',
  'workaround-provided',
  'resolution-proposed',
  'validated',
  'auto-validated',
  'rejected',
  'cancelled',
  'refused',
  'estimate-recorded',
  'quote-submitted',
  'quote-accepted',
  'quote-declined',
  'release-scheduled',
  'release-due',
  'sla-threshold',
  'sla-breached',
  'billed',
] as const;
export type TicketEventType = (typeof TICKET_EVENT_TYPES)[number];

export interface ActionSpec<Command extends TObject = TObject, Path extends string = string> {
  /** The HTTP path below /v1/tickets/:number/. */
  readonly path: Path;
  /** What the action does, as the OpenAPI document and the README say it. */
  readonly summary: string;
  /** What the workflow's Update takes: who acts (`actor`, `actorId`, `channel`) and the action's own fields. */
  readonly command: Command;
  /** The HTTP body: the command without who acts (the API fills it in), instants as ISO-8601. */
  readonly body: TObject;
  /** The command of a body the schema accepted, sent by the caller `acting`. */
  readonly toCommand: (body: Record<string, unknown>, acting: Acting) => Static<Command>;
  readonly roles: readonly Role[];
  readonly from: readonly TicketStatus[];
  /** Where the action leads; absent when the ticket stays where it is. */
  readonly to?: TicketStatus;
  /** The events the action records, the first the usual one. */
  readonly events: readonly [TicketEventType, ...TicketEventType[]];
}

/**
 * Who acts is who is authenticated: the API fills `actor`, `actorId` and `channel` from the caller it authenticated
 * (messages/principal.ts actingOf), never from the body. Bodies once named their actor themselves (`agent`, `by` or
 * `contact`); such a field is still accepted, so that a client sending it is not broken, and ignored. `actorId` and
 * `channel` are optional: commands recorded before them carry the actor's name only.
 */
const Actor = Line(320, {
  description:
    'Who acts: the API fills it in from the caller it authenticated (a person, an API key, a mail sender), never from the body',
});
const ACTING = {
  actor: Actor,
  actorId: Type.Optional(Line(400, { description: 'Who acts for sure: user:<id>, key:<id> or contact:<address>' })),
  channel: Type.Optional(literals(CHANNELS)),
};
const ACTING_FIELDS = Object.keys(ACTING);
type ActorField = 'agent' | 'by' | 'contact';
const formerActor = (field: ActorField) =>
  Type.Optional(
    Line(320, {
      deprecated: true,
      description: `Ignored: the actor is the holder of the API key, recorded as \`by\` on the event (${field} once named it)`,
    }),
  );

interface Spec<Command extends TObject, Path extends string> extends Omit<
  ActionSpec<Command, Path>,
  'body' | 'toCommand'
> {
  /** The field a body once named its actor in. */
  readonly formerActor: ActorField;
  /** Body fields that differ from the command's (instants as ISO-8601), and how they become the command's. */
  readonly bodyFields?: Record<string, TSchema>;
  readonly fromBody?: (body: Record<string, unknown>) => Record<string, unknown>;
}

/** An entry whose body is its command without the actor, with the fields `bodyFields` replaces. */
function action<Command extends TObject, const Path extends string>({
  formerActor: former,
  bodyFields = {},
  fromBody = (body) => body,
  ...spec
}: Spec<Command, Path>): ActionSpec<Command, Path> {
  const fields = Object.fromEntries(
    Object.entries(spec.command.properties).filter(([field]) => !ACTING_FIELDS.includes(field)),
  );
  // A former actor field that is the action's own (reassign's agent, the one the ticket goes to) stays what it is.
  const body = strictObject({
    ...(former in fields ? {} : { [former]: formerActor(former) }),
    ...fields,
    ...bodyFields,
  });
  const toCommand = (given: Record<string, unknown>, { actor, actorId, channel }: Acting) => {
    const { [former]: ignored, ...rest } = given;
    const own = former in fields ? { [former]: ignored } : {};
    return { ...fromBody({ ...rest, ...own }), actor, actorId, channel } as Static<Command>;
  };
  return { ...spec, body, toCommand };
}

/** Time worked; the entry the ticket keeps (messages/ticket.ts TimeEntry) is this command, its actor the agent. */
const TimeEntryCommand = strictObject({
  ...ACTING,
  // Mixvoip bills by role, Care Solutions by service: the policy's rate card says which an entry must name.
  role: Type.Optional(Line(100)),
  service: Type.Optional(Line(100)),
  start: EpochMs,
  end: EpochMs,
  // onSite and the intervention flags, by the one definition `vigil price`'s entries file spreads too. The flags are
  // optional: entries kept before they existed carry none.
  ...InterventionFactProperties,
  onSite: Type.Boolean(),
  travelMinutes: Type.Optional(Minutes(10_000)),
  note: Type.Optional(LongText),
});

const isoToEpoch = (fields: readonly string[]) => (body: Record<string, unknown>) => ({
  ...body,
  ...Object.fromEntries(
    fields.filter((field) => field in body).map((field) => [field, Date.parse(body[field] as string)]),
  ),
});

export const ACTION_TABLE = {
  'take-charge': action({
    path: 'take-charge',
    summary: 'An agent takes the ticket in charge: the response clock stops',
    command: strictObject({ ...ACTING }),
    formerActor: 'agent',
    roles: STAFF,
    // Taking charge may arrive while registration is still being written: it then waits for it.
    from: ['request', 'acknowledgement'],
    to: 'support',
    events: ['taken-in-charge'],
  }),
  'start-intervention': action({
    path: 'start-intervention',
    summary: 'The intervention starts: the intervention clock stops',
    command: strictObject({ ...ACTING }),
    formerActor: 'agent',
    roles: STAFF,
    from: ['support'],
    events: ['intervention-started'],
  }),
  'log-time': action({
    path: 'time-entries',
    summary: 'Log time worked on the ticket, by the holder of the API key',
    command: TimeEntryCommand,
    formerActor: 'agent',
    bodyFields: { start: Instant, end: Instant, onSite: InterventionFactProperties.onSite },
    fromBody: (body) => ({ ...isoToEpoch(['start', 'end'])(body), onSite: body.onSite ?? false }),
    roles: STAFF,
    from: WORKED_STATUSES,
    events: ['time-logged'],
  }),
  'set-priority': action({
    path: 'priority',
    summary: 'The desk validates or changes the priority: deadlines are recomputed from registration',
    command: strictObject({ ...ACTING, priority: literals(PRIORITIES), reason: Type.Optional(LongText) }),
    formerActor: 'by',
    roles: STAFF,
    from: OPEN_STATUSES,
    events: ['priority-set'],
  }),
  reassign: action({
    path: 'reassign',
    summary: 'Hand the ticket to another agent, named in the body',
    command: strictObject({ ...ACTING, agent: Person }),
    formerActor: 'by',
    roles: STAFF,
    from: ['acknowledgement', ...WORKED_STATUSES],
    events: ['reassigned'],
  }),
  'wait-for-customer': action({
    path: 'wait-for-customer',
    summary: 'Ask the customer; every clock stops until the reply',
    command: strictObject({ ...ACTING, question: LongText }),
    formerActor: 'agent',
    roles: STAFF,
    from: ['support'],
    to: 'waiting',
    events: ['waiting-for-customer'],
  }),
  'customer-replied': action({
    path: 'customer-reply',
    summary: 'The customer replies; the clocks resume',
    command: strictObject({ ...ACTING, message: Type.Optional(LongText) }),
    formerActor: 'contact',
    // Staff may record a reply the customer gave by phone.
    roles: ANYONE,
    from: ['waiting'],
    to: 'support',
    events: ['customer-replied'],
  }),
  'provide-workaround': action({
    path: 'workaround',
    summary: 'Service restored by a workaround',
    command: strictObject({ ...ACTING, description: LongText }),
    formerActor: 'agent',
    roles: STAFF,
    from: ['support'],
    events: ['workaround-provided'],
  }),
  'propose-resolution': action({
    path: 'propose-resolution',
    summary: 'Propose a resolution; validation starts',
    // The minutes worked are a time entry like any other: the intervention flags, by the same definition, go on it.
    command: strictObject({
      ...ACTING,
      resolution: LongText,
      minutesWorked: Type.Optional(Minutes(1_000_000)),
      ...InterventionFlagProperties,
    }),
    formerActor: 'agent',
    roles: STAFF,
    from: ['support'],
    to: 'validation',
    events: ['resolution-proposed'],
  }),
  validate: action({
    path: 'validate',
    summary: 'The customer validates the resolution; the ticket closes and is billed',
    command: strictObject({ ...ACTING, comment: Type.Optional(Text(20_000, { minLength: 0 })) }),
    formerActor: 'contact',
    roles: CUSTOMER,
    from: ['validation'],
    to: 'closed',
    events: ['validated'],
  }),
  reject: action({
    path: 'reject',
    summary: 'The customer rejects the resolution; support resumes',
    command: strictObject({ ...ACTING, reason: LongText }),
    formerActor: 'contact',
    roles: CUSTOMER,
    from: ['validation'],
    to: 'support',
    events: ['rejected'],
  }),
  cancel: action({
    path: 'cancel',
    summary: 'Cancel the ticket with a reason',
    command: strictObject({ ...ACTING, reason: LongText }),
    formerActor: 'by',
    roles: ANYONE,
    from: OPEN_STATUSES,
    to: 'cancelled',
    events: ['cancelled'],
  }),
  'submit-quote': action({
    path: 'quote',
    summary: 'Submit an estimate; above the policy limit, or for excluded work, the customer must accept it first',
    command: strictObject({
      ...ACTING,
      estimateMinutes: Minutes(1_000_000),
      amountCents: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER })),
      note: Type.Optional(LongText),
    }),
    formerActor: 'agent',
    roles: STAFF,
    from: ['support'],
    events: ['quote-submitted', 'estimate-recorded'],
  }),
  'accept-quote': action({
    path: 'quote/accept',
    summary: 'The customer accepts the quote; work may start',
    command: strictObject({ ...ACTING }),
    formerActor: 'contact',
    roles: CUSTOMER,
    from: ['support'],
    events: ['quote-accepted'],
  }),
  'decline-quote': action({
    path: 'quote/decline',
    summary: 'The customer declines the quote; the ticket is cancelled',
    command: strictObject({ ...ACTING, reason: Type.Optional(LongText) }),
    formerActor: 'contact',
    roles: CUSTOMER,
    from: ['support'],
    to: 'cancelled',
    events: ['quote-declined'],
  }),
  'schedule-release': action({
    path: 'release-date',
    summary: 'Communicate the release date of a change; it waits until then',
    command: strictObject({ ...ACTING, releaseAt: EpochMs }),
    formerActor: 'agent',
    bodyFields: { releaseAt: Instant },
    fromBody: isoToEpoch(['releaseAt']),
    roles: STAFF,
    from: ['support'],
    to: 'scheduled',
    events: ['release-scheduled'],
  }),
} as const;

export type TicketActionName = keyof typeof ACTION_TABLE;
export const TICKET_ACTION_NAMES = Object.keys(ACTION_TABLE) as TicketActionName[];

/** The command of one action, as its schema says (epoch milliseconds for instants). */
export type CommandOf<Name extends TicketActionName> = Static<(typeof ACTION_TABLE)[Name]['command']>;
/** One action and its command: what the lifecycle decides on. */
export type TicketCommand = {
  [Name in TicketActionName]: { action: Name; command: CommandOf<Name> };
}[TicketActionName];

/** The entries seen without their own commands' types: what code walking the whole table (routes, handlers) needs. */
export const actionSpec = (name: TicketActionName): ActionSpec => ACTION_TABLE[name];

export const actionByPath = (path: string): TicketActionName | undefined =>
  TICKET_ACTION_NAMES.find((name) => ACTION_TABLE[name].path === path);
