/**
 * The run's customer (e-connect contract in force today, Ana Lopes authorized out of hours) and its keys, made as
 * `vigil admin` would: a customer of its own per run, so that the final counts are of this run's tickets only.
 */
import { DateTime } from 'luxon';
import { Pool } from 'pg';
import { DESK_ZONE } from '../../messages/desk-zone';
import { pgAccountStore } from '../../db/accounts';
import { migrate } from '../../db/migrate';
import { OPENING_CONTACT } from './actions';
import type { Caller } from './client';

export interface ChaosAccounts {
  customerId: string;
  tokens: Record<Caller, string>;
}

export async function seedAccounts(databaseUrl: string): Promise<ChaosAccounts> {
  const db = new Pool({ connectionString: databaseUrl });
  try {
    // The API and worker migrate too; doing it here as well lets the seed run before either is up.
    await migrate(db);
    const accounts = pgAccountStore(db);
    const customerId = `chaos-${Date.now().toString(36)}`;
    await accounts.createCustomer({ id: customerId, name: 'Chaos SA' });
    await accounts.createContract({
      customerId,
      policyId: 'econnect',
      startsOn: DateTime.now().setZone(DESK_ZONE).toISODate()!,
      authorizedContacts: [{ ...OPENING_CONTACT, outOfHours: true }],
      // Every escalation level of e-connect's policy names someone (db/account-input.ts refuses a level nobody covers).
      escalationContacts: [
        { level: 'desk', name: 'Chaos Desk', email: 'desk@chaos.test' },
        { level: 'emergency-escalation', name: 'Chaos Manager', email: 'manager@chaos.test' },
      ],
    });
    const agent = (await accounts.createApiKey({ role: 'agent', label: 'chaos agent' })).token;
    const customer = (await accounts.createApiKey({ role: 'customer', label: 'chaos customer', customerId })).token;
    return { customerId, tokens: { agent, customer } };
  } finally {
    await db.end();
  }
}
