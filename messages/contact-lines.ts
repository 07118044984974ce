import type { AuthorizedContact, EscalationContact } from './accounts';

/**
 * A contract's contact in one line of text, as an admin types it: `Name <email>` with `, out-of-hours` after an
 * authorized contact who may call out of hours, and `level: Name <email>` for an escalation contact. The command
 * line's flags (cli/admin.ts) and the console's contact fields (api/web/admin-forms.ts) read and write the same form.
 * A problem is said without the flag or the field, which each caller names its own way.
 */
export type Parsed<T> = { contact: T } | { problem: string };

// "Name <email>" with what follows a comma.
const NAMED_ADDRESS = /^\s*([^<>]+?)\s*<([^<>\s]+)>\s*(?:,\s*(.*?)\s*)?$/;

function namedAddress(text: string): { name: string; email: string; rest: string | undefined } | { problem: string } {
  const match = NAMED_ADDRESS.exec(text);
  return match ? { name: match[1]!, email: match[2]!, rest: match[3] } : { problem: `"${text}" is not "Name <email>"` };
}

export function authorizedContactOf(text: string): Parsed<AuthorizedContact> {
  const named = namedAddress(text);
  if ('problem' in named) return named;
  const { name, email, rest } = named;
  if (rest === undefined) return { contact: { name, email } };
  if (rest !== 'out-of-hours') return { problem: `"${rest}" after the address: only "out-of-hours" may follow it` };
  return { contact: { name, email, outOfHours: true } };
}

export function escalationContactOf(text: string): Parsed<EscalationContact> {
  const colon = text.indexOf(':');
  const level = text.slice(0, colon).trim();
  if (colon < 0 || !level) return { problem: `"${text}" is not "level:Name <email>"` };
  const named = namedAddress(text.slice(colon + 1));
  if ('problem' in named) return named;
  if (named.rest !== undefined) return { problem: `"${named.rest}" after the address: nothing may follow it` };
  return { contact: { level, name: named.name, email: named.email } };
}

/** The line an admin would type for the contact. */
export const authorizedContactLine = ({ name, email, outOfHours }: AuthorizedContact): string =>
  `${name} <${email}>${outOfHours ? ', out-of-hours' : ''}`;
export const escalationContactLine = ({ level, name, email }: EscalationContact): string =>
  `${level}: ${name} <${email}>`;
