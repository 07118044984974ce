/**
 * PostgreSQL (15 s) or the Temporal dev server (10 s, same database file) stopped and started again while actions and
 * openings flow: the API answers 503 with Retry-After meanwhile (never 500), nothing is lost after, and the worker
 * lives through it.
 */
import { plannedAction, plannedOpening } from '../actions';
import { ticketInSupport, type ChaosContext, type Scenario } from '../context';
import { runFaultStream } from '../fault-stream';
import type { Part } from '../stack';

async function restartWhileFlowing(
  context: ChaosContext,
  scenario: string,
  part: Extract<Part, 'postgres' | 'temporal'>,
  downMs: number,
): Promise<void> {
  const ticket = await ticketInSupport(context, scenario);
  await runFaultStream(context, {
    scenario,
    // Every fifth request opens a ticket: opening needs PostgreSQL (the number, the key) and Temporal (the start).
    planned: Array.from({ length: 80 }, (_, index) =>
      index % 5 === 4
        ? plannedOpening(scenario, context.customerId)
        : plannedAction(scenario, ticket, index % 2 === 0 ? 'time-entry' : 'reassign', true),
    ),
    concurrency: 3,
    pauseMs: 250,
    faultAfter: 10,
    fault: {
      what: `${part} stopped ${downMs / 1000} s`,
      down: () => context.stack.stop(part),
      downMs,
      up: () => context.stack.start(part),
    },
    patienceMs: 150_000,
  });
  context.ledger.expect(scenario, context.stack.alive('worker'), `the worker did not live through the ${part} restart`);
  context.ledger.expect(scenario, context.stack.alive('api'), `the API did not live through the ${part} restart`);
}

const restart = (name: string, part: Extract<Part, 'postgres' | 'temporal'>, downMs: number): Scenario => ({
  name,
  run: (context) => restartWhileFlowing(context, name, part, downMs),
});

export const postgresRestart = restart('4 PostgreSQL stopped 15 s', 'postgres', 15_000);
export const temporalRestart = restart('5 Temporal stopped 10 s', 'temporal', 10_000);
