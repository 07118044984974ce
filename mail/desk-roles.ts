import { AccountError, type EscalationContact } from '../messages/accounts';
import type { Policy } from '../domain/policy';

/**
 * The desk's own addresses for each escalation level a policy notifies (`desk`, `desk-manager`, ...), from
 * VIGIL_DESK_ROLES: `desk=support@desk.lu;desk-manager=anne@desk.lu,marc@desk.lu`. The role `*` is the desk's
 * catch-all, told of any level that neither the contract nor a role of its own names. Configuration rather than a
 * table: the contract check of db/account-input.ts runs synchronously, in the API and in `vigil admin` alike, and
 * both read the same environment as the worker that resolves the recipients (`npm run dev` gives all three one).
 */
export type DeskRoles = ReadonlyMap<string, readonly string[]>;

const ADDRESS = /^[^\s@<>,;"]+@[^\s@<>,;"]+\.[^\s@<>,;"]+$/;
const ROLE = /^(\*|[a-z0-9]+(-[a-z0-9]+)*)$/;

export class DeskRolesError extends Error {}

export function parseDeskRoles(value: string | undefined): DeskRoles {
  const roles = new Map<string, string[]>();
  for (const entry of (value ?? '')
    .split(';')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const [role = '', addresses = ''] = entry.split('=', 2).map((part) => part.trim());
    if (!ROLE.test(role))
      throw new DeskRolesError(`VIGIL_DESK_ROLES: "${role}" is not a role name (lowercase words with dashes, or *)`);
    const list = addresses
      .split(',')
      .map((address) => address.trim())
      .filter(Boolean);
    const wrong = list.find((address) => !ADDRESS.test(address));
    if (list.length === 0 || wrong !== undefined)
      throw new DeskRolesError(`VIGIL_DESK_ROLES: role "${role}" needs e-mail addresses, got "${wrong ?? addresses}"`);
    roles.set(role, [...new Set([...(roles.get(role) ?? []), ...list])]);
  }
  return roles;
}

/** Read at each call, so that the API, the CLI and the worker see the environment they were started with. */
export const deskRolesFromEnv = (env: NodeJS.ProcessEnv = process.env): DeskRoles =>
  parseDeskRoles(env.VIGIL_DESK_ROLES);

/** The desk's addresses for `level`: its own role's, else the catch-all's. */
export const deskAddresses = (roles: DeskRoles, level: string): readonly string[] =>
  roles.get(level) ?? roles.get('*') ?? [];

/**
 * A contract must leave no escalation level of its policy (every version it may run under) without somebody to tell:
 * a contact of its own for the level, or the desk's addresses for it. Refused naming `escalationContacts` and the level;
 * else the contacts are returned as they are.
 */
export function coveredEscalationContacts<C extends readonly EscalationContact[]>(
  contacts: C,
  policies: readonly Policy[],
  roles: DeskRoles = deskRolesFromEnv(),
): C {
  for (const policy of policies) {
    for (const level of policy.escalationLevels) {
      if (contacts.some((contact) => contact.level === level) || deskAddresses(roles, level).length > 0) continue;
      throw new AccountError(
        'INVALID_FIELD',
        'escalationContacts',
        `policy "${policy.id}" v${policy.version} notifies "${level}" and nobody is named for it: add an escalation contact with level "${level}", or give the desk's addresses for it in VIGIL_DESK_ROLES`,
      );
    }
  }
  return contacts;
}
