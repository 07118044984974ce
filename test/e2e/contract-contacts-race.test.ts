import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { AccountStore } from '../../messages/accounts';
import { pgAccountStore } from '../../db/accounts';
import { changeContractContacts, createContract } from '../../db/contact-accounts';
import { pgSessionStore } from '../../db/sessions';
import { joinable, oneTransactionOn } from '../../db/transaction';
import { pgUserStore } from '../../db/users';
import { migratedPool } from '../support/e2e/stack';

jest.setTimeout(60_000);

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
      (await users.findByEmails([ada.email, ben.email])).map(({ email, disabledAt }) => ({
        email,
        disabled: disabledAt !== undefined,
      })),
    ).toEqual([
      { email: ada.email, disabled: true },
      { email: ben.email, disabled: true },
    ]);
  });
});
