import { DateTime } from 'luxon';
import { ACTION_TABLE, actionByPath } from '../../messages/ticket-actions';
import { DESK_ZONE } from '../../messages/desk-zone';
import type { Session } from '../../db/sessions';
import type { TicketView } from '../schemas/ticket';
import type { MessageKey } from './i18n';

export interface FormField {
  name: string;
  label: MessageKey;
  type: 'text' | 'datetime-local' | 'checkbox' | 'textarea';
  required?: boolean;
  /** The values the ticket takes, where it says (its rate card): a list to pick from instead of free text. */
  choices?: (view: TicketView) => readonly string[] | undefined;
}

/**
 * The actions the console offers on a ticket page, each posting to its /v1 path (messages/ticket-actions.ts): who
 * may send it and from which statuses come from the action table, as the API's own checks do; here only how a form's
 * fields become the JSON body. No body names its actor: the API records the signed-in person (api/sessions.ts).
 */
export interface ConsoleAction {
  label: MessageKey;
  fields: readonly FormField[];
  toBody(form: Record<string, string>): { body: Record<string, unknown> } | { field: string; problem: MessageKey };
}

/** A datetime-local value (no offset) as the desk means it: in its zone, sent as ISO-8601 with offset. */
function deskInstant(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const instant = DateTime.fromISO(value, { zone: DESK_ZONE });
  return instant.isValid ? instant.toISO() : undefined;
}

const optional = (name: string, value: string | undefined) => (value ? { [name]: value } : {});

export const CONSOLE_ACTIONS: Readonly<Record<string, ConsoleAction>> = {
  'take-charge': { label: 'takeCharge', fields: [], toBody: () => ({ body: {} }) },
  'time-entries': {
    label: 'logTime',
    fields: [
      { name: 'start', label: 'start', type: 'datetime-local', required: true },
      { name: 'end', label: 'end', type: 'datetime-local', required: true },
      { name: 'role', label: 'role', type: 'text', choices: (view) => (view.rateCard?.pricesBy === 'role' ? view.rateCard.names : undefined) },
      { name: 'onSite', label: 'onSite', type: 'checkbox' },
      { name: 'note', label: 'note', type: 'textarea' },
    ],
    toBody(form) {
      const start = deskInstant(form.start);
      const end = deskInstant(form.end);
      if (!start) return { field: 'start', problem: 'fieldRequired' };
      if (!end) return { field: 'end', problem: 'fieldRequired' };
      return { body: { start, end, onSite: form.onSite === 'on', ...optional('role', form.role), ...optional('note', form.note) } };
    },
  },
  'propose-resolution': {
    label: 'proposeResolution',
    fields: [{ name: 'resolution', label: 'resolution', type: 'textarea', required: true }],
    toBody: (form) => (form.resolution ? { body: { resolution: form.resolution } } : { field: 'resolution', problem: 'fieldRequired' }),
  },
  validate: { label: 'validate', fields: [], toBody: () => ({ body: {} }) },
  reject: {
    label: 'reject',
    fields: [{ name: 'reason', label: 'reason', type: 'textarea', required: true }],
    toBody: (form) => (form.reason ? { body: { reason: form.reason } } : { field: 'reason', problem: 'fieldRequired' }),
  },
};

/** Whether the page offers the action: the caller's role and the ticket's status allow it, by the action table. */
export function offered(path: string, role: Session['role'], status: string): boolean {
  const name = actionByPath(path);
  if (!name) return false;
  const spec = ACTION_TABLE[name];
  return (spec.roles as readonly string[]).includes(role) && (spec.from as readonly string[]).includes(status);
}
