import { Pool, type PoolConfig } from 'pg';

/** Where a pool reports a connection it lost; the process goes on. */
export type PoolErrorLog = (message: string, error: Error) => void;

/**
 * The one way the worker and the API make their PostgreSQL pool. A server that restarts or drops connections ends
 * every client it had: node-postgres then emits 'error' on the pool (an idle client) or on the client itself (one
 * checked out by a transaction), and an 'error' event without a listener kills the process. With these listeners
 * the dead client is discarded and logged, the query that used it fails (an activity retries, the API answers 503),
 * and the next query opens a fresh connection once the server is back.
 */
export function createPool(config: PoolConfig, log: PoolErrorLog): Pool {
  const pool = new Pool(config);
  pool.on('error', (error) => log('idle PostgreSQL client failed; it was discarded', error));
  // A checked-out client's failure reaches its query, which rejects, or its next one ("not queryable"): that is where it
  // is reported. This listener only keeps the event from being unhandled between two queries of a transaction (the
  // pool drops the client when it is released), and stays silent so that an idle client's failure is logged once.
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}
