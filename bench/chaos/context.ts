/** What every scenario is given, and the few moves they all make: act and record, open a ticket to work on. */
import { plannedOpening, type PlannedAction } from './actions';
import type { Answer, ChaosClient } from './client';
import type { Ledger } from './ledger';
import type { ChaosStack } from './stack';

export interface ChaosContext {
  stack: ChaosStack;
  client: ChaosClient;
  ledger: Ledger;
  customerId: string;
}

/** `name` heads the scenario's row in the report and tags everything it sends in the ledger. */
export interface Scenario {
  name: string;
  run: (context: ChaosContext) => Promise<void>;
}

/**
 * Sends a planned action or opening and records the intent with its last answer. `retry` (until `deadline`) is
 * what a client with an Idempotency-Key may do safely; without it the request is sent once.
 */
export async function perform(
  context: ChaosContext,
  planned: PlannedAction,
  { retryUntil }: { retryUntil?: number } = {},
): Promise<Answer> {
  const { client, ledger } = context;
  const answer =
    retryUntil === undefined
      ? await client.send(planned.intent.scenario, planned.request)
      : await client.untilAnswered(planned.intent.scenario, planned.request, retryUntil);
  const opened =
    planned.intent.kind === 'open' && answer.status === 201
      ? (answer.body as { ticketNumber: string }).ticketNumber
      : undefined;
  ledger.intents.push({ ...planned.intent, status: answer.status, ...(opened ? { ticket: opened } : {}) });
  return answer;
}

/** A ticket of the scenario's own, registered and taken in charge (the take-charge waits for the registration). */
export async function ticketInSupport(context: ChaosContext, scenario: string): Promise<string> {
  const deadline = Date.now() + 60_000;
  const opened = await perform(context, plannedOpening(scenario, context.customerId), { retryUntil: deadline });
  if (opened.status !== 201)
    throw new Error(
      `${scenario}: could not open a ticket to work on (${opened.status} ${JSON.stringify(opened.body)})`,
    );
  const ticket = (opened.body as { ticketNumber: string }).ticketNumber;
  const taken = await context.client.untilAnswered(
    scenario,
    { method: 'POST', path: `/v1/tickets/${ticket}/take-charge`, body: { agent: 'chaos-agent' }, as: 'agent' },
    deadline,
  );
  if (taken.status !== 200)
    throw new Error(`${scenario}: could not take ${ticket} in charge (${taken.status} ${JSON.stringify(taken.body)})`);
  return ticket;
}

/** Runs `work` over `items` with at most `concurrency` at a time. */
export async function inParallel<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      await work(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
}
