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
}
