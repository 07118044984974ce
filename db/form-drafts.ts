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
  /**
   * Keeps the fields for the user until `now` plus FORM_DRAFT_MS; the draft's id, for the page's address. `id`, the
   * draft the form was shown from, is kept anew under the same id when it is the user's, so that a form's steps keep
   * one draft however often the contract is chosen; a new id otherwise.
   */
  keep(userId: string, fields: Readonly<Record<string, string>>, now: number, id?: string): Promise<string>;
  /** The fields of the user's draft `id`; undefined once expired, or when it is not theirs. */
  read(userId: string, id: string, now: number): Promise<Record<string, string> | undefined>;
  /** Deletes the user's draft `id` (none when it is not theirs): its ticket was opened. */
  discard(userId: string, id: string): Promise<void>;
}

/** As long as a session may last: a draft outlives no working day, and a page read back within one finds it. */
export const FORM_DRAFT_MS = DEFAULT_SESSION_LIMITS.absoluteMs;

/** A draft's id: 16 random bytes, base64url. */
export const newDraftId = () => randomBytes(16).toString('base64url');
const DRAFT_ID = /^[A-Za-z0-9_-]{22}$/;

/** A draft's id as newDraftId makes it, or undefined: what a form or an address names is not trusted. */
export const draftIdOf = (value: unknown) => (typeof value === 'string' && DRAFT_ID.test(value) ? value : undefined);

/**
 * Drafts in PostgreSQL (migrations 0031 and 0032). A draft is read only until it expires; its row is deleted when its
 * ticket is opened, or else by its author's next keep, which deletes that person's expired drafts and no one else's.
 * Not a sweep of the whole table on every step of a form, whose cost would grow with the desk's people for rows nobody
 * can read any more: a keep touches the few rows of one person (an index on user_id), and what stays behind is
 * bounded, for whoever stops coming, by the drafts of their last working day at the form.
 */
export function pgFormDraftStore(db: Pool): FormDraftStore {
  return {
    async keep(userId, fields, now, id) {
      // NUL and lone surrogates, which jsonb refuses, as U+FFFD: the page would show them so anyway (api/web/html.ts).
      const values = [userId, JSON.stringify(toStorable(fields)), new Date(now), new Date(now + FORM_DRAFT_MS)];
      // The draft named is kept anew only when it is the author's: another's, or one deleted since, gives a new id. One
      // statement, so that the author's expired drafts are deleted once whichever way it goes; the draft kept anew is
      // spared, though it may have expired, since it is renewed in the same snapshot.
      const { rows } = await db.query<{ id: string }>(
        `WITH expired AS (
           DELETE FROM form_drafts WHERE user_id = $1 AND expires_at <= $3 AND id IS DISTINCT FROM $5
         ), kept AS (
           UPDATE form_drafts SET fields = $2, expires_at = $4 WHERE id = $5 AND user_id = $1 RETURNING id
         ), created AS (
           INSERT INTO form_drafts (id, user_id, fields, expires_at)
           SELECT $6, $1, $2, $4 WHERE NOT EXISTS (SELECT FROM kept) RETURNING id
         )
         SELECT id FROM kept UNION ALL SELECT id FROM created`,
        [...values, draftIdOf(id) ?? null, newDraftId()],
      );
      return rows[0]!.id;
    },

    async read(userId, id, now) {
      if (!draftIdOf(id)) return undefined;
      const { rows } = await db.query<{ fields: Record<string, string> }>(
        'SELECT fields FROM form_drafts WHERE id = $1 AND user_id = $2 AND expires_at > $3',
        [id, userId, new Date(now)],
      );
      return rows[0]?.fields;
    },

    async discard(userId, id) {
      if (draftIdOf(id)) await db.query('DELETE FROM form_drafts WHERE id = $1 AND user_id = $2', [id, userId]);
    },
  };
}
