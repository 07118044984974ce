import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../messages/principal';
import type { Session, SessionStore } from '../db/sessions';
import { forbidden } from './problems';

/** The console's session cookie: HTTP-only, SameSite=Lax, Secure over https; its value names a row of `sessions` by hash. */
export const SESSION_COOKIE = 'vigil_session';
/** The header a signed-in browser's change to /v1 carries: its session's synchronizer token, checked by sessionOf below. */
export const CSRF_HEADER = 'x-csrf-token';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set when the caller is a signed-in browser: the console's pages read it, /v1 reads `principal`. */
    session?: Session;
  }
}

/** How the console's cookie is set. `secure: 'auto'` marks it Secure when the request came over https (trustProxy for a proxy's). */
export interface CookieSettings {
  secure: boolean | 'auto';
  maxAgeSeconds: number;
}

/**
 * The value of the cookie `name` in the request's Cookie header (RFC 6265 §5.4), undefined when absent. Read here
 * rather than by @fastify/cookie, whose ESM-only parser neither Node 20's require nor Jest loads. Values this
 * server sets are base64url, so nothing needs decoding.
 */
export function cookieOf(request: FastifyRequest, name: string): string | undefined {
  for (const pair of (request.headers.cookie ?? '').split(';')) {
    const at = pair.indexOf('=');
    if (at > 0 && pair.slice(0, at).trim() === name) return pair.slice(at + 1).trim();
  }
  return undefined;
}

export function setCookie(
  reply: FastifyReply,
  name: string,
  value: string,
  attributes: { secure: boolean; maxAgeSeconds: number; httpOnly?: boolean; path?: string },
): void {
  const parts = [
    `${name}=${value}`,
    `Path=${attributes.path ?? '/'}`,
    `Max-Age=${attributes.maxAgeSeconds}`,
    'SameSite=Lax',
  ];
  if (attributes.httpOnly ?? true) parts.push('HttpOnly');
  if (attributes.secure) parts.push('Secure');
  const before = reply.getHeader('set-cookie');
  void reply.header('set-cookie', [...(before === undefined ? [] : [before].flat().map(String)), parts.join('; ')]);
}

export const secureFor = (request: FastifyRequest, settings: CookieSettings) =>
  settings.secure === 'auto' ? request.protocol === 'https' : settings.secure;

export function setSessionCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  id: string,
  settings: CookieSettings,
): void {
  setCookie(reply, SESSION_COOKIE, id, { secure: secureFor(request, settings), maxAgeSeconds: settings.maxAgeSeconds });
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply, settings: CookieSettings): void {
  setCookie(reply, SESSION_COOKIE, '', { secure: secureFor(request, settings), maxAgeSeconds: 0 });
}

/** A signed-in person as the API's authorization sees them: the same roles and customer scope as an API key's. */
export function principalOfSession(session: Session): Principal {
  return {
    // Per person, so that rate limits and logs tell people apart as they tell keys apart.
    keyId: `user-${session.userId}`,
    role: session.role,
    ...(session.customerId ? { customerId: session.customerId } : {}),
    label: session.name,
    person: { userId: session.userId, email: session.email, name: session.name },
  };
}

export const sameToken = (given: unknown, expected: string): boolean =>
  typeof given === 'string' &&
  given.length === expected.length &&
  timingSafeEqual(Buffer.from(given), Buffer.from(expected));

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The session a request's cookie names, if live, set on `request.session`. A change (any method but GET, HEAD and
 * OPTIONS) must also carry the session's CSRF token in X-CSRF-Token: a cookie alone, which another site can make a
 * browser send, changes nothing (403).
 */
export async function sessionOf(
  request: FastifyRequest,
  sessions: SessionStore,
  now: number,
): Promise<Session | undefined> {
  const session = await liveSession(request, sessions, now);
  if (!session) return undefined;
  if (!SAFE_METHODS.has(request.method) && !sameToken(request.headers[CSRF_HEADER], session.csrfToken)) {
    throw forbidden(`a signed-in browser's ${request.method} needs its session's CSRF token in ${CSRF_HEADER}`);
  }
  return session;
}

/** The live session the request's cookie names, set on `request.session`; the console's forms check their token themselves (api/web/forms.ts). */
export async function liveSession(
  request: FastifyRequest,
  sessions: SessionStore,
  now: number,
): Promise<Session | undefined> {
  const id = cookieOf(request, SESSION_COOKIE);
  const session = id ? await sessions.resolve(id, now) : undefined;
  if (session) request.session = session;
  return session;
}
