import type { TSchema } from '@sinclair/typebox';
import { DateTime } from 'luxon';
import { ACTION_TABLE, actionByPath, TICKET_ACTION_NAMES, type TicketActionName } from '../../messages/ticket-actions';
import { DESK_ZONE } from '../../messages/desk-zone';
import { textPattern } from '../../domain/text';
import type { Session } from '../../db/sessions';
import type { TicketView } from '../schemas/ticket';
import type { MessageKey } from './i18n';

export interface FormField {
  name: string;
  label: MessageKey;
  /** `euros`: an amount typed in euros (120,50 or 120.50), sent as integer cents. */
  type: 'text' | 'datetime-local' | 'checkbox' | 'textarea' | 'select' | 'number' | 'euros';
  required?: boolean;
  /** The values the field takes: the schema's literals, or the ticket's own (its rate card) where it says. */
  choices?: (view: TicketView) => readonly string[] | undefined;
  /** A number's bounds, as the schema has them. */
  min?: number;
  max?: number;
  /** Whether the ticket's terms make the field mean anything (a role where the rate card prices by role). */
  shown?: (view: TicketView) => boolean;
  /** A field of the page only, which the body never carries (a duration the page turns into a start and an end). */
  pageOnly?: boolean;
  /** A line under the field saying how to fill it in. */
  hint?: MessageKey;
}

/**
 * An action the console offers on a ticket page, posting to its /v1 path. Its fields are its body schema's, from
 * the action table (messages/ticket-actions.ts), as are who may send it and from which statuses: here only their
 * labels, their order and how a form's strings become the JSON body. No body names its actor: the API records the
 * signed-in person (api/sessions.ts).
 */
export interface ConsoleAction {
  name: TicketActionName;
  label: MessageKey;
  fields: readonly FormField[];
  /** A condition of the ticket beyond its status (a quote to decide on): without it the form would only be refused. */
  when?: (view: TicketView) => boolean;
  /** `now`: the instant a duration "ending now" ends at, as the server reads its clock. */
  toBody(form: Record<string, string>, now: number): { body: Record<string, unknown> } | FormProblem;
}

/** A field at fault and what is wrong with it, with the values its message is filled in with (a bound). */
type FormProblem = { field: string; problem: MessageKey; values?: Record<string, number> };

/** A datetime-local value (no offset) as the desk means it: in its zone, sent as ISO-8601 with offset. */
function deskInstant(value: string): string | undefined {
  const instant = DateTime.fromISO(value, { zone: DESK_ZONE });
  return instant.isValid ? (instant.toISO() ?? undefined) : undefined;
}

/** Euros as typed (a comma or a point, at most two decimals) in integer cents, without floating point. */
export function eurosToCents(value: string): number | undefined {
  const match = /^(\d{1,13})(?:[.,](\d{1,2}))?$/.exec(value.trim().replace(/[\s\u00a0\u202f]/g, ''));
  if (!match) return undefined;
  return Number(match[1]) * 100 + Number((match[2] ?? '0').padEnd(2, '0'));
}

/** The label of each action's button and form. */
const ACTION_LABELS: Record<TicketActionName, MessageKey> = {
  'take-charge': 'takeCharge',
  'start-intervention': 'startIntervention',
  'log-time': 'logTime',
  'set-priority': 'setPriority',
  reassign: 'reassign',
  'wait-for-customer': 'waitForCustomer',
  'customer-replied': 'customerReply',
  'provide-workaround': 'provideWorkaround',
  'propose-resolution': 'proposeResolution',
  validate: 'validate',
  reject: 'reject',
  cancel: 'cancel',
  'submit-quote': 'submitQuote',
  'accept-quote': 'acceptQuote',
  'decline-quote': 'declineQuote',
  'schedule-release': 'scheduleRelease',
};

/** The label of each body field, by its name; an action may name its own where the word means something else there. */
const FIELD_LABELS: Readonly<Record<string, MessageKey>> = {
  start: 'start',
  end: 'end',
  role: 'role',
  service: 'service',
  onSite: 'onSite',
  remoteToolMissing: 'remoteToolMissing',
  outOfHoursRequested: 'outOfHoursRequested',
  urgent: 'urgent',
  travelMinutes: 'travelMinutes',
  note: 'note',
  priority: 'priority',
  reason: 'reason',
  agent: 'agent',
  question: 'question',
  message: 'message',
  description: 'description',
  resolution: 'resolution',
  minutesWorked: 'minutesWorked',
  comment: 'comment',
  estimateMinutes: 'estimateMinutes',
  amountCents: 'amount',
  releaseAt: 'releaseAt',
};

