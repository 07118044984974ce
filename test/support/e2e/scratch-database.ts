import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { e2eEnv } from './stack';

/**
 * A database of its own on the e2e PostgreSQL, named `<prefix>_<random>`, for a file whose tens of thousands of rows
 * would otherwise sit in every other file's tables and plans. The caller drops it (by `name`) when done.
 */
export async function scratchDatabase(admin: Pool, prefix: string): Promise<{ name: string; url: string }> {
  const name = `${prefix}_${randomUUID().slice(0, 8)}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(e2eEnv().databaseUrl);
  url.pathname = `/${name}`;
  return { name, url: url.toString() };
}

/**
 * A stand-in for `db` to hand to a store: each query whose text `explained` matches is first explained (FORMAT JSON)
 * and its plan kept in `plans`, as PostgreSQL would run it, then run on `db` as the store asked.
 */
export function explaining(db: Pool, explained: RegExp = /./): { pool: Pool; plans: string[] } {
  const plans: string[] = [];
  const pool = {
    async query(sql: string, values: unknown[]) {
      if (explained.test(sql)) {
        const { rows } = await db.query(`EXPLAIN (FORMAT JSON) ${sql}`, values);
        plans.push(JSON.stringify(rows[0]['QUERY PLAN']));
      }
      return db.query(sql, values);
    },
  } as unknown as Pool;
  return { pool, plans };
}
