import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { TicketState } from '../../messages/ticket';
import { runVigil } from '../../cli/run';
import { slaReportReader, type SlaReportRequest } from '../../db/sla-report';
import { METRICS, PRIORITIES } from '../../domain/policy/vocabulary';
import type { SlaClock } from '../../domain/sla/clock';
import { TICKET_STATUSES } from '../../domain/ticket/status';
import { readModelHarness, type ReadModelHarness } from '../support/e2e/read-model-fixtures';
import { e2eEnv } from '../support/e2e/stack';
import { slaReportFromTickets } from '../support/sla-report-reference';

jest.setTimeout(600_000);

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
// Registrations around the turns of the months in Luxembourg (23:30 UTC on the last day is already the next month
// there), on weekdays, nights and a weekend, so that months and business days of registration both vary.
const OPENINGS = [
  '2026-01-30T16:00:00Z',
  '2026-01-31T23:30:00Z',
  '2026-02-27T07:45:00Z',
  '2026-02-28T22:59:00Z',
  '2026-03-02T09:00:00Z',
].map(Date.parse);
// Few distinct delays, so that tickets share a time to respond and the roll-up's multiset of them holds repeats.
const DELAYS = [0, 30 * MINUTE, 2 * HOUR, 26 * HOUR, 3 * 24 * HOUR];

/** One revision of a ticket as its workflow could hold it: each field drawn on its own, every outcome reachable. */
const revisionArbitrary = fc.record({
  priority: fc.constantFrom(...PRIORITIES),
  status: fc.constantFrom(...TICKET_STATUSES),
  takenAfter: fc.option(fc.constantFrom(...DELAYS), { nil: undefined }),
  validated: fc.boolean(),
  clocks: fc.tuple(
    ...METRICS.map(() =>
      fc.record({
        target: fc.boolean(),
        stoppedAfter: fc.option(fc.constantFrom(...DELAYS), { nil: undefined }),
        breached: fc.boolean(),
        paused: fc.boolean(),
      }),
    ),
  ),
});

const ticketArbitrary = fc.record({
  customer: fc.nat(2),
  policyId: fc.constantFrom('econnect', 'mixvoip-bureau'),
  openedAt: fc.constantFrom(...OPENINGS),
  revisions: fc.array(revisionArbitrary, { minLength: 1, maxLength: 4 }),
});

/**
 * The writes of a run: every revision of every ticket at least once, some twice, in any order, in small groups
 * written at once (concurrent writes of one ticket included).
 */
const runArbitrary = fc.array(ticketArbitrary, { minLength: 1, maxLength: 8 }).chain((tickets) => {
  const writes = tickets.flatMap((ticket, index) =>
    ticket.revisions.map((_, revision) => ({ ticket: index, revision })),
  );
  return fc.record({
    tickets: fc.constant(tickets),
    writes: fc
      .tuple(
        fc.shuffledSubarray(writes),
        fc.shuffledSubarray(writes, { minLength: writes.length, maxLength: writes.length }),
      )
      .map(([repeats, all]) => [...all, ...repeats]),
    groupSize: fc.integer({ min: 1, max: 3 }),
    readAt: fc.array(fc.integer({ min: -2 * 24, max: 5 * 24 }), { minLength: 1, maxLength: 3 }),
  });
});

type Revision = typeof revisionArbitrary extends fc.Arbitrary<infer T> ? T : never;

