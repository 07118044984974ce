/**
 * The demo accounts of `npm run dev`, so that a newcomer can curl at once: customer acme under econnect and one
 * API key for each of admin, agent and customer acme, and the inbound mail process's. Each is created once; the tokens are kept in a file because
 * the database holds only their hashes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Pool } from 'pg';
import type { AccountStore, NewApiKey } from '../messages/accounts';
import { pgAccountStore } from '../db/accounts';
import { migrate } from '../db/migrate';

const DEMO_CUSTOMER = 'acme';

const DEV_KEYS = {
  admin: { role: 'admin', label: 'dev admin' },
  agent: { role: 'agent', label: 'dev agent' },
  customer: { role: 'customer', label: 'dev customer acme', customerId: DEMO_CUSTOMER },
  // The inbound mail process's: it acts for each mail's sender (X-Vigil-Mail-From), which no other key may.
  inbound: { role: 'agent', label: 'dev inbound mail', mailRelay: true },
} as const satisfies Record<string, NewApiKey>;

export type DevKeys = Record<keyof typeof DEV_KEYS, string>;

async function ensureDemoCustomer(accounts: AccountStore): Promise<void> {
  if (!(await accounts.getCustomer(DEMO_CUSTOMER)))
    await accounts.createCustomer({ id: DEMO_CUSTOMER, name: 'Acme SA' });
  if ((await accounts.listContracts(DEMO_CUSTOMER)).length) return;
  await accounts.createContract({
    customerId: DEMO_CUSTOMER,
    policyId: 'econnect',
    startsOn: '2026-01-01',
    authorizedContacts: [{ name: 'Ana Lopes', email: 'ana@acme.lu', outOfHours: true }],
  });
}

function keptTokens(file: string): Partial<DevKeys> {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<DevKeys>;
  } catch {
    return {};
  }
}

/** A kept token is reused while it still opens a key of its role: after `.data/postgres` is deleted, it is replaced. */
async function ensureKeys(accounts: AccountStore, file: string): Promise<DevKeys> {
  const kept = keptTokens(file);
  const keys = {} as DevKeys;
  for (const [name, key] of Object.entries(DEV_KEYS) as [keyof DevKeys, NewApiKey][]) {
    const token = kept[name];
    const principal = typeof token === 'string' ? await accounts.authenticate(token) : undefined;
    const same = principal?.role === key.role && Boolean(principal.mailRelay) === Boolean(key.mailRelay);
    keys[name] = token && same ? token : (await accounts.createApiKey(key)).token;
  }
  if (Object.entries(keys).some(([name, token]) => kept[name as keyof DevKeys] !== token)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
  }
  return keys;
}

/** Migrates (safe beside the API and worker doing the same), then makes sure the demo accounts exist. */
export async function ensureDevAccounts(databaseUrl: string, keysFile: string): Promise<DevKeys> {
  const db = new Pool({ connectionString: databaseUrl });
  try {
    await migrate(db);
    const accounts = pgAccountStore(db);
    await ensureDemoCustomer(accounts);
    return await ensureKeys(accounts, keysFile);
  } finally {
    await db.end();
  }
}
