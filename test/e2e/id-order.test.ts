import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { pgAccountStore } from '../../db/accounts';
import { pgUserStore } from '../../db/users';
import { migratedPool } from '../support/e2e/stack';

// db/users.ts and db/accounts.ts answer people and contracts in id order, and give ids as text: sorting that text put
// id 100 before id 99 whenever two rows straddled a power of ten, as the shared database's sequences do now and then.
// The rows here are moved to ids far past the sequences, one below a power of ten and one at it, so that text and
// number disagree in every run.
describe('lists in id order, the id a number, on PostgreSQL', () => {
  let db: Pool;
  const unique = randomUUID().slice(0, 8);

  beforeAll(async () => {
    db = await migratedPool();
  });

  afterAll(async () => {
    await db?.end();
  });

  /** Gives the two rows of `table` the ids 10^n - 1 and 10^n, for the first n that no row holds yet: [lower, higher]. */
  async function straddling(table: 'users' | 'contracts', [first, second]: string[]): Promise<[string, string]> {
    for (let digits = 10; digits <= 17; digits += 1) {
      const ids = [(10n ** BigInt(digits) - 1n).toString(), (10n ** BigInt(digits)).toString()] as const;
      const { rows } = await db.query(`SELECT 1 FROM ${table} WHERE id = ANY($1::bigint[])`, [ids]);
      if (rows.length) continue;
      // Listed in the order the expectations name them, the text's order the opposite: the later row gets the lower id.
      await db.query(`UPDATE ${table} SET id = $2 WHERE id = $1`, [first, ids[1]]);
      await db.query(`UPDATE ${table} SET id = $2 WHERE id = $1`, [second, ids[0]]);
      return [ids[0], ids[1]];
    }
    throw new Error(`no two free ids around a power of ten in ${table}`);
  }

  it('gives people in the order of their ids', async () => {
    const users = pgUserStore(db);
    const emails = [`nine.${unique}@order.test`, `ten.${unique}@order.test`];
    const made = [];
    for (const email of emails) made.push(await users.create({ email, name: 'Ordered', role: 'agent' }));
    const [lower, higher] = await straddling(
      'users',
      made.map(({ id }) => id),
    );
    expect((await users.findByEmails(emails)).map(({ id }) => id)).toEqual([lower, higher]);
    expect((await users.list()).filter(({ email }) => emails.includes(email)).map(({ id }) => id)).toEqual([
      lower,
      higher,
    ]);
  });

  it("gives a customer's contracts starting the same day in the order of their ids", async () => {
    const accounts = pgAccountStore(db);
    const customerId = `order-${unique}`;
    await accounts.createCustomer({ id: customerId, name: 'Order SA' });
    const made = [];
    for (let i = 0; i < 2; i += 1)
      made.push(await accounts.createContract({ customerId, policyId: 'econnect', startsOn: '2026-01-01' }));
    const [lower, higher] = await straddling(
      'contracts',
      made.map(({ id }) => id),
    );
    expect((await accounts.listContracts(customerId)).map(({ id }) => id)).toEqual([lower, higher]);
    expect((await accounts.contractsInForce(customerId, '2026-06-01')).map(({ id }) => id)).toEqual([lower, higher]);
  });
});
