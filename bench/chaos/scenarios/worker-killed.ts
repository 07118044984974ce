/** The worker is killed (SIGKILL to its group) in the middle of ~100 actions, and started again 3 s later. */
import { plannedAction } from '../actions';
import { ticketInSupport, type Scenario } from '../context';
import { runFaultStream } from '../fault-stream';

const SCENARIO = '2 worker killed (SIGKILL)';

export const workerKilled: Scenario = {
  name: SCENARIO,
  async run(context) {
    const ticket = await ticketInSupport(context, SCENARIO);
    await runFaultStream(context, {
      scenario: SCENARIO,
      planned: Array.from({ length: 100 }, (_, index) =>
        plannedAction(SCENARIO, ticket, index % 2 === 0 ? 'time-entry' : 'reassign', true),
      ),
      concurrency: 4,
      faultAfter: 30,
      fault: {
        what: 'worker SIGKILL',
        down: () => context.stack.kill('worker'),
        downMs: 3_000,
        up: () => context.stack.start('worker'),
      },
      patienceMs: 120_000,
    });
  },
};
