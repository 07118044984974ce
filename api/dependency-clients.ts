import { defaultGrpcRetryOptions, type ConnectionOptions } from '@temporalio/client';
import type { PoolConfig } from 'pg';
import type { TemporalSettings } from '../infra/config';
import { temporalConnectionOptions } from '../infra/temporal-connection';
import { retryWithinDeadline } from './temporal-retry';

/**
 * The API answers people who wait: when PostgreSQL or Temporal is away it must say so within seconds (a 503,
 * api/problems.ts) rather than hold the request. These settings bound how long each client keeps trying.
 */

/**
 * Fastify's deadline on every request, hooks included (api/server.ts): past it the client gets a 503 with Retry-After
 * that cannot say what was missing. Above the Temporal deadline of the ticket routes (8 s, plus 2 s to ask whether a
 * worker polls), and above PostgreSQL's own limits below, so that those say what is missing themselves.
 */
export const API_HANDLER_TIMEOUT_MS = 12_000;

export function apiPoolConfig(connectionString: string): PoolConfig {
  return {
    connectionString,
    // A database that does not accept the connection in time is treated as down; pg's default waits forever.
    connectionTimeoutMillis: 3_000,
    // The API's queries are short lookups and inserts: one that runs this long is a database in trouble.
    statement_timeout: 10_000,
    // statement_timeout is the server's: a server that stopped answering (frozen, or cut off with the connection
    // still open) never sends it. The client's own limit, before the request's deadline, makes that a 503 naming
    // PostgreSQL; at 12 s, the deadline's own, the request's deadline passed first and the 503 named nothing.
    query_timeout: API_HANDLER_TIMEOUT_MS - 1_000,
  };
}

/**
 * The SDK's default retry interceptor retries an unreachable server 10 times over about 20 s; four attempts
 * (about 1 s) are enough to ride out a blip. grpc-js itself fails a call at once while the channel is in
 * TRANSIENT_FAILURE (refused connection), so this bounds the whole wait. No attempt outlives the call's deadline
 * (api/temporal-retry.ts), so a stopped Temporal is reported unreachable, not busy, however late the retries run.
 *
 * grpc-js waits longer between reconnections each time one fails (1 s, growing by 1.6 up to 120 s): after Temporal
 * was away 30 s, the API went on failing for up to 22 s once it was back (measured: 1 to 22 s). Capped
 * at 1 s, it answers within a second of Temporal's return (measured: 0.2 to 1 s, `npx tsx bench/temporal-reconnect.ts`),
 * for one connection attempt a second while Temporal is away.
 *
 * On top of the one connection every process makes (infra/temporal-connection.ts: address, TLS, Temporal Cloud's
 * credentials); an address alone is a local server in plain gRPC, as the tests and benchmarks give it.
 */
export function apiTemporalConnectionOptions(temporal: TemporalSettings | string): ConnectionOptions {
  return {
    ...temporalConnectionOptions(
      typeof temporal === 'string' ? { address: temporal, namespace: 'default', tls: false } : temporal,
    ),
    connectTimeout: '5s',
    interceptors: [retryWithinDeadline(defaultGrpcRetryOptions({ maxAttempts: 4 }))],
    channelArgs: { 'grpc.initial_reconnect_backoff_ms': 250, 'grpc.max_reconnect_backoff_ms': 1_000 },
  };
}
