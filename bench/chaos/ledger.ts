/**
 * What the chaos run sent and what it was answered: every HTTP exchange (for the figures), every intent (one thing
 * the client wanted done, however many times it had to send it: what "lost" and "doubled" are counted on), the
 * faults injected (for the time to recover) and the failed checks. Nothing here talks to the stack.
 */

/** Status 0: no answer at all (connection refused or reset, timeout). */
export const NO_ANSWER = 0;

export interface Exchange {
  scenario: string;
  /** Method and path, e.g. `POST /v1/tickets/VIG-000001/reassign`. */
  request: string;
  status: number;
  ms: number;
  /** When the answer (or its absence) came, epoch ms. */
  at: number;
}

export interface TimeSpan {
  start: string;
  end: string;
}

export interface Intent {
  scenario: string;
  kind: 'open' | 'action';
  /** Unique text the request carries (a title, a note, an agent's name), found again on the ticket to count it. */
  marker: string;
  /** The ticket acted on, or for an opening the one it answered with. */
  ticket?: string;
  /** The last answer the client got for it; NO_ANSWER when it gave up. */
  status: number;
  /** Whether it went with an Idempotency-Key: without one, a request that was never answered may be applied or not. */
  keyed: boolean;
  /** A time entry's span, priced again at the end to check the bill. */
  entry?: TimeSpan;
}

export interface Fault {
  scenario: string;
  what: string;
  /** When the part was stopped and when it was started again (its start command returned), epoch ms. */
  downAt: number;
  upAt: number;
}

export class Ledger {
  readonly exchanges: Exchange[] = [];
  readonly intents: Intent[] = [];
  readonly faults: Fault[] = [];
  readonly failures: { scenario: string; message: string }[] = [];
  /** Figures of the final check worth printing (what each ticket was billed). */
  readonly notes: string[] = [];
  /** Scenarios in the order they first sent something, for the report. */
  get scenarios(): string[] {
    return [...new Set([...this.exchanges, ...this.failures].map((item) => item.scenario))];
  }

  fail(scenario: string, message: string): void {
    this.failures.push({ scenario, message });
  }

  /** A check of the run: kept as a failure when it does not hold, so that every check is reported, not the first. */
  expect(scenario: string, holds: boolean, message: string): void {
    if (!holds) this.fail(scenario, message);
  }

  of<T extends { scenario: string }>(items: readonly T[], scenario: string): T[] {
    return items.filter((item) => item.scenario === scenario);
  }
}
