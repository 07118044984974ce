import type { Pool, PoolClient } from 'pg';
import type { EscalationContact } from '../messages/accounts';
import { DESK_ZONE } from '../messages/desk-zone';
import { deskAddresses, type DeskRoles } from '../mail/desk-roles';
import type { ThresholdNotice } from './threshold-email';

/**
 * The people the customer's contracts in force name for each escalation level (the policy's `notify` names), so a
 * warning reaches the customer's Customer Service Manager rather than a role name.
 */
export async function escalationAddresses(
  client: Pool | PoolClient,
  customerId: string,
): Promise<Map<string, string[]>> {
  const { rows } = await client.query<{ escalation_contacts: EscalationContact[] }>(
    `SELECT escalation_contacts FROM contracts
     WHERE customer_id = $1 AND starts_on <= (now() AT TIME ZONE '${DESK_ZONE}')::date
       AND (ends_on IS NULL OR ends_on >= (now() AT TIME ZONE '${DESK_ZONE}')::date)`,
    [customerId],
  );
  const byLevel = new Map<string, string[]>();
  for (const contact of rows.flatMap((row) => row.escalation_contacts))
    byLevel.set(contact.level, [...(byLevel.get(contact.level) ?? []), contact.email]);
  return byLevel;
}

const ADDRESS = /^[^\s@<>,;"]+@[^\s@<>,;"]+\.[^\s@<>,;"]+$/;

/**
 * Each level of the notice as addresses: the contract's contacts for it; for `desk`, the assignee when the assignee is
 * an address; else the desk's own addresses for the level (VIGIL_DESK_ROLES). A level none of these names is returned
 * apart, to be reported rather than lost.
 */
export function resolveRecipients(
  notice: Pick<ThresholdNotice, 'notify' | 'assignee'>,
  byLevel: ReadonlyMap<string, readonly string[]>,
  deskRoles: DeskRoles,
): { addresses: string[]; unresolved: string[] } {
  const addresses = new Set<string>();
  const unresolved: string[] = [];
  for (const level of new Set(notice.notify)) {
    const assignee = level === 'desk' && notice.assignee && ADDRESS.test(notice.assignee) ? [notice.assignee] : [];
    const found = byLevel.get(level) ?? (assignee.length ? assignee : deskAddresses(deskRoles, level));
    if (found.length === 0) unresolved.push(level);
    for (const address of found) addresses.add(address);
  }
  return { addresses: [...addresses], unresolved };
}
