/**
 * 200 concurrent actions of every kind on one ticket, sent once each (time entries with an
 * Idempotency-Key and retried until answered, the rest without, sent once). Before the fix the ticket's workflow task failed for good (TMPRL1100).
 */
import { plannedAction, type ActionKind } from '../actions';
import { inParallel, perform, ticketInSupport, type Scenario } from '../context';

const SCENARIO = '1 200 concurrent actions';
const KINDS: ActionKind[] = ['time-entry', 'reassign', 'priority', 'wait', 'reply'];

export const concurrentActions: Scenario = {
  name: SCENARIO,
  async run(context) {
    const ticket = await ticketInSupport(context, SCENARIO);
    const planned = Array.from({ length: 200 }, (_, index) => {
      const kind = KINDS[index % KINDS.length]!;
      return plannedAction(SCENARIO, ticket, kind, kind === 'time-entry');
    });
    // All at once, as 200 agents clicking: the API and Temporal's per-workflow limits are what is tried. A time
    // entry has a key, so its client may retry a 503 or 429 safely; the others are sent once, as a client without one must.
    const retryUntil = Date.now() + 120_000;
    await inParallel(
      planned,
      planned.length,
      async (action) => void (await perform(context, action, action.intent.keyed ? { retryUntil } : {})),
    );
  },
};
