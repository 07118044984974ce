import { isGrpcServiceError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';

/** The servers the API cannot answer without. */
export type Dependency = 'PostgreSQL' | 'Temporal';

/** gRPC status codes (grpc.status), as numbers: @grpc/grpc-js is the SDK's dependency, not ours. */
export const GRPC_STATUS = {
  CANCELLED: 1,
  DEADLINE_EXCEEDED: 4,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  UNAVAILABLE: 14,
} as const;

// Socket errors: the API's only plain TCP peer is PostgreSQL (Temporal's arrive as gRPC statuses).
const SOCKET_FAILURES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);

// SQLSTATE: connection exceptions (08xxx), shutdown or start-up in progress (57P01-57P03), a statement cut by
// statement_timeout (57014) and no free connection slot (53300): the database, not the request, is at fault.
const POSTGRES_UNAVAILABLE = /^(?:08...|57P0[1-3]|57014|53300)$/;

// node-postgres reports its own timeouts and dropped connections with these messages and no code.
const PG_CLIENT_FAILURE =
  /timeout exceeded when trying to connect|Connection terminated|Query read timeout|not queryable/;

// What the gRPC client itself writes when it never reached Temporal: no connection, a name that does not resolve, a
// channel or stream that went away. UNAVAILABLE with any other detail was written by a server that answered (one
// shedding load, or whose database is busy), and a DEADLINE_EXCEEDED that was not still waiting for a connection
// ("Waiting for LB pick", "waiting for name resolution") ran out of time on a server that had the call: both busy.
// grpc-js times each phase of a call in a deadline's detail ("name resolution: 0.001s,LB pick: 0.004s,remote_addr=…"):
// a phase named with its time was passed, so only a resolution that failed counts.
const NO_CONNECTION =
  /no connection established|channel closed|name resolution failed|waiting for (?:lb pick|name resolution)|connection dropped|connect E[A-Z]+|E(?:CONNREFUSED|CONNRESET|HOSTUNREACH|NETUNREACH|NOTFOUND|AI_AGAIN)|GOAWAY|RST_STREAM|stream refused/i;

// What Temporal answers a query once no worker has polled the workflow's task queue for a while.
const NO_POLLER = /no poller seen|worker may be down/i;

// RESOURCE_EXHAUSTED about one workflow's Updates ("limit on number of concurrent in-flight updates has been reached",
// "too many outstanding updates"): that ticket is busy, not Temporal.
const UPDATE_LIMIT = /update/i;

/** Workflow and query tasks are taken by workers polling the task queue: with none, no Update or query is answered. */
export class NoWorkerPolling extends Error {
  constructor(readonly taskQueue: string) {
    super(`no worker is polling the ticket task queue (${taskQueue})`);
  }
}

/**
 * Why a request that was fine could not be served now, for an answer the client can act on: 503 when a server or the
 * worker is missing or did not answer in time, 429 when Temporal takes no more Updates on that ticket for the moment.
 * Either way the same request may be sent again after Retry-After; never a 500. `reason` names what is missing.
 */
export interface DependencyFailure {
  status: 503 | 429;
  reason: string;
}

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  cause?: unknown;
}

// Not `instanceof Error`: socket errors are made by Node's own realm, which a sandbox (Jest) does not share.
function causes(error: unknown): ErrorLike[] {
  const chain: ErrorLike[] = [];
  for (
    let current = error;
    typeof current === 'object' && current !== null && chain.length < 5;
    current = (current as ErrorLike).cause
  ) {
    chain.push(current);
  }
  return chain;
}

function postgresUnreachable({ code, message }: ErrorLike): boolean {
  if (typeof code === 'string') return SOCKET_FAILURES.has(code) || POSTGRES_UNAVAILABLE.test(code);
  return typeof message === 'string' && PG_CLIENT_FAILURE.test(message);
}

/** The gRPC status behind a Temporal client error (the SDK wraps it as the cause of its own errors). */
function grpcStatus(error: unknown): { code: number; details: string } | undefined {
  const status = causes(error).find((cause) => isGrpcServiceError(cause));
  return status && isGrpcServiceError(status)
    ? { code: Number(status.code), details: status.details ?? '' }
    : undefined;
}

/**
 * A connection failure, not a slow answer: only then is Temporal "unreachable". A deadline on a call the server had,
 * or UNAVAILABLE written by the server itself, means Temporal is there and busy, which a client handles differently
 * (it backs off; an operator looks at load, not at the network).
 */
function temporalUnreachable(code: number, details: string): boolean {
  return (code === GRPC_STATUS.UNAVAILABLE || code === GRPC_STATUS.DEADLINE_EXCEEDED) && NO_CONNECTION.test(details);
}

/**
 * The dependency whose absence made `error`, when it is one: the request was fine and will succeed once the
 * server is back, so it deserves a 503 and a Retry-After, not a 500.
 */
export function unreachableDependency(error: unknown): Dependency | undefined {
  for (const cause of causes(error)) {
    if (isGrpcServiceError(cause))
      return temporalUnreachable(Number(cause.code), cause.details ?? '') ? 'Temporal' : undefined;
    if (postgresUnreachable(cause)) return 'PostgreSQL';
  }
  return undefined;
}

