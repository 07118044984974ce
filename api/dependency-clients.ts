import { defaultGrpcRetryOptions, makeGrpcRetryInterceptor, type ConnectionOptions } from '@temporalio/client';
import type { PoolConfig } from 'pg';

/**
 * The API answers people who wait: when PostgreSQL or Temporal is away it must say so within seconds (a 503,
 * api/problems.ts) rather than hold the request. These settings bound how long each client keeps trying.
 */

export function apiPoolConfig(connectionString: string): PoolConfig {
  return {
    connectionString,
    // A database that does not accept the connection in time is treated as down; pg's default waits forever.
    connectionTimeoutMillis: 3_000,
    // The API's queries are short lookups and inserts: one that runs this long is a database in trouble.
    statement_timeout: 10_000,
    query_timeout: 12_000,
  };
}

/**
 * The SDK's default retry interceptor retries an unreachable server 10 times over about 20 s; four attempts
 * (about 1 s) are enough to ride out a blip. grpc-js itself fails a call at once while the channel is in
 * TRANSIENT_FAILURE (refused connection), so this bounds the whole wait.
 */
export function apiTemporalConnectionOptions(address: string): ConnectionOptions {
  return {
    address,
    connectTimeout: '5s',
    interceptors: [makeGrpcRetryInterceptor(defaultGrpcRetryOptions({ maxAttempts: 4 }))],
  };
}
