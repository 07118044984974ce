/** Who is calling the API, as its API key says: the API's authorization and every route read this. */
export const ROLES = ['admin', 'agent', 'manager', 'customer'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  /** The API key's public id: rate limits, idempotency keys and logs are per key. */
  keyId: string;
  role: Role;
  /** Set for customer keys only: the one company whose tickets the key sees and acts on. */
  customerId?: string;
  label: string;
  /** Set when a person signed in to the console (api/sessions.ts) is calling: the actor their actions record. */
  person?: Person;
}

/** A person's account as the console's session knows it (db/users.ts). */
export interface Person {
  userId: string;
  email: string;
  name: string;
}
