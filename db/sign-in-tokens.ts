import { createHash, randomBytes } from 'node:crypto';
import type { Pool } from 'pg';

/** What a one-time link sent by e-mail lets its holder do. */
export type SignInPurpose = 'sign-in' | 'reset';

export interface SignInTokenStore {
  /** A new token for the user; only its hash is kept. */
  issue(userId: string, purpose: SignInPurpose, expiresAt: number): Promise<string>;
  /** The user the token was issued to, once: the first use spends it, a second or a late one gets undefined. */
  spend(token: string, purpose: SignInPurpose, now: number): Promise<string | undefined>;
  /** Whether the token would still be accepted, without spending it (the page asking to confirm). */
  isLive(token: string, purpose: SignInPurpose, now: number): Promise<boolean>;
}

const hashOf = (token: string) => createHash('sha256').update(token).digest('base64url');
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** One-time links in PostgreSQL (migration 0017). */
export function pgSignInTokenStore(db: Pool): SignInTokenStore {
  return {
    async issue(userId, purpose, expiresAt) {
      const token = randomBytes(32).toString('base64url');
      await db.query('INSERT INTO sign_in_tokens (token_hash, user_id, purpose, expires_at) VALUES ($1, $2, $3, $4)', [
        hashOf(token),
        userId,
        purpose,
        new Date(expiresAt),
      ]);
      return token;
    },

    async spend(token, purpose, now) {
      if (!TOKEN.test(token)) return undefined;
      // One statement: two browsers spending the same link race on the row, and only one sees used_at null.
      const { rows } = await db.query<{ user_id: string }>(
        `UPDATE sign_in_tokens SET used_at = $3 WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3 RETURNING user_id::text`,
        [hashOf(token), purpose, new Date(now)],
      );
      return rows[0]?.user_id;
    },

    async isLive(token, purpose, now) {
      if (!TOKEN.test(token)) return false;
      const { rowCount } = await db.query(
        'SELECT 1 FROM sign_in_tokens WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3',
        [hashOf(token), purpose, new Date(now)],
      );
      return (rowCount ?? 0) > 0;
    },
  };
}
