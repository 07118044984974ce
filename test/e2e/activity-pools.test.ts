import { ensureApplicationFailure } from '@temporalio/common';
import type { Pool, PoolClient } from 'pg';
import { createActivities } from '../../activities/ticket-activities';
import { acknowledgeTicket } from '../support/e2e/registration';
import { apiStores } from '../../db/api-stores';
import { PoolExhaustedError } from '../../db/pool';
import { createActivityPools, type ActivityPools } from '../../worker/activity-pools';
import { activityPoolSizes, DEFAULT_WORKER_TUNING, type WorkerTuning } from '../../worker/tuning';
import { customerWithContact, serverDown } from '../support/e2e/mail';
import { e2eEnv, migratedPool } from '../support/e2e/stack';

jest.setTimeout(60_000);

/**
 * The worker's activity pools (worker/activity-pools.ts) on the real PostgreSQL: a burst that holds every connection the
 * ticket and read-model activities share neither keeps a notice from committing nor leaves an activity waiting without
 * end for a connection.
 */
describe("the worker's activity pools", () => {
  let db: Pool;
  let pools: ActivityPools | undefined;
  // Small, so that the test holds them all. The wait is the worker's own (5 s): it also bounds making a new connection,
  // which took more than the 300 ms this test once set on a loaded machine, failing the notice it shows going through.
  const tuning: WorkerTuning = { ...DEFAULT_WORKER_TUNING, dbPoolSize: 4, noticeSlots: 1 };

  beforeAll(async () => {
    db = await migratedPool();
  });

  afterAll(async () => {
    await pools?.end();
    await db?.end();
  });

  it('a notice commits while a burst holds every shared connection; an activity waiting for one fails, retryable', async () => {
    pools = createActivityPools(e2eEnv().databaseUrl, tuning, () => undefined);
    const { customerId, email } = await customerWithContact(apiStores(db).accounts);
    const { ticket, env } = await serverDown(db, customerId, email);
    const activities = createActivities({ db: pools.shared, noticeDb: pools.notices });
    await env.run(acknowledgeTicket(pools.shared), ticket);
    // The ticket as the workflow commits it with its notices, then as its next read-model write has it.
    const notified = { ...ticket, revision: ticket.revision + 1 };
    const later = { ...ticket, revision: ticket.revision + 2 };

    // The burst: registrations and read-model writes holding every connection of the shared pool, each in a transaction.
    const held: PoolClient[] = [];
    for (let i = 0; i < activityPoolSizes(tuning).shared; i += 1) {
      const client = await pools.shared.connect();
      await client.query('BEGIN');
      held.push(client);
    }
    try {
      // The workflow's last notice of a threshold, with the ticket it committed (workflows/ticket.ts).
      await env.run(
        activities.notifyThreshold,
        {
          ticketNumber: ticket.ticketNumber,
          title: ticket.title,
          customerId,
          priority: 'P1',
          metric: 'response',
          percent: 100,
          deadline: Date.parse('2026-12-01T10:30:00Z'),
          notify: ['desk'],
          key: 'response:100:g0',
        },
        notified,
      );
      // Its mail queued and the ticket's row written, in the notice's own transaction.
      const queued = await db.query<{ recipient: string }>(
        "SELECT recipient FROM outbox WHERE ticket_number = $1 AND kind = 'breach'",
        [ticket.ticketNumber],
      );
      expect(queued.rows).toEqual([{ recipient: 'desk@vigil.test' }]);
      const row = await db.query('SELECT revision FROM tickets WHERE number = $1', [ticket.ticketNumber]);
      expect(row.rows).toEqual([{ revision: notified.revision }]);

      // A read-model write waits for a shared connection: it fails within the pool's bound, with an error Temporal
      // retries, rather than waiting into its start-to-close timeout.
      const failure: unknown = await env.run(activities.recordTicketState, later).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(PoolExhaustedError);
      expect((failure as Error).message).toBe(
        `no connection of the activities' shared pool (3) came free within ${tuning.dbConnectTimeoutMs} ms`,
      );
      expect(ensureApplicationFailure(failure)).toMatchObject({ type: 'PoolExhaustedError', nonRetryable: false });
    } finally {
      for (const client of held) {
        await client.query('ROLLBACK');
        client.release();
      }
    }
    // The burst over, the retry writes.
    await env.run(activities.recordTicketState, later);
    const written = await db.query('SELECT revision FROM tickets WHERE number = $1', [ticket.ticketNumber]);
    expect(written.rows).toEqual([{ revision: later.revision }]);
  });
});
