import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { DatabaseError, type Pool, type PoolClient } from 'pg';
import {
  AccountError,
  apiToken,
  apiTokenParts,
  type AccountStore,
  type ApiKeyRecord,
  type AuthorizedContact,
  type Contract,
  type Customer,
  type EscalationContact,
  type InvoicingFrequency,
  type Language,
} from '../messages/accounts';
import type { Principal, Role } from '../messages/principal';
import type { Duration } from '../domain/calendar';
import type { ContractRates } from '../domain/pricing/contract-rates';
import type { CustomerBilling } from '../domain/invoicing/parties';
import {
  checkedApiKey,
  checkedContract,
  checkedContractContacts,
  checkedCustomer,
  checkedCustomerPatch,
  civilDate,
  policiesFor,
} from './account-input';
import { lockPolicy, pgPolicyCatalog, type PgPolicyCatalog } from './policy-versions';
import { withTransaction } from './transaction';

/**
 * Serialises, per customer, saving its contracts' contacts, after the policy's lock (lockPolicy) wherever both are
 * taken: a change disables the contacts it drops unless another contract of the customer names them
 * (db/contact-accounts.ts removeContactAccounts), which it can only tell once a save of that other contract, under
 * another policy, has committed. Until COMMIT: the caller's transaction holds it while it writes the accounts.
 */
async function lockCustomerContacts(client: PoolClient, customerId: string): Promise<void> {
  await client.query("SELECT pg_advisory_xact_lock(hashtext('customer-contacts:' || $1))", [customerId]);
}

// Tokens are `vgl_<id>_<secret>` (messages/accounts.ts): the id finds the row; only the SHA-256 of the secret is kept.
const sha256 = (secret: string) => createHash('sha256').update(secret).digest('hex');

// PostgreSQL's SQLSTATEs for the constraints a caller can break.
const UNIQUE_VIOLATION = '23505';
const FOREIGN_KEY_VIOLATION = '23503';
const violated = (error: unknown, code: string) => error instanceof DatabaseError && error.code === code;

interface CustomerRow {
  id: string;
  name: string;
  language: Language;
  billing: CustomerBilling | null;
  time_zone: string | null;
  created_at: Date;
}

const toCustomer = (row: CustomerRow): Customer => ({
  id: row.id,
  name: row.name,
  language: row.language,
  ...(row.billing ? { billing: row.billing } : {}),
  ...(row.time_zone ? { timeZone: row.time_zone } : {}),
  createdAt: row.created_at.toISOString(),
});

// Dates as text: pg would turn a `date` into a Date at local midnight, which shifts with the server's zone. A list orders
// by the table's columns, qualified (`contracts.id`): a bare `id` names the `id::text AS id` here and sorts the text,
// which put contract 100 before contract 99.
const CONTRACT_COLUMNS = `id::text AS id, customer_id, policy_id, policy_version, tier,
  to_char(starts_on, 'YYYY-MM-DD') AS starts_on, to_char(ends_on, 'YYYY-MM-DD') AS ends_on,
  invoicing_frequency, authorized_contacts, escalation_contacts, emergency_response_target, rates, quote_required_above_minutes, max_people_per_ticket, created_at`;

interface ContractRow {
  id: string;
  customer_id: string;
  policy_id: string;
  policy_version: number | null;
  tier: string | null;
  starts_on: string;
  ends_on: string | null;
  invoicing_frequency: InvoicingFrequency;
  authorized_contacts: AuthorizedContact[];
  escalation_contacts: EscalationContact[];
  emergency_response_target: Duration | null;
  rates: ContractRates | null;
  quote_required_above_minutes: number | null;
  max_people_per_ticket: number | null;
  created_at: Date;
}

const toContract = (row: ContractRow): Contract => ({
  id: row.id,
  customerId: row.customer_id,
  policyId: row.policy_id,
  policyVersion: row.policy_version ?? undefined,
  tier: row.tier ?? undefined,
  startsOn: row.starts_on,
  endsOn: row.ends_on ?? undefined,
  invoicingFrequency: row.invoicing_frequency,
  authorizedContacts: row.authorized_contacts,
  escalationContacts: row.escalation_contacts,
  ...(row.emergency_response_target ? { emergencyResponseTarget: row.emergency_response_target } : {}),
  ...(row.rates ? { rates: row.rates } : {}),
  ...(row.quote_required_above_minutes === null ? {} : { quoteRequiredAboveMinutes: row.quote_required_above_minutes }),
  ...(row.max_people_per_ticket === null ? {} : { maxPeoplePerTicket: row.max_people_per_ticket }),
  createdAt: row.created_at.toISOString(),
});

const KEY_COLUMNS = 'id, role, customer_id, label, mail_relay, created_at, revoked_at';

interface KeyRow {
  id: string;
  role: Role;
  customer_id: string | null;
  label: string;
  mail_relay: boolean;
  created_at: Date;
  revoked_at: Date | null;
}

