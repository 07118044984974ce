import type { Pool, PoolClient } from 'pg';

/** Runs `work` on one connection between BEGIN and COMMIT; any throw rolls everything back. */
export async function withTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
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
