import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import type { AccountStore } from '../../messages/accounts';
import { pgAccountStore } from '../../db/accounts';
import { apiStores } from '../../db/api-stores';
import { changeContractContacts, createContract } from '../../db/contact-accounts';
import { pgSessionStore } from '../../db/sessions';
import { joinable, oneTransactionOn } from '../../db/transaction';
import { pgUserStore, type UserStore } from '../../db/users';
import { e2eEnv, eventually, migratedPool } from '../support/e2e/stack';

jest.setTimeout(60_000);

// findByEmails answers in id order, and ids are random: the accounts in the order the expectations name them.
const byEmail = (a: { email: string }, b: { email: string }) => a.email.localeCompare(b.email);

// db/contact-accounts.ts changeContractContacts, as PATCH /v1/admin/contracts/:id and `vigil admin contracts contacts`
// run it, when two admins change one contract at once.
describe("two changes of one contract's contacts at once, on PostgreSQL", () => {
  let db: Pool;

  beforeAll(async () => {
    db = await migratedPool();
  });

  afterAll(async () => {
    await db?.end();
  });

  it('disables every contact the later change drops, one the earlier change added after it first read the contract included', async () => {
    const unique = randomUUID().slice(0, 8);
    const customerId = `race-${unique}`;
    const ada = { name: 'Ada Adler', email: `ada.${unique}@race.test` };
    const ben = { name: 'Ben Berg', email: `ben.${unique}@race.test` };
    // As the API and vigil admin hold them: each change is one transaction of the stores (db/transaction.ts).
    const joined = joinable(db);
    const accounts = pgAccountStore(joined);
    const users = pgUserStore(joined);
    const sessions = pgSessionStore(joined);
    const transaction = oneTransactionOn(db);
    await accounts.createCustomer({ id: customerId, name: 'Race SA' });
    const { contract } = await createContract(
      { accounts, users, transaction },
      { customerId, policyId: 'econnect', startsOn: '2026-01-01', authorizedContacts: [ada] },
    );

    // The later change (everybody off) reads the contract, Ada alone, then waits while the earlier one adds Ben.
    let read!: () => void;
    let resume!: () => void;
    const hasRead = new Promise<void>((resolve) => (read = resolve));
    const resumed = new Promise<void>((resolve) => (resume = resolve));
    const pausedAfterReading: AccountStore = {
      ...accounts,
      async getContract(id) {
        const found = await accounts.getContract(id);
        read();
        await resumed;
        return found;
      },
    };
    const later = changeContractContacts({ accounts: pausedAfterReading, users, sessions, transaction }, contract.id, {
      authorizedContacts: [],
    });
    await hasRead;
    await changeContractContacts({ accounts, users, sessions, transaction }, contract.id, {
      authorizedContacts: [ada, ben],
    });
    resume();
    const { disabled } = (await later)!;

    // The contract names nobody now: neither keeps an account that sees the company's tickets.
    expect((await accounts.getContract(contract.id))?.authorizedContacts).toEqual([]);
    expect(disabled.map(({ email }) => email).sort()).toEqual([ada.email, ben.email].sort());
    expect(
      (await users.findByEmails([ada.email, ben.email])).sort(byEmail).map(({ email, disabledAt }) => ({
        email,
        disabled: disabledAt !== undefined,
      })),
    ).toEqual([
      { email: ada.email, disabled: true },
      { email: ben.email, disabled: true },
    ]);
  });

  it("disables a contact the earlier change adds after its list: the later change waits for the earlier one's accounts too", async () => {
    const unique = randomUUID().slice(0, 8);
    const customerId = `race-${unique}`;
    const ada = { name: 'Ada Adler', email: `ada.${unique}@race.test` };
    const ben = { name: 'Ben Berg', email: `ben.${unique}@race.test` };
    // The later change on a pool of its own, named, so that its backend waiting on a lock can be found.
    const name = `race-later-${unique}`;
    const laterPool = new Pool({ connectionString: e2eEnv().databaseUrl, application_name: name });
    // As the API holds them (db/api-stores.ts).
    const storesOn = (pool: Pool) => {
      const { accounts, transaction, people } = apiStores(pool);
      return { accounts, transaction, users: people.users, sessions: people.sessions };
    };
    try {
      const earlierStores = storesOn(db);
      await earlierStores.accounts.createCustomer({ id: customerId, name: 'Race SA' });
      const { contract } = await createContract(earlierStores, {
        customerId,
        policyId: 'econnect',
        startsOn: '2026-01-01',
        authorizedContacts: [ada],
      });

      // The earlier change (Ben added) stops after saving the list, before making Ben's account.
      let saved!: () => void;
      let resume!: () => void;
      const hasSaved = new Promise<void>((resolve) => (saved = resolve));
      const resumed = new Promise<void>((resolve) => (resume = resolve));
      const pausedBeforeAccounts: UserStore = {
        ...earlierStores.users,
        async addCustomerContacts(id, contacts) {
          saved();
          await resumed;
          return earlierStores.users.addCustomerContacts(id, contacts);
        },
      };
      const earlier = changeContractContacts({ ...earlierStores, users: pausedBeforeAccounts }, contract.id, {
        authorizedContacts: [ada, ben],
      });
      await hasSaved;
      const later = changeContractContacts(storesOn(laterPool), contract.id, { authorizedContacts: [] });
      let laterDone = false;
      const settled = () => (laterDone = true);
      later.then(settled, settled);
      // The later change waits on the contract's row until the earlier one commits (or, in steps, is done at once).
      await eventually(
        async () =>
          laterDone ||
          (
            await db.query("SELECT 1 FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'", [
              name,
            ])
          ).rows.length > 0,
        Boolean,
      );
      resume();
      await earlier;
      const { disabled } = (await later)!;

      expect(disabled.map(({ email }) => email).sort()).toEqual([ada.email, ben.email].sort());
      expect(
        (await earlierStores.users.findByEmails([ada.email, ben.email])).sort(byEmail).map(({ email, disabledAt }) => ({
          email,
          disabled: disabledAt !== undefined,
        })),
      ).toEqual([
        { email: ada.email, disabled: true },
        { email: ben.email, disabled: true },
      ]);
    } finally {
      await laterPool.end();
    }
  });
});
