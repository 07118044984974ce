import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { enqueueNotice, markAttemptFailed, markSent } from '../../db/outbox';
import { TakenUnmarked } from '../../mail/taken-unmarked';
import { migratedPool } from '../support/e2e/stack';

// mail/dispatcher.ts remembers a row whose mail the SMTP server took and whose mark was lost, so that claiming it again
// marks it instead of sending it twice; here, on PostgreSQL, when it forgets one.
describe('the rows a dispatcher remembers as taken and unmarked', () => {
  let db: Pool;
  const unique = randomUUID().slice(0, 8);
  const keys = ['a', 'b', 'c'].map((name) => `taken-unmarked-${unique}-${name}`);
  let ids: number[];

  beforeAll(async () => {
    db = await migratedPool();
    for (const key of keys)
      await enqueueNotice(db, { idempotencyKey: key, kind: 'test', recipient: 'ana@acme.lu', subject: key, body: '' });
    // Pending, and not due for a day: no dispatcher of another test file sharing the database claims them meanwhile.
    const { rows } = await db.query<{ id: string }>(
      `UPDATE outbox SET next_attempt_at = now() + interval '1 day' WHERE idempotency_key = ANY($1) RETURNING id`,
      [keys],
    );
    ids = rows.map((row) => Number(row.id)).sort((a, b) => a - b);
  });

  afterAll(async () => {
    await db?.query('DELETE FROM outbox WHERE idempotency_key = ANY($1)', [keys]);
    await db?.end();
  });

  it('are kept while pending, a mark not yet committed included, and forgotten once marked sent or failed', async () => {
    const [a, b, c] = ids as [number, number, number];
    const taken = new TakenUnmarked();
    for (const id of ids) taken.remember(id, `<${id}@desk.test>`);
    const marking = await db.connect();
    const looking = await db.connect();
    try {
      await taken.forgetMarked(looking);
      expect(taken.size).toBe(3);

      // a's mark written, its COMMIT still to come: were that COMMIT lost, the row would be due again, its mail taken.
      await marking.query('BEGIN');
      await markSent(marking, a, `<${a}@desk.test>`);
      await taken.forgetMarked(looking);
      expect(taken.messageIdOf(a)).toBe(`<${a}@desk.test>`);
      await marking.query('COMMIT');

      await taken.forgetMarked(looking);
      expect(taken.messageIdOf(a)).toBeUndefined();
      expect(taken.size).toBe(2);

      // Sent again and marked by another worker, or failed for good: no claim returns it either.
      await markAttemptFailed(marking, b, 'refused for good', undefined);
      await taken.forgetMarked(looking);
      expect([taken.size, taken.messageIdOf(b), taken.messageIdOf(c)]).toEqual([1, undefined, `<${c}@desk.test>`]);
    } finally {
      marking.release();
      looking.release();
    }
  });
});
