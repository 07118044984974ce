import { Pool } from 'pg';
import { migrate } from '../../db/migrate';

export function e2eEnv(): { temporalAddress: string; databaseUrl: string } {
  const temporalAddress = process.env.TEMPORAL_ADDRESS;
  const databaseUrl = process.env.DATABASE_URL;
  if (!temporalAddress || !databaseUrl) throw new Error('TEMPORAL_ADDRESS and DATABASE_URL are set by test/e2e/global-setup.ts');
  return { temporalAddress, databaseUrl };
}

export async function migratedPool(): Promise<Pool> {
  const db = new Pool({ connectionString: e2eEnv().databaseUrl });
  await migrate(db);
  return db;
}
