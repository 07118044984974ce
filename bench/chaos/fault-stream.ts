/**
 * A stream of requests with one fault in its middle: once `faultAfter` requests are answered, a part of the stack
 * goes down, stays down `downMs`, and is started again, while the stream keeps sending. Every request goes with an
 * Idempotency-Key and is retried until it has a final answer, as a careful client does.
 */
import type { PlannedAction } from './actions';
import { sleep } from './client';
import { inParallel, perform, type ChaosContext } from './context';

export interface FaultStream {
  scenario: string;
  /** The requests, made up front so that the ledger knows every intent even if the run is cut short. */
  planned: PlannedAction[];
  concurrency: number;
  /** A pause between two requests of one lane, so that the stream spans the fault rather than queueing before it. */
  pauseMs?: number;
  faultAfter: number;
  fault: { what: string; down: () => Promise<void>; downMs: number; up: () => Promise<void> };
  /** How long a request may be retried in all. */
  patienceMs: number;
}

export async function runFaultStream(context: ChaosContext, stream: FaultStream): Promise<void> {
  let answered = 0;
  let faultDone: Promise<void> | undefined;
  const injectFault = async () => {
    const downAt = Date.now();
    await stream.fault.down();
    await sleep(stream.fault.downMs);
    await stream.fault.up();
    context.ledger.faults.push({ scenario: stream.scenario, what: stream.fault.what, downAt, upAt: Date.now() });
  };
  const deadline = Date.now() + stream.patienceMs;
  try {
    await inParallel(stream.planned, stream.concurrency, async (planned) => {
      await perform(context, planned, { retryUntil: deadline });
      answered += 1;
      if (answered === stream.faultAfter) {
        faultDone = injectFault();
        // Awaited below; until then a failure (the run stopped mid-restart) must not count as unhandled.
        faultDone.catch(() => undefined);
      }
      if (stream.pauseMs) await sleep(stream.pauseMs);
    });
  } finally {
    // The part must be back before the next scenario, whatever happened to the stream.
    await faultDone;
  }
}
