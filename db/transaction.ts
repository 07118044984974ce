import { AsyncLocalStorage } from 'node:async_hooks';
import type { Pool, PoolClient } from 'pg';

/**
 * The transaction that work spanning several stores runs in (inTransactionOn), by the pool it was opened on: a store
 * holding joinable(pool) sends its queries there, and its own transactions become savepoints of it.
 */
const ambient = new AsyncLocalStorage<{ pool: Pool; client: PoolClient }>();
const poolsOf = new WeakMap<Pool, Pool>();
const poolOf = (pool: Pool): Pool => poolsOf.get(pool) ?? pool;

function joinedClient(pool: Pool): PoolClient | undefined {
  const current = ambient.getStore();
  return current && current.pool === poolOf(pool) ? current.client : undefined;
}

let savepoints = 0;

/** Runs `work` within a savepoint of the client's transaction: a throw undoes its statements alone, and the rest goes on. */
export async function inSavepoint<T>(client: PoolClient, work: () => Promise<T>): Promise<T> {
  const name = `vigil_${++savepoints}`;
  await client.query(`SAVEPOINT ${name}`);
  let result: T;
  try {
    result = await work();
  } catch (error) {
    // A savepoint that cannot be rolled back to leaves the transaction failed: its COMMIT then fails, undoing it all.
    await client.query(`ROLLBACK TO SAVEPOINT ${name}`).catch(() => undefined);
    throw error;
  }
  await client.query(`RELEASE SAVEPOINT ${name}`);
  return result;
}

/** Runs `work` on one connection between BEGIN and COMMIT; any throw rolls everything back. Within inTransactionOn, a savepoint of it. */
export async function withTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const joined = joinedClient(pool);
  if (joined) return inSavepoint(joined, () => work(joined));
  const client = await pool.connect();
  let result: T;
  try {
    await client.query('BEGIN');
    result = await work(client);
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    client.release();
    throw error;
  }
  try {
    await client.query('COMMIT');
    return result;
  } finally {
    client.release();
  }
}

/**
 * The pool as a store holds it when its writes may have to be one with other stores' (db/api-stores.ts): outside
 * inTransactionOn it is the pool itself; inside, its queries run in that transaction.
 */
export function joinable(pool: Pool): Pool {
  const joinedPool = new Proxy(pool, {
    get(target, property) {
      if (property === 'query')
        return (...args: unknown[]) => (joinedClient(target) ?? target).query(...(args as Parameters<Pool['query']>));
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  poolsOf.set(joinedPool, pool);
  return joinedPool;
}

/**
 * Runs `work` in one transaction on `client`, a connection of `pool` the caller holds: every store holding
 * joinable(pool) joins it while `work` runs, so that what they write is committed together or not at all.
 */
export async function inTransactionOn<T>(pool: Pool, client: PoolClient, work: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  let result: T;
  try {
    result = await ambient.run({ pool: poolOf(pool), client }, work);
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
  await client.query('COMMIT');
  return result;
}

/** Work that the stores holding joinable(pool) do as one transaction: what they write is committed together or not at all. */
export type OneTransaction = <T>(work: () => Promise<T>) => Promise<T>;

/**
 * Runs `work` as one transaction on a connection of `pool`, which the stores holding joinable(pool) join; within
 * another such transaction of the pool (an admin creation's, IdempotencyStore.exclusively), a savepoint of it.
 */
export async function inOneTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const joined = joinedClient(pool);
  if (joined) return inSavepoint(joined, () => work(joined));
  const client = await pool.connect();
  try {
    return await inTransactionOn(pool, client, () => work(client));
  } finally {
    client.release();
  }
}

/** inOneTransaction on `pool`, for work that needs no connection of its own (db/contact-accounts.ts). */
export const oneTransactionOn =
  (pool: Pool): OneTransaction =>
  (work) =>
    inOneTransaction(pool, () => work());
