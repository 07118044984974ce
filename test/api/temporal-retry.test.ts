import { InterceptingCall } from '@grpc/grpc-js';
import { Connection, isGrpcServiceError, type GrpcRetryOptions } from '@temporalio/client';
import { GRPC_STATUS, temporalTimedOut, unreachableDependency } from '../../api/dependency-errors';
import { retryWithinDeadline } from '../../api/temporal-retry';
import { freePort } from '../../scripts/ports';

type Interceptor = ReturnType<typeof retryWithinDeadline>;

/**
 * The retry interceptor against a real socket where nothing listens (every connection refused by the kernel, as with
 * Temporal stopped), with backoffs chosen so that the deadline falls between two attempts whatever the machine's load:
 * the call must come back as Temporal unreachable, not as a deadline on a busy server.
 *
 * Below the retry layer, the call's first attempt goes out without the call's deadline, so that it always ends as the
 * kernel's refusal, as it does when this process runs in time: stalled past the deadline, it would end as that deadline
 * instead, with no refusal to retry nor to report, and the test would fail for the machine's load rather than the rule.
 * Every retry carries the deadline: what the rule decides and reports is about them.
 */
describe('retryWithinDeadline', () => {
  let address: string;
  const connections: Connection[] = [];

  beforeAll(async () => {
    address = `127.0.0.1:${await freePort()}`;
  });

  afterAll(async () => {
    await Promise.all(connections.map((connection) => connection.close()));
  });

  /** Retries a refused connection up to three times, `delayMs` apart. */
  const retryingRefusals = (delayMs: number): GrpcRetryOptions => ({
    retryableDecider: (attempt, status) => attempt < 4 && Number(status.code) === GRPC_STATUS.UNAVAILABLE,
    delayFunction: () => delayMs,
  });

  /** Sends the connection's first attempt without a deadline (Infinity is grpc-js's "none"), each other as it comes. */
  function firstAttemptWithoutDeadline(): Interceptor {
    let attempts = 0;
    return (options, nextCall) =>
      new InterceptingCall(nextCall(attempts++ === 0 ? { ...options, deadline: Infinity } : options));
  }

  async function callWithDeadline(interceptor: Interceptor, deadline: number) {
    // The first interceptor is the outermost: the retry layer, then below it what each of its attempts goes through.
    const connection = Connection.lazy({ address, interceptors: [interceptor, firstAttemptWithoutDeadline()] });
    connections.push(connection);
    return connection
      .withDeadline(deadline, () => connection.workflowService.getSystemInfo({}))
      .then(
        () => {
          throw new Error('nothing listens there: the call cannot succeed');
        },
        (error: unknown) => error,
      );
  }

  const expectUnreachable = (error: unknown) => {
    expect(isGrpcServiceError(error) && error.code).toBe(GRPC_STATUS.UNAVAILABLE);
    expect(unreachableDependency(error)).toBe('Temporal');
    expect(temporalTimedOut(error)).toBe(false);
  };

  it("does not start a retry whose backoff ends past the call's deadline: the refused connection is the answer", async () => {
    // Ten minutes of backoff against a minute of deadline: without the rule the call would wait for its deadline.
    const error = await callWithDeadline(retryWithinDeadline(retryingRefusals(600_000)), Date.now() + 60_000);
    expectUnreachable(error);
  });

  it('reports the refused connection when the deadline cut a retry before it reached a server', async () => {
    // The clock the rule reads says there is time (a timer that will run late, as on a loaded machine); the real
    // deadline passes at the instant the retry starts, or before: the backoff is as long as the deadline is far, and
    // starts when the first attempt has been refused, however late that is.
    const deadline = Date.now() + 1_000;
    const error = await callWithDeadline(
      retryWithinDeadline(retryingRefusals(1_000), () => 0),
      deadline,
    );
    expectUnreachable(error);
    expect(isGrpcServiceError(error) && error.details).toMatch(
      /^No connection established.*\(retried; Deadline exceeded/s,
    );
  });
});
