/**
 * The console's demo people for `npm run dev`: an admin, an agent and Ana Lopes, the demo customer acme's contact
 * (scripts/dev-accounts.ts makes acme), both with the same well-known password. Created once; a person who already
 * exists is left as they are, so a password changed through a reset stays changed.
 */
import { Pool } from 'pg';
import { pgUserStore, type NewUser } from '../db/users';

export const DEV_PASSWORD = 'vigil-dev-password';

export const DEV_PEOPLE = [
  { email: 'admin@vigil.localhost', name: 'Dev Admin', role: 'admin' },
  { email: 'agent@vigil.localhost', name: 'Dev Agent', role: 'agent' },
  { email: 'ana@acme.lu', name: 'Ana Lopes', role: 'customer', customerId: 'acme' },
] as const satisfies readonly Omit<NewUser, 'password'>[];

/** Run after the demo customer exists (its contact belongs to it). */
export async function ensureDevPeople(databaseUrl: string): Promise<void> {
  const db = new Pool({ connectionString: databaseUrl });
  try {
    const users = pgUserStore(db);
    for (const person of DEV_PEOPLE) {
      if (!(await users.signInRecord(person.email))) await users.create({ ...person, password: DEV_PASSWORD });
    }
  } finally {
    await db.end();
  }
}
