/**
 * The same time entry with the same Idempotency-Key sent 10 times at once, then another 10 times in
 * a row: applied once each, every answer the same 200, all but one marked Idempotent-Replayed.
 */
import { plannedAction, type PlannedAction } from '../actions';
import type { Answer } from '../client';
import { inParallel, ticketInSupport, type ChaosContext, type Scenario } from '../context';

const SCENARIO = '7 idempotent retries';
const COPIES = 10;

function recordRetries(context: ChaosContext, planned: PlannedAction, how: string, answers: Answer[]): void {
  const statuses = answers.map((answer) => answer.status);
  const replayed = answers.filter((answer) => answer.headers.get('idempotent-replayed') === 'true').length;
  const bodies = new Set(answers.map((answer) => JSON.stringify(answer.body)));
  context.ledger.expect(
    SCENARIO,
    statuses.every((status) => status === 200),
    `${how}: answered ${statuses.join(',')}`,
  );
  context.ledger.expect(
    SCENARIO,
    replayed === COPIES - 1,
    `${how}: ${replayed} of ${COPIES} answers marked Idempotent-Replayed, expected ${COPIES - 1}`,
  );
  context.ledger.expect(SCENARIO, bodies.size === 1, `${how}: ${bodies.size} different answer bodies`);
  const final = statuses.every((status) => status === 200) ? 200 : (statuses.find((status) => status !== 200) ?? 0);
  context.ledger.intents.push({ ...planned.intent, status: final });
}

export const idempotentRetries: Scenario = {
  name: SCENARIO,
  async run(context) {
    const ticket = await ticketInSupport(context, SCENARIO);
    const send = (planned: PlannedAction) => context.client.send(SCENARIO, planned.request);

    const atOnce = plannedAction(SCENARIO, ticket, 'time-entry', true);
    const concurrent: Answer[] = [];
    await inParallel(Array.from({ length: COPIES }), COPIES, async () => void concurrent.push(await send(atOnce)));
    recordRetries(context, atOnce, `${COPIES} concurrent copies`, concurrent);

    const inARow = plannedAction(SCENARIO, ticket, 'time-entry', true);
    const sequential: Answer[] = [];
    for (let copy = 0; copy < COPIES; copy += 1) sequential.push(await send(inARow));
    recordRetries(context, inARow, `${COPIES} copies in a row`, sequential);
  },
};
