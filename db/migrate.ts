import fs from 'node:fs/promises';
import path from 'node:path';
import type { Pool } from 'pg';
import { loadPresetPolicies } from './policy-versions';

const MIGRATIONS_DIR = path.join(__dirname, 'migrations');
// Any fixed number: it serialises concurrent migrators (worker and API starting together).
const MIGRATION_LOCK_ID = 7_221_001;

/**
 * Applies the versioned SQL files not applied yet, each in its own transaction, then loads the preset policies as
 * their first published versions; safe to run again and concurrently.
 */
export async function migrate(pool: Pool): Promise<string[]> {
  const files = (await fs.readdir(MIGRATIONS_DIR)).filter((name) => name.endsWith('.sql')).sort();
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version text PRIMARY KEY,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const { rows } = await client.query<{ version: string }>('SELECT version FROM schema_migrations');
    const applied = new Set(rows.map((row) => row.version));
    const newlyApplied: string[] = [];
    for (const file of files.filter((name) => !applied.has(name))) {
      const sql = await fs.readFile(path.join(MIGRATIONS_DIR, file), 'utf8');
      await client.query('BEGIN');
      try {
        await client.query(sql);
        await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [file]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${file} failed: ${(error as Error).message}`);
      }
      newlyApplied.push(file);
    }
    await loadPresetPolicies(client);
    return newlyApplied;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => undefined);
    client.release();
  }
}
