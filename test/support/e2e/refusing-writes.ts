import type { Pool } from 'pg';

/**
 * Runs `attempt` while PostgreSQL refuses the writes (`event`) of `table` whose `column` holds `marker`: work made to
 * fail at a chosen point, as a crash there would. Only rows holding the marker are refused, so that the other test
 * files sharing the database write as usual.
 */
export async function refusingWrites<T>(
  db: Pool,
  table: string,
  event: 'INSERT' | 'UPDATE',
  column: string,
  marker: string,
  attempt: () => Promise<T>,
): Promise<T> {
  const failing = `fail_${marker.replace(/[^A-Za-z0-9]/g, '_')}`;
  await db.query(`CREATE FUNCTION ${failing}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.${column} LIKE '%${marker}%' THEN RAISE EXCEPTION 'refused by the test at ${table}.${column}'; END IF;
        RETURN NEW;
      END $$`);
  await db.query(`CREATE TRIGGER ${failing} BEFORE ${event} ON ${table} FOR EACH ROW EXECUTE FUNCTION ${failing}()`);
  try {
    return await attempt();
  } finally {
    await db.query(`DROP TRIGGER ${failing} ON ${table}`);
    await db.query(`DROP FUNCTION ${failing}()`);
  }
}
