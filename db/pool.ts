import { Pool, type PoolClient, type PoolConfig } from 'pg';

/** Where a pool reports a connection it lost; the process goes on. */
export type PoolErrorLog = (message: string, error: Error) => void;

/**
 * No connection of a pool came free within its connectionTimeoutMillis: every one was held by other work. An activity
 * failing with it is retried by Temporal like any error but a non-retryable ApplicationFailure, and the failure's type
 * is this class's name, which says what was waited for where node-postgres says only "timeout exceeded".
 */
export class PoolExhaustedError extends Error {
  override readonly name = 'PoolExhaustedError';
}

// node-postgres's words for a wait in its queue that timed out (pg-pool); a new connection's own timeout says otherwise.
const QUEUE_TIMEOUT = 'timeout exceeded when trying to connect';

type ConnectCallback = (
  error: Error | undefined,
  client: PoolClient | undefined,
  done: (release?: unknown) => void,
) => void;

/** A pool whose queue timeout is a PoolExhaustedError naming it; its queries (pool.query) connect through it too. */
class NamedPool extends Pool {
  constructor(
    config: PoolConfig,
    private readonly poolName: string,
  ) {
    super(config);
  }

  private explained(error: Error): Error {
    if (error.message !== QUEUE_TIMEOUT) return error;
    const { max, connectionTimeoutMillis } = this.options;
    return new PoolExhaustedError(
      `no connection of the ${this.poolName} pool (${max}) came free within ${connectionTimeoutMillis} ms`,
      { cause: error },
    );
  }

  override connect(): Promise<PoolClient>;
  override connect(callback: ConnectCallback): void;
  override connect(callback?: ConnectCallback): Promise<PoolClient> | void {
    if (!callback)
      return super.connect().catch((error: unknown) => {
        throw error instanceof Error ? this.explained(error) : error;
      });
    super.connect((error, client, done) => callback(error && this.explained(error), client, done));
  }
}

/**
 * The one way the worker and the API make their PostgreSQL pool. A server that restarts or drops connections ends
 * every client it had: node-postgres then emits 'error' on the pool (an idle client) or on the client itself (one
 * checked out by a transaction), and an 'error' event without a listener kills the process. With these listeners
 * the dead client is discarded and logged, the query that used it fails (an activity retries, the API answers 503),
 * and the next query opens a fresh connection once the server is back. A `name` names the pool in the
 * PoolExhaustedError of a wait for a connection past connectionTimeoutMillis (the worker's activity pools); without
 * one, node-postgres's own error stays, which the API's readiness reads (api/dependency-errors.ts).
 */
export function createPool(config: PoolConfig, log: PoolErrorLog, name?: string): Pool {
  const pool = name ? new NamedPool(config, name) : new Pool(config);
  pool.on('error', (error) => log('idle PostgreSQL client failed; it was discarded', error));
  // A checked-out client's failure reaches its query, which rejects, or its next one ("not queryable"): that is where it
  // is reported. This listener only keeps the event from being unhandled between two queries of a transaction (the
  // pool drops the client when it is released), and stays silent so that an idle client's failure is logged once.
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}