const toKey = (row: KeyRow): ApiKeyRecord => ({
  id: row.id,
  role: row.role,
  customerId: row.customer_id ?? undefined,
  label: row.label,
  ...(row.mail_relay ? { mailRelay: true } : {}),
  createdAt: row.created_at.toISOString(),
  revokedAt: row.revoked_at?.toISOString(),
});

/**
 * The contracts that follow `policyId`'s version in force (none pinned) and are still in force on or after `fromDate`
 * (a civil date in the desk's zone): those a new version of the policy, taking effect then, applies to.
 */
export async function contractsFollowing(client: PoolClient, policyId: string, fromDate: string): Promise<Contract[]> {
  const { rows } = await client.query<ContractRow>(
    `SELECT ${CONTRACT_COLUMNS} FROM contracts WHERE policy_id = $1 AND policy_version IS NULL AND (ends_on IS NULL OR ends_on >= $2::date) ORDER BY contracts.id`,
    [policyId, fromDate],
  );
  return rows.map(toContract);
}

const unknownCustomer = (customerId: string) =>
  new AccountError('CUSTOMER_UNKNOWN', 'customerId', `no customer "${customerId}"`);

/**
 * Customers, contracts and API keys in PostgreSQL (migration 0005); the input rules are db/account-input.ts, checked
 * against the policy versions of `policies` (by default the ones published in `db`).
 */
