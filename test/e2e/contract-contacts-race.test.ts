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

// findByEmails answers in id order, the order the accounts were made, which two changes at once choose between them:
// the accounts are compared in the order the expectations name them.
const byEmail = (a: { email: string }, b: { email: string }) => a.email.localeCompare(b.email);

// The stores of a change as the API holds them (db/api-stores.ts).
const storesOn = (pool: Pool) => {
  const { accounts, transaction, people } = apiStores(pool);
  return { accounts, transaction, users: people.users, sessions: people.sessions };
};

/** A pool whose backends pg_stat_activity names, so that a test can see them wait on a lock; and whether they do. */
const namedPool = (name: string) => new Pool({ connectionString: e2eEnv().databaseUrl, application_name: name });
const waitsOnLock = async (db: Pool, name: string) =>
  (await db.query("SELECT 1 FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'", [name]))
    .rows.length > 0;

/** Until `change` is done, or its pool's backend waits on a lock: when a test lets the change it waits for go on. */
async function doneOrWaiting(db: Pool, name: string, change: Promise<unknown>): Promise<void> {
  let done = false;
  const settled = () => (done = true);
  change.then(settled, settled);
  await eventually(async () => done || (await waitsOnLock(db, name)), Boolean);
}

// db/contact-accounts.ts changeContractContacts, as PATCH /v1/admin/contracts/:id and `vigil admin contracts contacts`
// run it, when two admins change one contract, or two contracts of one customer, at once.
describe("two changes of contracts' contacts at once, on PostgreSQL", () => {
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
    const laterPool = namedPool(name);
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
      // The later change waits on the contract's row until the earlier one commits (or, in steps, is done at once).
      await doneOrWaiting(db, name, later);
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

  it('makes both changes when contracts of two customers add the same new addresses in opposite orders', async () => {
    const unique = randomUUID().slice(0, 8);
    const customers = { first: `race-${unique}-a`, second: `race-${unique}-b` };
    const person = (name: string) => ({ name, email: `${name.toLowerCase()}.${unique}@race.test` });
    const [ada, ben, zed, zoe] = [person('Ada'), person('Ben'), person('Zed'), person('Zoe')];
    const names = { first: `race-first-${unique}`, second: `race-second-${unique}` };
    const firstPool = namedPool(names.first);
    const secondPool = namedPool(names.second);
    const stores = storesOn(db);
    // Two customers under two policies: nothing else orders the changes. Changes of one customer's contacts wait for
    // each other whole (db/accounts.ts lockCustomerContacts), as those of contracts under one policy do (lockPolicy).
    const contract = async (customerId: string, policy: { policyId: string; policyVersion?: number }) => {
      await stores.accounts.createCustomer({ id: customerId, name: 'Race SA' });
      return (await createContract(stores, { customerId, ...policy, startsOn: '2026-01-01' })).contract.id;
    };
    const one = await contract(customers.first, { policyId: 'econnect' });
    const two = await contract(customers.second, { policyId: 'esker', policyVersion: 1 });

    // A change adding an address another transaction is adding, uncommitted, waits for it. A third transaction holds
    // Zed and Zoe, as another admin adding them would: taken in the contacts' order, the first change (Ada, Zed, Ben)
    // would stop holding Ada and the second (Ben, Zoe, Ada) holding Ben, and once Zed and Zoe are let go each would
    // wait for the address the other holds. Taken in address order (db/users.ts addCustomerContacts), both start with
    // Ada, and the one that did not take it waits for the other's commit.
    const holder = await db.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(
        `INSERT INTO users (email, name, role, customer_id) VALUES ($1, 'Zed', 'customer', $2), ($3, 'Zoe', 'customer', $4)`,
        [zed.email, customers.first, zoe.email, customers.second],
      );
      const outcomes = Promise.allSettled([
        changeContractContacts(storesOn(firstPool), one, { authorizedContacts: [ada, zed, ben] }),
        changeContractContacts(storesOn(secondPool), two, { authorizedContacts: [ben, zoe, ada] }),
      ]);
      await eventually(
        async () => (await waitsOnLock(db, names.first)) && (await waitsOnLock(db, names.second)),
        Boolean,
      );
      await holder.query('ROLLBACK');

      // A deadlock would end one of them with 40P01 (deadlock_detected), its contract and accounts rolled back.
      expect(
        (await outcomes).map((outcome) =>
          outcome.status === 'fulfilled' ? 'changed' : (outcome.reason as { code?: string }).code,
        ),
      ).toEqual(['changed', 'changed']);
    } finally {
      // Closed rather than given back: a failure before its ROLLBACK must not leave Zed and Zoe held in the pool.
      holder.release(true);
      await firstPool.end();
      await secondPool.end();
    }
    const contactsOf = async (id: string) =>
      (await stores.accounts.getContract(id))?.authorizedContacts.map(({ email }) => email);
    expect([await contactsOf(one), await contactsOf(two)]).toEqual([
      [ada.email, zed.email, ben.email],
      [ben.email, zoe.email, ada.email],
    ]);
    // Ada and Ben sign in for the company whose change made their accounts first, both the same (db/contact-accounts.ts
    // addContactAccounts: an address taken meanwhile stays its taker's).
    const accounts = (await stores.users.findByEmails([ada, ben, zed, zoe].map(({ email }) => email))).sort(byEmail);
    const first = accounts[0]?.customerId;
    expect(
      accounts.map((user) => ({ email: user.email, customerId: user.customerId, enabled: !user.disabledAt })),
    ).toEqual([
      { email: ada.email, customerId: first, enabled: true },
      { email: ben.email, customerId: first, enabled: true },
      { email: zed.email, customerId: customers.first, enabled: true },
      { email: zoe.email, customerId: customers.second, enabled: true },
    ]);
  });

  it('keeps the account of a contact one contract drops while another contract of the customer takes them on', async () => {
    const unique = randomUUID().slice(0, 8);
    const customerId = `race-${unique}`;
    const ada = { name: 'Ada Adler', email: `ada.${unique}@race.test` };
    // The dropping change on a pool of its own, named, so that its backend waiting on a lock can be found.
    const name = `race-dropping-${unique}`;
    const droppingPool = namedPool(name);
    try {
      const stores = storesOn(db);
      await stores.accounts.createCustomer({ id: customerId, name: 'Race SA' });
      // Under two policies, so that the policies' locks do not order the changes (db/policy-versions.ts lockPolicy).
      const contract = async (policy: { policyId: string; policyVersion?: number }, authorizedContacts = [ada]) =>
        (await createContract(stores, { customerId, ...policy, startsOn: '2026-01-01', authorizedContacts })).contract
          .id;
      const naming = await contract({ policyId: 'econnect' });
      const taking = await contract({ policyId: 'esker', policyVersion: 1 }, []);

      // The change taking Ada on stops after her account (already hers and enabled: nothing written), uncommitted.
      let added!: () => void;
      let resume!: () => void;
      const hasAdded = new Promise<void>((resolve) => (added = resolve));
      const resumed = new Promise<void>((resolve) => (resume = resolve));
      const pausedAfterAccounts: UserStore = {
        ...stores.users,
        async addCustomerContacts(id, contacts) {
          const made = await stores.users.addCustomerContacts(id, contacts);
          added();
          await resumed;
          return made;
        },
      };
      const takingOn = changeContractContacts({ ...stores, users: pausedAfterAccounts }, taking, {
        authorizedContacts: [ada],
      });
      await hasAdded;
      const dropping = changeContractContacts(storesOn(droppingPool), naming, { authorizedContacts: [] });
      // The dropping change waits for the customer's contacts until the other commits (or, unordered, is done at once,
      // reading the other contract's list as it was: without Ada).
      await doneOrWaiting(db, name, dropping);
      resume();
      await takingOn;
      const { disabled } = (await dropping)!;

      // The other contract names Ada now: her account stays, enabled.
      expect(disabled).toEqual([]);
      expect(
        (await stores.users.findByEmails([ada.email])).map(({ email, disabledAt }) => ({
          email,
          disabled: disabledAt !== undefined,
        })),
      ).toEqual([{ email: ada.email, disabled: false }]);
    } finally {
      await droppingPool.end();
    }
  });
});
