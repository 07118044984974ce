import { randomUUID } from 'node:crypto';
import { Pool, type PoolClient, type QueryConfig } from 'pg';
import { startReceiver, type Receiver } from '../../bench/notices/receiver';
import { migrate } from '../../db/migrate';
import { announceOutbox, enqueueNotice } from '../../db/outbox';
import { startOutboxDispatcher, type OutboxDispatcher } from '../../mail/dispatcher';
import { laneConnections } from '../../mail/lanes';
import { CLAIMS_PER_LOOK } from '../../mail/taken-unmarked';
import { refusingWrites } from '../support/e2e/refusing-writes';
import { e2eEnv, eventually } from '../support/e2e/stack';

jest.setTimeout(300_000);

/** The rows queued while the desk's SMTP or PostgreSQL was away, caught up at once when it is back. */
const BACKLOG = 300;
const LANES = 4;
const FROM = 'Support desk <support@desk.test>';

/** What each statement the dispatcher's pool ran was, by its text. */
const KINDS = {
  begin: (text: string) => text === 'BEGIN',
  commit: (text: string) => text === 'COMMIT',
  claim: (text: string) => text.startsWith('SELECT * FROM outbox') && text.includes('SKIP LOCKED'),
  mark: (text: string) => text.startsWith('UPDATE outbox SET sent_at'),
  // db/outbox.ts stillPending: which rows the dispatcher remembers as taken and unmarked are still pending.
  look: (text: string) => text.includes('id = ANY($1::bigint[])'),
  nextDue: (text: string) => text.includes('extract(epoch FROM next_attempt_at'),
};
type Kind = keyof typeof KINDS | 'other';
const kindOf = (text: string): Kind =>
  (Object.keys(KINDS) as (keyof typeof KINDS)[]).find((kind) => KINDS[kind](text)) ?? 'other';

/** A pool whose every statement, through pool.query or a client it lent, is counted by kind until `reset`. */
function countingPool(connectionString: string) {
  const counts = new Map<Kind, number>();
  const pool = new Pool({ connectionString, max: laneConnections(LANES), application_name: 'vigil-catch-up' });
  pool.on('error', () => undefined);
  pool.on('connect', (client: PoolClient) => {
    client.on('error', () => undefined);
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      const first = args[0] as string | QueryConfig;
      const kind = kindOf(typeof first === 'string' ? first : first.text);
      counts.set(kind, (counts.get(kind) ?? 0) + 1);
      return query(...args);
    };
  });
  return {
    pool,
    count: (kind: Kind) => counts.get(kind) ?? 0,
    reset: () => counts.clear(),
  };
}