export function pgAccountStore(db: Pool, policies: PgPolicyCatalog = pgPolicyCatalog(db)): AccountStore {
  return {
    async authenticate(token) {
      const parts = apiTokenParts(token);
      if (!parts) return undefined;
      const { id, secret } = parts;
      const { rows } = await db.query<KeyRow & { secret_hash: string }>(
        `SELECT ${KEY_COLUMNS}, secret_hash FROM api_keys WHERE id = $1`,
        [id],
      );
      const row = rows[0];
      if (!row || row.revoked_at) return undefined;
      if (!timingSafeEqual(Buffer.from(sha256(secret)), Buffer.from(row.secret_hash))) return undefined;
      const principal: Principal = {
        keyId: row.id,
        role: row.role,
        label: row.label,
        ...(row.mail_relay ? { mailRelay: true } : {}),
      };
      return row.customer_id ? { ...principal, customerId: row.customer_id } : principal;
    },

    async createCustomer(input) {
      const customer = checkedCustomer(input);
      try {
        const { rows } = await db.query<CustomerRow>(
          'INSERT INTO customers (id, name, language, billing, time_zone) VALUES ($1, $2, $3, $4, $5) RETURNING *',
          [
            customer.id,
            customer.name,
            customer.language,
            customer.billing ? JSON.stringify(customer.billing) : null,
            customer.timeZone ?? null,
          ],
        );
        return toCustomer(rows[0]!);
      } catch (error) {
        if (violated(error, UNIQUE_VIOLATION))
          throw new AccountError('CUSTOMER_EXISTS', 'id', `a customer "${customer.id}" already exists`);
        throw error;
      }
    },

    async getCustomer(id) {
      const { rows } = await db.query<CustomerRow>('SELECT * FROM customers WHERE id = $1', [id]);
      return rows[0] && toCustomer(rows[0]);
    },

    async updateCustomer(id, patch) {
      const checked = checkedCustomerPatch(patch);
      const { rows } = await db.query<CustomerRow>(
        `UPDATE customers SET name = COALESCE($2, name), language = COALESCE($3, language), billing = COALESCE($4::jsonb, billing),
           time_zone = CASE WHEN $5::boolean THEN $6 ELSE time_zone END
         WHERE id = $1 RETURNING *`,
        [
          id,
          checked.name ?? null,
          checked.language ?? null,
          checked.billing ? JSON.stringify(checked.billing) : null,
          checked.timeZone !== undefined,
          checked.timeZone ?? null,
        ],
      );
      return rows[0] && toCustomer(rows[0]);
    },

    async listCustomers() {
      const { rows } = await db.query<CustomerRow>('SELECT * FROM customers ORDER BY id');
      return rows.map(toCustomer);
    },

    async createContract(input) {
      try {
        const { rows } = await withTransaction(db, async (client) => {
          // A version of the policy published meanwhile is either seen here or sees this contract (db/policy-publishing.ts).
          await lockPolicy(client, String(input.policyId));
          await lockCustomerContacts(client, input.customerId);
          const contract = checkedContract(
            input,
            await policiesFor(policies.within(client), input.policyId, input.policyVersion),
          );
          return client.query<ContractRow>(
            `INSERT INTO contracts (customer_id, policy_id, policy_version, tier, starts_on, ends_on, invoicing_frequency,
               authorized_contacts, escalation_contacts, emergency_response_target, rates, quote_required_above_minutes, max_people_per_ticket)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING ${CONTRACT_COLUMNS}`,
            [
              contract.customerId,
              contract.policyId,
              contract.policyVersion ?? null,
              contract.tier ?? null,
              contract.startsOn,
              contract.endsOn ?? null,
              contract.invoicingFrequency,
              JSON.stringify(contract.authorizedContacts),
              JSON.stringify(contract.escalationContacts),
              contract.emergencyResponseTarget === undefined ? null : JSON.stringify(contract.emergencyResponseTarget),
              contract.rates === undefined ? null : JSON.stringify(contract.rates),
              contract.quoteRequiredAboveMinutes ?? null,
              contract.maxPeoplePerTicket ?? null,
            ],
          );
        });
        return toContract(rows[0]!);
      } catch (error) {
        if (violated(error, FOREIGN_KEY_VIOLATION)) throw unknownCustomer(input.customerId);
        throw error;
      }
    },

    async getContract(id) {
      // Ids are strings at the edge: anything that is not a bigint names no contract, rather than failing the cast.
      if (!/^[1-9][0-9]{0,17}$/.test(id)) return undefined;
      const { rows } = await db.query<ContractRow>(`SELECT ${CONTRACT_COLUMNS} FROM contracts WHERE id = $1`, [id]);
      return rows[0] && toContract(rows[0]);
    },

    async updateContractContacts(id, patch) {
      if (!/^[1-9][0-9]{0,17}$/.test(id)) return undefined;
      return withTransaction(db, async (client) => {
        // Locked: a change made meanwhile is waited for and seen, so that the contacts this one drops are the ones it
        // replaces (db/contact-accounts.ts changeContractContacts disables those), not an older list.
        const { rows: found } = await client.query<ContractRow>(
          `SELECT ${CONTRACT_COLUMNS} FROM contracts WHERE id = $1 FOR UPDATE`,
          [id],
        );
        const contract = found[0] && toContract(found[0]);
        if (!contract) return undefined;
        // As when it was saved: a version of its policy published meanwhile is either seen here or sees these contacts.
        await lockPolicy(client, contract.policyId);
        await lockCustomerContacts(client, contract.customerId);
        const checked = checkedContractContacts(
          patch,
          await policiesFor(policies.within(client), contract.policyId, contract.policyVersion),
        );
        const { rows } = await client.query<ContractRow>(
          `UPDATE contracts SET authorized_contacts = COALESCE($2::jsonb, authorized_contacts), escalation_contacts = COALESCE($3::jsonb, escalation_contacts)
           WHERE id = $1 RETURNING ${CONTRACT_COLUMNS}`,
          [
            id,
            checked.authorizedContacts ? JSON.stringify(checked.authorizedContacts) : null,
            checked.escalationContacts ? JSON.stringify(checked.escalationContacts) : null,
          ],
        );
        return { contract: toContract(rows[0]!), before: contract };
      });
    },

    async listContracts(customerId) {
      const { rows } = await db.query<ContractRow>(
        `SELECT ${CONTRACT_COLUMNS} FROM contracts WHERE customer_id = $1 ORDER BY contracts.starts_on, contracts.id`,
        [customerId],
      );
      return rows.map(toContract);
    },

    async contractsInForce(customerId, onDate) {
      const { rows } = await db.query<ContractRow>(
        `SELECT ${CONTRACT_COLUMNS} FROM contracts
         WHERE customer_id = $1 AND starts_on <= $2::date AND (ends_on IS NULL OR ends_on >= $2::date)
         ORDER BY contracts.starts_on, contracts.id`,
        [customerId, civilDate(onDate, 'onDate')],
      );
      return rows.map(toContract);
    },

    async createApiKey(input) {
      const key = checkedApiKey(input);
      const id = randomBytes(6).toString('hex');
      const secret = randomBytes(32).toString('base64url');
      try {
        const { rows } = await db.query<KeyRow>(
          `INSERT INTO api_keys (id, secret_hash, role, customer_id, label, mail_relay) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${KEY_COLUMNS}`,
          [id, sha256(secret), key.role, key.customerId ?? null, key.label, key.mailRelay ?? false],
        );
        return { ...toKey(rows[0]!), token: apiToken(id, secret) };
      } catch (error) {
        if (violated(error, FOREIGN_KEY_VIOLATION)) throw unknownCustomer(String(key.customerId));
        throw error;
      }
    },

    async listApiKeys() {
      const { rows } = await db.query<KeyRow>(`SELECT ${KEY_COLUMNS} FROM api_keys ORDER BY created_at, id`);
      return rows.map(toKey);
    },

    async revokeApiKey(id) {
      // Revoking twice keeps the first instant: the key stopped working then.
      const { rows } = await db.query<KeyRow>(
        `UPDATE api_keys SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1 RETURNING ${KEY_COLUMNS}`,
        [id],
      );
      return rows[0] && toKey(rows[0]);
    },
  };
}