function stateOf(openedAt: number, revision: Revision): Partial<TicketState> {
  const clocks: SlaClock[] = METRICS.map((metric, index) => {
    const drawn = revision.clocks[index]!;
    const stoppedAt = drawn.stoppedAfter === undefined ? undefined : openedAt + drawn.stoppedAfter;
    return {
      metric,
      deadline: drawn.target ? openedAt + 4 * HOUR : null,
      thresholds: [],
      pauses:
        drawn.paused && stoppedAt !== undefined && stoppedAt > openedAt + 10 * MINUTE
          ? [[openedAt + MINUTE, openedAt + 10 * MINUTE]]
          : [],
      stoppedAt,
      breachedAt: drawn.target && drawn.breached ? openedAt + 4 * HOUR : undefined,
    };
  });
  return {
    priority: revision.priority,
    status: revision.status,
    openedAt,
    takenInChargeAt: revision.takenAfter === undefined ? undefined : openedAt + revision.takenAfter,
    validatedAt: revision.validated ? openedAt + 3 * 24 * HOUR : undefined,
    clocks,
  };
}

describe('the SLA report roll-up (sla_report, migration 0028) on PostgreSQL', () => {
  let harness: ReadModelHarness;

  beforeAll(async () => {
    harness = await readModelHarness();
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('gives the figures of the aggregate over the rows, whatever the order and repeats of the writes', async () => {
    const rollup = slaReportReader(harness.db);
    const reference = slaReportFromTickets(harness.db);
    await fc.assert(
      fc.asyncProperty(runArbitrary, async ({ tickets, writes, groupSize, readAt }) => {
        const run = randomUUID().slice(0, 8);
        const customers = [0, 1, 2].map((index) => `rollup-${run}-${index}`);
        const states = await Promise.all(
          tickets.map(async (ticket) => {
            const base = await harness.ticket(customers[ticket.customer]!, {
              policyId: ticket.policyId,
              policyVersion: 1,
            });
            return ticket.revisions.map((revision, index): TicketState => ({
              ...base,
              ...stateOf(ticket.openedAt, revision),
              revision: index + 1,
            }));
          }),
        );
        for (let start = 0; start < writes.length; start += groupSize) {
          await Promise.all(
            writes
              .slice(start, start + groupSize)
              .map(({ ticket, revision }) => harness.record(states[ticket]![revision]!)),
          );
        }
        const requests: Omit<SlaReportRequest, 'now'>[] = customers.flatMap((customerId) => [
          { customerId },
          { customerId, priority: 'P2' },
          { customerId, fromMonth: '2026-02', toMonth: '2026-02' },
          { customerId, fromMonth: '2026-02' },
          { customerId, toMonth: '2026-01' },
        ]);
        for (const hours of readAt) {
          const now = OPENINGS[1]! + hours * HOUR;
          for (const request of requests)
            expect(await rollup.report({ ...request, now })).toEqual(await reference.report({ ...request, now }));
        }
      }),
      { numRuns: 25 },
    );
  });

  it('is rebuilt from the rows by the backfill, vigil admin reports rebuild, to the same figures', async () => {
    const customerId = `rollup-rebuild-${randomUUID().slice(0, 8)}`;
    for (const priority of PRIORITIES) {
      const ticket = await harness.ticket(
        customerId,
        stateOf(OPENINGS[2]!, {
          priority,
          status: 'support',
          takenAfter: 2 * HOUR,
          validated: false,
          clocks: METRICS.map(() => ({ target: true, stoppedAfter: 2 * HOUR, breached: false, paused: false })),
        }),
      );
      await harness.record(ticket);
    }
    const request = { customerId, now: OPENINGS[4]! };
    const before = await slaReportReader(harness.db).report(request);
    await harness.db.query('DELETE FROM sla_report WHERE customer_id = $1', [customerId]);
    expect(await slaReportReader(harness.db).report(request)).toEqual([]);
    const rebuilt = await runVigil(['admin', 'reports', 'rebuild', '--json'], { DATABASE_URL: e2eEnv().databaseUrl });
    expect(rebuilt.exitCode).toBe(0);
    expect(JSON.parse(rebuilt.stdout).rows).toBeGreaterThanOrEqual(PRIORITIES.length);
    expect(await slaReportReader(harness.db).report(request)).toEqual(before);
    expect(before).toEqual(await slaReportFromTickets(harness.db).report(request));
    expect(before).toHaveLength(PRIORITIES.length);
  });
});
