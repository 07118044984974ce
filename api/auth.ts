import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction, onRequestAsyncHookHandler } from 'fastify';
import { apiTokenParts, type AccountStore } from '../messages/accounts';
import { MAIL_FROM_HEADER, type Principal, type Role } from '../messages/principal';
import type { SessionStore } from '../db/sessions';
import { forbidden, HttpProblem, invalidField, unauthorized } from './problems';
import { WindowedCounts, type AuthFailureLimit } from './rate-limit';
import { principalOf } from './request-principal';
import { principalOfSession, sessionOf } from './sessions';

const MAIL_ADDRESS = /^[^\s@<>,;"]{1,64}@[^\s@<>,;"]{1,255}$/;

/**
 * The principal of the inbound process acting for the sender of the mail it relays (MAIL_FROM_HEADER), who becomes the
 * actor, by e-mail; anyone else's as it is. Taken from a `mailRelay` key only: any other caller naming someone is
 * refused, so that no key acts as another person.
 */
function relayedFor(principal: Principal, header: string | string[] | undefined): Principal {
  if (header === undefined) return principal;
  if (!principal.mailRelay)
    throw forbidden(`${MAIL_FROM_HEADER} is the inbound mail process's: no other caller acts for someone else`);
  const address = typeof header === 'string' ? header.trim().toLowerCase() : '';
  if (!MAIL_ADDRESS.test(address)) throw invalidField(`headers.${MAIL_FROM_HEADER}`, 'must be one e-mail address');
  return { ...principal, mailFrom: address };
}

// RFC 6750 b64token: what a bearer token may be made of, so junk never reaches the store.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/**
 * How long a token the store refused is refused again without asking it. Safe however long: a key is never
 * un-revoked, and a token that matched no key cannot match one later (ids and secrets are random).
 */
const REFUSED_TOKEN_TTL_MS = 10 * 60_000;

/**
 * The onRequest hook of the /v1 plugin (api/app.ts), which puts the caller's principal on every request it serves:
 * routes are protected because they are registered there, never by matching the URL, so no spelling of a path
 * that reaches a /v1 route gets past it. A missing, malformed, unknown or revoked token answers 401 before any route
 * runs; only a token shaped as Vigil issues them, and not refused lately, costs a store lookup. With a failure
 * limit, an address past it gets 429 before its token is looked at. With `sessions`, a request without an
 * Authorization header may be a browser signed in to the console (api/sessions.ts): it gets its person's principal,
 * held to the same role and customer checks as a key's.
 */
export function authentication(
  accounts: AccountStore,
  failureLimit?: AuthFailureLimit,
  sessions?: { store: SessionStore; now: () => number },
): onRequestAsyncHookHandler {
  // Keyed by the token's hash, so that no token, not even a wrong one, is kept in memory.
  const refusedLately = new WindowedCounts(REFUSED_TOKEN_TTL_MS);

  async function principalFor(header: string | undefined): Promise<Principal | HttpProblem> {
    if (!header) return unauthorized('this route needs an API key: send Authorization: Bearer <token>', false);
    const token = BEARER.exec(header)?.[1];
    if (!token) return unauthorized('the Authorization header must be "Bearer <token>"', true);
    if (!apiTokenParts(token)) return unauthorized('the token is not a Vigil API key (vgl_<id>_<secret>)', true);
    const hash = createHash('sha256').update(token).digest('base64url');
    const principal = refusedLately.get(hash) ? undefined : await accounts.authenticate(token);
    if (principal) return principal;
    refusedLately.hit(hash);
    return unauthorized('the API key is unknown or revoked', true);
  }

  return async (request) => {
    failureLimit?.assertMayTry(request.ip);
    const session =
      sessions && !request.headers.authorization ? await sessionOf(request, sessions.store, sessions.now()) : undefined;
    const principal = session ? principalOfSession(session) : await principalFor(request.headers.authorization);
    if (principal instanceof HttpProblem) {
      failureLimit?.failed(request.ip);
      throw principal;
    }
    request.principal = relayedFor(principal, request.headers[MAIL_FROM_HEADER]);
  };
}

/** A route hook letting through only the given roles, 403 naming them for anyone else; as onRequest, before the body is read, a refused caller learns nothing of what it should hold. */
export function requireRoles(...roles: Role[]) {
  const needed = roles.join(' or ');
  return (request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    const { role } = principalOf(request);
    done(
      roles.includes(role) ? undefined : forbidden(`this needs the role ${needed}; the API key has the role ${role}`),
    );
  };
}
