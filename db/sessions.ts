import { createHash, randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import type { Language } from '../messages/accounts';
import type { Role } from '../messages/principal';

/** A signed-in browser as the console sees it: who, and the token its forms must carry. */
export interface Session {
  userId: string;
  email: string;
  name: string;
  role: Role;
  customerId?: string;
  /** The person's own choice, else their customer's language; absent for staff who chose none. */
  language?: Language;
  /** A customer contact's company's zone (customers.time_zone), for the times their pages show; absent: the desk's. */
  timeZone?: string;
  csrfToken: string;
}

export interface SessionLimits {
  /** Signed out after this long without a request. */
  idleMs: number;
  /** Signed out this long after signing in, however active. */
  absoluteMs: number;
}

/** Two hours idle, twelve in all: a working day at the desk without signing in twice, a forgotten browser closed by night. */
export const DEFAULT_SESSION_LIMITS: SessionLimits = { idleMs: 2 * 3_600_000, absoluteMs: 12 * 3_600_000 };

export interface SessionStore {
  /** A new session for the user: the cookie's value (shown once, kept only hashed) and its CSRF token. */
  create(userId: string, now: number): Promise<{ id: string; csrfToken: string }>;
  /** The live session the cookie names, its idle clock restarted; undefined once expired, signed out or its user disabled. */
  resolve(id: string, now: number): Promise<Session | undefined>;
  destroy(id: string): Promise<void>;
  /** Signs the user out of every browser; the number of sessions ended. */
  destroyAll(userId: string): Promise<number>;
}

// Random 32 bytes, so a plain SHA-256 is enough (nothing to brute-force), and the lookup is by equality on the hash.
const hashOf = (id: string) => createHash('sha256').update(id).digest('base64url');
const COOKIE_ID = /^[A-Za-z0-9_-]{43}$/;

/** Sessions in PostgreSQL (migration 0017). Instants come from the caller, so tests move the clock without waiting. */
export function pgSessionStore(db: Pool, limits: SessionLimits = DEFAULT_SESSION_LIMITS): SessionStore {
  return {
    async create(userId, now) {
      const id = randomBytes(32).toString('base64url');
      const csrfToken = randomBytes(32).toString('base64url');
      await db.query(
        'INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $4, $5)',
        [hashOf(id), userId, csrfToken, new Date(now), new Date(now + limits.absoluteMs)],
      );
      return { id, csrfToken };
    },

    async resolve(id, now) {
      if (!COOKIE_ID.test(id)) return undefined;
      const { rows } = await db.query<{
        user_id: string;
        email: string;
        name: string;
        role: Role;
        customer_id: string | null;
        language: Language | null;
        time_zone: string | null;
        csrf_token: string;
      }>(
        `UPDATE sessions s SET last_seen_at = $2
         FROM users u LEFT JOIN customers c ON c.id = u.customer_id
         WHERE s.id_hash = $1 AND u.id = s.user_id AND u.disabled_at IS NULL
           AND s.expires_at > $2 AND s.last_seen_at > $2::timestamptz - make_interval(secs => $3::double precision / 1000)
         RETURNING u.id::text AS user_id, u.email, u.name, u.role, u.customer_id, COALESCE(u.language, c.language) AS language, c.time_zone, s.csrf_token`,
        [hashOf(id), new Date(now), limits.idleMs],
      );
      const row = rows[0];
      if (!row) return undefined;
      return {
        userId: row.user_id,
        email: row.email,
        name: row.name,
        role: row.role,
        ...(row.customer_id ? { customerId: row.customer_id } : {}),
        ...(row.language ? { language: row.language } : {}),
        ...(row.time_zone ? { timeZone: row.time_zone } : {}),
        csrfToken: row.csrf_token,
      };
    },

    async destroy(id) {
      if (COOKIE_ID.test(id)) await db.query('DELETE FROM sessions WHERE id_hash = $1', [hashOf(id)]);
    },

    async destroyAll(userId) {
      const { rowCount } = await db.query('DELETE FROM sessions WHERE user_id = $1', [userId]);
      return rowCount ?? 0;
    },
  };
}
