import { isGrpcServiceError } from '@temporalio/client';

/** The servers the API cannot answer without. */
export type Dependency = 'PostgreSQL' | 'Temporal';

// gRPC status codes (grpc.status) meaning the Temporal server was not reached, or not in time: UNAVAILABLE and
// DEADLINE_EXCEEDED.
const GRPC_UNREACHABLE = new Set<number>([14, 4]);

// Socket errors: the API's only plain TCP peer is PostgreSQL (Temporal's arrive as gRPC statuses).
const SOCKET_FAILURES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);

// SQLSTATE: connection exceptions (08xxx), shutdown or start-up in progress (57P01-57P03), a statement cut by
// statement_timeout (57014) and no free connection slot (53300): the database, not the request, is at fault.
const POSTGRES_UNAVAILABLE = /^(?:08...|57P0[1-3]|57014|53300)$/;

// node-postgres reports its own timeouts and dropped connections with these messages and no code.
const PG_CLIENT_FAILURE = /timeout exceeded when trying to connect|Connection terminated|Query read timeout/;

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  cause?: unknown;
}

// Not `instanceof Error`: socket errors are made by Node's own realm, which a sandbox (Jest) does not share.
function causes(error: unknown): ErrorLike[] {
  const chain: ErrorLike[] = [];
  for (let current = error; typeof current === 'object' && current !== null && chain.length < 5; current = (current as ErrorLike).cause) {
    chain.push(current);
  }
  return chain;
}

function postgresUnreachable({ code, message }: ErrorLike): boolean {
  if (typeof code === 'string') return SOCKET_FAILURES.has(code) || POSTGRES_UNAVAILABLE.test(code);
  return typeof message === 'string' && PG_CLIENT_FAILURE.test(message);
}

/**
 * The dependency whose absence made `error`, when it is one: the request was fine and will succeed once the
 * server is back, so it deserves a 503 and a Retry-After, not a 500.
 */
export function unreachableDependency(error: unknown): Dependency | undefined {
  for (const cause of causes(error)) {
    if (isGrpcServiceError(cause)) return GRPC_UNREACHABLE.has(cause.code) ? 'Temporal' : undefined;
    if (postgresUnreachable(cause)) return 'PostgreSQL';
  }
  return undefined;
}
