/**
 * GET /v1/reports/sla's reading at 100, 10 000 and 100 000 tickets: the aggregate over every ticket's row that the
 * API ran before migration 0028 (test/support/sla-report-reference.ts) beside the roll-up it reads now
 * (db/sla-report.ts), in one run on one PostgreSQL, for the whole report and for one customer's year.
 *
 * Rows are inserted straight into `tickets` by one INSERT ... SELECT per size (figures drawn by PostgreSQL's seeded
 * random()), then the roll-up is built by the migration's backfill, sla_report_rebuild(), whose time is printed too.
 * Both readers must give the same rows at each size, or the run fails.
 *
 *     npm run bench:sla-report                     # its own PostgreSQL in a temporary folder
 *     DATABASE_URL=postgres://... npm run bench:sla-report   # a database of your own: its tickets are added to
 */
import { deepStrictEqual } from 'node:assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Pool } from 'pg';
import { migrate } from '../db/migrate';
import { rebuildSlaReport, slaReportReader, type SlaReportReader, type SlaReportRequest } from '../db/sla-report';
import { startEmbeddedPostgres } from '../infra/embedded-postgres';
import { freePort } from '../scripts/ports';
import { slaReportFromTickets } from '../test/support/sla-report-reference';
import { median } from './stats';

const SIZES = [100, 10_000, 100_000];
const CUSTOMERS = 20;
const READINGS = 15;
/** Read as of the last month of the year the tickets are registered in: some of them still within their day. */
const NOW = Date.parse('2026-11-30T12:00:00Z');

/** `count` more tickets of the bench, numbered from `first`, registered over twelve months. */
async function insertTickets(db: Pool, first: number, count: number): Promise<void> {
  await db.query(
    `WITH drawn AS (
       SELECT g, random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5, random() AS r6,
              timestamptz '2025-12-01 00:00:00+01' + random() * interval '365 days' AS opened_at
         FROM generate_series($1::int, $1::int + $2::int - 1) AS g)
     INSERT INTO tickets (number, workflow_id, customer_id, policy_id, kind, priority, status, title, contact_email, opened_at,
                          revision, snapshot, response_outcome, intervention_outcome, resolution_outcome, taken_in_charge_at,
                          response_business_ms, same_day_until)
     SELECT 'BENCH-' || g, 'bench-' || g, 'bench-customer-' || (g % ${CUSTOMERS}), 'mixvoip-bureau', 'incident',
            (ARRAY['P1', 'P2', 'P3', 'P4'])[1 + floor(r1 * 4)::int],
            (ARRAY['acknowledgement', 'support', 'validation', 'closed', 'closed', 'closed', 'cancelled', 'refused'])[1 + floor(r2 * 8)::int],
            'Printer down', 'ana@example.lu', opened_at, 1, '{}',
            outcomes[1 + floor(r3 * 5)::int], outcomes[1 + floor(r4 * 5)::int], outcomes[1 + floor(r5 * 5)::int],
            CASE WHEN r6 < 0.8 THEN opened_at + r6 * interval '2 days' END,
            CASE WHEN r6 < 0.8 THEN floor(r6 * 16 * 3600 * 1000)::bigint END,
            date_trunc('day', opened_at + interval '8 hours', 'Europe/Luxembourg') + interval '1 day'
       FROM drawn, (SELECT ARRAY['met', 'breached', 'pending', 'withdrawn', 'no-target'] AS outcomes) AS vocabulary`,
    [first, count],
  );
}

async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const started = process.hrtime.bigint();
  const result = await run();
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, result };
}

/** Median milliseconds of both readers over the same readings, taken in turns so that both see the same load. */
async function sideBySide(
  naive: SlaReportReader,
  rollup: SlaReportReader,
  request: SlaReportRequest,
): Promise<[number, number]> {
  const times: [number[], number[]] = [[], []];
  for (let reading = 0; reading < READINGS; reading++) {
    times[0].push((await timed(() => naive.report(request))).ms);
    times[1].push((await timed(() => rollup.report(request))).ms);
  }
  return [median(times[0]), median(times[1])];
}

async function main(): Promise<void> {
  let stopPostgres = (): Promise<void> => Promise.resolve();
  let url = process.env.DATABASE_URL;
  if (!url) {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-bench-sla-'));
    // PostgreSQL runs as its own user when we are root: it must be able to enter the folder.
    fs.chmodSync(folder, 0o755);
    const postgres = await startEmbeddedPostgres({
      dataDir: path.join(folder, 'data'),
      port: await freePort(),
      onLine: () => undefined,
    });
    url = postgres.url;
    stopPostgres = async () => {
      await postgres.process.stop();
      fs.rmSync(folder, { recursive: true, force: true });
    };
  }
  // One connection: the seed set below draws the rows of every size, and the readers take turns anyway.
  const db = new Pool({ connectionString: url, max: 1 });
  // PostgreSQL stopping after the run ends the pool's last connections: nothing to report then.
  db.on('error', () => undefined);
  try {
    await migrate(db);
    await db.query('SELECT setseed(0.14)');
    const { rows } = await db.query<{ next: number }>(
      "SELECT coalesce(max(substring(number FROM 7)::int), 0) + 1 AS next FROM tickets WHERE number LIKE 'BENCH-%'",
    );
    let next = rows[0]!.next;
    const naive = slaReportFromTickets(db);
    const rollup = slaReportReader(db);
    const whole = { now: NOW };
    const oneCustomer = { now: NOW, customerId: 'bench-customer-7', fromMonth: '2026-01', toMonth: '2026-12' };
    console.log(
      'tickets  | roll-up rows | backfill | whole report: over rows  roll-up  ratio | one customer, 2026: over rows  roll-up  ratio',
    );
    let inserted = 0;
    for (const size of SIZES) {
      await insertTickets(db, next, size - inserted);
      next += size - inserted;
      inserted = size;
      await db.query('ANALYZE tickets');
      const backfill = await timed(() => rebuildSlaReport(db));
      await db.query('ANALYZE sla_report; ANALYZE sla_report_awaiting');
      for (const request of [whole, oneCustomer])
        deepStrictEqual(
          await rollup.report(request),
          await naive.report(request),
          `the roll-up differs from the rows at ${size} tickets`,
        );
      const [wholeNaive, wholeRollup] = await sideBySide(naive, rollup, whole);
      const [oneNaive, oneRollup] = await sideBySide(naive, rollup, oneCustomer);
      const buckets = (await db.query<{ count: number }>('SELECT count(*)::int AS count FROM sla_report')).rows[0]!
        .count;
      const ms = (value: number) => `${value.toFixed(1)} ms`.padStart(9);
      const ratio = (over: number, rolled: number) => `${(over / rolled).toFixed(1)}x`.padStart(6);
      console.log(
        `${String(size).padStart(8)} | ${String(buckets).padStart(12)} | ${ms(backfill.ms)} | ${' '.repeat(14)}${ms(wholeNaive)} ${ms(wholeRollup)} ${ratio(wholeNaive, wholeRollup)} | ${' '.repeat(20)}${ms(oneNaive)} ${ms(oneRollup)} ${ratio(oneNaive, oneRollup)}`,
      );
    }
    console.log(`median of ${READINGS} readings each, the two readers in turns; both gave the same rows at every size`);
  } finally {
    await db.end();
    await stopPostgres();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
