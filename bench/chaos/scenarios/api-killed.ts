/**
 * The API is killed (SIGKILL) during 50 idempotent openings and started again: each opening is retried with its own
 * key until answered, and exactly one ticket must exist per key.
 */
import { plannedOpening } from '../actions';
import type { Scenario } from '../context';
import { runFaultStream } from '../fault-stream';

const SCENARIO = '3 API killed during 50 openings';

export const apiKilled: Scenario = {
  name: SCENARIO,
  async run(context) {
    await runFaultStream(context, {
      scenario: SCENARIO,
      planned: Array.from({ length: 50 }, () => plannedOpening(SCENARIO, context.customerId)),
      concurrency: 5,
      faultAfter: 15,
      fault: {
        what: 'API SIGKILL',
        down: () => context.stack.kill('api'),
        downMs: 500,
        up: () => context.stack.start('api'),
      },
      patienceMs: 120_000,
    });
  },
};