/** A role or a service is a name of the ticket's rate card where it prices by them; free text when the card is unknown. */
const rateCardField = (pricesBy: 'role' | 'service'): Partial<FormField> => ({
  type: 'select',
  choices: (view) => (view.rateCard?.pricesBy === pricesBy ? view.rateCard.names : undefined),
  shown: (view) =>
    view.rateCard === undefined || view.rateCard === null ? pricesBy === 'role' : view.rateCard.pricesBy === pricesBy,
});

interface FormShape {
  /** Fields first, in this order; the schema's others follow in its order. */
  order?: readonly string[];
  fields?: Readonly<Record<string, Partial<FormField>>>;
  /** Fields of the page only, placed by `order`. */
  pageFields?: readonly FormField[];
  /** The form's strings as the schema's fields' strings, before they become the body (a duration into instants). */
  prepare?: (form: Record<string, string>, now: number) => { form: Record<string, string> } | FormProblem;
  when?: (view: TicketView) => boolean;
}

/** The longest duration the log-time form takes without a start and an end: a day; longer work gives both. */
export const MAX_DURATION_MINUTES = 24 * 60;

/**
 * A time entry given as a start and an end, as the API takes it, or as a duration in minutes from its start, or
 * ending at its end, or ending now (to the minute, so never in the future): the page computes the other instant in
 * the desk's zone and the API receives the same start and end as ever. Both instants go on as ISO-8601 with offset,
 * which deskInstant reads as they are, so a change of clock (summer time) between them counts real minutes.
 */
function durationAsInstants(form: Record<string, string>, now: number): { form: Record<string, string> } | FormProblem {
  const minutes = (form.minutes ?? '').trim();
  const start = (form.start ?? '').trim();
  const end = (form.end ?? '').trim();
  if (minutes === '') {
    if (start === '') return { field: 'start', problem: 'fieldRequired' };
    if (end === '') return { field: 'end', problem: 'fieldRequired' };
    return { form };
  }
  if (!/^\d{1,5}$/.test(minutes)) return { field: 'minutes', problem: 'fieldNumber' };
  const duration = Number(minutes);
  if (duration < 1 || duration > MAX_DURATION_MINUTES)
    return { field: 'minutes', problem: 'fieldDurationRange', values: { max: MAX_DURATION_MINUTES } };
  if (start !== '' && end !== '') return { field: 'minutes', problem: 'fieldDurationWithBoth' };
  const at = (value: string) => DateTime.fromISO(value, { zone: DESK_ZONE });
  if (start !== '') {
    const from = at(start);
    if (!from.isValid) return { field: 'start', problem: 'fieldDateTime' };
    return { form: { ...form, start: from.toISO(), end: from.plus({ minutes: duration }).toISO() } };
  }
  const until = end === '' ? DateTime.fromMillis(now, { zone: DESK_ZONE }).startOf('minute') : at(end);
  if (!until.isValid) return { field: 'end', problem: 'fieldDateTime' };
  return { form: { ...form, start: until.minus({ minutes: duration }).toISO(), end: until.toISO() } };
}

const quoteAwaitingDecision = (view: TicketView) => view.quote?.status === 'submitted';

const FORM_SHAPES: Partial<Record<TicketActionName, FormShape>> = {
  'log-time': {
    order: [
      'start',
      'end',
      'minutes',
      'role',
      'service',
      'travelMinutes',
      'onSite',
      'remoteToolMissing',
      'outOfHoursRequested',
      'urgent',
      'note',
    ],
    // Not required on the page: a duration may stand for either (durationAsInstants says which is missing).
    fields: {
      start: { required: false },
      end: { required: false },
      role: rateCardField('role'),
      service: rateCardField('service'),
    },
    pageFields: [
      {
        name: 'minutes',
        label: 'durationMinutes',
        type: 'number',
        min: 1,
        max: MAX_DURATION_MINUTES,
        pageOnly: true,
        hint: 'durationHint',
      },
    ],
    prepare: durationAsInstants,
  },
  'provide-workaround': { fields: { description: { label: 'workaround' } } },
  'submit-quote': { fields: { amountCents: { type: 'euros' } } },
  'accept-quote': { when: quoteAwaitingDecision },
  'decline-quote': { when: quoteAwaitingDecision },
};

const MULTILINE = textPattern('multiline');

/** A body property as a form field: its kind from its schema. */
function fieldOf(name: string, schema: TSchema, required: boolean, shape: FormShape | undefined): FormField {
  const label = FIELD_LABELS[name];
  if (!label) throw new Error(`api/web/ticket-forms.ts has no label for the body field ${name}`);
  const literals = (schema.anyOf as TSchema[] | undefined)?.map((option) => option.const as unknown);
  const base: FormField =
    schema.type === 'boolean'
      ? { name, label, type: 'checkbox' }
      : schema.type === 'integer'
        ? {
            name,
            label,
            type: 'number',
            min: schema.minimum as number | undefined,
            max: schema.maximum as number | undefined,
          }
        : literals?.every((value) => typeof value === 'string')
          ? { name, label, type: 'select', choices: () => literals }
          : schema.format === 'date-time'
            ? { name, label, type: 'datetime-local' }
            : { name, label, type: schema.pattern === MULTILINE ? 'textarea' : 'text' };
  return { ...base, ...(required && base.type !== 'checkbox' ? { required: true } : {}), ...shape?.fields?.[name] };
}

