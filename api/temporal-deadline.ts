import type { Client } from '@temporalio/client';
import type { onRouteHookHandler, RouteHandlerMethod } from 'fastify';
import { WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { OpeningMayBeDone, temporalTimedOut, UpdateMayBeApplied } from './dependency-errors';

/**
 * An onRoute hook giving every Temporal call of a route's handler one deadline per request. Without it an action on a
 * ticket still registering, or whose worker is gone, waits without limit: the client re-polls an Update's outcome for
 * as long as it takes. When the deadline passes, `workerPolling` (which rejects with NoWorkerPolling) tells the caller
 * what is missing: no worker at all, or a workflow that did not answer in time.
 */
export function temporalDeadline(
  temporal: Client,
  timeoutMs: number,
  workerPolling: () => Promise<unknown>,
): onRouteHookHandler {
  return (route) => {
    const handler = route.handler as RouteHandlerMethod;
    route.handler = async function withTemporalDeadline(request, reply) {
      try {
        return await temporal.connection.withDeadline<unknown>(Date.now() + timeoutMs, () =>
          Promise.resolve(handler.call(this, request, reply)),
        );
      } catch (error) {
        if (temporalTimedOut(error)) {
          // An Update sent and not answered stays with Temporal, which gives it to the workflow once a worker polls
          // again: a keyless client told only that no worker polls would send the action a second time.
          const sentUpdate =
            error instanceof WorkflowUpdateRPCTimeoutOrCancelledError || error instanceof UpdateMayBeApplied;
          await workerPolling().catch((missing: unknown) => {
            // A new ticket's start is as much in Temporal's hands as an Update (api/routes/tickets.ts registerTicket).
            if (error instanceof OpeningMayBeDone) throw new OpeningMayBeDone(error.ticketNumber, missing);
            throw sentUpdate ? new UpdateMayBeApplied(missing) : missing;
          });
        }
        throw error;
      }
    };
  };
}
