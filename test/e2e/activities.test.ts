import { MockActivityEnvironment } from '@temporalio/testing';
import type { Pool } from 'pg';
import { createActivities } from '../../activities/ticket-activities';
import { acknowledgeTicket } from '../support/e2e/registration';
import type { BillingSummary, TicketState } from '../../messages/ticket';
import { ticketWorkflowId } from '../../messages/ticket';
import { ticketNumberAllocator } from '../../db/ticket-numbers';
import { migratedPool, ticketForActivities } from '../support/e2e/stack';

jest.setTimeout(30_000);

// Activities are retried and replayed: each must leave PostgreSQL as if it had run once.
describe('ticket activities on PostgreSQL', () => {
  let db: Pool;
  let ticket: TicketState;
  let env: MockActivityEnvironment;

  beforeAll(async () => {
    db = await migratedPool();
  });

  afterAll(async () => {
    await db?.end();
  });

  beforeEach(async () => {
    ({ ticket, env } = await ticketForActivities(
      db,
      {
        customerId: 'acme',
        policyId: 'econnect-maintenance',
        kind: 'request',
        priority: 'P4',
        title: 'New mailbox',
        description: 'Please create a mailbox for our new colleague.',
        contact: { name: 'Ana Lopes', email: 'ana@acme.lu' },
      },
      Date.parse('2026-03-02T08:45:00Z'),
    ));
  });

  const activities = () => createActivities({ db });
  const count = async (table: string) =>
    Number(
      (
        await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table} WHERE ticket_number = $1`, [
          ticket.ticketNumber,
        ])
      ).rows[0]!.n,
    );

  it("registration's write (registerTicket's, of a state given): one ticket row and one e-mail, however often it runs", async () => {
    await env.run(acknowledgeTicket(db), ticket);
    await env.run(acknowledgeTicket(db), ticket);
    const rows = await db.query('SELECT status, opened_at FROM tickets WHERE number = $1', [ticket.ticketNumber]);
    expect(rows.rows).toEqual([{ status: 'request', opened_at: new Date('2026-03-02T08:45:00Z') }]);
    expect(await count('outbox')).toBe(1);
  });

  it('the read model never goes back to an older revision', async () => {
    const { recordTicketState } = activities();
    await env.run(acknowledgeTicket(db), ticket);
    await env.run(recordTicketState, { ...ticket, status: 'support' as const, assignee: 'marc', revision: 3 });
    await env.run(recordTicketState, { ...ticket, status: 'acknowledgement' as const, revision: 2 });
    const rows = await db.query('SELECT status, assignee, revision FROM tickets WHERE number = $1', [
      ticket.ticketNumber,
    ]);
    expect(rows.rows).toEqual([{ status: 'support', assignee: 'marc', revision: 3 }]);
  });

  it("a write tells the contact of the steps its row did not hold yet, in the row's transaction, and never again", async () => {
    const { recordTicketState } = activities();
    await env.run(acknowledgeTicket(db), ticket);
    const takenInCharge: TicketState = {
      ...ticket,
      status: 'support',
      assignee: 'marc',
      events: [...ticket.events, { at: ticket.openedAt + 60_000, type: 'taken-in-charge', by: 'marc' }],
      revision: ticket.revision + 1,
    };
    const notices = async () =>
      (
        await db.query<{ kind: string }>('SELECT kind FROM outbox WHERE ticket_number = $1 ORDER BY id', [
          ticket.ticketNumber,
        ])
      ).rows.map((row) => row.kind);
    const revision = async () =>
      (await db.query<{ revision: number }>('SELECT revision FROM tickets WHERE number = $1', [ticket.ticketNumber]))
        .rows[0]!.revision;
    const before = await notices();
    expect(before).not.toContain('taken-in-charge');

    // PostgreSQL refuses the row's write (a trigger on this ticket's row): the notice queued before it goes with it.
    expect(ticket.ticketNumber).toMatch(/^[A-Za-z0-9-]+$/);
    await db.query(`CREATE OR REPLACE FUNCTION refuse_ticket_write() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'the row write is refused'; END $$`);
    await db.query(`CREATE TRIGGER refuse_ticket_write BEFORE UPDATE ON tickets FOR EACH ROW
      WHEN (NEW.number = '${ticket.ticketNumber}') EXECUTE FUNCTION refuse_ticket_write()`);
    try {
      await expect(env.run(recordTicketState, takenInCharge)).rejects.toThrow('the row write is refused');
    } finally {
      await db.query('DROP TRIGGER refuse_ticket_write ON tickets');
    }
    expect(await notices()).toEqual(before);
    expect(await revision()).toBe(ticket.revision);

    // The retry writes both, and a retry after it neither again.
    await env.run(recordTicketState, takenInCharge);
    await env.run(recordTicketState, takenInCharge);
    expect(await notices()).toEqual([...before, 'taken-in-charge']);
    expect(await revision()).toBe(takenInCharge.revision);

    // A later write tells only its own steps: with the taken-in-charge notice's row gone from the outbox, it is not
    // queued again by a write whose row already held that step.
    await db.query("DELETE FROM outbox WHERE ticket_number = $1 AND kind = 'taken-in-charge'", [ticket.ticketNumber]);
    const proposed: TicketState = {
      ...takenInCharge,
      status: 'validation',
      resolution: 'Mailbox created.',
      events: [
        ...takenInCharge.events,
        { at: ticket.openedAt + 120_000, type: 'resolution-proposed', by: 'marc', note: 'Mailbox created.' },
      ],
      revision: takenInCharge.revision + 1,
    };
    await env.run(recordTicketState, proposed);
    expect(await notices()).toEqual([...before, 'resolution-proposed']);
  });

  it('billing: one line at the policy rate, by the started minute, however often it runs', async () => {
    const { billTicket } = activities();
    await env.run(acknowledgeTicket(db), ticket);
    const worked = {
      agent: 'marc',
      start: Date.parse('2026-03-02T09:00:00Z'),
      end: Date.parse('2026-03-02T10:35:00Z'),
      onSite: false,
    };
    const closed = { ...ticket, status: 'closed' as const, timeEntries: [worked], revision: 5 };
    const first: BillingSummary = await env.run(billTicket, closed);
    const retried = await env.run(billTicket, closed);
    // 95 started minutes at 95 EUR/h (the maintenance contract's 5% off): 150.416… EUR, rounded to the cent.
    expect(first.totalCents).toBe(15_042);
    expect(first.lines.map(({ minutes, rateCents, amountCents }) => ({ minutes, rateCents, amountCents }))).toEqual([
      { minutes: 95, rateCents: 9_500, amountCents: 15_042 },
    ]);
    expect(retried).toEqual(first);
    expect(await count('billing_lines')).toBe(first.lines.length);
  });

  it('an emergency carries the policy fee; work outside the contract is billed at its accepted quote', async () => {
    const { billTicket } = activities();
    await env.run(acknowledgeTicket(db), ticket);
    const emergency: BillingSummary = await env.run(billTicket, {
      ...ticket,
      policyId: 'econnect',
      channel: 'emergency' as const,
      status: 'closed' as const,
    });
    // e-connect: 150 EUR charged at opening, nothing else logged.
    expect(emergency.lines.map(({ minutes, amountCents }) => ({ minutes, amountCents }))).toEqual([
      { minutes: 0, amountCents: 15_000 },
    ]);
    expect(emergency.totalCents).toBe(15_000);

    const excluded = {
      ...ticket,
      ticketNumber: ticket.ticketNumber,
      scope: 'excluded' as const,
      quote: { status: 'accepted' as const, reason: 'excluded-work' as const, amountCents: 25_000 },
    };
    const quoted: BillingSummary = await new MockActivityEnvironment({
      workflowExecution: { workflowId: `${ticketWorkflowId(ticket.ticketNumber)}-excluded`, runId: 'run-1' },
    }).run(billTicket, excluded);
    expect(quoted).toEqual({
      lines: [
        {
          description: 'work outside the contract, per the accepted quote',
          minutes: 0,
          rateCents: 25_000,
          multiplier: 1,
          amountCents: 25_000,
        },
      ],
      totalCents: 25_000,
    });
  });

  describe('prepaid maintenance hours', () => {
    const customerId = `prepaid-${Date.now()}`;
    let contractId: string;

    beforeAll(async () => {
      await db.query("INSERT INTO customers (id, name) VALUES ($1, 'Prepaid SA')", [customerId]);
      const { rows } = await db.query<{ id: string }>(
        "INSERT INTO contracts (customer_id, policy_id, starts_on, ends_on) VALUES ($1, 'econnect-maintenance', '2026-01-01', '2026-12-31') RETURNING id",
        [customerId],
      );
      contractId = rows[0]!.id;
      await db.query(
        "INSERT INTO prepaid_movements (contract_id, minutes, idempotency_key, description) VALUES ($1, 120, $2, 'hours bought for 2026')",
        [contractId, `${customerId}:purchase`],
      );
    });

    const balance = async () =>
      Number(
        (
          await db.query<{ m: string }>(
            'SELECT COALESCE(SUM(minutes), 0) AS m FROM prepaid_movements WHERE contract_id = $1',
            [contractId],
          )
        ).rows[0]!.m,
      );
    const hours = (from: string, to: string) => ({
      agent: 'marc',
      start: Date.parse(from),
      end: Date.parse(to),
      onSite: false,
    });

    it('are drawn once however often billing runs, and the next ticket starts from what is left, running out mid-item', async () => {
      const { billTicket } = activities();
      const first = {
        ...ticket,
        customerId,
        status: 'closed' as const,
        timeEntries: [hours('2026-03-02T09:00:00Z', '2026-03-02T10:30:00Z')],
      };
      await env.run(acknowledgeTicket(db), first);
      const billed: BillingSummary = await env.run(billTicket, first);
      expect(await env.run(billTicket, first)).toEqual(billed);
      expect(billed.totalCents).toBe(0);
      expect(await balance()).toBe(30);

      const secondNumber = await ticketNumberAllocator(db)();
      const secondEnv = new MockActivityEnvironment({
        workflowExecution: { workflowId: ticketWorkflowId(secondNumber), runId: 'run-1' },
      });
      // Opened under the contract by its id, as the API does now; the first ticket found its contract by policy and date.
      const second = {
        ...first,
        contractId,
        ticketNumber: secondNumber,
        timeEntries: [hours('2026-03-03T09:00:00Z', '2026-03-03T10:00:00Z')],
      };
      await secondEnv.run(acknowledgeTicket(db), second);
      const secondBilled: BillingSummary = await secondEnv.run(billTicket, second);
      // 30 minutes left to draw, the other 30 at 95 EUR/h: 4750 cents.
      expect(secondBilled.lines.map(({ minutes, amountCents }) => ({ minutes, amountCents }))).toEqual([
        { minutes: 30, amountCents: 0 },
        { minutes: 30, amountCents: 4750 },
      ]);
      expect(await balance()).toBe(0);
      // A retry of the first ticket after the second drew still prices from the balance the first one saw.
      expect(await env.run(billTicket, first)).toEqual(billed);
      const draws = await db.query(
        'SELECT minutes, ticket_number FROM prepaid_movements WHERE contract_id = $1 AND minutes < 0 ORDER BY id',
        [contractId],
      );
      expect(draws.rows).toEqual([
        { minutes: -90, ticket_number: first.ticketNumber },
        { minutes: -30, ticket_number: secondNumber },
      ]);
    });
  });

  /**
   * A breach notice of the test's ticket, registered for a customer of its own whose contract names a customer-service
   * manager: to them, the desk, and the desk's manager, whom no contract names.
   */
  async function breachNotice() {
    const customerId = `escalation-${Date.now()}`;
    await db.query("INSERT INTO customers (id, name) VALUES ($1, 'Escalation SA')", [customerId]);
    await db.query(
      `INSERT INTO contracts (customer_id, policy_id, starts_on, escalation_contacts) VALUES ($1, 'care-solutions', '2020-01-01', $2)`,
      [
        customerId,
        JSON.stringify([{ level: 'customer-service-manager', name: 'Chloé Martin', email: 'csm@care.example' }]),
      ],
    );
    await env.run(acknowledgeTicket(db), { ...ticket, customerId });
    return {
      ticketNumber: ticket.ticketNumber,
      title: ticket.title,
      customerId,
      priority: 'P2',
      assignee: 'marc@desk.example',
      metric: 'resolution',
      percent: 100,
      deadline: Date.parse('2026-03-04T10:00:00Z'),
      key: 'resolution:100:g1',
      notify: ['customer-service-manager', 'desk', 'desk-manager'],
    };
  }
  const breachRecipients = async () =>
    (
      await db.query<{ recipient: string }>(
        "SELECT recipient FROM outbox WHERE ticket_number = $1 AND kind = 'breach' ORDER BY recipient",
        [ticket.ticketNumber],
      )
    ).rows.map((row) => row.recipient);

  it('threshold notices reach the people the contract names for the level, once each, and the desk its assignee', async () => {
    const notice = await breachNotice();
    const { notifyThreshold } = activities();
    await env.run(notifyThreshold, notice);
    await env.run(notifyThreshold, notice);
    // desk-manager, which no contract names, goes to the desk's address for it (VIGIL_DESK_ROLES; the tests' catch-all).
    expect(await breachRecipients()).toEqual(['csm@care.example', 'desk@vigil.test', 'marc@desk.example']);
  });

  it('a notice held by a lock fails within its bound, to be retried at once, rather than waiting out its timeout', async () => {
    const notice = await breachNotice();
    const { notifyThreshold } = activities();
    // Another transaction holds the outbox against writes, as a stuck one would: reads go on, inserts wait.
    const holder = await db.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE outbox IN EXCLUSIVE MODE');
      await expect(env.run(notifyThreshold, notice)).rejects.toMatchObject({ code: '55P03' }); // lock_not_available
    } finally {
      await holder.query('ROLLBACK');
      holder.release();
    }
    expect(await breachRecipients()).toEqual([]);
    // The attempt that gave up left nothing behind; the retry queues each recipient's notice once.
    await env.run(notifyThreshold, notice);
    expect(await breachRecipients()).toEqual(['csm@care.example', 'desk@vigil.test', 'marc@desk.example']);
  });

  it('a notice handed the committed ticket writes its row in the notice transaction: both or neither, once', async () => {
    const notice = await breachNotice();
    const committed: TicketState = {
      ...ticket,
      customerId: notice.customerId,
      revision: ticket.revision + 1,
      slaBreached: true,
    };
    const { notifyThreshold } = activities();
    const row = async () =>
      (
        await db.query<{ revision: number; sla_breached: boolean }>(
          'SELECT revision, sla_breached FROM tickets WHERE number = $1',
          [ticket.ticketNumber],
        )
      ).rows;
    const holder = await db.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE outbox IN EXCLUSIVE MODE');
      await expect(env.run(notifyThreshold, notice, committed)).rejects.toMatchObject({ code: '55P03' });
    } finally {
      await holder.query('ROLLBACK');
      holder.release();
    }
    // The attempt that gave up wrote neither the notices nor the row.
    expect(await row()).toEqual([{ revision: ticket.revision, sla_breached: false }]);
    await env.run(notifyThreshold, notice, committed);
    await env.run(notifyThreshold, notice, committed);
    expect(await row()).toEqual([{ revision: committed.revision, sla_breached: true }]);
    expect(await breachRecipients()).toEqual(['csm@care.example', 'desk@vigil.test', 'marc@desk.example']);
  });
});