/**
 * A Temporal call cut by the request's deadline: the API sets one on every call (api/temporal-deadline.ts), and the
 * client reports it as DEADLINE_EXCEEDED, or as CANCELLED when the deadline ends a query the server was holding.
 */
export function temporalTimedOut(error: unknown): boolean {
  if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return true;
  const code = grpcStatus(error)?.code;
  return code === GRPC_STATUS.DEADLINE_EXCEEDED || code === GRPC_STATUS.CANCELLED;
}

const NO_ANSWER_IN_TIME = "Temporal or the ticket's worker is busy and did not answer in time";

// What a client may do about an action whose Update Temporal may have: only the same Idempotency-Key reaches that
// Update again; without one, a retry is another action.
const RETRY_ADVICE =
  'a retry is safe with the same Idempotency-Key; without one, read the ticket before sending the action again';

/**
 * Temporal failed an action's Update after the request may have reached it (api/idempotent-actions.ts): it may have
 * been applied. The client's retry interceptor sends a call up to four times (api/dependency-clients.ts), and the
 * last attempt's error says nothing of the earlier ones, so even a connection refused does not tell that none arrived.
 */
export class UpdateMayBeApplied extends Error {
  constructor(cause: unknown) {
    super('the Update failed after it may have reached Temporal', { cause });
  }
}

/**
 * `error` as an Update's sender throws it: wrapped in UpdateMayBeApplied when it is one of Temporal's 503s other than
 * a deadline (which says so itself, below); anything else as it is (a refusal, a 429, a workflow not found).
 */
export function sentUpdateFailure(error: unknown): unknown {
  const failure = dependencyFailure(error);
  return failure?.status === 503 && grpcStatus(error) !== undefined && !temporalTimedOut(error)
    ? new UpdateMayBeApplied(error)
    : error;
}

/**
 * Temporal failed a new ticket's start after the request may have reached it (api/routes/tickets.ts registerTicket):
 * the ticket may be open under the number the API drew for it. A keyless client that reads the 503 as "not opened"
 * and posts again opens a second ticket; told the number, it can read that ticket first.
 */
export class OpeningMayBeDone extends Error {
  constructor(
    readonly ticketNumber: string,
    cause: unknown,
  ) {
    super(`the opening of ${ticketNumber} failed after it may have reached Temporal`, { cause });
  }
}

/**
 * `error` as a new ticket's start throws it: wrapped in OpeningMayBeDone when it is a 503 of any kind (Temporal
 * unreachable, busy, or a deadline: the start may have been served as it passed); anything else (a 429) as it is.
 */
export function sentOpeningFailure(ticketNumber: string, error: unknown): unknown {
  return dependencyFailure(error)?.status === 503 ? new OpeningMayBeDone(ticketNumber, error) : error;
}

/** What `error` says of the API's dependencies, when it is their fault rather than the request's or the code's. */
export function dependencyFailure(error: unknown): DependencyFailure | undefined {
  if (error instanceof OpeningMayBeDone) {
    const cause = dependencyFailure(error.cause);
    const { ticketNumber } = error;
    if (cause)
      return {
        status: 503,
        reason: `${cause.reason}, and ticket ${ticketNumber} may have been opened (a retry is safe with the same Idempotency-Key; without one, read GET /v1/tickets/${ticketNumber} before opening it again)`,
      };
  }
  if (error instanceof UpdateMayBeApplied) {
    const cause = dependencyFailure(error.cause);
    if (cause)
      return { status: 503, reason: `${cause.reason}, and the action may have been applied (${RETRY_ADVICE})` };
  }
  if (error instanceof NoWorkerPolling) return { status: 503, reason: error.message };
  // Fastify's own deadline on the whole request (its `handlerTimeout`): whatever it waited on, the caller is not at fault.
  if ((error as { code?: unknown } | undefined)?.code === 'FST_ERR_HANDLER_TIMEOUT')
    return { status: 503, reason: 'the request did not complete in time' };
  const down = unreachableDependency(error);
  if (down) return { status: 503, reason: `${down} is unreachable` };
  // An Update that was sent stays with Temporal and may still be applied: only the same Idempotency-Key makes the retry safe.
  if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError)
    return {
      status: 503,
      reason: `${NO_ANSWER_IN_TIME}, and the action may still be applied (${RETRY_ADVICE})`,
    };
  if (temporalTimedOut(error)) return { status: 503, reason: NO_ANSWER_IN_TIME };
  const status = grpcStatus(error);
  if (status?.code === GRPC_STATUS.UNAVAILABLE)
    return { status: 503, reason: 'Temporal is busy: it answered, but could not serve the call now' };
  if (status?.code === GRPC_STATUS.FAILED_PRECONDITION && NO_POLLER.test(status.details))
    return { status: 503, reason: 'no worker is polling the ticket task queue' };
  if (tooManyUpdatesInFlight(error)) return { status: 429, reason: 'too many actions are in progress on this ticket' };
  if (status?.code === GRPC_STATUS.RESOURCE_EXHAUSTED) return { status: 503, reason: 'Temporal is overloaded' };
  return undefined;
}

/** Temporal turned an Update away as one too many in flight on its workflow: the 429 of dependencyFailure. */
export function tooManyUpdatesInFlight(error: unknown): boolean {
  const status = grpcStatus(error);
  return status?.code === GRPC_STATUS.RESOURCE_EXHAUSTED && UPDATE_LIMIT.test(status.details);
}
