import { makeGrpcRetryInterceptor, type ConnectionOptions, type GrpcRetryOptions } from '@temporalio/client';
import { GRPC_STATUS } from './dependency-errors';

type Interceptor = NonNullable<ConnectionOptions['interceptors']>[number];
type CallStatus = Parameters<GrpcRetryOptions['retryableDecider']>[1];

/**
 * grpc-js names the server's address in a deadline's detail ("…,remote_addr=127.0.0.1:7233") once a call was sent
 * to one: without it, the attempt never left this process.
 */
const SENT_TO_A_SERVER = /remote_addr=/;

function epochMs(deadline: unknown): number | undefined {
  if (deadline instanceof Date) return deadline.getTime();
  return typeof deadline === 'number' && Number.isFinite(deadline) ? deadline : undefined;
}

/**
 * The SDK's retry interceptor (`makeGrpcRetryInterceptor`) with the call's deadline taken into account, so that an
 * unreachable Temporal is reported as unreachable however late the retries run.
 *
 * The SDK's interceptor waits out its backoff and then starts the next attempt even when the call's deadline (the
 * request's, api/temporal-deadline.ts, or a query's) has passed meanwhile: that attempt fails at once with
 * DEADLINE_EXCEEDED "waiting for metadata filters", and the refused connection that made it retry is forgotten.
 * api/dependency-errors.ts then reads a deadline on a call that reached no server as "busy and did not answer in
 * time" instead of "Temporal is unreachable", which on a loaded machine is what a request to a stopped Temporal got
 * (test/api/ops-unavailable.test.ts failed so beside busy processes). Here:
 * - a retry whose backoff would end past the deadline is not made: the call fails with the last attempt's own status;
 * - a retry the deadline cut before it reached a server (the timer ran late) reports the failure it retried, its
 *   detail saying that the deadline then passed.
 * A deadline on an attempt that a server had is left as it is: that server was there, and slow.
 */
export function retryWithinDeadline(retry: GrpcRetryOptions, now: () => number = Date.now): Interceptor {
  return (options, nextCall) => {
    const deadline = epochMs(options.deadline);
    let delayMs = 0;
    let retried: CallStatus | undefined;
    return makeGrpcRetryInterceptor({
      retryableDecider(attempt, status) {
        if (
          retried &&
          Number(status.code) === GRPC_STATUS.DEADLINE_EXCEEDED &&
          !SENT_TO_A_SERVER.test(status.details)
        ) {
          // The same object is what the SDK's interceptor hands on as the call's outcome.
          const cut = status.details;
          Object.assign(status, { code: retried.code, details: `${retried.details} (retried; ${cut})` });
          return false;
        }
        if (!retry.retryableDecider(attempt, status)) return false;
        delayMs = retry.delayFunction(attempt, status);
        if (deadline !== undefined && now() + delayMs >= deadline) return false;
        retried = { ...status };
        return true;
      },
      delayFunction: () => delayMs,
    })(options, nextCall);
  };
}
