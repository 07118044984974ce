import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DESCRIPTION_MAX_LENGTH } from '../../messages/open-ticket';
import { cookieOf, sameToken, secureFor, setCookie, type CookieSettings } from '../sessions';

/**
 * CSRF protection of every console form. Signed in: a synchronizer token, the session's own (stored with it in
 * `sessions`, migration 0017), in a hidden `_csrf` field, compared in constant time. Signed out (sign-in, link and
 * reset requests, where no session exists yet): double-submit, a random `vigil_csrf` cookie that the hidden field
 * must repeat, so another site cannot make a browser sign in to an account of the attacker's (login CSRF).
 * SameSite=Lax on both cookies is a second line, not the only one.
 */
export const FORM_CSRF_COOKIE = 'vigil_csrf';

export type Form = Record<string, string>;

/**
 * The largest body a console page takes: the longest text its forms send (a ticket's description; an action's longest
 * text, messages/ticket-actions.ts, is as long) as a browser urlencodes it, each character counted as the API counts
 * them taking up to 12 bytes (four UTF-8 bytes beyond the BMP, each written %XX), with room for the form's other
 * fields. At 64 kB, a description of 11 000 Cyrillic letters, which the API takes, was refused 413 before the form
 * could say anything.
 */
export const FORM_BODY_LIMIT = DESCRIPTION_MAX_LENGTH * 12 + 64 * 1024;

/** The form's fields, each the last value given (a repeated field is not a list here). */
export function formOf(request: FastifyRequest): Form {
  const body = (request.body ?? {}) as Record<string, string | string[]>;
  return Object.fromEntries(
    Object.entries(body).map(([name, value]) => [name, Array.isArray(value) ? (value.at(-1) ?? '') : String(value)]),
  );
}

/** The token a signed-out form carries, set as a cookie when the browser has none yet. */
export function signedOutToken(request: FastifyRequest, reply: FastifyReply, cookie: CookieSettings): string {
  const given = cookieOf(request, FORM_CSRF_COOKIE);
  if (given && /^[A-Za-z0-9_-]{43}$/.test(given)) return given;
  const token = randomBytes(32).toString('base64url');
  setCookie(reply, FORM_CSRF_COOKIE, token, { secure: secureFor(request, cookie), maxAgeSeconds: 24 * 3600 });
  // Later reads in this request see it as the browser's next request will.
  request.headers.cookie = `${request.headers.cookie ? `${request.headers.cookie}; ` : ''}${FORM_CSRF_COOKIE}=${token}`;
  return token;
}

/** Whether a posted form carries its token: the session's when signed in, else the double-submit cookie's. */
export function formTokenValid(request: FastifyRequest, form: Form): boolean {
  const expected = request.session ? request.session.csrfToken : cookieOf(request, FORM_CSRF_COOKIE);
  return expected !== undefined && sameToken(form._csrf, expected);
}
