import type { PoolClient } from 'pg';
import type { EscalationContact } from '../contracts/accounts';
import { DESK_ZONE } from '../contracts/desk-zone';

/**
 * The people the customer's contracts in force name for each escalation level (the policy's `notify` names), so a
 * warning reaches the customer's Customer Service Manager rather than a role name. Levels no contract names stay
 * desk roles, resolved when the outbox is relayed.
 */
export async function escalationAddresses(client: PoolClient, customerId: string): Promise<Map<string, string[]>> {
  const { rows } = await client.query<{ escalation_contacts: EscalationContact[] }>(
    `SELECT escalation_contacts FROM contracts
     WHERE customer_id = $1 AND starts_on <= (now() AT TIME ZONE '${DESK_ZONE}')::date
       AND (ends_on IS NULL OR ends_on >= (now() AT TIME ZONE '${DESK_ZONE}')::date)`,
    [customerId],
  );
  const byLevel = new Map<string, string[]>();
  for (const contact of rows.flatMap((row) => row.escalation_contacts)) byLevel.set(contact.level, [...(byLevel.get(contact.level) ?? []), contact.email]);
  return byLevel;
}

export function resolveRecipients(recipients: string[], byLevel: Map<string, string[]>): string[] {
  return [...new Set(recipients.flatMap((recipient) => byLevel.get(recipient) ?? [recipient]))];
}