// The outbox's catch-up after an outage (mail/dispatcher.ts), on a PostgreSQL database of its own so that every row and
// every statement counted is this test's, and an SMTP server in this process that records each mail's outbox id.
describe('the outbox catching up a backlog after an outage', () => {
  let admin: Pool;
  let db: Pool;
  let database: string;
  let counting: ReturnType<typeof countingPool>;
  let receiver: Receiver;
  let dispatcher: OutboxDispatcher | undefined;

  beforeAll(async () => {
    admin = new Pool({ connectionString: e2eEnv().databaseUrl });
    database = `vigil_outbox_${randomUUID().slice(0, 8)}`;
    await admin.query(`CREATE DATABASE ${database}`);
    const url = new URL(e2eEnv().databaseUrl);
    url.pathname = `/${database}`;
    db = new Pool({ connectionString: url.toString() });
    await migrate(db);
    counting = countingPool(url.toString());
    receiver = await startReceiver();
  });

  afterAll(async () => {
    await dispatcher?.stop();
    await counting?.pool.end();
    await db?.end();
    await receiver?.close();
    await admin?.query(`DROP DATABASE IF EXISTS ${database}`);
    await admin?.end();
  });

  /** A row queued not due for a day, so that no lane claims it before the test says. */
  const queue = async (key: string) => {
    await enqueueNotice(db, { idempotencyKey: key, kind: 'test', recipient: 'ana@acme.lu', subject: key, body: '' });
    const { rows } = await db.query<{ id: string }>(
      `UPDATE outbox SET next_attempt_at = now() + interval '1 day' WHERE idempotency_key = $1 RETURNING id`,
      [key],
    );
    return Number(rows[0]!.id);
  };
  const copiesOf = (id: number) =>
    receiver.mails.filter((mail) => mail.headers.get('x-vigil-outbox-id') === String(id));
  const rowOf = async (id: number) =>
    (
      await db.query<{ sent: boolean; attempts: number }>(
        'SELECT sent_at IS NOT NULL AS sent, attempts FROM outbox WHERE id = $1',
        [id],
      )
    ).rows[0];

  /** Once the lanes' idle looks (nextDueInMs) number `looks` at least, and no lane is in a transaction: they sleep. */
  const lanesAsleep = (looks: number) =>
    eventually(
      async () =>
        (
          await db.query<{ busy: number }>(
            `SELECT count(*)::int AS busy FROM pg_stat_activity
             WHERE application_name = 'vigil-catch-up' AND state <> 'idle'`,
          )
        ).rows[0]!.busy,
      (busy) => busy === 0 && counting.count('nextDue') >= looks,
    );

  it('sends every row once, with the same statements per row however many rows the dispatcher remembers as taken', async () => {
    // The backlog, queued while the desk's servers were away.
    const backlog: number[] = [];
    for (let n = 0; n < BACKLOG; n += 1) backlog.push(await queue(`backlog-${n}`));
    const taken = await queue('taken-then-put-off');
    dispatcher = startOutboxDispatcher({
      db: counting.pool,
      smtpUrl: `smtp://127.0.0.1:${receiver.port}`,
      from: FROM,
      lanes: LANES,
      idlePollMs: 3_600_000,
    });

    // The outage: a row whose mail the SMTP server took while PostgreSQL refused its mark, as a connection lost then
    // would. The dispatcher remembers it as taken; another sender's attempt then puts it off for a day (its backoff),
    // so that it stays pending, remembered, through the whole catch-up.
    let looked = 0;
    await refusingWrites(db, 'outbox', 'UPDATE', 'message_id', `<${taken}.outbox@`, async () => {
      await db.query('UPDATE outbox SET next_attempt_at = now() WHERE id = $1', [taken]);
      await announceOutbox(db);
      await eventually(
        () => Promise.resolve(copiesOf(taken).length),
        (copies) => copies === 1,
      );
      looked = counting.count('nextDue');
      // Once no lane holds it, its mark refused and rolled back: put off, its message_id left unset (not refused).
      await eventually(
        async () =>
          (
            await db.query(
              `UPDATE outbox SET next_attempt_at = now() + interval '1 day'
               WHERE id = (SELECT id FROM outbox WHERE id = $1 FOR UPDATE SKIP LOCKED) RETURNING id`,
              [taken],
            )
          ).rowCount,
        (updated) => updated === 1,
      );
    });
    expect(await rowOf(taken)).toEqual({ sent: false, attempts: 0 });
    // The lane whose mark was refused, back from its pause, finds nothing due and sleeps with the others.
    await lanesAsleep(looked + 1);

    // A row of the backlog another sender holds throughout: passed by, never touched.
    const [held, ...due] = backlog as [number, ...number[]];
    const holder = await db.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT id FROM outbox WHERE id = $1 FOR UPDATE', [held]);

      // The outage is over: the backlog is due at once, and the lanes are told.
      counting.reset();
      await db.query('UPDATE outbox SET next_attempt_at = now() WHERE id = ANY($1)', [due]);
      await announceOutbox(db);
      await eventually(
        async () =>
          Number(
            (
              await db.query<{ sent: string }>(
                'SELECT count(*) AS sent FROM outbox WHERE id = ANY($1) AND sent_at IS NOT NULL',
                [due],
              )
            ).rows[0]!.sent,
          ),
        (sent) => sent === due.length,
        240_000,
      );
      // Every lane woken found nothing more due and sleeps.
      await lanesAsleep(LANES);

      const counted = Object.fromEntries(
        (['begin', 'claim', 'mark', 'commit', 'look', 'nextDue', 'other'] as const).map((kind) => [
          kind,
          counting.count(kind),
        ]),
      );
      // One transaction per row (mail/dispatcher.ts says why), and a look for each lane that ran out of due rows.
      const idleLooks = counted.nextDue!;
      expect(counted).toEqual({
        begin: due.length + idleLooks,
        claim: due.length + idleLooks,
        mark: due.length,
        commit: due.length + idleLooks,
        look: expect.any(Number),
        nextDue: idleLooks,
        other: 0,
      });
      // The remembered row looked at once per CLAIMS_PER_LOOK claims and once per idle lane, not at every claim.
      expect(counted.look).toBeLessThanOrEqual(Math.floor(counted.claim! / CLAIMS_PER_LOOK) + idleLooks);
      expect(counted.look).toBeLessThan(due.length / 10);

      expect(await rowOf(held)).toEqual({ sent: false, attempts: 0 });
      expect(copiesOf(held)).toHaveLength(0);
    } finally {
      await holder.query('COMMIT');
      holder.release();
    }

    // The held row and the row taken before the outage due again: the first sent, the second marked, not sent again.
    await db.query('UPDATE outbox SET next_attempt_at = now() WHERE id = ANY($1)', [[held, taken]]);
    await announceOutbox(db);
    await eventually(
      async () => [await rowOf(held), await rowOf(taken)],
      (rows) => rows.every((row) => row?.sent),
    );
    for (const id of [...backlog, taken]) expect([id, copiesOf(id).length]).toEqual([id, 1]);
    expect(receiver.mails).toHaveLength(BACKLOG + 1);
  });
});