/** A form's strings as the body's values, or the field at fault. */
function toBody(fields: readonly FormField[], form: Record<string, string>): ReturnType<ConsoleAction['toBody']> {
  const body: Record<string, unknown> = {};
  for (const field of fields) {
    if (field.pageOnly) continue;
    const value = form[field.name] ?? '';
    if (field.type === 'checkbox') {
      body[field.name] = value === 'on';
      continue;
    }
    if (value.trim() === '') {
      if (field.required) return { field: field.name, problem: 'fieldRequired' };
      continue;
    }
    if (field.type === 'number') {
      if (!/^\d{1,15}$/.test(value.trim())) return { field: field.name, problem: 'fieldNumber' };
      body[field.name] = Number(value.trim());
    } else if (field.type === 'euros') {
      const cents = eurosToCents(value);
      if (cents === undefined) return { field: field.name, problem: 'fieldAmount' };
      body[field.name] = cents;
    } else if (field.type === 'datetime-local') {
      const instant = deskInstant(value);
      if (!instant) return { field: field.name, problem: 'fieldDateTime' };
      body[field.name] = instant;
    } else body[field.name] = value;
  }
  return { body };
}

function consoleAction(name: TicketActionName): ConsoleAction {
  const schema = ACTION_TABLE[name].body;
  const shape = FORM_SHAPES[name];
  const required = new Set(schema.required ?? []);
  // A field that once named the actor is deprecated and ignored by the API: no form asks for it.
  const names = Object.keys(schema.properties).filter((field) => !schema.properties[field]!.deprecated);
  const pageField = (field: string) => shape?.pageFields?.find((spec) => spec.name === field);
  const ordered = [
    ...(shape?.order ?? []).filter((field) => names.includes(field) || pageField(field)),
    ...names.filter((field) => !shape?.order?.includes(field)),
  ];
  const fields = ordered.map(
    (field) => pageField(field) ?? fieldOf(field, schema.properties[field]!, required.has(field), shape),
  );
  return {
    name,
    label: ACTION_LABELS[name],
    fields,
    ...(shape?.when ? { when: shape.when } : {}),
    toBody: (form, now) => {
      // The form's own strings are never read as a problem: only what prepare built says one.
      const prepared = shape?.prepare ? shape.prepare(form, now) : { form };
      return 'form' in prepared ? toBody(fields, prepared.form) : prepared;
    },
  };
}

/** Every action of the table, by its path below /v1/tickets/:number/ (`quote/accept` has a slash). */
export const CONSOLE_ACTIONS: Readonly<Record<string, ConsoleAction>> = Object.fromEntries(
  TICKET_ACTION_NAMES.map((name) => [ACTION_TABLE[name].path, consoleAction(name)]),
);

/** Whether the page offers the action: the caller's role and the ticket's status allow it, by the action table. */
export function offered(path: string, role: Session['role'], status: string): boolean {
  const name = actionByPath(path);
  if (!name) return false;
  const spec = ACTION_TABLE[name];
  return (spec.roles as readonly string[]).includes(role) && (spec.from as readonly string[]).includes(status);
}

/** The forms a person sees on the ticket: offered by the table, meaningful for the ticket as it stands. */
export const formsFor = (view: TicketView, role: Session['role']): [string, ConsoleAction][] =>
  Object.entries(CONSOLE_ACTIONS).filter(
    ([path, action]) => offered(path, role, view.status) && (action.when?.(view) ?? true),
  );

/**
 * The actions a desk most likely sends next in each status: their forms stand open on the ticket page, in this
 * order, the others fold under their names (api/web/ticket-page.ts). A decision offers both its answers.
 */
const LIKELY_NEXT: Partial<Record<TicketView['status'], readonly TicketActionName[]>> = {
  request: ['take-charge'],
  acknowledgement: ['take-charge'],
  support: ['log-time', 'accept-quote', 'decline-quote'],
  waiting: ['customer-replied'],
  validation: ['validate', 'reject'],
};

/**
 * Where the action stands among those the desk most likely sends next on the ticket as it stands (0 the first), or
 * `undefined` when it is not one of them.
 */
export function likelyRank(view: TicketView, action: ConsoleAction): number | undefined {
  const rank = LIKELY_NEXT[view.status]?.indexOf(action.name) ?? -1;
  return rank < 0 ? undefined : rank;
}
