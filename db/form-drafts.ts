import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import { toStorable } from '../domain/text';
import { DEFAULT_SESSION_LIMITS } from './sessions';

/**
 * What a person typed into a console form, kept across a step of it that is answered by a redirect (the portal's
 * choice of contract, api/web/console.ts): the page the redirect leads to reads it back by its id, so that a reload
 * or the back button asks for a page, never for the form to be posted again, and the text stays out of the address.
 */
export interface FormDraftStore {
  /** Keeps the fields for the user until `now` plus FORM_DRAFT_MS; the draft's id, for the page's address. */
  keep(userId: string, fields: Readonly<Record<string, string>>, now: number): Promise<string>;
  /** The fields of the user's draft `id`; undefined once expired, or when it is not theirs. */
  read(userId: string, id: string, now: number): Promise<Record<string, string> | undefined>;
}

/** As long as a session may last: a draft outlives no working day, and a page read back within one finds it. */
export const FORM_DRAFT_MS = DEFAULT_SESSION_LIMITS.absoluteMs;

/** A draft's id: 16 random bytes, base64url. */
export const newDraftId = () => randomBytes(16).toString('base64url');
const DRAFT_ID = /^[A-Za-z0-9_-]{22}$/;

/** Drafts in PostgreSQL (migration 0031); each keep also clears the drafts already expired, whoever wrote them. */
export function pgFormDraftStore(db: Pool): FormDraftStore {
  return {
    async keep(userId, fields, now) {
      const id = newDraftId();
      // NUL and lone surrogates, which jsonb refuses, as U+FFFD: the page would show them so anyway (api/web/html.ts).
      await db.query(
        `WITH expired AS (DELETE FROM form_drafts WHERE expires_at <= $4)
         INSERT INTO form_drafts (id, user_id, fields, expires_at) VALUES ($1, $2, $3, $5)`,
        [id, userId, JSON.stringify(toStorable(fields)), new Date(now), new Date(now + FORM_DRAFT_MS)],
      );
      return id;
    },

    async read(userId, id, now) {
      if (!DRAFT_ID.test(id)) return undefined;
      const { rows } = await db.query<{ fields: Record<string, string> }>(
        'SELECT fields FROM form_drafts WHERE id = $1 AND user_id = $2 AND expires_at > $3',
        [id, userId, new Date(now)],
      );
      return rows[0]?.fields;
    },
  };
}
